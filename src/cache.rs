//! The cache of analysed reports from IMAP folders, so a second start is instant.
//!
//! One JSON file per account and folder, keyed by the server (`user@host:port`), the
//! folder name and its UIDVALIDITY. It holds the reports found and the highest UID up
//! to which every message has been examined: the next scan fetches only newer UIDs.
//! No secret is ever written (the server label has no password). Files are written to
//! a temporary name and renamed, so a crash never leaves half a cache; a file we cannot
//! read, or one written by another version, is discarded with a notice.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::bounce::Report;

/// Bumped whenever the file layout or the engine's output changes meaning.
pub const FORMAT: u32 = 1;
const PROGRAM: &str = "rebound";

/// One cached report: the UID of its message and what the engine made of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CachedReport {
    pub uid: u32,
    pub report: Report,
}

/// Everything remembered about one folder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FolderCache {
    pub program: String,
    pub format: u32,
    /// The rebound version that wrote it: a newer engine may read messages differently.
    pub engine: String,
    pub server: String,
    pub account: String,
    pub folder: String,
    pub uidvalidity: u32,
    /// Every message with a UID up to this one has been examined.
    pub examined_through: u32,
    pub reports: Vec<CachedReport>,
}

impl FolderCache {
    pub fn new(server: &str, account: &str, folder: &str, uidvalidity: u32) -> Self {
        FolderCache {
            program: PROGRAM.to_string(),
            format: FORMAT,
            engine: env!("CARGO_PKG_VERSION").to_string(),
            server: server.to_string(),
            account: account.to_string(),
            folder: folder.to_string(),
            uidvalidity,
            examined_through: 0,
            reports: Vec::new(),
        }
    }

    /// Forget the reports of messages that are no longer in the folder.
    /// `exists` must answer for every UID up to `examined_through`.
    pub fn retain_existing(&mut self, exists: impl Fn(u32) -> bool) -> usize {
        let before = self.reports.len();
        self.reports.retain(|r| exists(r.uid));
        before - self.reports.len()
    }
}

/// What loading a cache file gave.
#[derive(Debug)]
pub enum Loaded {
    /// No cache yet for this folder.
    Missing,
    Found(FolderCache),
    /// The file was unusable and has been removed; the text says why (for a notice).
    Discarded(String),
}

/// `$XDG_CACHE_HOME/rebound`, else `~/.cache/rebound`, else the platform's cache dir.
pub fn default_dir() -> Option<PathBuf> {
    if let Some(x) = std::env::var_os("XDG_CACHE_HOME").filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(x).join("rebound"));
    }
    if let Some(home) = std::env::var_os("HOME").filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(home).join(".cache").join("rebound"));
    }
    directories::ProjectDirs::from("", "", "rebound").map(|p| p.cache_dir().to_path_buf())
}

/// The file for one folder of one server, inside `dir`.
pub fn folder_file(dir: &Path, server: &str, folder: &str) -> PathBuf {
    let readable: String = format!("{server}-{folder}")
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '-') { c } else { '_' })
        .take(60)
        .collect();
    let mut key = server.as_bytes().to_vec();
    key.push(0);
    key.extend_from_slice(folder.as_bytes());
    dir.join("imap").join(format!("{readable}-{:016x}.json", fnv1a(&key)))
}

/// A stable hash for file names (not for security: the readable part is beside it).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3))
}

/// Load the cache at `path`, checking it belongs to `server`/`folder` and this version.
pub fn load(path: &Path, server: &str, folder: &str) -> Loaded {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Loaded::Missing,
        Err(e) => return discard(path, format!("could not be read ({e})")),
    };
    let cache: FolderCache = match serde_json::from_slice(&bytes) {
        Ok(c) => c,
        Err(e) => return discard(path, format!("is damaged ({e})")),
    };
    if cache.program != PROGRAM || cache.format != FORMAT {
        return discard(path, format!("has format {} of {}", cache.format, cache.program));
    }
    if cache.engine != env!("CARGO_PKG_VERSION") {
        return discard(path, format!("was written by rebound {}", cache.engine));
    }
    if cache.server != server || cache.folder != folder {
        return discard(path, "belongs to another server or folder".to_string());
    }
    Loaded::Found(cache)
}

fn discard(path: &Path, why: String) -> Loaded {
    let _ = std::fs::remove_file(path);
    Loaded::Discarded(format!(
        "the cache file {} {why}; it was removed and the folder is read again",
        path.display()
    ))
}

/// Write atomically: a temporary file in the same directory, then a rename.
pub fn save(path: &Path, cache: &FolderCache) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    create_private_dir(dir)?;
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("cache"),
        std::process::id()
    ));
    let result = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        let mut writer = std::io::BufWriter::new(&mut file);
        serde_json::to_writer(&mut writer, cache)?;
        writer.flush()?;
        drop(writer);
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Reports say which addresses bounced: only the user should read them.
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)
    }
    #[cfg(not(unix))]
    {
        std::fs::create_dir_all(dir)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> FolderCache {
        let mut c = FolderCache::new("u@h:993", "work", "INBOX", 7);
        c.examined_through = 30;
        c.reports.push(CachedReport { uid: 3, report: Report::default() });
        c.reports.push(CachedReport { uid: 20, report: Report::default() });
        c
    }

    #[test]
    fn save_then_load_round_trips() {
        let dir = tempfile::tempdir().unwrap();
        let path = folder_file(dir.path(), "u@h:993", "INBOX");
        assert!(matches!(load(&path, "u@h:993", "INBOX"), Loaded::Missing));
        save(&path, &sample()).unwrap();
        match load(&path, "u@h:993", "INBOX") {
            Loaded::Found(c) => assert_eq!(c, sample()),
            other => panic!("{other:?}"),
        }
        let leftovers = std::fs::read_dir(path.parent().unwrap()).unwrap().count();
        assert_eq!(leftovers, 1, "no temporary file left behind");
    }

    #[test]
    fn damaged_or_foreign_files_are_discarded_with_a_reason() {
        let dir = tempfile::tempdir().unwrap();
        let path = folder_file(dir.path(), "u@h:993", "INBOX");
        save(&path, &sample()).unwrap();
        std::fs::write(&path, b"{\"program\": \"rebound\", \"form").unwrap();
        match load(&path, "u@h:993", "INBOX") {
            Loaded::Discarded(why) => assert!(why.contains("damaged"), "{why}"),
            other => panic!("{other:?}"),
        }
        assert!(!path.exists());
        let mut old = sample();
        old.format = FORMAT + 1;
        save(&path, &old).unwrap();
        assert!(matches!(load(&path, "u@h:993", "INBOX"), Loaded::Discarded(_)));
        save(&path, &sample()).unwrap();
        assert!(matches!(load(&path, "u@h:993", "Sent"), Loaded::Discarded(_)));
    }

    #[test]
    fn folders_and_servers_get_distinct_files() {
        let d = Path::new("/c");
        assert_ne!(folder_file(d, "u@h:993", "a/b"), folder_file(d, "u@h:993", "a_b"));
        assert_ne!(folder_file(d, "u@h:993", "X"), folder_file(d, "v@h:993", "X"));
    }

    #[test]
    fn deleted_messages_are_dropped() {
        let mut c = sample();
        assert_eq!(c.retain_existing(|uid| uid != 3), 1);
        assert_eq!(c.reports.len(), 1);
    }
}
