//! The base rules: the first of them that gives a reason decides it. They look at the
//! recipient's own lines first (what the server replied), then its codes, then the
//! notice's prose, then the action and the reply code.
//!
//! Order matters: servers reuse generic codes (5.0.0, 5.7.1) and say the cause in
//! words, so a phrase decides before a generic code; a specific code decides before a
//! weak phrase; words elsewhere in the notice may be about another recipient, so they
//! come after the recipient's own code.

use std::cell::OnceCell;

use super::codes::{code_is_generic, phrase_beats_code, reason_for_reply};
use super::{CodeSource, Evidence, NoticeFacts};
use crate::bounce::model::{ProviderCode, RecipientStatus};
use crate::bounce::phrases::{self, match_phrase, squash};
use crate::bounce::provider_codes;
use crate::bounce::reason::Reason;
use crate::bounce::status::StatusCode;

/// What the base rules read.
pub(super) struct Input<'a, 'n> {
    pub r: &'a RecipientStatus,
    pub source: CodeSource,
    pub facts: &'a NoticeFacts<'n>,
    /// The reason the enhanced status code stands for on its own.
    pub by_code: Option<Reason>,
    /// The code is missing or one that servers reuse for many causes.
    pub generic: bool,
    /// The diagnostic squashed, made once for whichever rule needs it first.
    pub squashed: OnceCell<String>,
}

impl Input<'_, '_> {
    fn said(&self) -> &str {
        self.squashed.get_or_init(|| squash(&self.r.diagnostic))
    }
}

/// What a base rule decided.
pub(super) struct Decision {
    pub reason: Reason,
    pub why: String,
    pub evidence: Evidence,
    /// The provider's own code that decided, for rule `provider-code`.
    pub provider_code: Option<ProviderCode>,
}

/// A base rule: its name (shown as the record's `rule`), the evidence it needs, and
/// the test that gives the reason.
pub(super) struct BaseRule {
    pub name: &'static str,
    #[allow(dead_code)] // documentation for readers of the table and of `rebound explain`
    pub needs: &'static str,
    pub decide: fn(&Input) -> Option<Decision>,
}

/// The base rules, in order.
pub(super) const BASE_RULES: &[BaseRule] = &[
    BaseRule {
        name: "action-success",
        needs: "Action: delivered, relayed, expanded, or Sendmail's deliverable (an address check that passed)",
        decide: action_success,
    },
    BaseRule {
        name: "provider-code",
        needs: "a provider's own code in the reply, by a scheme of assets/provider-codes",
        decide: provider_code,
    },
    BaseRule {
        name: "local-mailer",
        needs: "a Diagnostic-Code of type X-Unix (or delivery to a |program): the local delivery program failed",
        decide: local_mailer,
    },
    BaseRule {
        name: "phrase",
        needs: "a phrase of the wording table in the server's reply, unless a specific code says otherwise",
        decide: reply_phrase,
    },
    BaseRule {
        name: "status-code",
        needs: "a specific enhanced status code (not x.0.0, x.1.0, x.7.1, x.4.7)",
        decide: specific_code,
    },
    BaseRule {
        name: "notice-phrase",
        needs: "a phrase of the wording table in the notice's prose, when the recipient's code is generic",
        decide: notice_phrase,
    },
    BaseRule {
        name: "generic-status-code",
        needs: "a generic enhanced status code, when no words say more",
        decide: generic_code,
    },
    BaseRule { name: "action-delayed", needs: "Action: delayed", decide: action_delayed },
    BaseRule { name: "action-expired", needs: "Action: expired", decide: action_expired },
    BaseRule {
        name: "reply-code",
        needs: "a reply code that names a cause on its own (500-504, 552, 421, 451)",
        decide: reply_code,
    },
    BaseRule { name: "nothing-recognised", needs: "nothing", decide: nothing_recognised },
];

