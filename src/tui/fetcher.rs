//! Fetching raw messages for the screen on one worker thread, with a single-job queue
//! (as gitui does: a new request replaces the one still waiting, so holding `j` in the
//! raw view fetches the message the cursor stops on, not every one it passed) and a
//! small cache of recently viewed messages.
//!
//! The loader behind it keeps its own state (one IMAP session per account, each mbox's
//! message offsets), so a key press never costs a new connection.

use std::collections::VecDeque;
use std::sync::mpsc::Sender;
use std::sync::{Arc, Condvar, Mutex};
use std::thread;

use crate::source::Origin;

use super::action::Action;
use super::app::Job;
use super::runtime::RawLoader;
use super::worker::Msg;

/// Messages kept in memory.
const CACHE: usize = 16;

/// What the worker is asked to do.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Request {
    /// Show record `record`'s message in the raw view.
    View { record: usize, origin: Origin },
    /// Fetch it for the pager, a pipe or a file.
    Job { origin: Origin, job: Job },
}

#[derive(Default)]
struct Slots {
    /// The latest raw-view request; an older one waiting here is dropped.
    view: Option<Request>,
    /// The latest pager/pipe/save request.
    job: Option<Request>,
    stop: bool,
}

/// The handle the runtime keeps.
pub struct Fetcher {
    shared: Arc<(Mutex<Slots>, Condvar)>,
}

impl Fetcher {
    /// Start the worker; results go to `tx` as actions.
    pub fn start(load: RawLoader, tx: Sender<Msg>) -> Fetcher {
        let shared = Arc::new((Mutex::new(Slots::default()), Condvar::new()));
        let theirs = shared.clone();
        thread::spawn(move || work(&theirs, &load, &tx));
        Fetcher { shared }
    }

    fn put(&self, f: impl FnOnce(&mut Slots)) {
        let (lock, ready) = &*self.shared;
        let mut slots = lock.lock().unwrap_or_else(|e| e.into_inner());
        f(&mut slots);
        ready.notify_one();
    }

    pub fn view(&self, record: usize, origin: Origin) {
        self.put(|s| s.view = Some(Request::View { record, origin }));
    }

    pub fn job(&self, origin: Origin, job: Job) {
        self.put(|s| s.job = Some(Request::Job { origin, job }));
    }
}

impl Drop for Fetcher {
    fn drop(&mut self) {
        self.put(|s| s.stop = true);
    }
}

fn work(shared: &(Mutex<Slots>, Condvar), load: &RawLoader, tx: &Sender<Msg>) {
    let mut cache: VecDeque<(Origin, Arc<Vec<u8>>)> = VecDeque::new();
    loop {
        let request = {
            let (lock, ready) = shared;
            let mut slots = lock.lock().unwrap_or_else(|e| e.into_inner());
            loop {
                if slots.stop {
                    return;
                }
                // A job the user asked for by name goes before a view.
                if let Some(r) = slots.job.take().or_else(|| slots.view.take()) {
                    break r;
                }
                slots = ready.wait(slots).unwrap_or_else(|e| e.into_inner());
            }
        };
        let origin = match &request {
            Request::View { origin, .. } | Request::Job { origin, .. } => origin.clone(),
        };
        let result = match cache.iter().position(|(o, _)| *o == origin) {
            Some(i) => {
                // Most recently used goes to the back.
                let hit = cache.remove(i).expect("index found above");
                let bytes = hit.1.clone();
                cache.push_back(hit);
                Ok(bytes)
            }
            None => {
                let loaded =
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| load(&origin)))
                        .unwrap_or_else(|_| Err("internal error while fetching the message".into()))
                        .map(Arc::new);
                if let Ok(bytes) = &loaded {
                    cache.push_back((origin, bytes.clone()));
                    if cache.len() > CACHE {
                        cache.pop_front();
                    }
                }
                loaded
            }
        };
        let action = match request {
            Request::View { record, .. } => {
                Action::RawLoaded { record, result: result.map(|b| b.as_ref().clone()) }
            }
            Request::Job { job, .. } => Action::MessageFetched { job, result },
        };
        if tx.send(Msg::Background(action)).is_err() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::mpsc::channel;
    use std::time::Duration;

    use super::*;

    #[test]
    fn only_the_latest_view_is_fetched_and_repeats_come_from_the_cache() {
        let calls = Arc::new(AtomicUsize::new(0));
        let gate = Arc::new(Mutex::new(()));
        let held = gate.lock().unwrap();
        let (c, g) = (calls.clone(), gate.clone());
        let load: RawLoader = Arc::new(move |o: &Origin| {
            let _wait = g.lock().unwrap();
            c.fetch_add(1, Ordering::SeqCst);
            Ok(o.to_string().into_bytes())
        });
        let (tx, rx) = channel();
        let f = Fetcher::start(load, tx);
        let demo = |n| Origin::Demo { message: n };
        // The first request is taken at once and blocks on the gate; the next three
        // wait in the one slot, each replacing the one before.
        f.view(1, demo(1));
        std::thread::sleep(Duration::from_millis(50));
        for n in 2..=4 {
            f.view(n, demo(n));
        }
        drop(held);
        let mut got = Vec::new();
        while let Ok(Msg::Background(Action::RawLoaded { record, .. })) =
            rx.recv_timeout(Duration::from_secs(2))
        {
            got.push(record);
            if record == 4 {
                break;
            }
        }
        assert_eq!(got, [1, 4], "views 2 and 3 were superseded");
        f.view(5, demo(1));
        let again = rx.recv_timeout(Duration::from_secs(2));
        assert!(matches!(
            again,
            Ok(Msg::Background(Action::RawLoaded { record: 5, result: Ok(_) }))
        ));
        assert_eq!(calls.load(Ordering::SeqCst), 2, "message 1 came from the cache");
    }
}
