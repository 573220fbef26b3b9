//! Test support: the human-readable notice of a real corpus sample, so a reader can be
//! tested on the text it would see when the report carries no delivery-status part.

use crate::bounce::headers::Headers;
use crate::bounce::mime::{normalize, walk};

/// The sample's own headers and its text parts before any attached message, decoded.
pub fn notice_of(variant: &str, name: &str) -> (Headers, String) {
    let path = format!("{}/tests/corpus/maildir/{variant}/{name}", env!("CARGO_MANIFEST_DIR"));
    let raw = std::fs::read(&path).expect("corpus sample");
    let msg = normalize(&raw);
    let (headers, parts) = walk(&msg);
    let mut text = String::new();
    for p in parts.iter().take_while(|p| !p.ctype.starts_with("message/")) {
        if p.ctype == "text/plain" {
            text.push_str(&p.text());
            text.push('\n');
        }
    }
    (headers, text)
}

/// Read a sample's notice as the readers would and check that `format` is the reader
/// that answers first; its findings.
pub fn first_reader_of(variant: &str, name: &str, format: &str) -> super::Found {
    let (headers, text) = notice_of(variant, name);
    let notice = super::Notice::new(&headers, &text, &text);
    let found = super::run(&notice).unwrap_or_else(|| panic!("{name}: no reader answered"));
    assert_eq!(found.format, format, "{name}: another reader answered first");
    found
}

/// The bytes of a sample of another test folder (`bounceparser`).
pub fn sample_from(folder: &str, name: &str) -> Vec<u8> {
    let path = format!("{}/tests/{folder}/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The bytes of a bsd corpus sample.
pub fn sample(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/corpus/maildir/bsd/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The whole engine's report on a bsd corpus sample.
pub fn report_of(name: &str) -> crate::bounce::Report {
    crate::bounce::analyze(&sample(name)).unwrap_or_else(|| panic!("{name}: no report"))
}

/// The whole engine on a bsd corpus sample: the reader named `format` takes it, the first
/// failed recipient is `recipient`, and a code or a diagnostic was found for them.
pub fn assert_reads(name: &str, format: &str, recipient: &str) {
    let report = report_of(name);
    assert_eq!(report.format, format, "{name}");
    let first = report.recipients.first().unwrap_or_else(|| panic!("{name}: no recipient"));
    assert_eq!(first.recipient, recipient, "{name}");
    assert!(first.status.is_some() || !first.diagnostic.is_empty(), "{name}: nothing found");
}
