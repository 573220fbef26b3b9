//! The layout most notices share: a recipient address on a line of its own (or after
//! "delivering your mail to"), followed by the server's reply or an explanation.

use super::addr::{address_line, find_all};
use super::{Found, Notice};
use crate::bounce::model::RecipientStatus;

/// Most lines of diagnostic kept for one recipient.
const MAX_LINES: usize = 12;

/// Sentences that name the failed recipient in the middle of a line.
const SENTENCES: &[&str] = &[
    "deliver",
    "recipient",
    "could not be",
    "couldn't be",
    "failed",
    "not reach",
    "undeliverable",
    "to the following",
    "message to",
    "mail to",
];

pub fn read(n: &Notice<'_>) -> Option<Found> {
    let lines: Vec<&str> = n.text.lines().collect();
    let mut anchors: Vec<(usize, String, String)> = Vec::new(); // (line, address, inline)
    for (i, line) in lines.iter().enumerate() {
        if let Some((addr, rest)) = address_line(line) {
            if !is_boilerplate_line(&rest) {
                anchors.push((i, addr, rest));
            }
            continue;
        }
        let lower = line.to_ascii_lowercase();
        if SENTENCES.iter().any(|s| lower.contains(s))
            && !lower.contains("mail from")
            && !lower.contains("from:")
            && let Some((s, e, a)) = find_all(line).into_iter().next()
        {
            let bracketed = line[..s].ends_with('<') || line[..s].ends_with(' ');
            if bracketed {
                let rest = line[e..]
                    .trim_start_matches(['>', '.', ':', ',', ' ', ')', '"'])
                    .trim()
                    .to_string();
                anchors.push((i, a.to_string(), rest));
            }
        }
    }
    if anchors.is_empty() {
        return None;
    }
    let mut recipients: Vec<RecipientStatus> = Vec::new();
    for (k, (line_no, addr, inline)) in anchors.iter().enumerate() {
        let next = anchors.get(k + 1).map_or(lines.len(), |a| a.0);
        let mut diag: Vec<&str> = Vec::new();
        if !inline.is_empty() {
            diag.push(inline);
        }
        for l in lines.iter().take(next).skip(line_no + 1) {
            let t = l.trim();
            if t.is_empty() {
                if diag.iter().any(|d| !d.trim_end().ends_with(':')) {
                    break;
                }
                continue;
            }
            if diag.len() >= MAX_LINES {
                break;
            }
            diag.push(t);
        }
        if let Some(existing) =
            recipients.iter_mut().find(|r| r.recipient.eq_ignore_ascii_case(addr))
        {
            if existing.diagnostic.is_empty() {
                existing.diagnostic = diag.join(" ");
            }
            continue;
        }
        let mut r = RecipientStatus::new(addr.clone());
        r.diagnostic = diag.join(" ");
        recipients.push(r);
    }
    Some(Found { format: "text", recipients, reporting_mta: None })
}

/// Lines with an address that are not about a failed recipient.
fn is_boilerplate_line(rest: &str) -> bool {
    let l = rest.to_ascii_lowercase();
    l.starts_with("wrote") || l.contains("mailer-daemon")
}
