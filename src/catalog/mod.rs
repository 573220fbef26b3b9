//! The status-code catalog: for a failed recipient, what the code means, who must fix
//! it, and what to do. Data lives in `assets/catalog/` and is built into the binary;
//! a user file can add or override entries.
//!
//! Lookup order, most specific first (see [`MatchKind`]): a provider's match text found
//! in the diagnostic, the provider's own entry for the code (exact, then range), the
//! exact code, a detail range, the subject class (`5.7.x`), the class (`5.x.x`), the
//! SMTP reply code, then a fallback. Provider entries are used for other providers'
//! bounces only through their match texts, because providers reuse registered codes
//! with their own meanings. A provider code shared by several entries (situations told
//! apart by text) answers by code alone only through an entry without match texts; and
//! another provider's text whose code contradicts the bounce's yields to the bounce's
//! own provider's entry for that code. "The bounce's provider" is the one that issued the
//! code, not the one that wrote the bounce ([`attribution`]); aliases such as `aol` are
//! looked up under the id their entries are filed by (`yahoo`).
//! `assets/catalog/README.md` has the details.

pub mod attribution;
mod index;
pub mod key;
mod load;
pub mod providers;

use std::path::Path;

use serde::{Deserialize, Serialize};

pub use key::{Key, KeyError};
pub use load::{CatalogError, builtin_files, parse_file, read_file, user_catalog_path};

use crate::bounce::{Reason, RecipientStatus, Report, StatusCode};

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
    /// Nothing failed (an automatic reply): there is nothing to resend.
    NotNeeded,
}

impl Retry {
    /// The name used in files and exports (`do-not-retry`).
    pub fn as_str(self) -> &'static str {
        match self {
            Retry::RetryLater => "retry-later",
            Retry::FixThenResend => "fix-then-resend",
            Retry::DoNotRetry => "do-not-retry",
            Retry::NotNeeded => "not-needed",
        }
    }
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
    /// No code matched, and the record is not a failure (a complaint, an opt-out, an
    /// automatic reply): guidance for that kind of report.
    ReportKind,
    /// The failure carries no code: the entry of the registered code that means what
    /// the engine's reason means (`userunknown`: 5.1.1).
    Reason,
    Fallback,
}

/// What the lookup needs to know about a failed recipient.
#[derive(Debug, Clone, Copy, Default)]
pub struct Query<'a> {
    pub status: Option<StatusCode>,
    pub reply_code: Option<u16>,
    pub diagnostic: &'a str,
    pub provider: Option<&'a str>,
    /// The engine's reason: guidance for records that carry no code, because they are
    /// not failures (feedback, auto-replies) or because the notice gave none.
    pub reason: Option<Reason>,
}

impl<'a> Query<'a> {
    /// The query for one recipient. `provider` is the side that issued the code (the
    /// remote MTA's provider, else the bounce's writer), not simply the writer: see
    /// [`attribution`].
    pub fn for_recipient(report: &'a Report, rcpt: &'a RecipientStatus) -> Self {
        Query {
            status: rcpt.status,
            reply_code: rcpt.reply_code,
            diagnostic: &rcpt.diagnostic,
            provider: attribution::issuer(report, rcpt),
            reason: Some(rcpt.reason),
        }
    }
}

/// The answer of a lookup: the entry and how it was found.
#[derive(Debug, Clone, Copy)]
pub struct Guidance<'a> {
    pub entry: &'a Entry,
    pub matched_by: MatchKind,
    /// The match text found in the diagnostic, for [`MatchKind::ProviderText`].
    pub matched_text: Option<&'a str>,
}

impl MatchKind {
    /// A short human description, e.g. "exact code".
    pub fn describe(self) -> &'static str {
        match self {
            MatchKind::ProviderText => "provider text",
            MatchKind::ProviderCode => "provider code",
            MatchKind::ExactCode => "exact code",
            MatchKind::Range => "code range",
            MatchKind::SubjectClass => "subject class",
            MatchKind::Class => "class",
            MatchKind::ReplyCode => "SMTP reply code",
            MatchKind::ReportKind => "kind of report",
            MatchKind::Reason => "reason, no code",
            MatchKind::Fallback => "no match",
        }
    }
}

/// The catalog's match texts found in one diagnostic ([`Catalog::text_hits`]).
#[derive(Debug, Clone, Default)]
pub struct TextHits(Vec<usize>);

/// The catalog installed by [`Catalog::install_user_config`].
static ACTIVE: std::sync::OnceLock<Catalog> = std::sync::OnceLock::new();

/// A loaded, indexed catalog.
#[derive(Debug, Clone)]
pub struct Catalog {
    entries: Vec<Entry>,
    keys: Vec<Key>,
    index: index::Index,
    fallback: Entry,
}

