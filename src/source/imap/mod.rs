//! Reading bounces from IMAP folders, strictly read-only.
//!
//! One worker thread owns the blocking session. For each folder: EXAMINE (never
//! SELECT), emit what the cache already knows, then fetch `BODY.PEEK[HEADER]` of the
//! new messages in batches, keep those `bounce::prefilter::could_be_report` accepts
//! (the gate `analyze` itself uses, so we find what an offline scan finds), fetch
//! their full bodies (`BODY.PEEK[]`; for huge ones only the report parts) and analyse
//! them. Any I/O error or timeout drops the session and a new one carries on from the
//! last finished batch; no STORE, EXPUNGE or flag change is ever sent.

pub mod bounded;
mod cert;
mod connect;
mod error;
mod idle;
mod keep;
mod parts;
mod raw;
mod scan;
mod uidset;

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

pub use error::ImapError;
pub use idle::ImapWatch;
pub use keep::KeptSession;
pub use raw::fetch_message;

use super::{Source, SourceEvent};
use crate::config::{Account, Tls};

/// Counters of what a source has done, shared with whoever wants to watch
/// (tests check that a warm start fetches no old message; the benchmark reports them).
#[derive(Debug, Default)]
pub struct ImapStats {
    pub connections: AtomicU64,
    /// Messages whose header block was fetched.
    pub headers_fetched: AtomicU64,
    /// Messages whose full body was fetched.
    pub bodies_fetched: AtomicU64,
    /// Huge messages of which only the report parts were fetched.
    pub partial_fetches: AtomicU64,
    /// Message bytes received (headers, bodies, parts).
    pub bytes: AtomicU64,
    /// Reports emitted from the cache without touching the server's copy.
    pub from_cache: AtomicU64,
    /// Time spent waiting for the server (connecting included), in microseconds.
    pub server_micros: AtomicU64,
    /// Time spent in `bounce::analyze`, in microseconds.
    pub analyse_micros: AtomicU64,
}

impl ImapStats {
    pub fn get(counter: &AtomicU64) -> u64 {
        counter.load(Ordering::Relaxed)
    }
}

/// Tuning knobs; the defaults suit a real server.
#[derive(Debug, Clone)]
pub struct ImapOptions {
    /// Where the cache lives; `None` disables it.
    pub cache_dir: Option<PathBuf>,
    /// Messages per header FETCH.
    pub header_batch: usize,
    /// Most messages per body FETCH.
    pub body_batch: usize,
    /// Reconnects allowed in a row without progress before the source gives up.
    pub max_reconnects: u32,
}

impl Default for ImapOptions {
    fn default() -> Self {
        ImapOptions {
            cache_dir: crate::cache::default_dir(),
            header_batch: 1000,
            body_batch: 200,
            max_reconnects: 3,
        }
    }
}

/// A [`Source`] reading the folders of one IMAP account.
pub struct ImapSource {
    account: Account,
    options: ImapOptions,
    stats: Arc<ImapStats>,
}

impl ImapSource {
    pub fn new(account: Account) -> Self {
        Self::with_options(account, ImapOptions::default())
    }

    pub fn with_options(account: Account, options: ImapOptions) -> Self {
        ImapSource { account, options, stats: Arc::new(ImapStats::default()) }
    }

    pub fn stats(&self) -> Arc<ImapStats> {
        Arc::clone(&self.stats)
    }

    pub fn account(&self) -> &Account {
        &self.account
    }
}

/// Connect and log in once, then log out: says whether host, certificate and
/// credentials work, with an explanation when they do not.
pub fn probe(account: &Account) -> Result<(), ImapError> {
    connect::probe(account)
}

impl Source for ImapSource {
    fn describe(&self) -> String {
        let a = &self.account;
        let scheme = match a.tls {
            Tls::Implicit => "imaps",
            Tls::Starttls => "imap+starttls",
            Tls::None => "imap (plaintext)",
        };
        format!("{scheme}://{}@{}:{} {}", a.user, a.host, a.port(), a.folders.join(", "))
    }

    fn run(&mut self, emit: &mut dyn FnMut(SourceEvent), cancel: &AtomicBool) {
        emit(SourceEvent::Started { description: self.describe() });
        scan::Scan::new(&self.account, &self.options, &self.stats, emit, cancel).run();
        emit(SourceEvent::Finished);
    }
}
