//! The cheap first gate: can a message with these headers be a report at all?
//!
//! `analyze` returns `None` whenever this says no, and the IMAP source fetches full
//! bodies only for messages it says yes to. Because both use the same function, a scan
//! over IMAP finds exactly what a scan over the same files on disk finds.
//!
//! Generous on purpose: a false yes costs one body fetch, a false no loses a bounce.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind};

/// Header fields whose mere presence marks a report or automatic message.
const FIELDS: &[&str] = &[
    "x-failed-recipients",
    "auto-submitted",
    "x-autoreply",
    "x-autorespond",
    "x-autoresponder",
    "feedback-type",
    "x-ms-exchange-message-is-ndr",
    "x-mailer-daemon",
    "x-aol-ip",
    "x-ses-outgoing",
    "x-hmxmroriginalrecipient",
];

/// Words that, in From, Return-Path or Sender, mark an automatic sender.
const SENDERS: &[&str] = &[
    "mailer-daemon",
    "mailer daemon",
    "maildaemon",
    "postmaster",
    "mail delivery",
    "mail-delivery",
    "delivery subsystem",
    "mail system",
    "mailsystem",
    "maildelivery",
    "returned mail",
    "bounce",
    "no-reply",
    "noreply",
    "daemon",
    "root@",
    "abuse",
    "fbl",
    "feedback",
    "complaints",
    "scomp",
    "arf",
    "administrator",
    "system",
    "notify",
    "notification",
    "auto",
    "vacation",
    "smtp",
    "mmta",
    "mta",
    "admin",
];

/// Words that, in a Subject, mark a report or automatic reply.
const SUBJECTS: &[&str] = &[
    "undeliver",
    "undelivered",
    "not delivered",
    "non-deliver",
    "nondeliver",
    "delivery",
    "returned",
    "return",
    "failure",
    "failed",
    "fail",
    "error",
    "bounce",
    "rejected",
    "reject",
    "delayed",
    "delay",
    "warning",
    "could not",
    "couldn't",
    "unable",
    "problem",
    "notification",
    "notice",
    "status",
    "report",
    "abuse",
    "complaint",
    "feedback",
    "unsubscribe",
    "spam",
    "auto",
    "automatic",
    "vacation",
    "out of office",
    "out of the office",
    "away",
    "holiday",
    "absence",
    "abwesen",
    "mail system",
    "postmaster",
    "mailer",
    "unknown",
    "invalid",
    "expired",
    "message",
    "ndr",
    "dsn",
    "virus",
    "blocked",
    "quarantine",
    "filter",
    "re:",
    // Common non-English notices (Japanese, German, French, Spanish...).
    "=?",
    "unzustellbar",
    "nicht zugestellt",
    "non remis",
    "no se pudo",
    "non recapitato",
    "onbestelbaar",
];

/// Decide from the raw header block (everything before the first empty line) whether
/// the message could be a bounce, delay, success DSN, feedback report or auto-reply.
/// Must never say no to a message `analyze` would report.
///
/// Lines end at LF, CRLF or a lone CR, so folded lines count in every line-ending style.
pub fn could_be_report(header: &[u8]) -> bool {
    if header.is_empty() {
        return false;
    }
    let text = super::headers::lossy(header).to_ascii_lowercase();
    // The field being read; its value is gathered only when the verdict needs it, so
    // long Received and DKIM fields cost no copy.
    let mut field = "";
    let mut value = String::new();
    let mut wants_value = false;
    for line in lines(&text) {
        if line.starts_with([' ', '\t']) {
            if wants_value {
                value.push(' ');
                value.push_str(line.trim());
            }
            continue;
        }
        if !field.is_empty() && judge(field, &value) {
            return true;
        }
        field = "";
        value.clear();
        wants_value = false;
        if let Some((n, v)) = line.split_once(':') {
            field = n.trim();
            wants_value = judged_by_value(field);
            if wants_value {
                value.push_str(v);
            }
        }
    }
    !field.is_empty() && judge(field, &value)
}

/// The lines of `text`, ended by LF, CRLF or a lone CR.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let t = rest?;
        match memchr::memchr2(b'\n', b'\r', t.as_bytes()) {
            // CR and LF are ASCII, so both sides are on character boundaries.
            Some(i) => {
                let crlf = t.as_bytes()[i] == b'\r' && t.as_bytes().get(i + 1) == Some(&b'\n');
                rest = Some(&t[i + 1 + usize::from(crlf)..]);
                Some(&t[..i])
            }
            None => {
                rest = None;
                Some(t)
            }
        }
    })
}

fn judged_by_value(name: &str) -> bool {
    matches!(
        name,
        "content-type" | "from" | "return-path" | "sender" | "reply-to" | "subject" | "precedence"
    )
}

/// Whether one (lowercased) field marks a report or automatic message.
fn judge(name: &str, value: &str) -> bool {
    // NFAs: the values are short, and a DFA (the default for so few words) costs
    // about a million instructions to build at start-up.
    fn build(words: &[&str]) -> Option<AhoCorasick> {
        AhoCorasick::builder().kind(Some(AhoCorasickKind::ContiguousNFA)).build(words).ok()
    }
    static SENDER_WORDS: LazyLock<Option<AhoCorasick>> = LazyLock::new(|| build(SENDERS));
    static SUBJECT_WORDS: LazyLock<Option<AhoCorasick>> = LazyLock::new(|| build(SUBJECTS));
    // Without its matcher (it cannot fail to build), a word list says yes: a false
    // yes costs a little work, a false no loses a bounce.
    let any_of = |words: &LazyLock<Option<AhoCorasick>>, value: &str| {
        words.as_ref().is_none_or(|ac| ac.is_match(value))
    };
    let value = value.trim();
    match name {
        "content-type" => {
            value.contains("multipart/report")
                || value.contains("delivery-status")
                || value.contains("feedback-report")
        }
        "from" | "return-path" | "sender" | "reply-to" => {
            value.is_empty() || value == "<>" || any_of(&SENDER_WORDS, value)
        }
        "subject" => any_of(&SUBJECT_WORDS, value),
        "precedence" => value.contains("bulk") || value.contains("junk") || value.contains("auto"),
        n => FIELDS.contains(&n),
    }
}