fn fallback_entry() -> Entry {
    Entry {
        key: "unknown".into(),
        provider: None,
        match_texts: Vec::new(),
        title: "No status code found".into(),
        meaning: "The report carries neither an enhanced status code nor an SMTP reply code \
                  that rebound knows, so only the diagnostic text can tell what happened."
            .into(),
        causes: Vec::new(),
        fix_owner: vec![FixOwner::Sender],
        sender_steps: vec![
            "Read the diagnostic text in full; the reason is usually stated there.".into(),
        ],
        admin_steps: vec![
            "Find the message in your outbound MTA log by its queue ID or Message-ID to see \
             the remote server's exact reply."
                .into(),
        ],
        retry: Retry::FixThenResend,
        reference: None,
    }
}

/// Guidance for a complaint or an opt-out: the message arrived, and the recipient does
/// not want more.
static FEEDBACK: std::sync::LazyLock<Entry> = std::sync::LazyLock::new(|| Entry {
    key: "feedback".into(),
    provider: None,
    match_texts: Vec::new(),
    title: "Complaint or unsubscribe request".into(),
    meaning: "Not a delivery failure: the message arrived, and the recipient (or their \
              mailbox provider on their behalf) reported it as unwanted, or asked to be \
              taken off the list."
        .into(),
    causes: vec![
        "The recipient pressed \"report spam\" or \"unsubscribe\" in their mail program.".into(),
        "The recipient does not remember signing up, or no longer wants this mail.".into(),
    ],
    fix_owner: vec![FixOwner::Sender],
    sender_steps: vec![
        "Stop sending to this address: put it on your suppression list.".into(),
        "If complaints keep coming, look at how addresses are collected and how easy it is \
         to unsubscribe."
            .into(),
    ],
    admin_steps: vec![
        "Process feedback-loop reports and unsubscribe requests automatically, so that the \
         address is suppressed without waiting for a person."
            .into(),
    ],
    retry: Retry::DoNotRetry,
    reference: None,
});

/// Guidance for an automatic reply: the message arrived; nothing failed.
static AUTO_REPLY: std::sync::LazyLock<Entry> = std::sync::LazyLock::new(|| Entry {
    key: "auto-reply".into(),
    provider: None,
    match_texts: Vec::new(),
    title: "Automatic reply".into(),
    meaning: "Not a delivery failure: the message arrived, and the recipient's mailbox \
              answered on its own (out of office, vacation, or a request to confirm the \
              sender)."
        .into(),
    causes: vec!["The recipient is away, or their mailbox answers every new sender.".into()],
    fix_owner: vec![FixOwner::Recipient],
    sender_steps: vec![
        "Nothing to fix. Do not count this address as bounced.".into(),
        "If the reply asks you to confirm that you are a real sender, follow its link only \
         if you trust it."
            .into(),
    ],
    admin_steps: vec![
        "Send automatic replies to a mailbox that ignores them, so that they are not \
         mistaken for bounces."
            .into(),
    ],
    retry: Retry::NotNeeded,
    reference: None,
});

/// Guidance for a challenge-response or whitelist request: the message is held until
/// the sender confirms.
static CHALLENGE: std::sync::LazyLock<Entry> = std::sync::LazyLock::new(|| {
    Entry {
    key: "challenge".into(),
    provider: None,
    match_texts: Vec::new(),
    title: "Challenge-response: the recipient asks you to confirm".into(),
    meaning: "Not a delivery failure: the recipient's filter (Boxbe, a whitelist, a \
              challenge-response service) holds messages from senders it does not know \
              until they confirm, usually by a link in the notice."
        .into(),
    causes: vec!["The recipient screens mail from unknown senders.".into()],
    fix_owner: vec![FixOwner::Sender],
    sender_steps: vec![
        "For a person you write to, follow the link once if you trust it; the held message is then delivered.".into(),
        "Do not count this address as bounced, and do not put it on a suppression list.".into(),
    ],
    admin_steps: vec![
        "For bulk mail, send challenges to a mailbox that ignores them: confirming thousands is neither possible nor wanted."
            .into(),
    ],
    retry: Retry::NotNeeded,
    reference: None,
}
});

