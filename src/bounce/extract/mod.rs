//! Readers for reports that carry no delivery-status part: each file reads one family
//! of notices (named after what it reads), and `generic` reads the rest by layout.
//!
//! Every reader gets the same [`Notice`] and returns recipients with their address and
//! diagnostic text; codes and reasons are filled in afterwards by the engine.

pub mod addr;
pub mod generic;

use super::headers::Headers;
use super::model::RecipientStatus;

/// What the readers see: the bounce's own headers and the human-readable notice.
pub struct Notice<'a> {
    pub headers: &'a Headers,
    /// The notice text, cut before any quoted copy of the original message.
    pub text: &'a str,
    /// The whole decoded text (notice and quoted copy), for readers that need both.
    pub full: &'a str,
}

/// What a reader found.
#[derive(Debug, Clone, Default)]
pub struct Found {
    pub format: &'static str,
    pub recipients: Vec<RecipientStatus>,
    pub reporting_mta: Option<String>,
}

/// Try the readers in order, most specific first.
pub fn run(n: &Notice<'_>) -> Option<Found> {
    let readers: &[fn(&Notice<'_>) -> Option<Found>] = &[generic::read];
    readers.iter().find_map(|r| r(n).filter(|f| !f.recipients.is_empty()))
}