fn decision(reason: Reason, why: String, evidence: Evidence) -> Option<Decision> {
    Some(Decision { reason, why, evidence, provider_code: None })
}

fn action(r: &RecipientStatus) -> &str {
    r.action.as_deref().unwrap_or("")
}

fn code_text(r: &RecipientStatus) -> String {
    r.status.map(|c| c.to_string()).unwrap_or_default()
}

fn where_code(source: CodeSource) -> &'static str {
    match source {
        CodeSource::DeliveryStatus => "in the delivery-status part",
        CodeSource::Text => "in the server reply",
    }
}

fn action_success(i: &Input) -> Option<Decision> {
    let action = action(i.r);
    if !matches!(action, "delivered" | "relayed" | "expanded" | "deliverable") {
        return None;
    }
    let why = format!("Action: {action} in the delivery-status part");
    decision(Reason::Delivered, why, Evidence::Other)
}

/// A Diagnostic-Code of type X-Unix is the answer of a local delivery program (Sendmail's
/// and Postfix's local mailers, procmail, a pipe), often only its exit code: that
/// program failed, whatever words it printed — unless those words say the mailbox is
/// full, which the program found and reports.
fn local_mailer(i: &Input) -> Option<Decision> {
    let unix = i.r.diagnostic_type.as_deref().is_some_and(|t| t.eq_ignore_ascii_case("x-unix"));
    if !unix {
        return None;
    }
    if let Some((Reason::MailboxFull, phrase)) = match_phrase(&i.r.diagnostic) {
        let why = format!("the local mailer (X-Unix) says \"{phrase}\"");
        return decision(Reason::MailboxFull, why, Evidence::Phrase(phrase));
    }
    let said = i.r.diagnostic.trim();
    let why = if said.is_empty() {
        "Diagnostic-Code type X-Unix: the local delivery program failed".to_string()
    } else {
        format!(
            "Diagnostic-Code type X-Unix ({}): the local delivery program failed",
            said.chars().take(40).collect::<String>()
        )
    };
    decision(Reason::MailerError, why, Evidence::Other)
}

/// A provider's code is its own statement of the cause: it outranks the generic codes
/// and the words it is stamped on.
fn provider_code(i: &Input) -> Option<Decision> {
    if i.r.diagnostic.is_empty() {
        return None;
    }
    let hit = provider_codes::find(i.said(), &|p| provider_codes::handled_by(i.r, p))?;
    Some(Decision {
        reason: hit.row.reason,
        why: format!("provider code {} ({}): {}", hit.code, hit.scheme.provider, hit.row.meaning),
        evidence: Evidence::ProviderCode,
        provider_code: Some(hit.to_record()),
    })
}

fn reply_phrase(i: &Input) -> Option<Decision> {
    let quoted = quoted_reply(&i.r.diagnostic);
    // Most diagnostics are the reply itself: squash them once, shared with the rules
    // after this one.
    let found = if std::ptr::eq(quoted, i.r.diagnostic.as_str()) {
        phrases::match_phrase_squashed(i.said())
    } else {
        match_phrase(quoted)
    };
    let (reason, phrase) = found?;
    // A network code (4.4.x) in a report that says the retries ran out: the queue
    // lifetime, not the last connection error, ended delivery. Vendor-specific details
    // (Exchange's 4.4.312 ...) name their own cause.
    let expired_network = reason == Reason::Expired
        && i.by_code == Some(Reason::NetworkError)
        && i.r.status.is_some_and(|s| s.detail <= 7);
    let strong = phrase_beats_code(reason) && !phrases::is_weak(phrase)
        || phrases::is_strong(phrase)
        || expired_network;
    if !(i.generic || i.by_code.is_none() || i.by_code == Some(reason) || strong) {
        return None;
    }
    decision(reason, format!("diagnostic says \"{phrase}\""), Evidence::Phrase(phrase))
}