impl Catalog {
    /// Build a catalog from entries; a later entry with the same key, provider and
    /// match texts replaces an earlier one (that is how user files override built-in
    /// entries). Entries that share a key but not their texts are separate scenarios of
    /// one code (Exchange's 5.7.1): found by text, and by code the later one answers.
    /// Entries whose key does not parse are skipped ([`parse_file`] rejects them).
    pub fn from_entries(list: impl IntoIterator<Item = Entry>) -> Catalog {
        let mut entries: Vec<Entry> = Vec::new();
        let mut keys: Vec<Key> = Vec::new();
        let mut seen: std::collections::HashMap<(Key, Option<String>, Vec<String>), usize> =
            std::collections::HashMap::new();
        for entry in list {
            let Ok(key) = Key::parse(&entry.key) else { continue };
            let texts = entry.match_texts.iter().map(|t| t.to_lowercase()).collect();
            let id = (key, entry.provider.as_deref().map(str::to_ascii_lowercase), texts);
            match seen.get(&id) {
                Some(&i) => entries[i] = entry,
                None => {
                    seen.insert(id, entries.len());
                    entries.push(entry);
                    keys.push(key);
                }
            }
        }
        let index = index::Index::build(&entries, &keys);
        Catalog { entries, keys, index, fallback: fallback_entry() }
    }

    /// Parse and index the built-in files; an error names the bad file.
    pub fn load_builtin() -> Result<Catalog, CatalogError> {
        Ok(Catalog::from_entries(load::builtin_entries()?))
    }

