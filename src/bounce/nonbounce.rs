//! Messages that talk about delivery but report no failed delivery: a person's reply
//! quoting an old bounce, an out-of-office reply sent without the RFC 3834 headers, and
//! challenge-response or whitelist requests that hold a message until the sender
//! confirms. Reporting any of them as a failure would put a live address on a
//! suppression list.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;

use super::headers::Headers;

/// Local parts and display names of the addresses mail systems send notices from.
const SYSTEM_SENDERS: &[&str] = &[
    "mailer-daemon",
    "mailer_daemon",
    "mailerdaemon",
    "mail-daemon",
    "postmaster",
    "post_master",
    "mail delivery",
    "delivery subsystem",
    "mail administrator",
    "mailadmin",
    "bounce",
];

/// True when the From field is a mail system's address, not a person's.
pub fn is_system_sender(h: &Headers) -> bool {
    let from = h.get("from").unwrap_or("").to_ascii_lowercase();
    SYSTEM_SENDERS.iter().any(|s| from.contains(s))
}

/// Subject prefixes of a reply, in the languages mail programs write them.
const REPLY_PREFIXES: &[&str] =
    &["re:", "aw:", "sv:", "antw:", "r:", "ref:", "odp:", "vs:", "res:"];

/// A person's reply (`Re: ...` from someone who is not a mail system, with no report
/// part and no automatic-reply header): it may quote a bounce, but it reports nothing.
pub fn is_personal_reply(h: &Headers) -> bool {
    let subject = h.decoded("subject").unwrap_or_default().to_lowercase();
    let subject = subject.trim_start();
    let reply = REPLY_PREFIXES.iter().any(|p| subject.starts_with(p));
    let content_type = h.get("content-type").unwrap_or("").to_ascii_lowercase();
    reply
        && !is_system_sender(h)
        && !content_type.contains("report")
        && h.get("auto-submitted").is_none()
        && h.get("x-failed-recipients").is_none()
        && !automatic_signs(h)
}

/// Headers by which automatic mail marks itself, whatever else it omits: an empty
/// Return-Path, a bulk or junk Precedence.
fn automatic_signs(h: &Headers) -> bool {
    let null_return = h.get("return-path").is_some_and(|r| {
        let r = r.trim();
        r.is_empty() || r == "<>"
    });
    let precedence = h.get("precedence").is_some_and(|p| {
        matches!(p.trim().to_ascii_lowercase().as_str(), "bulk" | "junk" | "list")
    });
    null_return || precedence
}

/// Out-of-office wording, lowercase, in the languages most seen.
const AWAY: &[&str] = &[
    "out of the office",
    "out of office",
    "i am currently away",
    "i am away",
    "i'm away",
    "i am on leave",
    "on annual leave",
    "i will be back",
    "i'll be back",
    "i will return",
    "back in the office",
    "limited access to email",
    "limited access to e-mail",
    "i will reply as soon as",
    "i will respond as soon as",
    "i will endeavour to reply",
    "i will endeavor to reply",
    "reply as soon as possible",
    "respond to your message as soon as",
    "i will get back to you",
    "thank you for your e-mail",
    "thank you for your email",
    "thank you for your message",
    "bin ich nicht im büro",
    "ich bin bis",
    "außer haus",
    "ausser haus",
    "je suis absent",
    "je serai absent",
    "absent du bureau",
    "estoy fuera de la oficina",
    "fuera de la oficina",
    "sono assente",
    "fuori ufficio",
    "ben ik afwezig",
    "estou ausente",
    "jestem nieobecn",
];

/// An out-of-office reply without Auto-Submitted: a message that marks itself as
/// automatic (empty Return-Path, Precedence bulk/junk) and says the person is away or
/// will answer later, from someone who is not a mail system.
pub fn out_of_office(h: &Headers, text: &str) -> Option<String> {
    if is_system_sender(h) || !automatic_signs(h) {
        return None;
    }
    let head: String = text.chars().take(2000).collect::<String>().to_lowercase();
    let head = head.split_whitespace().collect::<Vec<_>>().join(" ");
    let said = AWAY.iter().find(|w| head.contains(*w))?;
    Some(format!("out-of-office wording \"{said}\" in an automatic message from a person"))
}

