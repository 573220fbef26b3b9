//! Watching IMAP folders for new messages (`rebound --watch`): one session per folder
//! of its own, never the scan's. Where the server offers IDLE the session waits in it
//! and wakes when the folder changes; elsewhere it looks again every
//! `watch_poll_secs`. Only UIDs above the folder's UIDNEXT at the start are read, with
//! BODY.PEEK[] (the \Seen flag is never set); nothing is ever stored or expunged.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use imap::extensions::idle::{SetReadTimeout, WaitOutcome};

use crate::bounce::analyze;
use crate::config::Account;
use crate::source::{Analysed, Origin, Source, SourceEvent};

use super::connect::{self, Session, Stream};
use super::error::{Ctx, ImapError};
use super::uidset;

/// The IDLE wait is cut this often to look at the cancel flag (and re-issued: servers
/// drop an IDLE left alone for 30 minutes anyway).
const IDLE_SLICE: Duration = Duration::from_secs(5);

thread_local! {
    /// The read timeout a socket goes back to after an IDLE wait. The `imap` crate
    /// clears the timeout when a wait ends (and gives no access to the socket after), so
    /// without this a dead server would hang the next command for ever.
    static AFTER_IDLE: std::cell::Cell<Option<Duration>> = const { std::cell::Cell::new(None) };
}

impl SetReadTimeout for Stream {
    fn set_read_timeout(&mut self, timeout: Option<Duration>) -> imap::error::Result<()> {
        let timeout = timeout.or_else(|| AFTER_IDLE.with(std::cell::Cell::get));
        let tcp = match self {
            Stream::Plain(s) => &*s,
            Stream::Tls(s) => s.get_ref(),
        };
        tcp.set_read_timeout(timeout).map_err(imap::error::Error::Io)
    }
}

/// A [`Source`] that runs until cancelled and reports the bounces that arrive.
pub struct ImapWatch {
    account: Account,
    poll: Duration,
}

impl ImapWatch {
    /// `poll` is the interval where the server has no IDLE.
    pub fn new(account: Account, poll: Duration) -> ImapWatch {
        ImapWatch { account, poll }
    }
}

impl Source for ImapWatch {
    fn describe(&self) -> String {
        format!("{}@{} {}", self.account.user, self.account.host, self.account.folders.join(", "))
    }

    fn run(&mut self, emit: &mut dyn FnMut(SourceEvent), cancel: &AtomicBool) {
        emit(SourceEvent::Started { description: self.describe() });
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::scope(|s| {
            for folder in self.account.folders.clone() {
                let tx = tx.clone();
                let (account, poll) = (&self.account, self.poll);
                s.spawn(move || {
                    let mut send = |ev| {
                        let _ = tx.send(ev);
                    };
                    Folder::new(account, &folder, poll).run(&mut send, cancel);
                });
            }
            drop(tx);
            for ev in rx {
                emit(ev);
            }
        });
        emit(SourceEvent::Finished);
    }
}

/// One watched folder.
struct Folder<'a> {
    account: &'a Account,
    folder: &'a str,
    poll: Duration,
    /// Every UID up to this one was there when we started, or has been read.
    seen_through: Option<u32>,
    uidvalidity: u32,
}

