//! The bounce engine: raw message bytes in, an analysed [`Report`] out.
//!
//! Pure and deterministic: no I/O, no UI, no IMAP. This layer must not import
//! ratatui, crossterm or imap (CI builds it with `--no-default-features`).
//!
//! The pipeline (`assemble`): the header [`prefilter`] gate; line endings and NUL bytes
//! normalised ([`mime::normalize`]); a bounded MIME walk ([`mime`]) that decodes only
//! the small text parts; then the first reader that fits: an ARF feedback part
//! ([`arf`]), a delivery-status part read by the RFC 3464 grammar ([`dsn`]), an
//! auto-reply ([`autoreply`]), or one of the notice readers in [`extract`] (Amazon SES
//! JSON, Google Groups, DSN fields written as text, the MTA families, and a generic
//! layout reader). Each recipient then gets its reply and status codes
//! ([`diagnostic::parse_reply`]), and a reason, hard/soft verdict and a one-line `why`
//! ([`classify`], with the wording table in [`phrases`]). The original message's
//! headers come from the attachment or the quoted copy ([`original`]); hops and
//! authentication results from [`hops`] and [`auth`]; the provider from [`provider`].

pub mod arf;
mod assemble;
pub mod auth;
pub mod autoreply;
pub mod classify;
pub mod date;
pub mod diagnostic;
pub mod dsn;
pub mod extract;
pub mod headers;
pub mod hops;
pub mod mime;
pub mod model;
pub mod original;
pub mod phrases;
pub mod prefilter;
pub mod provider;
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
    assemble::run(raw)
}

/// [`analyze`] without the header prefilter: for tests that check the prefilter
/// never turns away a message the readers would report.
pub fn analyze_unfiltered(raw: &[u8]) -> Option<Report> {
    assemble::run_unfiltered(raw)
}
