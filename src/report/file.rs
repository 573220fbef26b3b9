//! Writing a report to a file without ever destroying one.
//!
//! The report is written to a new temporary file in the target's directory, flushed
//! to disk, and only then put in place: renamed over the target when overwriting is
//! allowed, else hard-linked to the name (which fails if the name was taken
//! meanwhile). A write that fails (a full disk, a closed pipe) removes only the
//! temporary file, so what was there before is still there. A target that is not a
//! regular file (a device, a FIFO, a directory, a symlink to one) is refused: a
//! rename would replace the node, a write into it could fail half-way. Write to
//! stdout for those (`-o -`, or no `-o`). A symlink to a regular file is followed,
//! so the link stays and its target is replaced.

use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::session::Session;

use super::{Format, ReportError, ReportMeta};

/// Where the report will go: the resolved target and whether it already exists.
fn target(
    path: &Path,
    overwrite: bool,
) -> Result<(PathBuf, Option<std::fs::Metadata>), ReportError> {
    let file_error = |error: std::io::Error| ReportError::File { path: path.to_path_buf(), error };
    match std::fs::metadata(path) {
        Ok(meta) if !meta.is_file() => Err(ReportError::NotRegular(path.to_path_buf())),
        Ok(_) if !overwrite => Err(ReportError::Exists(path.to_path_buf())),
        // Follow symlinks, so the link stays and the file it names is replaced.
        Ok(meta) => Ok((std::fs::canonicalize(path).map_err(file_error)?, Some(meta))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if std::fs::symlink_metadata(path).is_ok() {
                // A dangling symlink: writing would create a file somewhere else.
                return Err(ReportError::NotRegular(path.to_path_buf()));
            }
            Ok((path.to_path_buf(), None))
        }
        Err(e) => Err(file_error(e)),
    }
}

/// A fresh temporary file beside `target`, created exclusively.
fn temporary(target: &Path) -> std::io::Result<(PathBuf, File)> {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = target.file_name().and_then(|n| n.to_str()).unwrap_or("report");
    loop {
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let tmp = dir.join(format!(".{name}.{}.{n}.tmp", std::process::id()));
        match OpenOptions::new().write(true).create_new(true).open(&tmp) {
            Ok(f) => return Ok((tmp, f)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
}

fn with_file(
    path: &Path,
    overwrite: bool,
    body: impl FnOnce(&mut BufWriter<File>) -> Result<(), ReportError>,
) -> Result<(), ReportError> {
    let (target, existing) = target(path, overwrite)?;
    let file_error = |error: std::io::Error| ReportError::File { path: path.to_path_buf(), error };
    let (tmp, file) = temporary(&target).map_err(file_error)?;
    let result = (|| {
        if let Some(meta) = &existing {
            // The replacement keeps the old file's permissions (a private report stays so).
            file.set_permissions(meta.permissions()).map_err(file_error)?;
        }
        let mut out = BufWriter::new(file);
        body(&mut out).map_err(|e| match e {
            ReportError::Io(error) => file_error(error),
            other => other,
        })?;
        let file = out.into_inner().map_err(|e| file_error(e.into_error()))?;
        file.sync_all().map_err(file_error)?;
        drop(file);
        if overwrite {
            std::fs::rename(&tmp, &target).map_err(file_error)
        } else {
            // Unlike rename, a link fails when the name was taken since we looked.
            match std::fs::hard_link(&tmp, &target) {
                Ok(()) => Ok(()),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    Err(ReportError::Exists(path.to_path_buf()))
                }
                // A file system without hard links (FAT): look again, then rename.
                Err(_) if std::fs::symlink_metadata(&target).is_err() => {
                    std::fs::rename(&tmp, &target).map_err(file_error)
                }
                Err(e) => Err(file_error(e)),
            }
        }
    })();
    // After a rename the temporary name is gone already; after a link or a failure,
    // the temporary file is the only thing removed.
    let _ = std::fs::remove_file(&tmp);
    result
}

/// Write a report to `path`. Fails with [`ReportError::Exists`] when the file exists
/// and `overwrite` is false, and with [`ReportError::NotRegular`] when `path` is not a
/// regular file.
pub fn save(
    format: Format,
    session: &Session,
    meta: &ReportMeta,
    path: &Path,
    overwrite: bool,
) -> Result<(), ReportError> {
    with_file(path, overwrite, |out| super::write(format, session, meta, out))
}

/// Write the suppression list (one address per line) to `path`, same rules as [`save`].
pub fn save_suppression_list(
    session: &Session,
    policy: &super::Policy,
    path: &Path,
    overwrite: bool,
) -> Result<(), ReportError> {
    with_file(path, overwrite, |out| {
        for addr in super::suppression_list(session, policy) {
            writeln!(out, "{addr}")?;
        }
        Ok(())
    })
}
