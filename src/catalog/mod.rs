//! The status-code catalog: for a failed recipient, what the code means, who must fix
//! it, and what to do. Data lives in `assets/catalog/` and is built into the binary;
//! a user file can add or override entries.

use serde::{Deserialize, Serialize};

use crate::bounce::{RecipientStatus, Report, StatusCode};

/// Who must act to fix a failure (the "fix-it owner" of an NDR).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FixOwner {
    Sender,
    SenderAdmin,
    Recipient,
    RecipientAdmin,
    Provider,
}

/// What to do about resending.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Retry {
    /// Temporary: the same message may go through later.
    RetryLater,
    /// Something must change first, then resend.
    FixThenResend,
    /// Resending will keep failing: remove or correct the address.
    DoNotRetry,
}

/// One catalog entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// `5.7.1`, `5.7.500-699`, `5.7.x`, `5.x.x` or an SMTP reply code `550`.
    pub key: String,
    #[serde(default)]
    pub provider: Option<String>,
    /// Case-insensitive substrings identifying the provider's wording.
    #[serde(default)]
    pub match_texts: Vec<String>,
    pub title: String,
    pub meaning: String,
    #[serde(default)]
    pub causes: Vec<String>,
    pub fix_owner: Vec<FixOwner>,
    #[serde(default)]
    pub sender_steps: Vec<String>,
    #[serde(default)]
    pub admin_steps: Vec<String>,
    pub retry: Retry,
    #[serde(default)]
    pub reference: Option<String>,
}

/// How an entry was chosen, from most to least specific.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MatchKind {
    ProviderText,
    ProviderCode,
    ExactCode,
    Range,
    SubjectClass,
    Class,
    ReplyCode,
    Fallback,
}

/// What the lookup needs to know about a failed recipient.
#[derive(Debug, Clone, Copy, Default)]
pub struct Query<'a> {
    pub status: Option<StatusCode>,
    pub reply_code: Option<u16>,
    pub diagnostic: &'a str,
    pub provider: Option<&'a str>,
}

impl<'a> Query<'a> {
    pub fn for_recipient(report: &'a Report, rcpt: &'a RecipientStatus) -> Self {
        Query {
            status: rcpt.status,
            reply_code: rcpt.reply_code,
            diagnostic: &rcpt.diagnostic,
            provider: report.provider.as_deref(),
        }
    }
}

/// The answer of a lookup: the entry and how it was found.
#[derive(Debug, Clone, Copy)]
pub struct Guidance<'a> {
    pub entry: &'a Entry,
    pub matched_by: MatchKind,
}

/// A loaded, indexed catalog.
#[derive(Debug, Clone)]
pub struct Catalog {
    entries: Vec<Entry>,
    fallback: Entry,
}

impl Catalog {
    /// The catalog built into the binary.
    pub fn builtin() -> &'static Catalog {
        static BUILTIN: std::sync::OnceLock<Catalog> = std::sync::OnceLock::new();
        BUILTIN.get_or_init(|| Catalog {
            entries: Vec::new(),
            fallback: Entry {
                key: "unknown".into(),
                provider: None,
                match_texts: Vec::new(),
                title: "No catalog entry".into(),
                meaning: "rebound has no guidance for this code yet.".into(),
                causes: Vec::new(),
                fix_owner: vec![FixOwner::Sender],
                sender_steps: Vec::new(),
                admin_steps: Vec::new(),
                retry: Retry::FixThenResend,
                reference: None,
            },
        })
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The most specific entry for the query (see the lookup order in the module doc).
    pub fn guidance(&self, query: &Query<'_>) -> Guidance<'_> {
        let _ = query;
        Guidance { entry: &self.fallback, matched_by: MatchKind::Fallback }
    }
}
