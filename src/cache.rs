//! The cache of analysed reports from IMAP folders, so a second start is instant.
//!
//! One JSON file per account and folder, keyed by the server (`user@host:port`), the
//! folder name and its UIDVALIDITY, and by everything else that changes a record: the
//! rebound version, [`ENGINE_VERSION`] and `max_message_bytes` (above it only a
//! message's report parts are read, which can make a different record). It holds the
//! reports found and the highest UID up to which every message has been examined: the
//! next scan fetches only newer UIDs. Files are created 0600 in directories made (or
//! tightened to) 0700: the reports say who bounced.
//! No secret is ever written (the server label has no password). Files are written to
//! a temporary name and renamed, so a crash never leaves half a cache; a file we cannot
//! read, or one written by another version, is discarded with a notice.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::bounce::Report;

/// Bumped whenever the file layout changes.
pub const FORMAT: u32 = 2;

/// Bumped whenever the engine's output for the same message changes, between releases
/// too. It lives here, not in `bounce` (whose owners bump it with their change): the
/// cache is what depends on it.
pub const ENGINE_VERSION: u32 = 2;

/// The engine a cache was written by: the release and [`ENGINE_VERSION`].
fn engine() -> String {
    format!("{}+engine{ENGINE_VERSION}", env!("CARGO_PKG_VERSION"))
}
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
    /// The account's `max_message_bytes` when the reports were made.
    pub max_message_bytes: u64,
    /// Every message with a UID up to this one has been examined.
    pub examined_through: u32,
    pub reports: Vec<CachedReport>,
}

