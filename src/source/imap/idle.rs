//! Watching IMAP folders for new messages (`rebound --watch`): one session per folder
//! of its own, never the scan's. Where the server offers IDLE the session waits in it
//! and wakes when the folder changes; elsewhere it looks again every
//! `watch_poll_secs`. Only UIDs above the folder's UIDNEXT at the start are read, with
//! BODY.PEEK[] (the \Seen flag is never set); nothing is ever stored or expunged.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use imap::extensions::idle::{SetReadTimeout, WaitOutcome, stop_on_any};

use crate::bounce::analyze;
use crate::config::Account;
use crate::source::{Analysed, Origin, Source, SourceEvent};

use super::bounded::{Bounded, Budget};
use super::connect::{self, Conn, Session, Stream};
use super::error::{Ctx, ImapError};

/// The IDLE wait is cut this often to look at the cancel flag (and re-issued: servers
/// drop an IDLE left alone for 30 minutes anyway).
const IDLE_SLICE: Duration = Duration::from_secs(5);

thread_local! {
    /// The read timeout a socket goes back to after an IDLE wait. The `imap` crate
    /// clears the timeout when a wait ends (and gives no access to the socket after), so
    /// without this a dead server would hang the next command for ever.
    static AFTER_IDLE: std::cell::Cell<Option<Duration>> = const { std::cell::Cell::new(None) };
}

impl SetReadTimeout for Bounded<Stream> {
    fn set_read_timeout(&mut self, timeout: Option<Duration>) -> imap::error::Result<()> {
        let timeout = timeout.or_else(|| AFTER_IDLE.with(std::cell::Cell::get));
        let tcp = match self.get_mut() {
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
        let mut conn = connect::open(self.account)?;
        let small = connect::small_budget(self.account);
        let idle = self.call(&mut conn, "asking for capabilities", small, |s| {
            s.capabilities().map(|c| c.has_str("IDLE"))
        })?;
        self.examine(&mut conn, emit)?;
        while !cancel.load(Ordering::Relaxed) {
            if idle {
                let outcome = self.call(&mut conn, "waiting in IDLE", small, |s| {
                    s.idle().timeout(IDLE_SLICE).keepalive(false).wait_while(stop_on_any)
                })?;
                if outcome == WaitOutcome::TimedOut {
                    continue;
                }
            } else {
                sleep_unless(cancel, self.poll);
                if cancel.load(Ordering::Relaxed) {
                    break;
                }
                self.call(&mut conn, "polling", small, |s| s.noop())?;
            }
            self.examine(&mut conn, emit)?;
        }
        let _ = self.call(&mut conn, "logging out", small, |s| s.logout());
        Ok(())
    }

    /// Run one command under `budget`. The `imap` crate panics on some answers it
    /// does not expect (a refused IDLE among them): that ends this session, not the
    /// screen.
    fn call<T>(
        &self,
        conn: &mut Conn,
        doing: &'a str,
        budget: Budget,
        f: impl FnOnce(&mut Session) -> imap::error::Result<T>,
    ) -> Result<T, ImapError> {
        match catch_unwind(AssertUnwindSafe(|| conn.run(budget, f))) {
            Ok(result) => result.map_err(|e| self.ctx(doing).imap(e)),
            Err(_) => Err(ImapError::Protocol {
                host: self.account.host.clone(),
                doing: doing.into(),
                detail: "the IMAP library lost track of the conversation".into(),
            }),
        }
    }

    /// Look at the folder: the first time, remember where it ends; later, read and
    /// report what came after.
    fn examine(
        &mut self,
        conn: &mut Conn,
        emit: &mut dyn FnMut(SourceEvent),
    ) -> Result<(), ImapError> {
        let small = connect::small_budget(self.account);
        let folder = self.folder;
        let mailbox = self.call(conn, "opening the folder", small, |s| s.examine(folder))?;
        let validity = mailbox.uid_validity.unwrap_or(0);
        let Some(through) = self.seen_through.filter(|_| validity == self.uidvalidity) else {
            // First look (or the folder was renumbered): what is there now is the scan's.
            self.uidvalidity = validity;
            self.seen_through = Some(mailbox.uid_next.map_or(0, |n| n.saturating_sub(1)));
            return Ok(());
        };
        let query = format!("UID {}:*", through.saturating_add(1));
        let mut uids: Vec<u32> = self
            .call(conn, "listing new messages", small, |s| s.uid_search(&query))?
            .into_iter()
            .filter(|&u| u > through)
            .collect();
        if uids.is_empty() {
            return Ok(());
        }
        uids.sort_unstable();
        // Sizes first: a message over `max_message_bytes` is left to a rescan (which
        // reads only its report parts) instead of failing the watch again and again.
        let set = super::uidset::compress(&uids);
        let sizes = self.call(conn, "listing new messages", small, |s| {
            s.uid_fetch(&set, "(UID RFC822.SIZE)")
        })?;
        let limit = self.account.max_message_bytes;
        let huge: Vec<u32> = sizes
            .iter()
            .filter(|f| f.size.is_some_and(|n| u64::from(n) > limit))
            .filter_map(|f| f.uid)
            .collect();
        drop(sizes);
        // One message per FETCH: each answer is then bounded by `max_message_bytes`,
        // and new mail comes a few messages at a time.
        let mut found = Vec::new();
        for &uid in &uids {
            if huge.contains(&uid) {
                emit(SourceEvent::Notice(format!(
                    "{}: UID {uid} is larger than max_message_bytes; the watch skipped it \
                     (a rescan reads its report parts)",
                    self.folder
                )));
                continue;
            }
            let fetched = self.call(conn, "fetching new messages", small, |s| {
                s.uid_fetch(uid.to_string(), "(UID BODY.PEEK[])")
            })?;
            let Some(body) = fetched.iter().find(|f| f.uid == Some(uid)).and_then(|f| f.body())
            else {
                continue;
            };
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