    /// The catalog built into the binary (parsed once). A built-in file that fails to
    /// parse is left out rather than taking the whole catalog down; the test suite
    /// makes sure none does.
    pub fn builtin() -> &'static Catalog {
        static BUILTIN: std::sync::OnceLock<Catalog> = std::sync::OnceLock::new();
        BUILTIN.get_or_init(|| {
            Catalog::load_builtin().unwrap_or_else(|_| {
                Catalog::from_entries(
                    builtin_files()
                        .filter_map(|(name, text)| parse_file(Path::new(name), text).ok())
                        .flatten(),
                )
            })
        })
    }

    /// The built-in catalog plus the entries of a user file. When the file cannot be
    /// used, the built-in catalog comes back alone with the error.
    pub fn with_user_file(path: &Path) -> (Catalog, Option<CatalogError>) {
        let builtin = Catalog::builtin();
        match read_file(path) {
            Ok(extra) => {
                (Catalog::from_entries(builtin.entries.iter().cloned().chain(extra)), None)
            }
            Err(err) => (builtin.clone(), Some(err)),
        }
    }

    /// The catalog the program uses: the one [`Catalog::install_user_config`] set up at
    /// start-up, else the built-in one. Views and reports read this, so a user's own
    /// entries show everywhere, not only in `rebound explain`.
    pub fn active() -> &'static Catalog {
        ACTIVE.get().unwrap_or_else(|| Catalog::builtin())
    }

    /// Load the user's `catalog.toml` (when there is one) on top of the built-in
    /// catalog and make it the [`Catalog::active`] one. Call once, early; a later call
    /// changes nothing. A bad user file leaves the built-in catalog active and comes
    /// back as the error to show.
    pub fn install_user_config() -> Option<CatalogError> {
        let (catalog, problem) = Catalog::with_user_config();
        let _ = ACTIVE.set(catalog);
        problem
    }

    /// The built-in catalog plus the user's `catalog.toml` from the config directory,
    /// when there is one.
    pub fn with_user_config() -> (Catalog, Option<CatalogError>) {
        match user_catalog_path() {
            Some(path) if path.exists() => Catalog::with_user_file(&path),
            _ => (Catalog::builtin().clone(), None),
        }
    }

    /// Build the match-text automaton now rather than on the first lookup with
    /// diagnostic text (e.g. on a background thread while the screen comes up).
    pub fn prepare_text_matching(&self) {
        let _ = self.index.automaton();
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The entry with this key and provider, if any.
    pub fn get(&self, key: &str, provider: Option<&str>) -> Option<&Entry> {
        let key = Key::parse(key).ok()?;
        self.entries.iter().zip(&self.keys).find_map(|(e, k)| {
            let same_provider = match (e.provider.as_deref(), provider) {
                (None, None) => true,
                (Some(a), Some(b)) => {
                    attribution::canonical(a).eq_ignore_ascii_case(attribution::canonical(b))
                }
                _ => false,
            };
            (*k == key && same_provider).then_some(e)
        })
    }

    /// The most specific entry for the query (see the lookup order in the module doc).
    pub fn guidance(&self, query: &Query<'_>) -> Guidance<'_> {
        if let Some(found) = self.index.lookup(&self.entries, &self.keys, query) {
            return found;
        }
        let (entry, matched_by) = match query.reason {
            Some(Reason::Feedback) => (&*FEEDBACK, MatchKind::ReportKind),
            Some(Reason::Vacation) => (&*AUTO_REPLY, MatchKind::ReportKind),
            Some(reason) => match self.by_reason(reason) {
                Some(entry) => (entry, MatchKind::Reason),
                None => (&self.fallback, MatchKind::Fallback),
            },
            None => (&self.fallback, MatchKind::Fallback),
        };
        Guidance { entry, matched_by, matched_text: None }
    }

    /// The generic entry for one of the engine's reasons (`reason:userunknown`).
    pub fn reason_entry(&self, reason: Reason) -> Option<&Entry> {
        self.index.reason(reason).map(|i| &self.entries[i])
    }

    /// Every match text of the catalog found in a diagnostic, found in one pass: ask
    /// [`Catalog::provider_text_in`], [`Catalog::software_text_in`] and
    /// [`Catalog::wording_in`] of it.
    pub fn text_hits(&self, diagnostic: &str) -> TextHits {
        TextHits(self.index.hits(diagnostic))
    }

    fn text_pair(&self, found: Option<(usize, usize)>) -> Option<(&Entry, &str)> {
        let (entry, text) = found?;
        let e = &self.entries[entry];
        Some((e, e.match_texts[text].as_str()))
    }

    /// One provider's entry whose match text is among the hits, with that text.
    pub fn provider_text_in(
        &self,
        hits: &TextHits,
        provider: &str,
        status: Option<StatusCode>,
        reply: Option<u16>,
    ) -> Option<(&Entry, &str)> {
        let pid = self.index.pid(provider)?;
        let (e, k) = (&self.entries, &self.keys);
        self.text_pair(self.index.best_hit(e, k, &hits.0, &|p| p == pid, status, reply))
    }

    /// An MTA software's entry whose template wording is among the hits, with it.
    pub fn software_text_in(
        &self,
        hits: &TextHits,
        status: Option<StatusCode>,
        reply: Option<u16>,
    ) -> Option<(&Entry, &str)> {
        let software = |p| self.index.is_software(p);
        let (e, k) = (&self.entries, &self.keys);
        self.text_pair(self.index.best_hit(e, k, &hits.0, &software, status, reply))
    }

    /// A generic entry whose wording is among the hits (a situation of a reason that any
    /// server words alike, such as greylisting), with that wording.
    pub fn wording_in(&self, hits: &TextHits) -> Option<(&Entry, &str)> {
        let (e, k) = (&self.entries, &self.keys);
        self.text_pair(self.index.best_hit(e, k, &hits.0, &index::Index::is_generic, None, None))
    }

    /// One provider's entry whose match text is in the diagnostic, with that text.
    pub fn provider_text(
        &self,
        provider: &str,
        status: Option<StatusCode>,
        reply: Option<u16>,
        diagnostic: &str,
    ) -> Option<(&Entry, &str)> {
        self.provider_text_in(&self.text_hits(diagnostic), provider, status, reply)
    }

    /// A generic entry whose wording is in the diagnostic, with that wording.
    pub fn wording_entry(&self, diagnostic: &str) -> Option<(&Entry, &str)> {
        self.wording_in(&self.text_hits(diagnostic))
    }

    /// One provider's own entry for the code (exact, then range).
    pub fn provider_code(&self, provider: &str, code: StatusCode) -> Option<&Entry> {
        self.index.provider_code(&self.entries, provider, code).map(|i| &self.entries[i])
    }

    /// The registry's entry for the exact code (or its narrowest range).
    pub fn registry_code(&self, code: StatusCode) -> Option<(&Entry, MatchKind)> {
        self.index.registry_code(&self.entries, code).map(|(i, m)| (&self.entries[i], m))
    }

    /// The broad entry: the code's subject class or class, or the reply code's.
    pub fn broad(
        &self,
        status: Option<StatusCode>,
        reply: Option<u16>,
    ) -> Option<(&Entry, MatchKind)> {
        self.index.broad(status, reply).map(|(i, m)| (&self.entries[i], m))
    }

    /// The entry for complaints and unsubscribe requests.
    pub fn feedback_entry() -> &'static Entry {
        &FEEDBACK
    }

    /// The entry for challenge-response and whitelist requests.
    pub fn challenge_entry() -> &'static Entry {
        &CHALLENGE
    }

    /// The entry for automatic replies.
    pub fn auto_reply_entry() -> &'static Entry {
        &AUTO_REPLY
    }

    /// The entry used when nothing else fits.
    pub fn fallback(&self) -> &Entry {
        &self.fallback
    }

    /// The general entry of the code that stands in for a reason
    /// ([`Reason::stand_in_code`]):
    /// looked up by that code alone, without provider or text, since the server said
    /// neither.
    fn by_reason(&self, reason: Reason) -> Option<&Entry> {
        let code = reason.stand_in_code()?;
        let query = Query { status: Some(code), ..Query::default() };
        let found = self.index.lookup(&self.entries, &self.keys, &query)?;
        (found.matched_by == MatchKind::ExactCode).then_some(found.entry)
    }
}