impl FolderCache {
    pub fn new(
        server: &str,
        account: &str,
        folder: &str,
        uidvalidity: u32,
        max_message_bytes: u64,
    ) -> Self {
        FolderCache {
            program: PROGRAM.to_string(),
            format: FORMAT,
            engine: engine(),
            server: server.to_string(),
            account: account.to_string(),
            folder: folder.to_string(),
            uidvalidity,
            max_message_bytes,
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

/// Load the cache at `path`, checking it belongs to `server`/`folder`, this engine and
/// this `max_message_bytes`.
pub fn load(path: &Path, server: &str, folder: &str, max_message_bytes: u64) -> Loaded {
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
    if cache.engine != engine() {
        return discard(path, format!("was written by rebound {}", cache.engine));
    }
    if cache.max_message_bytes != max_message_bytes {
        return discard(
            path,
            format!(
                "was made with max_message_bytes = {} (now {max_message_bytes})",
                cache.max_message_bytes
            ),
        );
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
        let mut file = private_file(&tmp)?;
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

/// A new file only the user can read (0600 whatever the umask).
fn private_file(path: &Path) -> std::io::Result<std::fs::File> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let file = opts.open(path)?;
    #[cfg(unix)]
    {
        // `mode` applies only when the file is created; a leftover keeps its own.
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(file)
}

/// Reports say which addresses bounced: only the user should read them. `dir` (the
/// `imap` folder) is created 0700, and tightened to 0700 when it exists with more, as ssh
/// does with ~/.ssh; so is its parent when it is rebound's own cache directory (named
/// `rebound`). Never a directory that is not ours or has the sticky bit (`/tmp`): a
/// cache file placed straight in a temp directory must not close `/tmp` to others.
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
        std::fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)?;
        let ours = dir.parent().filter(|p| p.file_name().is_some_and(|n| n == "rebound"));
        // SAFETY: geteuid has no preconditions and cannot fail.
        let me = unsafe { libc::geteuid() };
        for d in [Some(dir), ours].into_iter().flatten() {
            let meta = std::fs::metadata(d)?;
            let mode = meta.mode();
            if meta.uid() == me && mode & 0o1000 == 0 && mode & 0o077 != 0 {
                std::fs::set_permissions(d, std::fs::Permissions::from_mode(0o700))?;
            }
        }
        Ok(())
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
        let mut c = FolderCache::new("u@h:993", "work", "INBOX", 7, 4096);
        c.examined_through = 30;
        c.reports.push(CachedReport { uid: 3, report: Report::default() });
        c.reports.push(CachedReport { uid: 20, report: Report::default() });
        c
    }

    #[test]
    fn save_then_load_round_trips() {
        let dir = tempfile::tempdir().unwrap();
        let path = folder_file(dir.path(), "u@h:993", "INBOX");
        assert!(matches!(load(&path, "u@h:993", "INBOX", 4096), Loaded::Missing));
        save(&path, &sample()).unwrap();
        match load(&path, "u@h:993", "INBOX", 4096) {
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
        match load(&path, "u@h:993", "INBOX", 4096) {
            Loaded::Discarded(why) => assert!(why.contains("damaged"), "{why}"),
            other => panic!("{other:?}"),
        }
        assert!(!path.exists());
        let mut old = sample();
        old.format = FORMAT + 1;
        save(&path, &old).unwrap();
        assert!(matches!(load(&path, "u@h:993", "INBOX", 4096), Loaded::Discarded(_)));
        save(&path, &sample()).unwrap();
        assert!(matches!(load(&path, "u@h:993", "Sent", 4096), Loaded::Discarded(_)));
    }

    #[test]
    fn folders_and_servers_get_distinct_files() {
        let d = Path::new("/c");
        assert_ne!(folder_file(d, "u@h:993", "a/b"), folder_file(d, "u@h:993", "a_b"));
        assert_ne!(folder_file(d, "u@h:993", "X"), folder_file(d, "v@h:993", "X"));
    }

    #[cfg(unix)]
    #[test]
    fn files_are_private_and_an_open_directory_is_tightened() {
        use std::os::unix::fs::PermissionsExt;
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("rebound");
        std::fs::create_dir(&dir).unwrap();
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        let path = folder_file(&dir, "u@h:993", "INBOX");
        save(&path, &sample()).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(path.parent().unwrap()), 0o700);
        assert_eq!(mode(&dir), 0o700, "the existing 0755 directory was kept");
    }

    #[cfg(unix)]
    #[test]
    fn a_shared_parent_directory_is_never_tightened() {
        use std::os::unix::fs::PermissionsExt;
        let root = tempfile::tempdir().unwrap();
        // Like /tmp: sticky and open to all; and a plain open parent not named rebound.
        let shared = root.path().join("shared");
        std::fs::create_dir(&shared).unwrap();
        std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o1777)).unwrap();
        save(&shared.join("bench").join("folder.cache"), &sample()).unwrap();
        let open = root.path().join("open");
        std::fs::create_dir(&open).unwrap();
        std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o755)).unwrap();
        save(&open.join("imap").join("f.json"), &sample()).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o7777;
        assert_eq!(mode(&shared), 0o1777, "a /tmp-like directory was closed");
        assert_eq!(mode(&open), 0o755, "a parent not named rebound was changed");
        assert_eq!(mode(&open.join("imap")), 0o700);
    }

    #[test]
    fn another_limit_or_engine_discards_the_cache() {
        let dir = tempfile::tempdir().unwrap();
        let path = folder_file(dir.path(), "u@h:993", "INBOX");
        save(&path, &sample()).unwrap();
        match load(&path, "u@h:993", "INBOX", 1024) {
            Loaded::Discarded(why) => assert!(why.contains("max_message_bytes = 4096"), "{why}"),
            other => panic!("{other:?}"),
        }
        let mut old = sample();
        old.engine = format!("{}+engine0", env!("CARGO_PKG_VERSION"));
        save(&path, &old).unwrap();
        assert!(matches!(load(&path, "u@h:993", "INBOX", 4096), Loaded::Discarded(_)));
    }

    #[test]
    fn deleted_messages_are_dropped() {
        let mut c = sample();
        assert_eq!(c.retain_existing(|uid| uid != 3), 1);
        assert_eq!(c.reports.len(), 1);
    }
}
