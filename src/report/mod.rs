//! Exports of the session: Markdown for tickets, one self-contained HTML page, a JSON
//! document for scripts, CSV for spreadsheets and suppression lists.
//!
//! Every format is built from one [`Document`] gathered from the [`Session`], so all
//! of them cover the same records (the filtered list, or the marked records when any
//! are marked) with the same header and counts. All mail-derived text goes through
//! `crate::text::clean` / `clean_line` first; each format then escapes for itself
//! (HTML entities, Markdown table cells, CSV formula cells). No UI imports here.

mod csv;
pub mod document;
mod file;
mod html;
mod json;
mod markdown;
pub mod suppression;
mod svg;

use std::fmt;
use std::io::Write;
use std::str::FromStr;

use crate::bounce::Timestamp;
use crate::session::Session;

pub use document::{Coverage, Document};
pub use file::{save, save_suppression_list};
pub use json::SCHEMA_VERSION;
pub use suppression::Policy;

/// An export format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Markdown,
    Html,
    Json,
    Csv,
}

impl Format {
    pub const ALL: &'static [Format] = &[Format::Markdown, Format::Html, Format::Json, Format::Csv];

    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Markdown => "md",
            Format::Html => "html",
            Format::Json => "json",
            Format::Csv => "csv",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.extension())
    }
}

impl FromStr for Format {
    type Err = ReportError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "md" | "markdown" => Ok(Format::Markdown),
            "html" | "htm" => Ok(Format::Html),
            "json" => Ok(Format::Json),
            "csv" => Ok(Format::Csv),
            _ => Err(ReportError::UnknownFormat(s.to_string())),
        }
    }
}

/// What the report says about its own making.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportMeta {
    /// Where the messages came from: a path, or account and folder. Never a secret:
    /// callers pass `Source::describe()`.
    pub source: String,
    /// When the scan ran (tests fix it so golden files stay stable).
    pub scanned_at: Timestamp,
    /// Program name and version.
    pub generator: String,
    /// What could not be read (files, messages, folders, a source that stopped): the
    /// report is missing their bounces and says so.
    pub unread: Vec<String>,
    /// Which soft failures also put an address on the suppression list (the config's
    /// `[suppression]`; off by default).
    pub suppression: Policy,
}

impl ReportMeta {
    /// Metadata for a report made now.
    pub fn now(source: impl Into<String>) -> Self {
        ReportMeta {
            source: source.into(),
            scanned_at: chrono::Local::now().fixed_offset(),
            generator: format!("rebound {}", env!("CARGO_PKG_VERSION")),
            unread: Vec::new(),
            suppression: Policy::OFF,
        }
    }
}

/// A file name for a report made at `meta.scanned_at`:
/// `rebound-report-2026-11-20-1200.md`.
pub fn suggested_file_name(format: Format, meta: &ReportMeta) -> String {
    format!("rebound-report-{}.{}", meta.scanned_at.format("%Y-%m-%d-%H%M"), format.extension())
}

/// Why a report could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("unknown report format {0:?}: use md, html, json or csv")]
    UnknownFormat(String),
    #[error("{} already exists; choose another file name, or allow overwriting (--force)", .0.display())]
    Exists(std::path::PathBuf),
    #[error(
        "{} is not a regular file (a device, a pipe, a directory or a broken link): rebound \
         writes reports only to regular files, which it replaces whole; to write elsewhere, \
         send the report to stdout (no -o, or -o -) and redirect it",
        .0.display()
    )]
    NotRegular(std::path::PathBuf),
    // `error`, not `source`: the text already holds it, and a `source` would print it twice.
    #[error("cannot write {}: {error}; nothing that was there before was changed", path.display())]
    File { path: std::path::PathBuf, error: std::io::Error },
    // The causes below are in the text and deliberately not `#[source]`s (`#[from]`
    // would make them so): `{:#}` would print the OS error twice.
    #[error("writing the report failed: {0}")]
    Io(std::io::Error),
    #[error("writing the CSV report failed: {0}")]
    Csv(::csv::Error),
    #[error("writing the JSON report failed: {0}")]
    Json(serde_json::Error),
}

impl From<std::io::Error> for ReportError {
    fn from(e: std::io::Error) -> Self {
        ReportError::Io(e)
    }
}

impl From<::csv::Error> for ReportError {
    fn from(e: ::csv::Error) -> Self {
        ReportError::Csv(e)
    }
}

impl From<serde_json::Error> for ReportError {
    fn from(e: serde_json::Error) -> Self {
        ReportError::Json(e)
    }
}

/// Write a report of `session` in `format` to `out`.
pub fn write(
    format: Format,
    session: &Session,
    meta: &ReportMeta,
    out: &mut impl Write,
) -> Result<(), ReportError> {
    let doc = Document::gather(session, meta);
    write_document(format, &doc, out)
}

/// Write an already gathered document.
pub fn write_document(
    format: Format,
    doc: &Document<'_>,
    out: &mut impl Write,
) -> Result<(), ReportError> {
    match format {
        Format::Markdown => markdown::write(doc, out)?,
        Format::Html => html::write(doc, out)?,
        Format::Json => json::write(doc, out)?,
        Format::Csv => csv::write(doc, out)?,
    }
    out.flush()?;
    Ok(())
}

/// The suppression list of what a report would cover (the marked records, or the
/// filtered list) under `policy`: unique addresses, lowercased and sorted.
pub fn suppression_list(session: &Session, policy: &Policy) -> Vec<String> {
    suppression::list(session.selection().into_iter().map(|i| &session.records()[i]), policy)
}
