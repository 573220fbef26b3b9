//! The data model of an analysed report: what the engine returns for one message.
//!
//! Everything here is plain data (serde-serialisable) so that the UI, the cache, the
//! exports and the tests share one shape. Text fields hold what the message said,
//! decoded but not yet cleaned for display: callers clean with `crate::text::clean`
//! at the edge (terminal, export), so the raw value stays available for matching.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use super::notice_facts::Command;
use super::reason::Reason;
use super::status::StatusCode;

/// A point in time as the message wrote it, keeping the writer's UTC offset.
pub type Timestamp = DateTime<FixedOffset>;

/// What kind of report a message is. Ordinary mail is not a report at all
/// (`analyze` returns `None`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Delivery failed for at least one recipient.
    Bounce,
    /// Delivery is delayed; the MTA is still trying.
    Delay,
    /// A DSN saying the message was delivered, relayed or expanded.
    Success,
    /// An abuse feedback report (ARF, RFC 5965).
    Feedback,
    /// An automatic reply: vacation, out of office (RFC 3834).
    AutoReply,
    /// A challenge-response or whitelist request: the recipient's filter holds the
    /// message until the sender confirms (Boxbe's guest list, "your server requires
    /// confirmation"). Not a failed delivery.
    Challenge,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Bounce => "bounce",
            Kind::Delay => "delay",
            Kind::Success => "success",
            Kind::Feedback => "feedback",
            Kind::AutoReply => "autoreply",
            Kind::Challenge => "challenge",
        }
    }
}

/// One analysed report: a bounce, a delay notice, a success DSN, a feedback report
/// or an auto-reply.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub kind: Option<Kind>,
    /// Which reader produced this report ("rfc3464", "exim", "exchange", "gmail", ...).
    pub format: String,
    /// The provider or MTA family that wrote the report, when recognised
    /// ("exchange-online", "gmail", "postfix", ...). The catalog uses it to prefer
    /// provider-specific meanings of reused codes.
    ///
    /// Ids in use (lowercase, hyphenated): hosted providers `exchange-online`,
    /// `outlook-com`, `gmail`, `yahoo`, `aol`, `icloud`, `amazon-ses`,
    /// `amazon-workmail`, `mail-ru`, `yandex`, `zoho`, `gmx`, `tencent`, `sendgrid`;
    /// MTA software `exchange` (on-premises), `postfix`, `exim`, `qmail`, `sendmail`,
    /// `courier`, `domino`, `groupwise`, `opensmtpd`, `dragonfly`,
    /// `messaging-server`. See `bounce::provider` for how each is recognised.
    pub provider: Option<String>,
    /// The bounce message's own headers.
    pub subject: Option<String>,
    pub from: Option<String>,
    pub date: Option<Timestamp>,
    /// Per-message DSN fields (RFC 3464 §2.2), or their equivalent in other formats.
    pub reporting_mta: Option<String>,
    pub generating_server: Option<String>,
    pub arrival_date: Option<Timestamp>,
    /// The message that could not be delivered, as far as the report shows it.
    pub original: OriginalMessage,
    /// One entry per recipient the report is about (failed, delayed, delivered...).
    pub recipients: Vec<RecipientStatus>,
    /// The original message's Received chain, oldest hop first.
    pub hops: Vec<Hop>,
    /// The bounce message's own Received chain, oldest hop first.
    pub bounce_hops: Vec<Hop>,
    /// SPF / DKIM / DMARC verdicts recorded on the original message.
    pub auth: AuthResults,
    /// ARF Feedback-Type (abuse, fraud, ...) for feedback reports.
    pub feedback_type: Option<String>,
    /// Set when the message went past one of the engine's limits (recipients, MIME
    /// parts or depth, text size): what was not read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cut: Option<String>,
}

/// Headers of the message that bounced, from the attached `message/rfc822`,
/// `text/rfc822-headers`, or the quoted text when that is all there is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OriginalMessage {
    pub from: Option<String>,
    pub to: Option<String>,
    pub subject: Option<String>,
    pub message_id: Option<String>,
    pub date: Option<Timestamp>,
}

