//! Watching Maildirs, folders of `.eml` files and mbox files for new messages, with
//! the `notify` crate (inotify, FSEvents, ...): a [`Source`] that runs until cancelled
//! and reports only what arrives after it starts.
//!
//! A Maildir message is known by its unique name (the part before `:2,`), so the
//! rename a flag change makes (`cur/123:2,` to `cur/123:2,S`) is not taken for a new
//! message. An mbox that grows is read from where it ended, its messages numbered on
//! from the count it had. Nothing is ever written.

use std::collections::{HashMap, HashSet};
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use notify::{RecursiveMode, Watcher};

use super::mbox::{MboxReader, is_mbox};
use super::walk::{is_not_mail, message_files};
use super::{Analysed, Origin, Source, SourceEvent};

/// Changes are gathered this long before they are read: a delivery is a write and a
/// rename, an mbox append may take several writes.
const SETTLE: Duration = Duration::from_millis(150);

/// The Maildir unique name of a file (`1700000000.M1P2.host` of
/// `1700000000.M1P2.host,S=123:2,S`), or its whole name.
fn unique_name(path: &Path) -> String {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let base = name.split(":2,").next().unwrap_or(&name);
    base.split(',').next().unwrap_or(base).to_string()
}

/// What an mbox held when last read.
struct MboxMark {
    len: u64,
    messages: usize,
}

/// Watches the paths named on the command line.
pub struct FileWatch {
    paths: Vec<PathBuf>,
}

impl FileWatch {
    pub fn new(paths: Vec<PathBuf>) -> FileWatch {
        FileWatch { paths }
    }
}

impl Source for FileWatch {
    fn describe(&self) -> String {
        let names: Vec<String> = self.paths.iter().map(|p| p.display().to_string()).collect();
        names.join(", ")
    }

    fn run(&mut self, emit: &mut dyn FnMut(SourceEvent), cancel: &AtomicBool) {
        let (tx, rx) = mpsc::channel();
        let mut watcher = match notify::recommended_watcher(move |ev| {
            let _ = tx.send(ev);
        }) {
            Ok(w) => w,
            Err(e) => {
                emit(SourceEvent::Failed {
                    origin: None,
                    error: format!("cannot watch files: {e}"),
                });
                return;
            }
        };
        let mut state = State::default();
        for root in &self.paths {
            let mode =
                if root.is_dir() { RecursiveMode::Recursive } else { RecursiveMode::NonRecursive };
            if let Err(e) = watcher.watch(root, mode) {
                let error = format!("cannot watch {}: {e}", root.display());
                emit(SourceEvent::Failed { origin: None, error });
                continue;
            }
            state.remember(root);
        }
        emit(SourceEvent::Started { description: self.describe() });
        while !cancel.load(Ordering::Relaxed) {
            let first = match rx.recv_timeout(Duration::from_millis(250)) {
                Ok(ev) => ev,
                Err(mpsc::RecvTimeoutError::Timeout) => continue,
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            };
            let mut touched: HashSet<PathBuf> = HashSet::new();
            let mut take = |ev: notify::Result<notify::Event>| {
                if let Ok(ev) = ev {
                    touched.extend(ev.paths);
                }
            };
            take(first);
            std::thread::sleep(SETTLE);
            while let Ok(ev) = rx.try_recv() {
                take(ev);
            }
            let mut touched: Vec<PathBuf> = touched.into_iter().collect();
            touched.sort();
            let found = state.read(&touched, emit);
            if !found.is_empty() {
                emit(SourceEvent::BatchAnalysed(found));
            }
        }
        emit(SourceEvent::Finished);
    }
}

#[derive(Default)]
struct State {
    /// Unique names of the one-message files known.
    known: HashSet<String>,
    mboxes: HashMap<PathBuf, MboxMark>,
}

impl State {
    /// What is there now belongs to the scan: remember it, report nothing.
    fn remember(&mut self, root: &Path) {
        let (files, _) = message_files(root);
        for f in files {
            if let Some(mark) = mbox_mark(&f) {
                self.mboxes.insert(f, mark);
            } else {
                self.known.insert(unique_name(&f));
            }
        }
    }

    /// Read the files that changed; the reports among what is new.
    fn read(&mut self, touched: &[PathBuf], emit: &mut dyn FnMut(SourceEvent)) -> Vec<Analysed> {
        let mut found = Vec::new();
        for path in touched {
            let name =
                path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            // Maildir's tmp/ holds messages still being written; they move to new/.
            let in_tmp = path.parent().and_then(Path::file_name).is_some_and(|p| p == "tmp");
            if is_not_mail(&name) || in_tmp || !path.is_file() {
                continue;
            }
            if self.mboxes.contains_key(path) {
                self.grown_mbox(path, &mut found, emit);
                continue;
            }
            let key = unique_name(path);
            if self.known.contains(&key) {
                continue;
            }
            match std::fs::read(path) {
                Ok(bytes) if is_mbox(&bytes) => {
                    // A new mbox: all of it is new.
                    self.mboxes.insert(path.clone(), MboxMark { len: 0, messages: 0 });
                    self.grown_mbox(path, &mut found, emit);
                }
                Ok(bytes) => {
                    self.known.insert(key);
                    if let Some(report) = crate::bounce::analyze(&bytes) {
                        let origin = Origin::File { path: path.clone(), message: 1 };
                        found.push(Analysed { origin, report });
                    }
                }
                Err(e) => emit(SourceEvent::Failed {
                    origin: Some(Origin::File { path: path.clone(), message: 1 }),
                    error: format!("cannot read {}: {e}", path.display()),
                }),
            }
        }
        found
    }

