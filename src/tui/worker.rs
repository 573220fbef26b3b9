//! The background threads: one runs the sources, one reads the terminal. Both send
//! on the same channel as [`Msg`].

use std::panic::{AssertUnwindSafe, catch_unwind};
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
            Err(error) => send(Action::SourceFatal { generation, error }),
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
                    // A bug below (ours or a crate's) must end this scan with a message
                    // on the status line, not leave the screen saying "scanning" forever.
                    let run = catch_unwind(AssertUnwindSafe(|| source.run(&mut emit, &cancel)));
                    if let Err(panic) = run {
                        let error = format!(
                            "internal error while reading ({}); please report it",
                            panic_text(panic.as_ref())
                        );
                        send(Action::SourceFatal { generation, error });
                        break;
                    }
                }
            }
        }
        send(Action::ScanFinished { generation });
    });
}

/// The message a panic was raised with, when it carried one.
fn panic_text(panic: &(dyn std::any::Any + Send)) -> String {
    let text = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "no message".into());
    crate::text::clean_line(&text).into_owned()
}

/// A source's event as the App's past-tense action.
pub fn translate(generation: u64, ev: SourceEvent) -> Option<Action> {
    Some(match ev {
        SourceEvent::Started { description } => Action::ScanStarted { generation, description },
        SourceEvent::Progress(progress) => Action::ProgressReported { generation, progress },
        SourceEvent::BatchAnalysed(batch) => Action::BatchAnalysed { generation, batch },
        // The error names its file or message itself.
        SourceEvent::Failed { error, .. } => Action::ReadFailed { generation, error },
        SourceEvent::Notice(text) => Action::NoticeReported { generation, text },
        SourceEvent::Fatal(error) => Action::SourceFatal { generation, error },
        SourceEvent::Withdrawn { scope, reason } => {
            Action::RecordsWithdrawn { generation, scope, reason }
        }
        SourceEvent::Finished => return None,
    })
}

/// Read terminal events until `stop` is set. Polls so that it notices `stop`.
pub fn spawn_input(tx: Sender<Msg>, stop: Arc<AtomicBool>) {
    thread::spawn(move || {
        while !stop.load(Ordering::Relaxed) {
            // SIGTERM, SIGHUP or SIGQUIT arrived: quit the normal way, which gives the
            // terminal back (the handler itself may only set a flag).
            if super::signals::received() {
                let _ = tx.send(Msg::Background(Action::Quit));
                return;
            }
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

#[cfg(test)]
mod tests {
    use std::sync::mpsc::channel;

    use super::*;
    use crate::source::Source;

    /// A source with a bug: it panics half-way.
    struct Broken;

    impl Source for Broken {
        fn describe(&self) -> String {
            "broken".into()
        }
        fn run(&mut self, _emit: &mut dyn FnMut(SourceEvent), _cancel: &AtomicBool) {
            panic!("index out of bounds in a reader");
        }
    }

    #[test]
    fn a_panicking_source_ends_the_scan_with_a_message() {
        let (tx, rx) = channel();
        let opener: Opener = Arc::new(|| Ok(vec![Box::new(Broken) as Box<dyn Source>]));
        spawn_scan(opener, 7, tx, Arc::new(AtomicBool::new(false)));
        let actions: Vec<Action> = rx
            .iter()
            .filter_map(|m| match m {
                Msg::Background(a) => Some(a),
                Msg::Terminal(_) => None,
            })
            .collect();
        assert!(
            matches!(&actions[..], [
                Action::SourceFatal { generation: 7, error },
                Action::ScanFinished { generation: 7 }
            ] if error.contains("index out of bounds in a reader")),
            "{} actions",
            actions.len()
        );
    }
}