/// What happened to one recipient.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecipientStatus {
    /// Final-Recipient (the address as the reporting MTA saw it), without the type prefix.
    pub recipient: String,
    /// Original-Recipient, when given and different.
    pub original_recipient: Option<String>,
    /// Action, lowercased: failed, delayed, delivered, relayed, expanded (or what was written).
    pub action: Option<String>,
    /// Enhanced status code (RFC 3463) found in the report: its Status: field or the
    /// diagnostic text. Never inferred (see `status_inferred`).
    pub status: Option<StatusCode>,
    /// When the report gave no enhanced code: the registered code the reason stands for
    /// (`userunknown`: 5.1.1). Kept apart so nobody mistakes it for the server's word.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_inferred: Option<StatusCode>,
    /// SMTP reply code (RFC 5321) from the diagnostic, e.g. 550.
    pub reply_code: Option<u16>,
    pub remote_mta: Option<String>,
    /// Diagnostic-Code type ("smtp", "X-Postfix", ...).
    pub diagnostic_type: Option<String>,
    /// Full diagnostic text: unfolded, otherwise as written.
    pub diagnostic: String,
    pub last_attempt: Option<Timestamp>,
    pub reason: Reason,
    /// Hard (the address is dead: do not send to it again) or soft. Written by the
    /// verdict (`crate::verdict`), which also picks the advice, so the two never disagree.
    pub hard: bool,
    /// One line naming the field or text that decided the reason.
    pub why: String,
    /// The name of the engine rule that decided the reason (`status-code`, `phrase`,
    /// `provider-code`, `stage-before-mail-from`, ...): `why` says it in words.
    #[serde(default)]
    pub rule: String,
    /// The SMTP stage the failure answered, where the report says it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<Command>,
    /// A provider's own code found in the reply (`[TSS04]`, `AUP#CXBL`, `OFR_506`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider_code: Option<ProviderCode>,
    /// The verdict's advice, written with `hard` by the verdict (`crate::verdict`), so
    /// that what is printed per record needs no second decision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub advice: Option<Advice>,
}

/// The verdict's advice on one recipient, as its words: what to do about resending,
/// the catalog entry that explains it, and why that entry and verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Advice {
    /// `retry-later`, `fix-then-resend`, `do-not-retry` or `not-needed`.
    pub retry: String,
    /// The entry's key, `provider/key` for a provider's own entry.
    pub entry: String,
    pub because: String,
}

/// A provider's own code, found in a reply by one of the schemes in
/// `assets/provider-codes/`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderCode {
    /// The scheme's id (`yahoo-ts`).
    pub scheme: String,
    /// The code as the provider wrote it (`TSS04`).
    pub code: String,
}

impl RecipientStatus {
    /// A recipient with only an address; the rest is filled in by the readers.
    pub fn new(recipient: impl Into<String>) -> Self {
        RecipientStatus {
            recipient: recipient.into(),
            original_recipient: None,
            action: None,
            status: None,
            status_inferred: None,
            reply_code: None,
            remote_mta: None,
            diagnostic_type: None,
            diagnostic: String::new(),
            last_attempt: None,
            reason: Reason::Undefined,
            hard: false,
            why: String::new(),
            rule: String::new(),
            stage: None,
            provider_code: None,
            advice: None,
        }
    }

    /// The domain part of the recipient address, lowercased.
    pub fn domain(&self) -> Option<String> {
        let at = self.recipient.rfind('@')?;
        let d = self.recipient[at + 1..].trim_end_matches('>').trim();
        (!d.is_empty()).then(|| d.to_ascii_lowercase())
    }
}

/// One Received header, parsed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hop {
    pub from: Option<String>,
    pub by: Option<String>,
    /// The `with` protocol (SMTP, ESMTPS, ESMTPSA, LMTP, HTTP, ...).
    pub with: Option<String>,
    pub id: Option<String>,
    pub for_addr: Option<String>,
    pub time: Option<Timestamp>,
    /// Seconds since the previous hop; negative means clock skew. None for the first
    /// hop or when either time is missing.
    pub delay_secs: Option<i64>,
    /// The delay is negative: the clocks of the two hosts disagree.
    pub skew: bool,
    /// The hop says it used TLS (`with ESMTPS*`, `version=TLS...`, `(using TLS...)`).
    pub tls: bool,
    /// The header as written, unfolded.
    pub raw: String,
}

/// Total transit time of a chain: last hop's time minus first hop's time.
pub fn transit_secs(hops: &[Hop]) -> Option<i64> {
    let first = hops.iter().find_map(|h| h.time)?;
    let last = hops.iter().rev().find_map(|h| h.time)?;
    Some(last.signed_duration_since(first).num_seconds())
}

/// SPF, DKIM and DMARC verdicts on the original message.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthResults {
    pub spf: Option<AuthVerdict>,
    pub dkim: Vec<AuthVerdict>,
    pub dmarc: Option<AuthVerdict>,
    /// Who checked: the authserv-id of each Authentication-Results header read, in
    /// message order. In a returned message these are hops on the way out (often the
    /// sender's own relays), not the receiving server that refused it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checked_by: Vec<String>,
}

impl AuthResults {
    pub fn is_empty(&self) -> bool {
        self.spf.is_none() && self.dkim.is_empty() && self.dmarc.is_none()
    }
}

/// One verdict: `pass`, `fail`, `softfail`, `neutral`, `none`, `temperror`, `permerror`...
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthVerdict {
    pub result: String,
    /// The domain the verdict is about (smtp.mailfrom, header.d, header.from).
    pub domain: Option<String>,
}
