//! A ticket-ready Markdown summary of one incident: what failed (the template and a
//! sample reply), how much (counts, recipients, domains, our IPs the replies name,
//! first and last seen), what it means and what to do (the verdict's entry and advice),
//! and where to go (the entry's reference: a delisting form or postmaster page).
//! Every mail-derived text is cleaned; a reply is fenced so Markdown cannot act on it.

use std::fmt::Write;

use crate::catalog::{Catalog, FixOwner, Retry};
use crate::text::clean_line;

use super::Record;
use super::incident::Incident;

/// The advice of a retry decision, in words.
pub fn retry_words(r: Retry) -> &'static str {
    match r {
        Retry::RetryLater => "temporary: the same message may go through later",
        Retry::FixThenResend => "fix the cause first, then resend",
        Retry::DoNotRetry => "do not retry: remove or correct the addresses",
        Retry::NotNeeded => "nothing to resend",
    }
}

pub fn owner_words(o: FixOwner) -> &'static str {
    match o {
        FixOwner::Sender => "the sender",
        FixOwner::SenderAdmin => "the sender's mail admin",
        FixOwner::Recipient => "the recipient",
        FixOwner::RecipientAdmin => "the recipient's mail admin",
        FixOwner::Provider => "the mail provider",
    }
}

/// Text for a fenced block: no line may close the fence.
fn fenced(s: &str) -> String {
    crate::text::clean(s).replace("```", "'''")
}

/// The Markdown ticket of `incident`, whose records are in `records`.
pub fn ticket(incident: &Incident, records: &[Record]) -> String {
    let mut out = String::new();
    let k = &incident.key;
    let sample = incident.sample().and_then(|i| records.get(i));
    let _ = writeln!(
        out,
        "# Bounce incident: {} {} ({} failures)\n",
        clean_line(&k.org),
        clean_line(&k.code),
        incident.count()
    );
    let _ = writeln!(
        out,
        "## What failed\n\nReply template (addresses, IPs, IDs, dates and numbers masked):\n"
    );
    let _ = writeln!(out, "```\n{}\n```\n", fenced(&k.template));
    if let Some(r) = sample {
        let _ = writeln!(out, "Sample reply ({}):\n", clean_line(&r.recipient().recipient));
        let _ = writeln!(out, "```\n{}\n```\n", fenced(&r.recipient().diagnostic));
    }
    let _ = writeln!(out, "## How much\n");
    let _ = writeln!(
        out,
        "- failures: {} ({} hard, {} soft)",
        incident.count(),
        incident.hard,
        incident.count() - incident.hard
    );
    let _ = writeln!(out, "- distinct recipients: {}", incident.recipients());
    let domains: Vec<String> = incident
        .top_domains(10)
        .into_iter()
        .map(|(d, n)| format!("{} ({n})", clean_line(d)))
        .collect();
    let more = incident.domains.len().saturating_sub(10);
    let _ = write!(out, "- recipient domains ({}): {}", incident.domains.len(), domains.join(", "));
    let _ = writeln!(out, "{}", if more > 0 { format!(" and {more} more") } else { String::new() });
    if !incident.ips.is_empty() {
        let ips: Vec<String> =
            incident.ips.iter().map(|(ip, n)| format!("{} ({n})", clean_line(ip))).collect();
        let _ =
            writeln!(out, "- IP addresses the replies name (our sending IPs): {}", ips.join(", "));
    }
    let when = |t: Option<crate::bounce::Timestamp>| {
        t.map_or("unknown".to_string(), |d| d.naive_utc().format("%Y-%m-%d %H:%M UTC").to_string())
    };
    let _ = writeln!(out, "- first seen: {}", when(incident.first));
    let _ = writeln!(out, "- last seen: {}", when(incident.last));
    if let Some(r) = sample {
        let v = crate::verdict::decide(&r.report, r.recipient(), Catalog::active());
        let e = v.entry;
        let _ = writeln!(out, "\n## Verdict and advice\n");
        let _ = writeln!(
            out,
            "- verdict: **{}** ({}); {}",
            if v.hard { "hard" } else { "soft" },
            clean_line(&v.because),
            retry_words(v.retry)
        );
        let _ = writeln!(
            out,
            "- meaning ({}: {}): {}",
            clean_line(&e.key),
            clean_line(&e.title),
            clean_line(&e.meaning)
        );
        let owners: Vec<&str> = e.fix_owner.iter().map(|o| owner_words(*o)).collect();
        if !owners.is_empty() {
            let _ = writeln!(out, "- who fixes it: {}", owners.join(", "));
        }
        for (label, steps) in [("sender", &e.sender_steps), ("admin", &e.admin_steps)] {
            for step in steps {
                let _ = writeln!(out, "- {label}: {}", clean_line(step));
            }
        }
        if let Some(reference) = &e.reference {
            let _ = writeln!(out, "\n## Links\n\n- {}", clean_line(reference));
        }
    }
    out
}
