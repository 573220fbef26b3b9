//! Filters over records: by class, subject, code prefix, reason, hard/soft, domain and
//! free text. All set conditions must hold.

use crate::bounce::Reason;

use super::Record;

/// What the user has asked to see. `Default` shows everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Status class digit: 2, 4 or 5.
    pub class: Option<u8>,
    /// Status subject digit: x.1 ... x.7.
    pub subject: Option<u16>,
    /// Code prefix such as `5.7` or `5.7.1`.
    pub code_prefix: Option<String>,
    pub reason: Option<Reason>,
    /// Some(true) = hard only, Some(false) = soft only.
    pub hard: Option<bool>,
    /// Recipient domain (exact, case-insensitive).
    pub domain: Option<String>,
    /// Free text, case-insensitive, over recipient, subject, diagnostic, MTAs.
    pub text: Option<String>,
}

impl Filter {
    pub fn is_empty(&self) -> bool {
        *self == Filter::default()
    }

    pub fn matches(&self, record: &Record) -> bool {
        let _ = record;
        true
    }
}
