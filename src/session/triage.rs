//! Triage state that lasts: each record is new, seen, handled or ticketed, kept in the
//! data directory (never in the mailbox) and found again after a rescan or a restart.
//!
//! A record is known by two keys. Its identity says where it lives: an IMAP message
//! by account, folder, UIDVALIDITY and UID; a file or mbox message by nothing stable
//! (Maildir renames a file when its flags change), so by its print alone. Its print is
//! a hash of what the message says (the recipient, the codes, the diagnostic, the
//! dates and the original's Message-ID): a folder renumbered by the server (a new
//! UIDVALIDITY) keeps its states through the prints of the messages still there.
//!
//! The book also remembers which prints went into a `report`, so the next one can be
//! limited to what is new since.

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::source::Origin;

use super::Record;

/// Where a record stands in the postmaster's work.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum State {
    /// Nobody has looked at it.
    #[default]
    New,
    /// Opened on the screen.
    Seen,
    /// Dealt with (the address removed, the listing cleared...).
    Handled,
    /// Handed on as a ticket.
    Ticketed,
}

impl State {
    pub const ALL: [State; 4] = [State::New, State::Seen, State::Handled, State::Ticketed];

    pub fn as_str(self) -> &'static str {
        match self {
            State::New => "new",
            State::Seen => "seen",
            State::Handled => "handled",
            State::Ticketed => "ticketed",
        }
    }

    /// Nobody has dealt with it yet.
    pub fn is_open(self) -> bool {
        matches!(self, State::New | State::Seen)
    }
}

/// `unhandled` for new + seen, else the names joined with `or`.
pub fn describe_states(states: &[State]) -> String {
    if states == [State::New, State::Seen] {
        return "unhandled".into();
    }
    let names: Vec<&str> = states.iter().map(|s| s.as_str()).collect();
    names.join(" or ")
}

/// A hash of what the record says, independent of where it was found.
pub fn print(record: &Record) -> String {
    let rep = &record.report;
    let r = record.recipient();
    let mut h = Sha256::new();
    let mut put = |s: &str| {
        h.update(s.as_bytes());
        h.update([0]);
    };
    put(&r.recipient);
    put(&r.status.map(|s| s.to_string()).unwrap_or_default());
    put(&r.reply_code.map(|c| c.to_string()).unwrap_or_default());
    put(&r.diagnostic);
    put(&rep.date.map(|d| d.to_rfc3339()).unwrap_or_default());
    put(&r.last_attempt.map(|d| d.to_rfc3339()).unwrap_or_default());
    put(rep.original.message_id.as_deref().unwrap_or(""));
    put(rep.subject.as_deref().unwrap_or(""));
    put(&record.index.to_string());
    let digest = h.finalize();
    digest[..12].iter().map(|b| format!("{b:02x}")).collect()
}

/// Where a record lives, when that is stable: an IMAP message's place. Files have no
/// stable place (see the module header).
pub fn identity(record: &Record) -> Option<String> {
    match &*record.origin {
        Origin::Imap { account, folder, uidvalidity, uid } => {
            Some(format!("imap:{account}/{folder}/{uidvalidity}/{uid}#{}", record.index))
        }
        Origin::Demo { message } => Some(format!("demo:{message}#{}", record.index)),
        Origin::File { .. } => None,
    }
}

/// One remembered state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Saved {
    state: State,
    /// The identity it was saved under, when it had one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    at: Option<String>,
}

/// The file as written.
#[derive(Debug, Default, Serialize, Deserialize)]
struct File {
    program: String,
    format: u32,
    /// By print.
    states: HashMap<String, Saved>,
    /// Prints that went into a report.
    #[serde(default)]
    reported: HashSet<String>,
    /// When the last report was written (RFC 3339).
    #[serde(default)]
    last_report: Option<String>,
}

const FORMAT: u32 = 1;

/// Every remembered state, and where they are kept.
#[derive(Debug, Default)]
pub struct Book {
    path: Option<PathBuf>,
    file: File,
    /// Identity -> print, for the fast path (IMAP records keep their place).
    by_identity: HashMap<String, String>,
    dirty: bool,
}

impl Book {
    /// A book kept nowhere (tests, or no data directory).
    pub fn in_memory() -> Book {
        Book::default()
    }