fn specific_code(i: &Input) -> Option<Decision> {
    let reason = i.by_code.filter(|_| !i.generic)?;
    let why = format!("Status: {} {}", code_text(i.r), where_code(i.source));
    decision(reason, why, Evidence::Code)
}

fn notice_phrase(i: &Input) -> Option<Decision> {
    // Sendmail keeps only the first line of a multi-line reply in Diagnostic-Code, so
    // the notice may say more. A code that names its subject (5.6.0: the content,
    // 4.4.7: the queue) outranks words read from elsewhere in the notice, which may be
    // about another recipient or hop. Security codes (x.7.x) are stamped on every kind
    // of refusal: not these.
    let subject_known =
        i.by_code.is_some() && i.r.status.is_some_and(|s| !matches!(s.subject, 0 | 7));
    if !i.r.status.is_none_or(code_is_generic) || subject_known {
        return None;
    }
    let (reason, phrase) = i.facts.phrase()?;
    decision(reason, format!("notice says \"{phrase}\""), Evidence::Phrase(phrase))
}

fn generic_code(i: &Input) -> Option<Decision> {
    let reason = i.by_code?;
    let why = format!("Status: {} {}", code_text(i.r), where_code(i.source));
    decision(reason, why, Evidence::Code)
}

fn action_delayed(i: &Input) -> Option<Decision> {
    if action(i.r) != "delayed" {
        return None;
    }
    decision(Reason::Expired, "Action: delayed".into(), Evidence::Other)
}

fn action_expired(i: &Input) -> Option<Decision> {
    if action(i.r) != "expired" {
        return None;
    }
    decision(Reason::Expired, "Action: expired".into(), Evidence::Other)
}

fn reply_code(i: &Input) -> Option<Decision> {
    let code = i.r.reply_code?;
    decision(reason_for_reply(code)?, format!("reply code {code}"), Evidence::Other)
}

/// Something was said but nothing we recognise: on hold for a person to read.
/// Nothing at all: undefined.
fn nothing_recognised(i: &Input) -> Option<Decision> {
    let r = i.r;
    let said_something = !r.diagnostic.trim().is_empty();
    let reason = if r.status.is_some() || r.reply_code.is_some() || said_something {
        Reason::OnHold
    } else {
        Reason::Undefined
    };
    let why = match (r.status, r.reply_code) {
        (Some(c), _) => format!("only the class of {c} is known"),
        (None, Some(c)) => format!("only the reply code {c} is known"),
        _ if said_something => "the diagnostic names no cause we recognise".to_string(),
        _ => "nothing in the report names a cause".to_string(),
    };
    decision(reason, why, Evidence::Other)
}

/// The remote server's own reply inside a relay's summary line. Amazon SES writes
/// `5.1.0 - Unknown address error 550-'5.7.1 <...>... Access denied'`: the words between
/// the code and the quoted reply are SES's stock title for its code, not the server's
/// verdict, and the "(delivery attempts: 0)" after it is SES's count, so only the
/// quoted reply is read for phrases.
pub(super) fn quoted_reply(diagnostic: &str) -> &str {
    let d = diagnostic.trim_start();
    let Some((code, rest)) = d.split_once(" - ") else { return diagnostic };
    if StatusCode::parse(code).is_none() {
        return diagnostic;
    }
    let reply_start = rest.char_indices().find(|&(i, c)| {
        let b = rest.as_bytes();
        matches!(c, '4' | '5')
            && (i == 0 || b[i - 1] == b' ')
            && b.get(i + 1..i + 3).is_some_and(|d| d.iter().all(u8::is_ascii_digit))
            && matches!(b.get(i + 3), Some(b'-' | b' '))
    });
    let Some((i, _)) = reply_start else { return diagnostic };
    // SES ends the line with its own "(delivery attempts: N)" count: not the reply.
    let reply = &rest[i..];
    reply.rfind("(delivery attempts").map_or(reply, |end| &reply[..end])
}
