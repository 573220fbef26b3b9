//! One verdict per failed recipient: hard or soft, the retry advice, who fixes it and
//! the catalog entry that explains it, decided together by [`decide`] so they cannot
//! disagree. Every view, report and command reads this; nothing else decides hard or
//! soft or picks an entry for a recipient.
//!
//! Hard means the address itself cannot receive mail: do not send to it again (it goes
//! on the suppression list). Soft means it can, later or once something is fixed. A
//! delay notice is never hard.
//!
//! The evidence is taken from the most specific to the least (see
//! `docs/design/verdict.md`):
//! 1. the provider's own code in the reply (`assets/provider-codes/`);
//! 2. the entry of the provider that handled the failure, for its wording or for the
//!    exact code;
//! 3. the entry for the engine's specific reason — or the registry entry of the exact
//!    code when that code means the same reason (it says it more precisely);
//! 4. the registry entry for the exact code, when the reason is vague;
//! 5. the code's subject class or class, or the reply code.
//!
//! A catch-all code (x.0.0, 5.5.0, 5.1.0, x.7.0, a bare 550 or 554) never outranks a
//! specific reason.

use crate::bounce::classify::{is_hard, reason_for_code, reason_for_reply};
use crate::bounce::provider_codes::{self, Row};
use crate::bounce::{Kind, Reason, RecipientStatus, Report, StatusCode};
use crate::catalog::attribution;
use crate::catalog::{Catalog, Entry, FixOwner, Key, Retry};

/// Where the verdict's evidence came from, most specific first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Level {
    /// The provider's own code (`[TSS04]`, `AUP#CXBL`).
    ProviderCode,
    /// The catalog entry of the provider that handled the failure.
    Provider,
    /// The engine's specific reason (its entry, or the exact code that means it).
    Reason,
    /// The registry's entry for the exact code; the reason is vague.
    RegistryCode,
    /// Only the code's class, subject or reply code.
    Class,
    /// Not a failure: a delivery, a complaint, an automatic reply.
    ReportKind,
    /// Nothing fits.
    Fallback,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::ProviderCode => "provider-code",
            Level::Provider => "provider-entry",
            Level::Reason => "reason",
            Level::RegistryCode => "registry-code",
            Level::Class => "class",
            Level::ReportKind => "report-kind",
            Level::Fallback => "fallback",
        }
    }
}

/// The verdict on one recipient.
#[derive(Debug, Clone)]
pub struct Verdict<'c> {
    /// The address is dead: do not send to it again.
    pub hard: bool,
    /// What to do about resending: `DoNotRetry` exactly when `hard`.
    pub retry: Retry,
    /// The catalog entry whose words explain the failure.
    pub entry: &'c Entry,
    pub level: Level,
    /// One line: why this entry and this verdict ("provider code TSS04 (yahoo)",
    /// "reason userunknown outranks the catch-all 5.0.0").
    pub because: String,
    /// The provider code's row, when one decided.
    pub provider_code: Option<&'static Row>,
    /// The provider's match text found in the diagnostic, when one chose the entry.
    pub matched_text: Option<&'c str>,
}

impl Verdict<'_> {
    /// Who must act: the entry's owners.
    pub fn fix_owner(&self) -> &[FixOwner] {
        &self.entry.fix_owner
    }
}

/// Codes servers stamp on every kind of failure: they say nothing a specific reason
/// does not say better.
pub fn is_catch_all(code: StatusCode) -> bool {
    code.detail == 0 && matches!(code.subject, 0 | 1 | 5 | 7)
}

/// The provider that handled this failure, as far as the report's servers and the
/// recipient's domain tell: the remote MTA's, else the report's writer's (see
/// [`attribution::issuer`]), else the owner of the recipient's domain.
pub fn handler<'a>(report: &'a Report, rcpt: &'a RecipientStatus) -> Option<&'a str> {
    attribution::issuer(report, rcpt)
        .or_else(|| rcpt.domain().and_then(|d| attribution::provider_of_name(&d)))
}

