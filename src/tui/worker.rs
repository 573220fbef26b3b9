//! The background threads: one runs the sources, one reads the terminal. Both send
//! on the same channel as [`Msg`].

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::thread;
use std::time::Duration;

use crossterm::event::{self, Event};

use crate::source::SourceEvent;

use super::action::Action;
use super::runtime::Opener;

/// What arrives on the UI's channel.
pub enum Msg {
    Terminal(Event),
    Background(Action),
}

/// Run every source in turn on a new thread. Stops early when `cancel` is set.
pub fn spawn_scan(open: Opener, generation: u64, tx: Sender<Msg>, cancel: Arc<AtomicBool>) {
    thread::spawn(move || {
        let send = |a: Action| {
            let _ = tx.send(Msg::Background(a));
        };
        match open() {
            Err(error) => send(Action::SourceFailed { generation, error, fatal: true }),
            Ok(sources) => {
                for mut source in sources {
                    if cancel.load(Ordering::Relaxed) {
                        break;
                    }
                    let mut emit = |ev: SourceEvent| {
                        if let Some(a) = translate(generation, ev) {
                            send(a);
                        }
                    };
                    source.run(&mut emit, &cancel);
                }
            }
        }
        send(Action::ScanFinished { generation });
    });
}

/// A source's event as the App's past-tense action.
pub fn translate(generation: u64, ev: SourceEvent) -> Option<Action> {
    Some(match ev {
        SourceEvent::Started { description } => Action::ScanStarted { generation, description },
        SourceEvent::Progress(progress) => Action::ProgressReported { generation, progress },
        SourceEvent::BatchAnalysed(batch) => Action::BatchAnalysed { generation, batch },
        SourceEvent::Failed { origin, error } => {
            let fatal = origin.is_none();
            let error = match origin {
                Some(o) => format!("{o}: {error}"),
                None => error,
            };
            Action::SourceFailed { generation, error, fatal }
        }
        SourceEvent::Finished => return None,
    })
}

/// Read terminal events until `stop` is set. Polls so that it notices `stop`.
pub fn spawn_input(tx: Sender<Msg>, stop: Arc<AtomicBool>) {
    thread::spawn(move || {
        while !stop.load(Ordering::Relaxed) {
            match event::poll(Duration::from_millis(100)) {
                Ok(true) => match event::read() {
                    Ok(ev) => {
                        if tx.send(Msg::Terminal(ev)).is_err() {
                            return;
                        }
                    }
                    Err(_) => return,
                },
                Ok(false) => {}
                Err(_) => return,
            }
        }
    });
}