    /// The book in `path`; a missing file is an empty book. A damaged file is set
    /// aside (renamed `.bad`) with a reason, never silently overwritten.
    pub fn open(path: &Path) -> (Book, Option<String>) {
        let mut book = Book { path: Some(path.to_path_buf()), ..Book::default() };
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (book, None),
            Err(e) => return (book, Some(format!("cannot read {}: {e}", path.display()))),
        };
        match serde_json::from_str::<File>(&text) {
            Ok(file) if file.format == FORMAT => {
                book.by_identity = file
                    .states
                    .iter()
                    .filter_map(|(p, s)| Some((s.at.clone()?, p.clone())))
                    .collect();
                book.file = file;
                (book, None)
            }
            Ok(_) | Err(_) => {
                let aside = path.with_extension("json.bad");
                let _ = std::fs::rename(path, &aside);
                let why = format!(
                    "the triage file {} could not be read; it was kept as {} and a new one started",
                    path.display(),
                    aside.display()
                );
                (book, Some(why))
            }
        }
    }

    /// `$REBOUND_DATA_DIR`, else `$XDG_DATA_HOME/rebound`, else `~/.local/share/rebound`
    /// (when the home directory exists).
    pub fn default_path() -> Option<PathBuf> {
        let dir = if let Some(d) = std::env::var_os("REBOUND_DATA_DIR").filter(|v| !v.is_empty()) {
            PathBuf::from(d)
        } else if let Some(x) = std::env::var_os("XDG_DATA_HOME").filter(|v| !v.is_empty()) {
            PathBuf::from(x).join("rebound")
        } else if let Some(home) = std::env::var_os("HOME").filter(|v| !v.is_empty()) {
            // No home directory (HOME=/nonexistent for a service user): keep the
            // states in memory rather than fail at every save.
            if !Path::new(&home).is_dir() {
                return None;
            }
            PathBuf::from(home).join(".local").join("share").join("rebound")
        } else {
            directories::ProjectDirs::from("", "", "rebound")?.data_dir().to_path_buf()
        };
        Some(dir.join("triage.json"))
    }

    pub fn is_empty(&self) -> bool {
        self.file.states.is_empty() && self.file.reported.is_empty()
    }

    /// The remembered state of a record: by its place, else by its print.
    pub fn state(&self, record: &Record) -> State {
        if self.file.states.is_empty() {
            return State::New;
        }
        if let Some(id) = identity(record)
            && let Some(p) = self.by_identity.get(&id)
            && let Some(s) = self.file.states.get(p)
        {
            return s.state;
        }
        self.file.states.get(&print(record)).map_or(State::New, |s| s.state)
    }

    /// Remember a record's state (New forgets it).
    pub fn set(&mut self, record: &Record, state: State) {
        let p = print(record);
        let at = identity(record);
        if let Some(id) = &at {
            self.by_identity.insert(id.clone(), p.clone());
        }
        if state == State::New {
            self.file.states.remove(&p);
        } else {
            self.file.states.insert(p, Saved { state, at });
        }
        self.dirty = true;
    }

    /// Whether the record went into an earlier report.
    pub fn was_reported(&self, record: &Record) -> bool {
        !self.file.reported.is_empty() && self.file.reported.contains(&print(record))
    }

    /// Remember that these records went into a report written now.
    pub fn note_reported<'a>(&mut self, records: impl IntoIterator<Item = &'a Record>) {
        self.file.reported.extend(records.into_iter().map(print));
        self.file.last_report = Some(chrono::Utc::now().to_rfc3339());
        self.dirty = true;
    }

    /// When the last report was written, as RFC 3339.
    pub fn last_report(&self) -> Option<&str> {
        self.file.last_report.as_deref()
    }

    /// Write the book when it changed: a temporary file, then a rename, mode 600.
    pub fn save(&mut self) -> std::io::Result<()> {
        let Some(path) = self.path.clone() else { return Ok(()) };
        if !self.dirty {
            return Ok(());
        }
        self.file.program = "rebound".into();
        self.file.format = FORMAT;
        let dir = path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)?;
        let tmp = dir.join(format!(".triage.{}.tmp", std::process::id()));
        let result = (|| {
            let mut opts = std::fs::OpenOptions::new();
            opts.write(true).create(true).truncate(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
            let mut f = opts.open(&tmp)?;
            f.write_all(&serde_json::to_vec(&self.file)?)?;
            f.sync_all()?;
            std::fs::rename(&tmp, &path)
        })();
        if result.is_err() {
            let _ = std::fs::remove_file(&tmp);
        } else {
            self.dirty = false;
        }
        result
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::bounce::{RecipientStatus, Report};

    fn record(uidvalidity: u32, uid: u32, who: &str) -> Record {
        let mut r = RecipientStatus::new(who);
        r.diagnostic = format!("550 5.1.1 <{who}> unknown");
        let report = Report { recipients: vec![r], ..Report::default() };
        let origin =
            Origin::Imap { account: "work".into(), folder: "INBOX".into(), uidvalidity, uid };
        Record { origin: Arc::new(origin), report: Arc::new(report), index: 0 }
    }

    #[test]
    fn states_survive_a_restart_and_a_renumbered_folder() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("data/triage.json");
        let (mut book, problem) = Book::open(&path);
        assert!(problem.is_none() && book.is_empty());
        book.set(&record(7, 1, "ann@example.org"), State::Handled);
        book.set(&record(7, 2, "bob@example.org"), State::Ticketed);
        book.save().expect("saved");
        let (book, _) = Book::open(&path);
        assert_eq!(book.state(&record(7, 1, "ann@example.org")), State::Handled);
        // UIDVALIDITY 8: the same messages under new UIDs, found by their print.
        assert_eq!(book.state(&record(8, 40, "ann@example.org")), State::Handled);
        assert_eq!(book.state(&record(8, 41, "bob@example.org")), State::Ticketed);
        assert_eq!(book.state(&record(8, 42, "cy@example.org")), State::New);
        // A damaged file is set aside with a reason, not silently lost.
        std::fs::write(&path, b"{not json").expect("write");
        let (book, problem) = Book::open(&path);
        assert!(book.is_empty() && problem.is_some_and(|p| p.contains(".bad")));
    }

    #[test]
    fn reports_remember_what_they_held() {
        let mut book = Book::in_memory();
        let a = record(1, 1, "ann@example.org");
        assert!(!book.was_reported(&a));
        book.note_reported([&a]);
        assert!(book.was_reported(&a) && book.last_report().is_some());
        assert!(!book.was_reported(&record(1, 2, "bob@example.org")));
    }
}