/// The verdict on one recipient of a report.
pub fn decide<'c>(report: &Report, rcpt: &RecipientStatus, catalog: &'c Catalog) -> Verdict<'c> {
    let kind = report.kind.unwrap_or(Kind::Bounce);
    if kind == Kind::Challenge {
        return not_a_failure(
            Catalog::challenge_entry(),
            Retry::NotNeeded,
            "a challenge-response request",
        );
    }
    match rcpt.reason {
        Reason::Feedback => {
            return not_a_failure(
                Catalog::feedback_entry(),
                Retry::DoNotRetry,
                "a complaint or unsubscribe request",
            );
        }
        Reason::Vacation => {
            return not_a_failure(
                Catalog::auto_reply_entry(),
                Retry::NotNeeded,
                "an automatic reply",
            );
        }
        Reason::Delivered => {
            let entry = rcpt
                .status
                .and_then(|s| catalog.registry_code(s).map(|(e, _)| e))
                .or_else(|| catalog.broad(rcpt.status, rcpt.reply_code).map(|(e, _)| e))
                .unwrap_or(catalog.fallback());
            return not_a_failure(entry, Retry::NotNeeded, "the message was delivered or relayed");
        }
        _ => {}
    }
    let mut v = evidence(report, rcpt, catalog);
    // A delay notice: the sender's server is still trying. Never "do not retry".
    let delayed = kind == Kind::Delay || rcpt.action.as_deref() == Some("delayed");
    if delayed {
        v.hard = false;
        v.retry = Retry::RetryLater;
        v.because.push_str("; a delay notice: the sending server is still trying");
    }
    v
}

fn not_a_failure<'c>(entry: &'c Entry, retry: Retry, because: &str) -> Verdict<'c> {
    Verdict {
        hard: false,
        retry,
        entry,
        level: Level::ReportKind,
        because: because.to_string(),
        provider_code: None,
        matched_text: None,
    }
}