/// The header block of a raw message: the bytes before the first empty line
/// (LF, CRLF or CR-only line endings).
pub fn header_block(raw: &[u8]) -> &[u8] {
    // Only a CR or LF can start the blank line: jump from one to the next.
    for i in memchr::memchr2_iter(b'\n', b'\r', raw) {
        let w = &raw[i..raw.len().min(i + 2)];
        if w == b"\n\n" || w == b"\r\r" {
            return &raw[..i + 1];
        }
        if w == b"\r\n" && raw[i + 2..].starts_with(b"\r\n") {
            return &raw[..i + 2];
        }
    }
    raw
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_typical_reports() {
        assert!(could_be_report(b"From: MAILER-DAEMON@x\nSubject: hi"));
        assert!(could_be_report(b"Content-Type: multipart/report;\n report-type=delivery-status"));
        assert!(could_be_report(b"Subject: Undeliverable: hello\r\nFrom: a@b"));
        assert!(could_be_report(b"Auto-Submitted: auto-replied\nFrom: a@b"));
        // A folded field counts whole whatever the line endings.
        for h in [&b"Subject: lunch\r\n undeliverable\r\nFrom: a@b"[..], b"From:\r\n <>\r\nX: y"] {
            assert!(could_be_report(h), "{}", String::from_utf8_lossy(h));
        }
        assert!(!could_be_report(b"Subject: lunch\r\n today\r\nFrom: a@b"));
    }

    /// The straightforward forms the fast ones must agree with.
    fn reference_verdict(header: &[u8]) -> bool {
        if header.is_empty() {
            return false;
        }
        let text = String::from_utf8_lossy(header).to_ascii_lowercase();
        let (mut field, mut value, mut verdict) = (String::new(), String::new(), false);
        let judge = |name: &str, value: &str| {
            let value = value.trim();
            match name {
                "content-type" => ["multipart/report", "delivery-status", "feedback-report"]
                    .iter()
                    .any(|w| value.contains(w)),
                "from" | "return-path" | "sender" | "reply-to" => {
                    value.is_empty() || value == "<>" || SENDERS.iter().any(|s| value.contains(s))
                }
                "subject" => SUBJECTS.iter().any(|s| value.contains(s)),
                "precedence" => ["bulk", "junk", "auto"].iter().any(|w| value.contains(w)),
                n => FIELDS.contains(&n),
            }
        };
        let text = text.replace("\r\n", "\n").replace('\r', "\n");
        for line in text.split('\n') {
            if line.starts_with([' ', '\t']) {
                value.push(' ');
                value.push_str(line.trim());
                continue;
            }
            if !field.is_empty() {
                verdict |= judge(&field, &value);
            }
            field.clear();
            value.clear();
            if let Some((n, v)) = line.split_once(':') {
                field.push_str(n.trim());
                value.push_str(v);
            }
        }
        if !field.is_empty() {
            verdict |= judge(&field, &value);
        }
        verdict
    }

    fn reference_block(raw: &[u8]) -> &[u8] {
        for (i, w) in raw.windows(2).enumerate() {
            if w == b"\n\n" || w == b"\r\r" {
                return &raw[..i + 1];
            }
            if w == b"\r\n" && raw[i + 2..].starts_with(b"\r\n") {
                return &raw[..i + 2];
            }
        }
        raw
    }

    #[test]
    fn fast_forms_agree_with_the_reference_on_edge_cases_and_the_corpus() {
        let edge: [&[u8]; 9] = [
            b"Subject: lunch\r\n undeliverable\r\nFrom: a@b\r\n\r\n",
            b"Subject: lunch\n undeliverable\nFrom: a@b\n\n",
            b"From: \xc2\xa0\nSubject: x",
            b"From:\xff\xfe<>\nSubject: x",
            b"\xc2\xa0Precedence: bulk",
            b" continued: bounce\nX: y",
            b":subject: bounce\n",
            b"From: mail\n delivery team <x@y>\n",
            b"\r\r\n\n",
        ];
        for h in edge {
            assert_eq!(could_be_report(h), reference_verdict(h), "{}", String::from_utf8_lossy(h));
            assert_eq!(header_block(h), reference_block(h), "{}", String::from_utf8_lossy(h));
        }
        let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/maildir");
        let mut seen = 0;
        for dir in std::fs::read_dir(corpus).expect("corpus").flatten() {
            for file in std::fs::read_dir(dir.path()).into_iter().flatten().flatten() {
                let Ok(raw) = std::fs::read(file.path()) else { continue };
                let block = header_block(&raw);
                assert_eq!(block, reference_block(&raw), "{}", file.path().display());
                assert_eq!(could_be_report(block), reference_verdict(block));
                // The whole message read as a header exercises the long-field paths.
                assert_eq!(could_be_report(&raw), reference_verdict(&raw));
                seen += 1;
            }
        }
        assert!(seen > 700, "{seen}");
    }

    #[test]
    fn rejects_plain_mail() {
        assert!(!could_be_report(b"From: Alice <alice@example.org>\nSubject: lunch tomorrow?"));
        assert!(!could_be_report(b""));
    }
}
