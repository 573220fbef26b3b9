//! The cheap first gate: can a message with these headers be a report at all?
//!
//! `analyze` returns `None` whenever this says no, and the IMAP source fetches full
//! bodies only for messages it says yes to. Because both use the same function, a scan
//! over IMAP finds exactly what a scan over the same files on disk finds.
//!
//! Generous on purpose: a false yes costs one body fetch, a false no loses a bounce.

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
pub fn could_be_report(header: &[u8]) -> bool {
    if header.is_empty() {
        return false;
    }
    let text = String::from_utf8_lossy(header).to_ascii_lowercase();
    let mut field = String::new();
    let mut value = String::new();
    let mut verdict = false;
    let mut judge = |name: &str, value: &str| {
        let value = value.trim();
        verdict |= match name {
            "content-type" => {
                value.contains("multipart/report")
                    || value.contains("delivery-status")
                    || value.contains("feedback-report")
            }
            "from" | "return-path" | "sender" | "reply-to" => {
                value.is_empty() || value == "<>" || SENDERS.iter().any(|s| value.contains(s))
            }
            "subject" => SUBJECTS.iter().any(|s| value.contains(s)),
            "precedence" => {
                value.contains("bulk") || value.contains("junk") || value.contains("auto")
            }
            n => FIELDS.contains(&n),
        };
    };
    for line in text.split(['\n', '\r']) {
        if line.starts_with([' ', '\t']) {
            value.push(' ');
            value.push_str(line.trim());
            continue;
        }
        if !field.is_empty() {
            judge(&field, &value);
        }
        field.clear();
        value.clear();
        if let Some((n, v)) = line.split_once(':') {
            field.push_str(n.trim());
            value.push_str(v);
        }
    }
    if !field.is_empty() {
        judge(&field, &value);
    }
    verdict
}

/// The header block of a raw message: the bytes before the first empty line
/// (LF, CRLF or CR-only line endings).
pub fn header_block(raw: &[u8]) -> &[u8] {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_typical_reports() {
        assert!(could_be_report(b"From: MAILER-DAEMON@x\nSubject: hi"));
        assert!(could_be_report(b"Content-Type: multipart/report;\n report-type=delivery-status"));
        assert!(could_be_report(b"Subject: Undeliverable: hello\r\nFrom: a@b"));
        assert!(could_be_report(b"Auto-Submitted: auto-replied\nFrom: a@b"));
    }

    #[test]
    fn rejects_plain_mail() {
        assert!(!could_be_report(b"From: Alice <alice@example.org>\nSubject: lunch tomorrow?"));
        assert!(!could_be_report(b""));
    }
}
