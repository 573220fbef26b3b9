//! Finding the message files under the paths a user names.
//!
//! A path may be a file (one message or an mbox), a Maildir (`cur/`, `new/`, `tmp/`
//! and Maildir++ subfolders), or any tree of `.eml` files. We walk recursively in
//! sorted order so every run lists the same messages in the same order, and skip what
//! is not mail: dot-files and dot-folders (Maildir++ folders are reached by their own
//! path when named), and the index and state files Dovecot and Courier keep beside
//! the messages. Whether a name is a regular file is decided when it is read.

use std::io;
use std::path::{Path, PathBuf};

/// A path that could not be listed or read, and why.
#[derive(Debug)]
pub struct WalkError {
    pub path: PathBuf,
    pub error: io::Error,
}

/// The files under `root` (or `root` itself when it is a file), sorted, with the
/// directories that could not be read. A missing `root` is an error.
pub fn message_files(root: &Path) -> (Vec<PathBuf>, Vec<WalkError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    match std::fs::metadata(root) {
        Ok(meta) if meta.is_dir() => walk_dir(root, &mut files, &mut errors),
        Ok(_) => files.push(root.to_path_buf()),
        Err(error) => errors.push(WalkError { path: root.to_path_buf(), error }),
    }
    (files, errors)
}

fn walk_dir(dir: &Path, files: &mut Vec<PathBuf>, errors: &mut Vec<WalkError>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) => {
            errors.push(WalkError { path: dir.to_path_buf(), error });
            return;
        }
    };
    // Each name fetched once: `file_name` allocates, and a sort keyed on it would call
    // it at every comparison.
    let mut names: Vec<_> = entries
        .filter_map(|e| match e {
            Ok(entry) => Some((entry.file_name(), entry)),
            Err(error) => {
                errors.push(WalkError { path: dir.to_path_buf(), error });
                None
            }
        })
        .filter(|(name, _)| !is_not_mail(&name.to_string_lossy()))
        .collect();
    names.sort_by(|a, b| a.0.cmp(&b.0));
    for (_, entry) in names {
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            files.push(path);
            continue;
        };
        if kind.is_dir() {
            walk_dir(&path, files, errors);
        } else if kind.is_symlink() {
            // Follow links to files; links to directories could loop, so they are
            // left out unless named on the command line. A dangling link is kept so
            // that reading it reports the problem instead of hiding a message.
            if !std::fs::metadata(&path).is_ok_and(|m| m.is_dir()) {
                files.push(path);
            }
        } else {
            // Files, and FIFOs, devices and sockets too: the reader skips those with a
            // notice (never opening them), so a stray pipe in a Maildir is said, not hidden.
            files.push(path);
        }
    }
}

/// Names that are never messages: hidden files, and mail servers' own bookkeeping.
pub(crate) fn is_not_mail(name: &str) -> bool {
    const EXACT: [&str; 5] =
        ["maildirfolder", "subscriptions", "courierimapuiddb", "courierimapkeywords", "Thumbs.db"];
    name.starts_with('.')
        || name.starts_with("dovecot")
        || name.starts_with("courierimap")
        || EXACT.contains(&name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_sorted_and_skips_index_and_hidden_files() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        for sub in ["new", "cur", "tmp", ".Sent/cur"] {
            std::fs::create_dir_all(root.join(sub)).expect("mkdir");
        }
        for file in [
            "cur/2.eml",
            "cur/1.eml",
            "new/3",
            "dovecot.index",
            "dovecot-uidlist",
            "dovecot.index.log",
            ".hidden",
            ".Sent/cur/4",
            "maildirfolder",
        ] {
            std::fs::write(root.join(file), b"x").expect("write");
        }
        let (files, errors) = message_files(root);
        assert!(errors.is_empty(), "{errors:?}");
        let names: Vec<_> =
            files.iter().map(|p| p.strip_prefix(root).expect("under root").to_owned()).collect();
        let expected: Vec<PathBuf> =
            ["cur/1.eml", "cur/2.eml", "new/3"].iter().map(PathBuf::from).collect();
        assert_eq!(names, expected);
    }

    #[test]
    fn a_missing_path_is_an_error_and_a_file_is_itself() {
        let (files, errors) = message_files(Path::new("/nonexistent/rebound/x"));
        assert!(files.is_empty());
        assert_eq!(errors.len(), 1);
        let file = tempfile::NamedTempFile::new().expect("temp file");
        let (files, errors) = message_files(file.path());
        assert_eq!(files, vec![file.path().to_path_buf()]);
        assert!(errors.is_empty());
    }
}