impl<'a> Folder<'a> {
    fn new(account: &'a Account, folder: &'a str, poll: Duration) -> Folder<'a> {
        Folder { account, folder, poll, seen_through: None, uidvalidity: 0 }
    }

    fn ctx(&self, doing: &'a str) -> Ctx<'a> {
        Ctx {
            host: &self.account.host,
            port: self.account.port(),
            timeout: self.account.timeout_secs,
            doing,
        }
    }

    fn run(&mut self, emit: &mut dyn FnMut(SourceEvent), cancel: &AtomicBool) {
        let mut failures = 0u32;
        while !cancel.load(Ordering::Relaxed) {
            match self.session(emit, cancel) {
                Ok(()) => return,
                Err(e) => {
                    failures += 1;
                    emit(SourceEvent::Failed {
                        origin: None,
                        error: format!("{}: {e}", self.folder),
                    });
                    if !e.is_transient() || failures > 5 {
                        return;
                    }
                    // Back off before connecting again: 2, 4, 8... seconds.
                    let wait = Duration::from_secs(1 << failures.min(5));
                    sleep_unless(cancel, wait);
                }
            }
        }
    }

    /// One session: examine, then wait for changes and read what is new, until
    /// cancelled (Ok) or the connection fails (Err).
    fn session(
        &mut self,
        emit: &mut dyn FnMut(SourceEvent),
        cancel: &AtomicBool,
    ) -> Result<(), ImapError> {
        AFTER_IDLE.with(|t| t.set(Some(Duration::from_secs(self.account.timeout_secs))));
        let mut session = connect::open(self.account)?;
        let idle = session.capabilities().map(|c| c.has_str("IDLE")).unwrap_or(false);
        self.examine(&mut session, emit)?;
        while !cancel.load(Ordering::Relaxed) {
            if idle {
                let handle = session.idle().map_err(|e| self.ctx("starting IDLE").imap(e))?;
                let outcome = handle
                    .wait_with_timeout(IDLE_SLICE)
                    .map_err(|e| self.ctx("waiting in IDLE").imap(e))?;
                if outcome == WaitOutcome::TimedOut {
                    continue;
                }
            } else {
                sleep_unless(cancel, self.poll);
                if cancel.load(Ordering::Relaxed) {
                    break;
                }
                session.noop().map_err(|e| self.ctx("polling").imap(e))?;
            }
            self.examine(&mut session, emit)?;
        }
        let _ = session.logout();
        Ok(())
    }

    /// Look at the folder: the first time, remember where it ends; later, read and
    /// report what came after.
    fn examine(
        &mut self,
        session: &mut Session,
        emit: &mut dyn FnMut(SourceEvent),
    ) -> Result<(), ImapError> {
        let mailbox =
            session.examine(self.folder).map_err(|e| self.ctx("opening the folder").imap(e))?;
        let validity = mailbox.uid_validity.unwrap_or(0);
        let Some(through) = self.seen_through.filter(|_| validity == self.uidvalidity) else {
            // First look (or the folder was renumbered): what is there now is the scan's.
            self.uidvalidity = validity;
            self.seen_through = Some(mailbox.uid_next.map_or(0, |n| n.saturating_sub(1)));
            return Ok(());
        };
        let mut uids: Vec<u32> = session
            .uid_search(format!("UID {}:*", through.saturating_add(1)))
            .map_err(|e| self.ctx("listing new messages").imap(e))?
            .into_iter()
            .filter(|&u| u > through)
            .collect();
        if uids.is_empty() {
            return Ok(());
        }
        uids.sort_unstable();
        let set = uidset::compress(&uids);
        let fetched = session
            .uid_fetch(&set, "(UID BODY.PEEK[])")
            .map_err(|e| self.ctx("fetching new messages").imap(e))?;
        let mut found = Vec::new();
        for f in fetched.iter() {
            let (Some(uid), Some(body)) = (f.uid, f.body()) else { continue };
            if let Some(report) = analyze(body) {
                let origin = Origin::Imap {
                    account: self.account.name.clone(),
                    folder: self.folder.to_string(),
                    uidvalidity: validity,
                    uid,
                };
                found.push(Analysed { origin, report });
            }
        }
        self.seen_through = uids.last().copied().or(Some(through));
        if !found.is_empty() {
            emit(SourceEvent::BatchAnalysed(found));
        }
        Ok(())
    }
}

fn sleep_unless(cancel: &AtomicBool, total: Duration) {
    let until = Instant::now() + total;
    while !cancel.load(Ordering::Relaxed) && Instant::now() < until {
        std::thread::sleep(Duration::from_millis(200).min(until - Instant::now()));
    }
}
