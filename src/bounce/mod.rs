//! The bounce engine: raw message bytes in, an analysed [`Report`] out.
//!
//! Pure and deterministic: no I/O, no UI, no IMAP. This layer must not import
//! ratatui, crossterm or imap (CI builds it with `--no-default-features`).

pub mod auth;
pub mod date;
pub mod diagnostic;
pub mod hops;
pub mod model;
pub mod prefilter;
pub mod reason;
pub mod status;

pub use model::{
    AuthResults, AuthVerdict, Hop, Kind, OriginalMessage, RecipientStatus, Report, Timestamp,
    transit_secs,
};
pub use reason::Reason;
pub use status::StatusCode;

/// Analyse one message. Returns `None` for ordinary mail, else the report.
/// Never panics, whatever the bytes.
pub fn analyze(raw: &[u8]) -> Option<Report> {
    let _ = raw;
    None
}
