//! Running the watchers (`w`, `rebound --watch`) on their own thread: they report new
//! messages as batches of the current scan, so new bounces join the list and their
//! incidents; their start, stop and troubles go to the status line, never ending the
//! scan's own state.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::thread;

use crate::source::SourceEvent;

use super::action::Action;
use super::runtime::Opener;
use super::worker::Msg;

/// Open the watchers and run them until `cancel` is set.
pub fn spawn(open: Opener, generation: u64, tx: Sender<Msg>, cancel: Arc<AtomicBool>) {
    thread::spawn(move || {
        let send = |a: Action| {
            let _ = tx.send(Msg::Background(a));
        };
        let watchers = match open() {
            Ok(w) => w,
            Err(e) => return send(Action::WatchReported(Err(format!("cannot watch: {e}")))),
        };
        let mut handles = Vec::new();
        for mut w in watchers {
            let (tx, cancel) = (tx.clone(), cancel.clone());
            handles.push(thread::spawn(move || {
                let send = |a: Action| {
                    let _ = tx.send(Msg::Background(a));
                };
                let mut emit = |ev: SourceEvent| match ev {
                    SourceEvent::Started { description } => {
                        send(Action::WatchReported(Ok(format!("watching {description}"))))
                    }
                    SourceEvent::BatchAnalysed(batch) => {
                        send(Action::BatchAnalysed { generation, batch })
                    }
                    SourceEvent::Failed { origin, error } => {
                        let at = origin.map(|o| format!("{o}: ")).unwrap_or_default();
                        send(Action::JobFinished(Err(format!("watch: {at}{error}"))))
                    }
                    SourceEvent::Notice(text) => send(Action::NoticeReported { generation, text }),
                    // The scan's own state stays as it was: only the watch stopped.
                    SourceEvent::Fatal(error) => {
                        send(Action::WatchReported(Err(format!("watch stopped: {error}"))))
                    }
                    SourceEvent::Withdrawn { scope, reason } => {
                        send(Action::RecordsWithdrawn { generation, scope, reason })
                    }
                    SourceEvent::Progress(_) | SourceEvent::Finished => {}
                };
                let run = catch_unwind(AssertUnwindSafe(|| w.run(&mut emit, &cancel)));
                if run.is_err() {
                    send(Action::WatchReported(Err(
                        "internal error in the watch; it stopped".into()
                    )));
                }
            }));
        }
        for h in handles {
            let _ = h.join();
        }
        if !cancel.load(Ordering::Relaxed) {
            send(Action::WatchReported(Ok("stopped watching: the watch ended".into())));
        }
    });
}