/// Wording of challenge-response systems and whitelist requests, lowercase.
const CHALLENGE: &[&str] = &[
    "requires confirmation",
    "confirm this mail server",
    "waitlisted",
    "guest list",
    "not pre-approved",
    "verify that you are a human",
    "verify you are a human",
    "verify you are human",
    "prove that you are human",
    "prove you are human",
    "confirm that you are a human",
    "confirm you are human",
    "challenge-response",
    "challenge/response",
    "sender verification request",
    "please confirm your message",
    "approved senders list",
    "spamarrest",
    "spam arrest",
    "mailblocks",
    "choicemail",
];

/// A challenge-response or whitelist request: the text asks the sender to confirm or
/// get approved before the message is delivered. `squashed` are the notice and the
/// recipients' diagnostics, squashed (see [`super::phrases::squash`]): the notice's squashed form is
/// already made for the other notice searches, and squashing 64 KiB again cost more
/// than the search.
pub fn challenge<'t>(squashed: impl IntoIterator<Item = &'t str>) -> Option<String> {
    // Every report is asked: one pass per text for all the wordings, the first in
    // table order winning.
    static FINDER: LazyLock<Option<AhoCorasick>> =
        LazyLock::new(|| AhoCorasick::new(CHALLENGE).ok());
    let finder = FINDER.as_ref()?;
    for lower in squashed {
        let first = finder.find_overlapping_iter(lower).map(|m| m.pattern().as_usize()).min();
        if let Some(w) = first.map(|i| CHALLENGE[i]) {
            return Some(format!(
                "a challenge-response request (\"{w}\"): the message waits for the sender to confirm"
            ));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::super::phrases::squash;
    use super::*;
    use crate::bounce::extract::testing::sample_from;

    fn headers(raw: &str) -> Headers {
        Headers::parse(raw)
    }

    #[test]
    fn a_persons_reply_is_not_a_report_but_a_system_notice_with_re_is() {
        let h = headers("From: Ann <ann@example.org>\nSubject: Re: your order\n");
        assert!(is_personal_reply(&h));
        let h = headers("From: post_master@vtext.example.com\nSubject: Re:Test message\n");
        assert!(!is_personal_reply(&h));
        let h = headers("From: ann@example.org\nSubject: Re: x\nAuto-Submitted: auto-replied\n");
        assert!(!is_personal_reply(&h), "an automatic reply is read as one");
    }

    #[test]
    fn an_out_of_office_reply_without_rfc_3834_headers() {
        let raw = sample_from("bounceparser", "autoreply.eml");
        let text = String::from_utf8_lossy(&raw).replace("\r\n", "\n");
        let (head, body) = text.split_once("\n\n").expect("a body");
        let why = out_of_office(&headers(head), body).expect("recognised");
        assert!(why.starts_with("out-of-office wording"), "{why}");
        // The same words from a mail system, or without any automatic sign, are not.
        let h = headers("From: Mail Delivery System <MAILER-DAEMON@x>\nReturn-Path: <>\n");
        assert!(out_of_office(&h, "I will be back on Monday").is_none());
        let h = headers("From: ann@example.org\n");
        assert!(out_of_office(&h, "I will be back on Monday").is_none());
    }

    #[test]
    fn challenge_requests_are_told_apart_from_spam_refusals_that_mention_a_whitelist() {
        assert!(
            challenge([squash(
                "550 Your server requires confirmation. Visit http://x/Whitelist.aspx"
            )
            .as_str()])
            .is_some()
        );
        assert!(
            challenge([squash("Your message about \"x\" has  been\nwaitlisted.").as_str()])
                .is_some()
        );
        let spam = "550 Message rejected as spam. Contact the person you are emailing so they may add you to our whitelist";
        assert!(challenge([squash(spam).as_str()]).is_none());
    }
}
