//! Reading a message's raw bytes again, for the screen: one file read, one mbox
//! message read at its offset (the mbox's message offsets are found once and kept, not
//! found again by splitting the file up to message n at every key press), one IMAP
//! message fetched on a session kept open per account.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use super::Origin;
use super::mbox::{MboxReader, is_mbox};
use crate::config::Account;

/// Largest message read back.
const LIMIT: u64 = 16 * 1024 * 1024;

/// Where each message of an mbox starts, for a file of a given size and time.
struct MboxIndex {
    len: u64,
    modified: Option<std::time::SystemTime>,
    /// Byte offset of each message's postmark line.
    starts: Vec<u64>,
}

/// Finds the account of an IMAP origin by its name (from a URL or the config).
pub type AccountOf = Box<dyn Fn(&str) -> Result<Account, String> + Send>;

/// The reader behind the screen's raw view, pager, pipe and save.
pub struct MessageStore {
    mboxes: HashMap<PathBuf, MboxIndex>,
    account_of: AccountOf,
    #[cfg(feature = "imap")]
    sessions: HashMap<String, super::imap::KeptSession>,
}

impl MessageStore {
    pub fn new(account_of: AccountOf) -> MessageStore {
        MessageStore {
            mboxes: HashMap::new(),
            account_of,
            #[cfg(feature = "imap")]
            sessions: HashMap::new(),
        }
    }

    pub fn load(&mut self, origin: &Origin) -> Result<Vec<u8>, String> {
        match origin {
            Origin::File { path, message } => self
                .read_file(path, *message)
                .map_err(|e| format!("cannot read {}: {e}", path.display())),
            Origin::Demo { message } => super::demo::raw_message(*message)
                .map(<[u8]>::to_vec)
                .ok_or_else(|| format!("the demo mailbox has no message {message}")),
            Origin::Imap { account, folder, uidvalidity, uid } => {
                self.fetch_imap(account, folder, *uidvalidity, *uid)
            }
        }
    }

    #[cfg(feature = "imap")]
    fn fetch_imap(
        &mut self,
        name: &str,
        folder: &str,
        validity: u32,
        uid: u32,
    ) -> Result<Vec<u8>, String> {
        if !self.sessions.contains_key(name) {
            let account = (self.account_of)(name)?;
            self.sessions.insert(name.to_string(), super::imap::KeptSession::new(account));
        }
        let Some(session) = self.sessions.get_mut(name) else { unreachable!("inserted above") };
        session
            .fetch(folder, validity, uid)
            .map_err(|e| format!("cannot fetch UID {uid} again: {e}"))
    }

    #[cfg(not(feature = "imap"))]
    fn fetch_imap(&mut self, name: &str, _: &str, _: u32, uid: u32) -> Result<Vec<u8>, String> {
        let _ = (self.account_of)(name);
        Err(format!("UID {uid}: this rebound was built without IMAP support"))
    }

    /// IMAP sessions opened so far (all accounts).
    pub fn connections(&self) -> u32 {
        #[cfg(feature = "imap")]
        return self.sessions.values().map(|s| s.connections).sum();
        #[cfg(not(feature = "imap"))]
        0
    }

    /// The whole file, or the `message`-th message of an mbox (1-based), split the
    /// same way the scan split it.
    fn read_file(&mut self, path: &Path, message: usize) -> std::io::Result<Vec<u8>> {
        let mut reader = BufReader::new(File::open(path)?);
        if !is_mbox(reader.fill_buf()?) {
            let mut out = Vec::new();
            reader.take(LIMIT).read_to_end(&mut out)?;
            return Ok(out);
        }
        let meta = std::fs::metadata(path)?;
        let fresh = self
            .mboxes
            .get(path)
            .is_some_and(|i| i.len == meta.len() && i.modified == meta.modified().ok());
        if !fresh {
            let starts = offsets(BufReader::with_capacity(256 << 10, File::open(path)?))?;
            let index = MboxIndex { len: meta.len(), modified: meta.modified().ok(), starts };
            self.mboxes.insert(path.to_path_buf(), index);
        }
        let index = &self.mboxes[path];
        let Some(&start) = index.starts.get(message.saturating_sub(1)) else {
            return Err(std::io::Error::other(format!(
                "the mbox has fewer than {message} messages"
            )));
        };
        let end = index.starts.get(message).copied().unwrap_or(index.len);
        let mut file = File::open(path)?;
        file.seek(SeekFrom::Start(start))?;
        let mut bytes = Vec::new();
        file.take((end - start).min(LIMIT)).read_to_end(&mut bytes)?;
        // The same splitter as the scan, on just this message: unescaping and the
        // separator line come out the same.
        MboxReader::new(bytes.as_slice()).next().unwrap_or(Ok(Vec::new()))
    }
}

/// The offsets of the postmark lines the scan's splitter cuts at.
fn offsets(mut reader: impl BufRead) -> std::io::Result<Vec<u64>> {
    let mut starts = Vec::new();
    let mut line = Vec::new();
    let mut at = 0u64;
    loop {
        line.clear();
        let n = reader.read_until(b'\n', &mut line)?;
        if n == 0 {
            return Ok(starts);
        }
        if starts.is_empty() || super::mbox::is_postmark(&line) {
            starts.push(at);
        }
        at += n as u64;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_mbox_message_reads_as_the_scan_split_it() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/mailbox/mbox-0");
        let whole: Vec<Vec<u8>> =
            MboxReader::new(BufReader::new(File::open(&path).expect("corpus"))).flatten().collect();
        let mut store = MessageStore::new(Box::new(|_| Err("no accounts".into())));
        for (i, want) in whole.iter().enumerate() {
            let got =
                store.load(&Origin::File { path: path.clone(), message: i + 1 }).expect("read");
            assert_eq!(&got, want, "message {}", i + 1);
        }
        let past = store.load(&Origin::File { path: path.clone(), message: whole.len() + 1 });
        assert!(past.unwrap_err().contains("fewer than"));
        let imap =
            Origin::Imap { account: "x".into(), folder: "INBOX".into(), uidvalidity: 1, uid: 1 };
        assert!(store.load(&imap).is_err());
    }
}