/// The verdict from the evidence of a failure, level by level.
fn evidence<'c>(report: &Report, rcpt: &RecipientStatus, catalog: &'c Catalog) -> Verdict<'c> {
    let handler = handler(report, rcpt);
    let status = rcpt.status;
    let specific = !rcpt.reason.is_vague();
    let catch_all = status.is_some_and(is_catch_all);
    // The catalog's wordings in the diagnostic, found in one pass for every question.
    let hits = catalog.text_hits(&rcpt.diagnostic);
    let provider_text = || {
        let p = handler?;
        catalog.provider_text_in(&hits, p, status, rcpt.reply_code)
    };

    // 1. The provider's own code: its scheme names the provider.
    if let Some((scheme, row)) = rcpt.provider_code.as_ref().and_then(provider_codes::row_of) {
        let text_of = |p: &str| catalog.provider_text_in(&hits, p, status, rcpt.reply_code);
        let found = text_of(&scheme.provider).or_else(|| handler.and_then(text_of));
        let entry = found
            .map(|(e, _)| e)
            .or_else(|| catalog.reason_entry(row.reason))
            .unwrap_or(catalog.fallback());
        let code = rcpt.provider_code.as_ref().map_or("", |c| c.code.as_str());
        return Verdict {
            hard: row.hard,
            retry: row.retry,
            entry,
            level: Level::ProviderCode,
            because: format!("provider code {code} ({}): {}", scheme.provider, row.meaning),
            provider_code: Some(row),
            matched_text: found.map(|(_, t)| t),
        };
    }
    // 2. The handling provider's entry: its wording, else its entry for the exact code.
    // By code alone it answers for what the code means to that provider, so it yields
    // to words that name another cause (a catch-all code always does).
    if let Some(p) = handler {
        if let Some((entry, text)) = provider_text() {
            return by_entry(
                entry,
                Level::Provider,
                format!("{p}'s wording \"{text}\""),
                Some(text),
            );
        }
        if let Some(code) = status.filter(|_| !(catch_all && specific))
            && let Some(entry) = catalog.provider_code(p, code)
        {
            let from_code = reason_for_code(code) == Some(rcpt.reason);
            let agrees =
                (entry.retry == Retry::DoNotRetry) == is_hard(rcpt.reason, status, rcpt.reply_code);
            if !specific || from_code || agrees {
                return by_entry(entry, Level::Provider, format!("{p}'s entry for {code}"), None);
            }
        }
    }
    // MTA software's templates name the software that wrote them, wherever it runs; they
    // explain the reason in that software's terms, when they agree with it.
    if let Some((entry, text)) = catalog.software_text_in(&hits, status, rcpt.reply_code) {
        let software = entry.provider.as_deref().unwrap_or("");
        let because = format!("{software}'s template \"{text}\"");
        if !specific {
            return by_entry(entry, Level::Provider, because, Some(text));
        }
        let hard = is_hard(rcpt.reason, status, rcpt.reply_code);
        if (entry.retry == Retry::DoNotRetry) == hard {
            let mut v = reconciled(entry, hard, Level::Provider, because);
            v.matched_text = Some(text);
            return v;
        }
    }
    // 3. The engine's specific reason.
    if specific {
        let hard = is_hard(rcpt.reason, status, rcpt.reply_code);
        // A situation of the reason that servers word alike (greylisting among blocks).
        if let Some((entry, text)) = catalog.wording_in(&hits)
            && Key::parse(&entry.key) == Ok(Key::Reason(rcpt.reason))
        {
            let because = format!("reason {}, worded \"{text}\"", rcpt.reason);
            let mut v = reconciled(entry, hard, Level::Reason, because);
            v.matched_text = Some(text);
            return v;
        }
        let code_means_it =
            status.filter(|&c| !is_catch_all(c) && reason_for_code(c) == Some(rcpt.reason));
        // The code's own entry, when its advice agrees with the verdict (a 4.1.1 entry
        // is written for a server still retrying; a final bounce takes the reason's).
        if let Some(code) = code_means_it
            && let Some((entry, _)) = catalog.registry_code(code)
            && (entry.retry == Retry::DoNotRetry) == hard
        {
            let because = format!("reason {} and the code {code} that means it", rcpt.reason);
            return reconciled(entry, hard, Level::Reason, because);
        }
        // A bare reply code whose standard meaning is the reason (421: service not
        // available) has an entry of its own that says it more precisely.
        // Its advice must be the reason's (552 means a full mailbox or a size limit).
        let reason_retry = catalog.reason_entry(rcpt.reason).map(|e| e.retry);
        if status.is_none_or(is_catch_all)
            && rcpt.reply_code.and_then(reason_for_reply) == Some(rcpt.reason)
            && let Some((entry, _)) = catalog.broad(None, rcpt.reply_code)
            && (entry.retry == Retry::DoNotRetry) == hard
            && reason_retry.is_none_or(|r| r == entry.retry)
        {
            let code = rcpt.reply_code.unwrap_or_default();
            let because = format!("reason {} and the reply code {code} that means it", rcpt.reason);
            return reconciled(entry, hard, Level::Reason, because);
        }
        if let Some(entry) = catalog.reason_entry(rcpt.reason) {
            let because = match status {
                Some(code) if catch_all => {
                    format!("reason {} outranks the catch-all {code}", rcpt.reason)
                }
                Some(code) => format!("reason {} read in the words, over {code}", rcpt.reason),
                None => format!("reason {} (no code given)", rcpt.reason),
            };
            return reconciled(entry, hard, Level::Reason, because);
        }
    }
    // 4. The registry's entry for the exact code.
    if let Some((entry, _)) = status.and_then(|c| catalog.registry_code(c)) {
        let code = status.map(|c| c.to_string()).unwrap_or_default();
        return by_entry(entry, Level::RegistryCode, format!("exact code {code}"), None);
    }
    // 5. The class, subject or reply code.
    if let Some((entry, _)) = catalog.broad(status, rcpt.reply_code) {
        let code = status.map(|c| c.to_string()).or(rcpt.reply_code.map(|c| c.to_string()));
        let because = format!("only the class of {}", code.unwrap_or_default());
        return by_entry(entry, Level::Class, because, None);
    }
    by_entry(catalog.fallback(), Level::Fallback, "no code and no reason we know".into(), None)
}

/// A verdict that follows its entry's advice: hard exactly when it says do not retry.
fn by_entry<'c>(
    entry: &'c Entry,
    level: Level,
    because: String,
    text: Option<&'c str>,
) -> Verdict<'c> {
    let hard = entry.retry == Retry::DoNotRetry;
    let retry = if entry.retry == Retry::NotNeeded { Retry::FixThenResend } else { entry.retry };
    Verdict { hard, retry, entry, level, because, provider_code: None, matched_text: text }
}

