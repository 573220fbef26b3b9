//! The suppression list: the addresses to stop sending to. It follows the verdict, so
//! it holds every hard-failed address. Under an optional [`Policy`] (the config's
//! `[suppression]` table) it also holds every address that failed soft
//! `soft_failures` times within `soft_days` days: a mailbox that is full for a month
//! or suspended for good never turns hard, yet mail to it is wasted.
//!
//! What counts as a soft failure of an address is narrower than "not hard": only a
//! failed delivery (a bounce, not a delay notice, a delivery report, a complaint or an
//! automatic reply) whose reason is about the recipient's side. A refusal of *our*
//! mail (our IP on a blocklist, our reputation, authentication, content, size, rate)
//! says nothing about the address: counting it would suppress every customer of a
//! provider the day it blocks us. Nor does a failure whose cause the report leaves
//! unknown (`onhold`, `undefined`). A failure without a date cannot be placed in a
//! window and does not count. Two copies of one bounce (same time, same original
//! Message-ID, say in two folders) count once.
//!
//! Pure: records in, addresses out, no configuration read here.

use std::collections::{BTreeMap, BTreeSet};

use crate::bounce::{Kind, Reason, RecipientStatus};
use crate::session::Record;

/// The window, in days, when the config names none.
pub const DEFAULT_SOFT_DAYS: u32 = 30;

/// Which soft failures also put an address on the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Soft failures of one address that suppress it; 0 turns the policy off (only
    /// hard addresses are listed).
    pub soft_failures: u32,
    /// The window: that many failures within this many days (the first and the last at
    /// most this many 24-hour days apart).
    pub soft_days: u32,
}

impl Default for Policy {
    fn default() -> Self {
        Policy { soft_failures: 0, soft_days: DEFAULT_SOFT_DAYS }
    }
}

impl Policy {
    /// Off: the list holds the hard addresses only.
    pub const OFF: Policy = Policy { soft_failures: 0, soft_days: DEFAULT_SOFT_DAYS };

    pub fn is_on(&self) -> bool {
        self.soft_failures > 0
    }

    /// The soft rule in words: `failed soft 3 times within 30 days` (empty when off).
    pub fn rule(&self) -> String {
        if !self.is_on() {
            return String::new();
        }
        let times = match self.soft_failures {
            1 => "once".to_string(),
            n => format!("{n} times"),
        };
        let days = match self.soft_days {
            1 => "1 day".to_string(),
            n => format!("{n} days"),
        };
        format!("failed soft {times} within {days}")
    }

    /// What the list holds under this policy, in words: `hard-bounced addresses`, or
    /// `hard-bounced addresses and addresses that failed soft 3 times within 30 days`.
    pub fn describe(&self) -> String {
        if !self.is_on() {
            return "hard-bounced addresses".into();
        }
        format!("hard-bounced addresses and addresses that {}", self.rule())
    }
}

/// The soft failures of one address.
#[derive(Default)]
struct SoftFailures {
    /// When (Unix seconds) and the original Message-ID: a copy of one bounce adds nothing.
    seen: BTreeSet<(i64, Option<String>)>,
    /// The addresses the list takes from them (the failed one, the one the sender wrote).
    listed: BTreeSet<String>,
}

/// The suppression list of `records` under `policy`: unique addresses, lowercased and
/// sorted. Anything that does not look like one address is left out.
pub fn list<'r>(records: impl IntoIterator<Item = &'r Record>, policy: &Policy) -> Vec<String> {
    let mut set = BTreeSet::new();
    let mut soft: BTreeMap<String, SoftFailures> = BTreeMap::new();
    for r in records {
        let rcpt = r.recipient();
        if rcpt.hard {
            set.extend(addresses(rcpt));
            continue;
        }
        if !policy.is_on() || !is_soft_failure(r) {
            continue;
        }
        let Some(when) = r.date() else { continue };
        let Some(key) = plausible(&rcpt.recipient) else { continue };
        let entry = soft.entry(key).or_default();
        entry.seen.insert((when.timestamp(), r.report.original.message_id.clone()));
        entry.listed.extend(addresses(rcpt));
    }
    let window = i64::from(policy.soft_days) * 86_400;
    for failures in soft.into_values() {
        let times: Vec<i64> = failures.seen.into_iter().map(|(t, _)| t).collect();
        if repeated(&times, policy.soft_failures as usize, window) {
            set.extend(failures.listed);
        }
    }
    set.into_iter().collect()
}

/// True when `n` of the sorted `times` lie within `window` seconds of each other.
fn repeated(times: &[i64], n: usize, window: i64) -> bool {
    n > 0 && times.len() >= n && times.windows(n).any(|w| w[n - 1] - w[0] <= window)
}

/// True when the record is a failed delivery that says something about the address
/// and the verdict left it soft (see the module header).
pub fn is_soft_failure(record: &Record) -> bool {
    let rcpt = record.recipient();
    if rcpt.hard || record.kind() != Kind::Bounce {
        return false;
    }
    // A bounce can list recipients that were delayed or delivered next to the failed one.
    let not_failed = ["delayed", "delivered", "relayed", "expanded"];
    if rcpt.action.as_deref().is_some_and(|a| not_failed.contains(&a)) {
        return false;
    }
    about_the_address(rcpt.reason)
}

/// Whether a failure with this reason is about the recipient's mailbox, domain or
/// servers (true) or about our mail, our servers or our reputation (false). Every
/// reason is named, so a new one needs a decision here.
fn about_the_address(reason: Reason) -> bool {
    use Reason::*;
    match reason {
        UserUnknown | HostUnknown | MailboxFull | HasMoved | Suspend | Filtered | SystemFull
        | SystemError | NetworkError | Expired | NotAccept | MailerError => true,
        Blocked | RequirePtr | BadReputation | SpamDetected | VirusDetected | PolicyViolation
        | AuthFailure | NoRelaying | Rejected | SecurityError | ContentError | MesgTooBig
        | ExceedLimit | Speeding | TooManyConn | NotCompliantRfc | FailedStartTls | SyntaxError => {
            false
        }
        // The report does not say what went wrong: nothing points at the address.
        OnHold | Undefined => false,
        // Not failures at all.
        Feedback | Vacation | Delivered => false,
    }
}

/// The address that failed, and the one the sender wrote when an alias or a forward
/// changed it: the list holds what the sender's own list holds.
fn addresses(rcpt: &RecipientStatus) -> impl Iterator<Item = String> + '_ {
    std::iter::once(rcpt.recipient.as_str())
        .chain(rcpt.original_recipient.as_deref())
        .filter_map(plausible)
}

/// The address without angle brackets, lowercased; `None` unless it looks like one
/// address (an `@`, no spaces, nothing that could hide or spoof a character).
fn plausible(addr: &str) -> Option<String> {
    let addr = addr.trim().trim_start_matches('<').trim_end_matches('>');
    let ok =
        addr.contains('@') && !addr.chars().any(|c| c.is_whitespace() || crate::text::is_unsafe(c));
    ok.then(|| addr.to_lowercase())
}

#[cfg(test)]
mod tests;
