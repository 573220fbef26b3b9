//! Microsoft Exchange and Office 365 notices without a usable delivery-status part:
//! "did not reach the following recipient(s)" (2003), "Delivery has failed to these
//! recipients or groups" and "Diagnostic information for administrators" (2007 and
//! later), where each recipient is followed by `Remote Server returned '<reply>'` and
//! the notice names the `Generating server`.

use super::{Found, Notice, generic};

/// Phrases of this family's notice, lowercase.
const MARKERS: &[&str] = &[
    "did not reach the following recipient",
    "delivery has failed to these recipients",
    "diagnostic information for administrators",
    "your message couldn't be delivered",
    "remote server returned",
];

pub fn read(n: &Notice<'_>) -> Option<Found> {
    if !n.mentions(MARKERS) {
        return None;
    }
    let mut found = generic::read_as(n, "exchange")?;
    found.generating_server = generating_server(n.text);
    for r in &mut found.recipients {
        if let Some(reply) = server_reply_for(n.text, &r.recipient) {
            r.diagnostic = reply;
        }
    }
    Some(found)
}

/// `Generating server: host` in the administrators' section.
fn generating_server(text: &str) -> Option<String> {
    text.lines().find_map(|l| {
        let l = l.trim();
        let rest = l.strip_prefix("Generating server:")?;
        rest.split_whitespace().next().map(str::to_string)
    })
}

/// The `Remote Server returned '...'` (or `#550 ... ##`) reply written under the
/// recipient's address in the administrators' section.
fn server_reply_for(text: &str, recipient: &str) -> Option<String> {
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let lower = recipient.to_ascii_lowercase();
    for (i, line) in lines.iter().enumerate() {
        if !line.to_ascii_lowercase().starts_with(&lower) {
            continue;
        }
        for next in lines.iter().skip(i + 1).take(4) {
            if let Some(pos) = next.to_ascii_lowercase().find("remote server returned") {
                let rest = next[pos + "remote server returned".len()..].trim();
                let reply = rest.trim_start_matches('\'').trim_end_matches('\'').trim();
                if !reply.is_empty() {
                    return Some(reply.to_string());
                }
            }
            if let Some(reply) = next.strip_prefix('#') {
                return Some(reply.trim_end_matches('#').trim().to_string());
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use crate::bounce::analyze;

    fn sample(name: &str) -> crate::bounce::Report {
        let path = format!("{}/tests/corpus/maildir/bsd/{name}", env!("CARGO_MANIFEST_DIR"));
        analyze(&std::fs::read(path).expect("corpus sample")).expect("a report")
    }

    #[test]
    fn reads_exchange_2003() {
        let report = sample("lhost-exchange2003-01.eml");
        assert_eq!(report.format, "exchange");
        assert_eq!(report.recipients[0].recipient, "kijitora@example.jp");
    }

    #[test]
    fn reads_the_administrators_section() {
        let report = sample("lhost-office365-01.eml");
        assert_eq!(report.format, "exchange");
        let r = &report.recipients[0];
        assert!(
            r.diagnostic.starts_with("550 5.1.10 RESOLVER.ADR.RecipientNotFound"),
            "{}",
            r.diagnostic
        );
        assert_eq!(r.status.map(|s| s.to_string()).as_deref(), Some("5.1.10"));
        assert!(report.generating_server.is_some());
    }
}
