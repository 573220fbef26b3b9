//! Writing a report to a file without ever destroying one: a new file is created with
//! `create_new`, and an existing one is replaced only when the caller allows it. A
//! failed write removes the file it started, so no half report is left behind.

use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::Path;

use crate::session::Session;

use super::{Format, ReportError, ReportMeta};

fn open(path: &Path, overwrite: bool) -> Result<File, ReportError> {
    let mut opts = OpenOptions::new();
    opts.write(true);
    if overwrite {
        opts.create(true).truncate(true);
    } else {
        opts.create_new(true);
    }
    opts.open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => ReportError::Exists(path.to_path_buf()),
        _ => ReportError::File { path: path.to_path_buf(), source: e },
    })
}

fn with_file(
    path: &Path,
    overwrite: bool,
    body: impl FnOnce(&mut BufWriter<File>) -> Result<(), ReportError>,
) -> Result<(), ReportError> {
    let file = open(path, overwrite)?;
    let mut out = BufWriter::new(file);
    let result = body(&mut out).and_then(|()| out.flush().map_err(ReportError::from));
    if result.is_err() {
        drop(out);
        // Best effort: the error being returned matters more than this one.
        let _ = std::fs::remove_file(path);
    }
    result
}

/// Write a report to `path`. Fails with [`ReportError::Exists`] when the file exists
/// and `overwrite` is false.
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
    path: &Path,
    overwrite: bool,
) -> Result<(), ReportError> {
    with_file(path, overwrite, |out| {
        for addr in super::suppression_list(session) {
            writeln!(out, "{addr}")?;
        }
        Ok(())
    })
}
