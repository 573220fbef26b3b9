//! Postfix without a delivery-status part: "This is the mail system at host ...", then
//! `<address>: host ... said: ...` paragraphs.

use super::{Found, Notice, generic};

/// Phrases of this family's notice, lowercase.
const MARKERS: &[&str] =
    &["this is the mail system at host", "this is the postfix program", "postfix program at host"];

pub fn read(n: &Notice<'_>) -> Option<Found> {
    if !n.mentions(MARKERS) {
        return server_transcript(n);
    }
    generic::read_as(n, "postfix")
}

/// Postfix's SMTP server tells the postmaster about a session it could not finish
/// ("Postfix SMTP server: errors from ...", "Transcript of session follows", then
/// ` In:`/` Out:` lines): every recipient accepted with `RCPT TO` in that session got
/// the first 4xx/5xx the server sent after it.
fn server_transcript(n: &Notice<'_>) -> Option<Found> {
    let subject = n.headers.get("subject").unwrap_or("").to_ascii_lowercase();
    if !subject.starts_with("postfix smtp server: errors from")
        || !n.mentions(&["transcript of session follows"])
    {
        return None;
    }
    let mut pending: Vec<String> = Vec::new();
    let mut recipients = Vec::new();
    for line in n.text.lines() {
        let l = line.trim();
        if let Some(cmd) = l.strip_prefix("In:") {
            let cmd = cmd.trim();
            if cmd.len() > 8 && cmd[..8].eq_ignore_ascii_case("rcpt to:") {
                let addr = cmd[8..].split_whitespace().next().unwrap_or("");
                let addr = addr.trim_start_matches('<').trim_end_matches('>');
                if addr.contains('@') {
                    pending.push(addr.to_string());
                }
            }
        } else if let Some(reply) = l.strip_prefix("Out:") {
            let reply = reply.trim();
            if reply.starts_with(['4', '5']) && !pending.is_empty() {
                for addr in pending.drain(..) {
                    let mut r = crate::bounce::model::RecipientStatus::new(addr);
                    r.diagnostic = reply.to_string();
                    recipients.push(r);
                }
            }
        }
    }
    (!recipients.is_empty()).then(|| Found { format: "postfix", recipients, ..Found::default() })
}

#[cfg(test)]
mod tests {
    use crate::bounce::analyze;

    #[test]
    fn reads_a_real_sample() {
        let path =
            concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus/maildir/bsd/lhost-postfix-34.eml");
        let report = analyze(&std::fs::read(path).expect("corpus sample")).expect("a report");
        assert_eq!(report.format, "postfix");
        assert!(!report.recipients.is_empty());
    }

    #[test]
    fn reads_the_smtp_server_transcript_sent_to_the_postmaster() {
        let path =
            concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus/maildir/bsd/lhost-postfix-75.eml");
        let report = analyze(&std::fs::read(path).expect("corpus sample")).expect("a report");
        let r = &report.recipients[0];
        assert_eq!(r.recipient, "kijitora@libsisimai.net");
        assert_eq!(r.diagnostic, "451 4.3.0 Error: queue file write error");
        assert_eq!(r.reason, crate::bounce::Reason::SystemError);
    }
}
