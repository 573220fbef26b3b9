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
pub mod nonbounce;
pub mod notice_facts;
pub mod original;
pub mod phrases;
pub mod prefilter;
pub mod provider;
pub mod provider_codes;
pub mod reason;
pub mod status;

pub use model::{
    Advice, AuthResults, AuthVerdict, Hop, Kind, OriginalMessage, ProviderCode, RecipientStatus,
    Report, Timestamp, transit_secs,
};
pub use reason::Reason;
pub use status::StatusCode;

/// Analyse one message. Returns `None` for ordinary mail, else the report.
/// Never panics, whatever the bytes.
pub fn analyze(raw: &[u8]) -> Option<Report> {
    assemble::run(raw, Detail::Full)
}

/// Build the engine's largest lookup table (the phrase automaton) on a thread of its
/// own, so that a caller with other work before its first message (walking the
/// directories it was given) does not wait for it afterwards. Optional: the table is
/// built on first use anyway.
pub fn warm_up_in_background() {
    std::thread::spawn(phrases::build_matcher);
}

/// How much of a report to build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Detail {
    /// Everything, the hop chains and authentication results included (the screen,
    /// the session reports).
    #[default]
    Full,
    /// Leave out the hop chains, the authentication results and the original
    /// message's summary: `scan` prints none of them, and parsing every Received header
    /// was a tenth of a corpus scan.
    Recipients,
}

pub use assemble::reading_of_reply;

/// [`analyze`], building only what `detail` asks for.
pub fn analyze_with(raw: &[u8], detail: Detail) -> Option<Report> {
    assemble::run(raw, detail)
}

/// [`analyze`] without the header prefilter: for tests that check the prefilter
/// never turns away a message the readers would report.
pub fn analyze_unfiltered(raw: &[u8]) -> Option<Report> {
    assemble::run_unfiltered(raw, Detail::Full)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recipients_detail_leaves_out_only_what_scan_does_not_print() {
        let raw = extract::testing::sample("rfc3464-01.eml");
        let full = analyze(&raw).expect("a report");
        let mut lean = analyze_with(&raw, Detail::Recipients).expect("a report");
        assert!(!full.hops.is_empty() && !full.bounce_hops.is_empty());
        assert!(lean.hops.is_empty() && lean.bounce_hops.is_empty());
        lean.hops = full.hops.clone();
        lean.bounce_hops = full.bounce_hops.clone();
        lean.auth = full.auth.clone();
        assert!(lean.original.subject.is_none() && full.original.subject.is_some());
        lean.original = full.original.clone();
        assert_eq!(format!("{lean:?}"), format!("{full:?}"));
    }
}
