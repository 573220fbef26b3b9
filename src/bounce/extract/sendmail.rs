//! Sendmail and its ancestors: "----- The following addresses had permanent fatal errors
//! -----" followed by the addresses and a session transcript.

use super::{Found, Notice, addr, generic};
use crate::bounce::model::RecipientStatus;

/// Phrases of this family's notice, lowercase.
const MARKERS: &[&str] = &[
    "following addresses had permanent fatal errors",
    "transcript of session follows",
    "following addresses had permanent delivery errors",
    "following addresses had delivery errors",
];

pub fn read(n: &Notice<'_>) -> Option<Found> {
    if !n.mentions(MARKERS) {
        return None;
    }
    let from_transcript = transcript(n.text);
    if !from_transcript.is_empty() {
        return Some(Found { format: "sendmail", recipients: from_transcript, ..Found::default() });
    }
    generic::read_as(n, "sendmail")
}

/// Recipients from the session transcript: `550 <addr>... reason` lines, each with the
/// remote replies (`<<< ...`) of its session block in front of its own words.
fn transcript(text: &str) -> Vec<RecipientStatus> {
    let mut out: Vec<RecipientStatus> = Vec::new();
    let mut replies: Vec<&str> = Vec::new();
    let mut consumed = false;
    for line in text.lines() {
        let l = line.trim();
        // A new session, or a new command after its replies were used, starts afresh.
        let new_session = l.to_ascii_lowercase().starts_with("while talking to");
        if new_session || l.starts_with(">>>") {
            if new_session || consumed {
                replies.clear();
                consumed = false;
            }
            continue;
        }
        if let Some(reply) = l.strip_prefix("<<<") {
            replies.push(reply.trim());
            continue;
        }
        let Some((code, rest)) = l.split_once(' ') else { continue };
        if code.len() != 3
            || !code.bytes().all(|b| b.is_ascii_digit())
            || !code.starts_with(['4', '5'])
        {
            continue;
        }
        let rest = rest.trim_start_matches('<');
        let Some((0, end, a)) =
            addr::find_all(rest).into_iter().next().map(|(s, e, a)| (s, e, a.to_string()))
        else {
            continue;
        };
        let words = rest[end..].trim_start_matches(['>', '.', ' ']).trim();
        if out.iter().any(|r| r.recipient.eq_ignore_ascii_case(&a)) {
            continue;
        }
        let mut r = RecipientStatus::new(a);
        let mut diag: Vec<&str> = replies.clone();
        diag.push(code);
        diag.push(words);
        r.diagnostic = diag.join(" ");
        out.push(r);
        consumed = true;
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::bounce::analyze;

    #[test]
    fn reads_a_real_sample() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/corpus/maildir/bsd/lhost-v5sendmail-07.eml"
        );
        let report = analyze(&std::fs::read(path).expect("corpus sample")).expect("a report");
        assert_eq!(report.format, "sendmail");
        let who: Vec<&str> = report.recipients.iter().map(|r| r.recipient.as_str()).collect();
        assert_eq!(who, ["kijitora@example.org", "mikeneko@example.org", "hachiware@example.edu"]);
    }
}
