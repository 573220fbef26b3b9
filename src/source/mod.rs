//! Where messages come from: files, Maildir or folders, mbox, IMAP, the embedded demo.
//!
//! A [`Source`] runs on a worker thread and reports through a callback, so the engine,
//! the UI and the headless commands do not care where the bytes live.

pub mod demo;
pub mod mbox;
pub mod offline;
pub mod store;
pub mod walk;
#[cfg(feature = "watch")]
pub mod watch;

pub use offline::OfflineSource;

use std::fmt;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use serde::{Deserialize, Serialize};

use crate::bounce::Report;

#[cfg(feature = "imap")]
pub mod imap;

/// Where one message was found.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Origin {
    /// A file on disk; `message` is the 1-based position inside an mbox, else 1.
    File { path: PathBuf, message: usize },
    /// A message in an IMAP folder.
    Imap { account: String, folder: String, uidvalidity: u32, uid: u32 },
    /// A message of the embedded demo mailbox; `message` is 1-based.
    Demo { message: usize },
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::File { path, message } if *message > 1 => {
                write!(f, "{}#{}", path.display(), message)
            }
            Origin::File { path, .. } => write!(f, "{}", path.display()),
            Origin::Imap { account, folder, uid, .. } => write!(f, "{account}/{folder} UID {uid}"),
            Origin::Demo { message } => write!(f, "demo #{message}"),
        }
    }
}

/// The raw bytes of one message and where they came from.
#[derive(Debug, Clone)]
pub struct RawMessage {
    pub origin: Origin,
    pub bytes: Vec<u8>,
}

/// One analysed report and where its message came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Analysed {
    pub origin: Origin,
    pub report: Report,
}

/// How far a scan has got.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    pub examined: usize,
    /// Total messages, when known (IMAP knows; a directory walk may not).
    pub total: Option<usize>,
    pub bytes: u64,
    pub found: usize,
}

/// What a running source reports. Background results are past tense.
#[derive(Debug, Clone)]
pub enum SourceEvent {
    /// Work has started; says what is being read (never a secret).
    Started {
        description: String,
    },
    Progress(Progress),
    /// A batch of analysed reports (ordinary mail is not sent).
    BatchAnalysed(Vec<Analysed>),
    /// Something could not be read: a message or file (`origin`), or a part of the
    /// source such as a folder (`None`). What it held is missing from the results; the
    /// scan goes on with the rest. `error` names the file or message itself.
    Failed {
        origin: Option<Origin>,
        error: String,
    },
    /// Worth telling, and nothing is lost: a reconnect that carried on, a cache that
    /// was discarded or could not be written, a folder read again.
    Notice(String),
    /// The source stopped before the end and will send nothing more but `Finished`;
    /// what it had not read yet is missing.
    Fatal(String),
    /// Every report sent so far from `scope` is void (the server renumbered a folder):
    /// drop them. The scope is read again and its reports come anew.
    Withdrawn {
        scope: Scope,
        reason: String,
    },
    /// Nothing more will come.
    Finished,
}

/// A part of a source whose reports can be withdrawn together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// One IMAP folder as numbered under one UIDVALIDITY.
    ImapFolder { account: String, folder: String, uidvalidity: u32 },
}

impl Scope {
    /// True when a report found at `origin` belongs to this scope.
    pub fn covers(&self, origin: &Origin) -> bool {
        match (self, origin) {
            (
                Scope::ImapFolder { account, folder, uidvalidity },
                Origin::Imap { account: a, folder: f, uidvalidity: v, .. },
            ) => account == a && folder == f && uidvalidity == v,
            _ => false,
        }
    }
}

/// A place to read messages from. `run` blocks; call it on a worker thread. It stops
/// early when `cancel` becomes true.
pub trait Source: Send {
    /// Human-readable name for the top bar and reports (never a secret).
    fn describe(&self) -> String;
    fn run(&mut self, emit: &mut dyn FnMut(SourceEvent), cancel: &AtomicBool);
}