    /// The messages appended to an mbox since it was last read.
    fn grown_mbox(
        &mut self,
        path: &Path,
        found: &mut Vec<Analysed>,
        emit: &mut dyn FnMut(SourceEvent),
    ) {
        let Some(mark) = self.mboxes.get_mut(path) else { return };
        let result = (|| -> std::io::Result<Vec<Vec<u8>>> {
            let mut file = std::fs::File::open(path)?;
            let len = file.metadata()?.len();
            if len < mark.len {
                // Rewritten shorter (a mail client expunged): start again from here.
                mark.len = len;
                mark.messages =
                    MboxReader::new(std::io::BufReader::new(std::fs::File::open(path)?)).count();
                return Ok(Vec::new());
            }
            file.seek(SeekFrom::Start(mark.len))?;
            let mut tail = Vec::new();
            file.take(len - mark.len).read_to_end(&mut tail)?;
            // Only whole messages: up to the last complete line.
            let end = tail.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
            tail.truncate(end);
            mark.len += end as u64;
            Ok(MboxReader::new(tail.as_slice()).flatten().collect())
        })();
        match result {
            Ok(messages) => {
                for bytes in messages {
                    mark.messages += 1;
                    if let Some(report) = crate::bounce::analyze(&bytes) {
                        let origin =
                            Origin::File { path: path.to_path_buf(), message: mark.messages };
                        found.push(Analysed { origin, report });
                    }
                }
            }
            Err(e) => emit(SourceEvent::Failed {
                origin: Some(Origin::File { path: path.to_path_buf(), message: 1 }),
                error: format!("cannot read {}: {e}", path.display()),
            }),
        }
    }
}

/// The size and message count of an mbox file, or `None` for anything else.
fn mbox_mark(path: &Path) -> Option<MboxMark> {
    let mut file = std::fs::File::open(path).ok()?;
    let mut head = [0u8; 5];
    let n = file.read(&mut head).ok()?;
    if !is_mbox(&head[..n]) {
        return None;
    }
    let len = file.metadata().ok()?.len();
    let messages =
        MboxReader::new(std::io::BufReader::new(std::fs::File::open(path).ok()?)).count();
    Some(MboxMark { len, messages })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn corpus(p: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus").join(p)
    }

    #[test]
    fn maildir_renames_for_flags_are_not_new() {
        assert_eq!(unique_name(Path::new("cur/1700.M1P2.h,S=12:2,S")), "1700.M1P2.h");
        assert_eq!(unique_name(Path::new("new/1700.M1P2.h")), "1700.M1P2.h");
    }

    #[test]
    fn new_files_and_grown_mboxes_are_reported_once() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        std::fs::create_dir_all(root.join("cur")).expect("mkdir");
        let bounce = std::fs::read(corpus("maildir/bsd/rfc3464-38.eml")).expect("corpus");
        std::fs::write(root.join("cur/old:2,"), &bounce).expect("write");
        let mbox = std::fs::read(corpus("mailbox/mbox-0")).expect("corpus mbox");
        std::fs::write(root.join("box"), &mbox).expect("write");
        let before = MboxReader::new(mbox.as_slice()).count();
        let mut state = State::default();
        state.remember(root);
        let mut failures = 0;
        let mut emit = |_: SourceEvent| failures += 1;
        // The old file renamed for a flag, a new file, and the mbox grown by a copy.
        std::fs::rename(root.join("cur/old:2,"), root.join("cur/old:2,S")).expect("rename");
        std::fs::write(root.join("cur/new1:2,"), &bounce).expect("write");
        let mut grown = mbox.clone();
        grown.extend_from_slice(&mbox);
        std::fs::write(root.join("box"), &grown).expect("write");
        let touched = [root.join("cur/old:2,S"), root.join("cur/new1:2,"), root.join("box")];
        let found = state.read(&touched, &mut emit);
        let files: Vec<&Origin> = found.iter().map(|a| &a.origin).collect();
        assert!(
            files
                .iter()
                .any(|o| matches!(o, Origin::File { path, .. } if path.ends_with("new1:2,")))
        );
        assert!(
            !files
                .iter()
                .any(|o| matches!(o, Origin::File { path, .. } if path.ends_with("old:2,S")))
        );
        let numbers: Vec<usize> = files
            .iter()
            .filter_map(|o| match o {
                Origin::File { path, message } if path.ends_with("box") => Some(*message),
                _ => None,
            })
            .collect();
        assert!(!numbers.is_empty() && numbers.iter().all(|&n| n > before), "{numbers:?}");
        assert!(state.read(&touched, &mut emit).is_empty(), "nothing is reported twice");
        assert_eq!(failures, 0);
    }
}