/// A verdict decided by the reason, with advice that agrees with it: the entry's own
/// advice unless it contradicts the verdict.
fn reconciled<'c>(entry: &'c Entry, hard: bool, level: Level, because: String) -> Verdict<'c> {
    let retry = match (hard, entry.retry) {
        (true, _) => Retry::DoNotRetry,
        (false, Retry::DoNotRetry | Retry::NotNeeded) => Retry::FixThenResend,
        (false, other) => other,
    };
    Verdict { hard, retry, entry, level, because, provider_code: None, matched_text: None }
}

impl Verdict<'_> {
    /// The verdict's advice as the record keeps it.
    pub fn advice(&self) -> crate::bounce::Advice {
        let entry = match &self.entry.provider {
            Some(p) => format!("{p}/{}", self.entry.key),
            None => self.entry.key.clone(),
        };
        crate::bounce::Advice {
            retry: self.retry.as_str().to_string(),
            entry,
            because: self.because.clone(),
        }
    }
}

/// Decide every recipient of a report and write the verdict's `hard` and advice into
/// it, so the list, the filters, the counts and the exports read the same answer.
pub fn apply(report: &mut Report, catalog: &Catalog) {
    let decided: Vec<(bool, crate::bounce::Advice)> = report
        .recipients
        .iter()
        .map(|r| {
            let v = decide(report, r, catalog);
            (v.hard, v.advice())
        })
        .collect();
    for (r, (hard, advice)) in report.recipients.iter_mut().zip(decided) {
        r.hard = hard;
        r.advice = Some(advice);
    }
}

#[cfg(test)]
mod tests;

/// The authentication results to show beside a failure, in the order that matters: a
/// failure the receiving server reports comes first (it is why the message bounced),
/// then what the returned message's own headers record, with who checked it — in a
/// returned message those are hops on the way out, often the sender's own relays, and
/// a "pass" there says nothing of the receiver's verdict.
pub fn auth_lines(report: &Report, rcpt: &RecipientStatus) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if rcpt.reason == Reason::AuthFailure {
        out.push(("Receiver", format!("authentication failed: {}", rcpt.why)));
    }
    let auth = &report.auth;
    if auth.is_empty() {
        if out.is_empty() {
            out.push(("SPF/DKIM/DMARC", "not recorded in the returned message's headers".into()));
        }
        return out;
    }
    let v = |a: &crate::bounce::AuthVerdict| match &a.domain {
        Some(d) => format!("{} ({d})", a.result),
        None => a.result.clone(),
    };
    if let Some(spf) = &auth.spf {
        out.push(("SPF (out)", v(spf)));
    }
    if !auth.dkim.is_empty() {
        out.push(("DKIM (out)", auth.dkim.iter().map(v).collect::<Vec<_>>().join(", ")));
    }
    if let Some(dmarc) = &auth.dmarc {
        out.push(("DMARC (out)", v(dmarc)));
    }
    let who = if auth.checked_by.is_empty() {
        "a hop on the way out (not the receiver)".to_string()
    } else {
        format!("{} — on the way out, not the receiver", auth.checked_by.join(", "))
    };
    out.push(("Checked by", who));
    out
}

/// The words in a message that decided a recipient's reading: its enhanced code, reply
/// code, provider code and the phrase the rule matched, lowercase. The raw view marks
/// the lines that hold them, so a reader can check the verdict against the message.
pub fn evidence_needles(rcpt: &RecipientStatus) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(s) = rcpt.status {
        out.push(s.to_string());
    }
    if let Some(c) = &rcpt.provider_code {
        out.push(c.code.to_lowercase());
    }
    // The phrase a rule quoted: `diagnostic says "user unknown"`.
    if let Some((_, rest)) = rcpt.why.split_once("says \"")
        && let Some((phrase, _)) = rest.split_once('"')
    {
        out.push(phrase.to_lowercase());
    }
    if out.is_empty()
        && let Some(reply) = rcpt.reply_code
    {
        out.push(reply.to_string());
    }
    out.retain(|n| n.len() >= 3);
    out
}
