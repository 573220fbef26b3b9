//! Postfix without a delivery-status part: "This is the mail system at host ...", then
//! `<address>: host ... said: ...` paragraphs. Also the notice Postfix's own SMTP server
//! sends the postmaster when a session fails ("Transcript of session follows." and
//! ` In:` / ` Out:` lines), where the recipients are the session's `RCPT TO` addresses.

use super::addr;
use super::{Found, Notice, generic};
use crate::bounce::diagnostic::parse_reply;
use crate::bounce::model::RecipientStatus;

/// Phrases of this family's notice, lowercase.
const MARKERS: &[&str] =
    &["this is the mail system at host", "this is the postfix program", "postfix program at host"];

pub fn read(n: &Notice<'_>) -> Option<Found> {
    if n.mentions(&["transcript of session follows"]) {
        let recipients = session_transcript(n.text);
        if !recipients.is_empty() {
            return Some(Found { format: "postfix", recipients, ..Found::default() });
        }
    }
    if !n.mentions(MARKERS) {
        return None;
    }
    generic::read_as(n, "postfix")
}

/// Each `RCPT TO` recipient with the error reply that refused it: the reply right after
/// its own `RCPT TO`, or a later one (after `DATA`) when the server accepted it at first.
fn session_transcript(text: &str) -> Vec<RecipientStatus> {
    // Postfix wraps long commands onto indented lines: join them to their ` In:` line.
    let mut entries: Vec<(bool, String)> = Vec::new(); // (is "In:", text)
    for line in text.lines() {
        let t = line.trim_start();
        if let Some(rest) = t.strip_prefix("In:") {
            entries.push((true, rest.trim().to_string()));
        } else if let Some(rest) = t.strip_prefix("Out:") {
            entries.push((false, rest.trim().to_string()));
        } else if line.starts_with([' ', '\t'])
            && !t.is_empty()
            && let Some(last) = entries.last_mut()
        {
            last.1 = format!("{} {t}", last.1);
        }
    }
    let mut recipients: Vec<RecipientStatus> = Vec::new();
    let mut last_rcpt: Option<usize> = None; // the command the next reply answers
    for (is_in, text) in entries {
        if is_in {
            let lower = text.to_ascii_lowercase();
            last_rcpt = None;
            if lower.starts_with("rcpt to:")
                && let Some(a) = addr::first(&text)
            {
                recipients.push(RecipientStatus::new(a));
                last_rcpt = Some(recipients.len() - 1);
            }
            continue;
        }
        if parse_reply(&text).0.is_none_or(|c| c < 400) {
            continue;
        }
        let answered: Vec<usize> = match last_rcpt.take() {
            Some(i) => vec![i],
            None => (0..recipients.len()).collect(),
        };
        for i in answered {
            if recipients[i].diagnostic.is_empty() {
                recipients[i].diagnostic.clone_from(&text);
            }
        }
    }
    // Recipients the server accepted for good are not part of the failure.
    recipients.retain(|r| !r.diagnostic.is_empty());
    recipients
}

#[cfg(test)]
mod tests {
    use super::*;
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
    fn reads_the_smtp_servers_session_transcript() {
        let path =
            concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus/maildir/bsd/lhost-postfix-75.eml");
        let report = analyze(&std::fs::read(path).expect("corpus sample")).expect("a report");
        assert_eq!(report.format, "postfix");
        let [r] = report.recipients.as_slice() else { panic!("{:?}", report.recipients) };
        assert_eq!(r.recipient, "kijitora@libsisimai.net");
        assert_eq!(r.diagnostic, "451 4.3.0 Error: queue file write error");
        assert_eq!(r.reply_code, Some(451));
    }

    #[test]
    fn a_refused_rcpt_keeps_its_own_reply() {
        let text = " In:  RCPT TO:<a@example.org>\n Out: 250 2.1.5 Ok\n In:  RCPT\n     \
                    TO:<b@example.org>\n Out: 550 5.1.1 <b@example.org>: unknown\n In:  DATA\n \
                    Out: 451 4.3.0 Error: queue file write error\n";
        let got: Vec<(String, String)> =
            session_transcript(text).into_iter().map(|r| (r.recipient, r.diagnostic)).collect();
        assert_eq!(
            got,
            [
                ("a@example.org".into(), "451 4.3.0 Error: queue file write error".into()),
                ("b@example.org".into(), "550 5.1.1 <b@example.org>: unknown".into()),
            ]
        );
    }
}
