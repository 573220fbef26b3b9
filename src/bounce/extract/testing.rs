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
