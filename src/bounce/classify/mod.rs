//! Deciding the reason of one recipient's failure and saying in one line what
//! decided it, as an ordered table of named rules.
//!
//! The base rules ([`base`]) give a first reason: what the server's reply says, then
//! the enhanced status code, then the notice's prose, then the action and the reply
//! code. The refining rules ([`refine`]) then correct it from the SMTP stage and the
//! rest of the report. Whichever rule decided last is the record's `rule`; `why` says
//! it in words. Hard or soft is not decided here: the verdict (`crate::verdict`) reads
//! this reading whole and decides it with the advice.

mod base;
mod codes;
mod refine;
#[cfg(test)]
mod tests;

use std::cell::OnceCell;

use super::model::RecipientStatus;
pub use super::notice_facts::{Command, NoticeFacts};
use super::reason::Reason;
use super::status::StatusCode;
pub use codes::{reason_for_code, reason_for_reply};
use refine::Why;

/// Where the status code of a recipient came from, for the `why` line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeSource {
    /// The `Status:` field of a delivery-status part.
    DeliveryStatus,
    /// Read from the diagnostic or notice text.
    Text,
}

/// Fill `reason`, `rule`, `why` and `stage` of a recipient, with the notice's prose as
/// context for what the recipient's own lines do not say.
pub fn classify(r: &mut RecipientStatus, source: CodeSource, facts: &NoticeFacts) {
    classify_at(r, source, facts, Origin::Unknown);
}

/// Where a failure happened, as far as the report's structure tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Not known (text notices, or DSNs that leave it open).
    Unknown,
    /// Inside the reporting system: a well-formed delivery-status part (it names its
    /// Reporting-MTA) without a Remote-MTA, which RFC 3464 §2.3.5 requires for every
    /// failure met while relaying over SMTP. Its words are the system's verdict on its
    /// own mailbox, not a remote server's reply.
    Local,
}

/// [`classify`], knowing where the failure happened.
pub fn classify_at(r: &mut RecipientStatus, source: CodeSource, facts: &NoticeFacts, at: Origin) {
    let input = base::Input {
        r,
        source,
        facts,
        by_code: r.status.and_then(reason_for_code),
        generic: r.status.is_none_or(codes::code_is_generic),
        squashed: OnceCell::new(),
    };
    let (rule, decision) = base::BASE_RULES
        .iter()
        .find_map(|rule| (rule.decide)(&input).map(|d| (rule.name, d)))
        .expect("the last base rule always decides");
    let squashed = input.squashed;
    r.reason = decision.reason;
    r.why = decision.why;
    r.rule = rule.to_string();
    r.provider_code = decision.provider_code;
    if r.reason == Reason::Delivered {
        return;
    }
    let ctx = refine::Ctx::new(facts, at, decision.evidence, r, squashed);
    // A provider's own code says exactly what it means: the stage and wording rules
    // below are for servers that leave the cause to be worked out.
    let refinements =
        if decision.evidence == Evidence::ProviderCode { &[][..] } else { refine::REFINEMENTS };
    for rule in refinements {
        if let Some((reason, why)) = (rule.apply)(r, &ctx) {
            r.reason = reason;
            match why {
                Why::Append(words) => r.why.push_str(words),
                Why::Replace(words) => r.why = words.to_string(),
            }
            r.rule = rule.name.to_string();
        }
    }
    r.stage = ctx.known_command(r);
}

/// What decided a recipient's reason, for the rules that refine it afterwards (they
/// look at this, not at the words of `why`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Evidence {
    /// A phrase of the table, in the recipient's diagnostic or the notice.
    Phrase(&'static str),
    /// The enhanced status code.
    Code,
    /// The action, the reply code, or nothing.
    Other,
    /// A provider's own code (`assets/provider-codes`).
    ProviderCode,
}

/// Whether a reason on its own makes the address dead: the verdict's answer when the
/// reason decides (`crate::verdict`). `notaccept` is dead only when the failure is
/// permanent (a null MX is final, a temporary refusal is not).
pub fn is_hard(reason: Reason, status: Option<StatusCode>, reply: Option<u16>) -> bool {
    if reason == Reason::NotAccept {
        let permanent = status.map(|s| s.class == 5).or(reply.map(|c| c >= 500));
        return permanent.unwrap_or(true);
    }
    reason.is_hard()
}
