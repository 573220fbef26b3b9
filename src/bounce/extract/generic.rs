//! The layout most notices share: a recipient address on a line of its own (or after
//! "delivering your mail to"), followed by the server's reply or an explanation.

use super::addr::{address_line, find_all};
use super::{Found, Notice};
use crate::bounce::diagnostic::{parse_reply, reply_code};
use crate::bounce::model::RecipientStatus;

/// Most lines of diagnostic kept for one recipient.
const MAX_LINES: usize = 16;

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
    "address:",
];

pub fn read(n: &Notice<'_>) -> Option<Found> {
    read_as(n, "text")
}

/// The reader of a family whose notices are laid out like the generic ones and known
/// by their wording: read by layout when one of the (lowercase) markers is present.
pub fn read_marked(n: &Notice<'_>, markers: &[&str], format: &'static str) -> Option<Found> {
    if !n.mentions(markers) {
        return None;
    }
    read_as(n, format)
}

/// The shared layout reader, reporting `format` as the reader's name. The family
/// readers recognise their notice and then read it through here.
pub fn read_as(n: &Notice<'_>, format: &'static str) -> Option<Found> {
    let lines: Vec<&str> = n.text.lines().collect();
    let mut anchors: Vec<(usize, String, String)> = Vec::new(); // (line, address, inline)
    let mut last_indent: Option<usize> = None;
    // After "... to the following recipients:", a line may name a recipient by its local
    // part alone (AOL's screen names): completed from the notice's own domain.
    let mut listing = false;
    for (i, line) in lines.iter().enumerate() {
        let indent = line.len() - line.trim_start().len();
        if line.trim().is_empty() {
            last_indent = None;
            continue;
        }
        if listing && let Some(addr) = bare_local_part(line).and_then(|l| complete(l, n)) {
            anchors.push((i, addr, String::new()));
            continue;
        }
        // A deeper-indented line right under an anchor continues its diagnostic.
        if last_indent.is_some_and(|l| indent > l) {
            continue;
        }
        listing = introduces_recipients(line);
        if let Some(anchor) = anchor_in(line, i) {
            // The same address again right below (a reply quoting it) is not a new entry.
            if anchors.last().is_some_and(|a| a.1.eq_ignore_ascii_case(&anchor.1)) {
                continue;
            }
            anchors.push(anchor);
            last_indent = Some(indent);
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
        for (at, l) in lines.iter().enumerate().take(next).skip(line_no + 1) {
            let t = l.trim();
            if t.is_empty() {
                continue;
            }
            if is_separator(t) && diag.is_empty() {
                continue;
            }
            if diag.len() >= MAX_LINES || is_separator(t) || is_heading(&lines, at) {
                break;
            }
            diag.push(t);
        }
        if diag.is_empty() {
            // Some notices (Lotus Notes, Domino) write the reason above the address.
            let floor = if k == 0 { 0 } else { anchors[k - 1].0 + 1 };
            // The paragraph just above, across the blank lines that set the address
            // apart (EZweb: "The user(s) account is disabled.", a blank, the address).
            let above: Vec<&str> = lines[floor..*line_no]
                .iter()
                .rev()
                .map(|l| l.trim())
                .skip_while(|l| l.is_empty())
                .take_while(|l| !l.is_empty() && !is_separator(l))
                .take(3)
                // "The following recipients were affected:" introduces the address;
                // it explains nothing.
                .filter(|l| !l.ends_with(':'))
                .collect();
            diag.extend(above.into_iter().rev());
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
    // One recipient whose lines carry no server reply: the notice's reply line (often
    // written above the address, "Could not be delivered because of / 550 ...") is its.
    if let [only] = recipients.as_mut_slice()
        && parse_reply(&only.diagnostic) == (None, None)
        && let Some(reply) = first_reply_line(&lines)
    {
        only.diagnostic = format!("{reply} {}", only.diagnostic).trim().to_string();
    }
    Some(Found { format, recipients, ..Found::default() })
}

/// A sentence that ends by introducing a list of recipients ("... could not be
/// delivered to the following recipients:").
fn introduces_recipients(line: &str) -> bool {
    let l = line.trim().to_ascii_lowercase();
    l.ends_with(':') && (l.contains("recipient") || l.contains("following address"))
}

/// A line that is one bare local part (`mykewlaolacct`): letters, digits, `.`, `_`, `-`,
/// `+`, no `@`.
fn bare_local_part(line: &str) -> Option<&str> {
    let t = line.trim();
    let ok = !t.is_empty()
        && t.len() <= 64
        && t.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-' | b'+'))
        && t.bytes().any(|b| b.is_ascii_alphabetic());
    ok.then_some(t)
}

/// A bare local part completed to an address: the address with that local part that the
/// report itself writes (a Received `for <...>`, the returned message's To), else the
/// domain of the system that sent the notice (MAILER-DAEMON@aol.com: aol.com).
fn complete(local: &str, n: &Notice<'_>) -> Option<String> {
    let named = find_all(n.full)
        .into_iter()
        .map(|(_, _, a)| a)
        .find(|a| a.split_once('@').is_some_and(|(l, _)| l.eq_ignore_ascii_case(local)));
    if let Some(a) = named {
        return Some(a.to_string());
    }
    let from = n.headers.get("from")?;
    let (_, _, sender) = find_all(from).into_iter().next()?;
    let domain = sender.split_once('@')?.1;
    Some(format!("{local}@{domain}"))
}

/// The recipient a line names, if it is an anchor line.
fn anchor_in(line: &str, i: usize) -> Option<(usize, String, String)> {
    if let Some((addr, rest)) = address_line(line) {
        return (!is_boilerplate_line(&rest) && !names_the_sender(line)).then_some((i, addr, rest));
    }
    let trimmed = line.trim_start();
    if trimmed.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let lower = line.to_ascii_lowercase();
    if !SENTENCES.iter().any(|s| lower.contains(s))
        || lower.contains("mail from")
        || lower.contains("from:")
    {
        return None;
    }
    let (s, e, a) = find_all(line).into_iter().next()?;
    // `<a@b>`, ` a@b`, or quoted in the sentence ("addressed to 'a@b'", "\"a@b\"").
    if !line[..s].ends_with(['<', ' ', '\'', '"', '(']) {
        return None;
    }
    // An address after a reply code is the server's reply quoting it ("The error that
    // the other server returned was: 550 5.7.1 <a@b>... Access denied"): part of the
    // diagnostic above, not another recipient.
    if line[..s].split_whitespace().any(is_reply_code) {
        return None;
    }
    let rest = line[e..].trim_start_matches(['>', '"', '\'', ')']);
    // A sentence that ends at the address ("... your mail to <a@b>. <reply>") is the
    // notice's preamble: what follows is the diagnostic. One that goes on ("Unable to
    // deliver message to <a@b> (and other recipients in the same domain)") explains
    // the failure with the address inside it: the whole line is the diagnostic.
    let diagnostic = if rest.starts_with(['.', ':']) || rest.trim().is_empty() {
        rest.trim_start_matches(['.', ':', ',', ' ', ')']).trim()
    } else {
        line.trim()
    };
    Some((i, a.to_string(), diagnostic.to_string()))
}

/// A 4xx or 5xx SMTP reply code, alone or as the start of a multi-line reply (`550-`).
fn is_reply_code(word: &str) -> bool {
    reply_code(word.strip_suffix('-').unwrap_or(word)).is_some_and(|c| c >= 400)
}

/// The first line that reads as an SMTP error reply (4xx or 5xx).
fn first_reply_line<'a>(lines: &[&'a str]) -> Option<&'a str> {
    lines.iter().map(|l| l.trim()).find(|l| {
        let (code, status) = parse_reply(l);
        l.starts_with(|c: char| c.is_ascii_digit())
            && (code.is_some_and(|c| c >= 400) || status.is_some_and(|s| s.class != 2))
    })
}

/// A rule line (`-----`, `=====`) ends a notice section, and so does a MIME delimiter
/// line the parser did not take (`--boundary`, its boundary misspelled in the header).
fn is_separator(line: &str) -> bool {
    let marks = line.chars().filter(|c| matches!(c, '-' | '=' | '_' | '*' | '#')).count();
    let delimiter =
        line.starts_with("--") && line.len() >= 20 && !line.contains(char::is_whitespace);
    marks >= 5 && (marks * 2 >= line.chars().count() || delimiter)
}

/// A line underlined by the rule below it ("Additional Information" over "=====")
/// heads the next section of the notice: the diagnostic above it has ended. A heading
/// is a few words, not a sentence: "Each of the following recipients was rejected."
/// over a rule is the diagnostic itself (lhost-ezweb-01).
fn is_heading(lines: &[&str], at: usize) -> bool {
    let line = lines[at].trim();
    !line.ends_with(['.', ':', ';', ',', '!', '?'])
        && line.split_whitespace().nth(6).is_none()
        && lines.get(at + 1).is_some_and(|next| is_separator(next.trim()))
}

/// A "Message details" line giving the envelope sender or the From header
/// ("MAIL FROM: a@example.com"): the sender, never a failed recipient.
fn names_the_sender(line: &str) -> bool {
    // A transcript's `>>> MAIL FROM:<a@b>` too.
    let l = line.trim_start().trim_start_matches(['>', ' ']).to_ascii_lowercase();
    if ["mail from", "from:", "return-path:", "reply-to:"].iter().any(|p| l.starts_with(p)) {
        return true;
    }
    // "Sender:", "Original Sender:", "Envelope sender:": a label naming the sender.
    l.split_once(':').is_some_and(|(label, _)| label.len() < 32 && label.contains("sender"))
}

/// Lines with an address that are not about a failed recipient.
fn is_boilerplate_line(rest: &str) -> bool {
    let l = rest.to_ascii_lowercase();
    l.starts_with("wrote") || l.contains("mailer-daemon")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelope_sender_line_is_not_a_recipient() {
        assert!(anchor_in("  MAIL FROM: kijitora@example.com", 0).is_none());
        assert!(anchor_in("  RCPT TO: neko@example.org", 0).is_some());
        // A session transcript's command (lhost-ezweb-08).
        assert!(anchor_in("    >>> MAIL FROM:<neko@example.org>", 0).is_none());
        // MailMarshal's "Additional Information" block (lhost-mailmarshal-02).
        assert!(anchor_in("Original Sender:    <sironeko@example.com>", 0).is_none());
    }

    #[test]
    fn a_sentence_that_goes_on_past_the_address_is_the_diagnostic() {
        // InterScan (lhost-trendmicro-02) and DragonFly (lhost-dragonfly-01) wordings.
        let interscan = "Unable to deliver message to <kijitora@neko.example.jp> (and other \
                         recipients in the same domain).";
        let (_, addr, diag) = anchor_in(interscan, 0).expect("an anchor");
        assert_eq!(addr, "kijitora@neko.example.jp");
        assert_eq!(diag, interscan);
        let preamble = "There was an error delivering your mail to <a@example.com>. \
                        mx.example.com [192.0.2.1] did not like our final DATA: 550 5.7.26";
        let (_, _, diag) = anchor_in(preamble, 0).expect("an anchor");
        assert!(diag.starts_with("mx.example.com"), "{diag}");
    }

    #[test]
    fn an_address_quoted_in_a_sentence_is_the_recipient() {
        let (_, addr, _) =
            anchor_in("Your message addressed to 'ann@example.org' could not be delivered.", 0)
                .expect("an anchor");
        assert_eq!(addr, "ann@example.org");
        let (_, addr, _) = anchor_in("Delivery to \"bob@example.net\" failed: mailbox full", 0)
            .expect("an anchor");
        assert_eq!(addr, "bob@example.net");
    }

    #[test]
    fn an_address_quoted_in_a_reply_is_not_another_recipient() {
        // lhost-gmail-05: Google quotes the remote reply, which names the sender.
        let quoted = "Google tried to deliver your message. The error that the other server \
                      returned was: 550 550 5.7.1 <sender@gmail.com>... Access denied";
        assert!(anchor_in(quoted, 0).is_none());
        assert!(anchor_in("Could not deliver mail to <a@example.org> after 4 tries", 0).is_some());
    }

    #[test]
    fn an_underlined_heading_ends_the_diagnostic_above_it() {
        // MailMarshal (lhost-mailmarshal-02): the reply is written above the address.
        let text = "Could not be delivered because of\n\n550 5.1.1 User unknown\n\n\
                    The following recipients were affected: \n    kijitora@example.com\n\n\
                    Additional Information\n======================\n\
                    Remote-MTA:\t<203.0.113.2>\n";
        let headers = crate::bounce::headers::Headers::default();
        let found = read(&Notice::new(&headers, text, text)).expect("a recipient");
        assert_eq!(found.recipients.len(), 1);
        assert_eq!(found.recipients[0].diagnostic, "550 5.1.1 User unknown");
        // A sentence over a rule is not a heading (lhost-ezweb-01).
        let lines =
            ["Each of the following recipients was rejected by a remote mail server.", "-----"];
        assert!(!is_heading(&lines, 0));
        assert!(is_heading(&["Additional Information", "======"], 0));
    }

    #[test]
    fn ezweb_notices_give_one_recipient_and_its_reason() {
        use crate::bounce::extract::testing::report_of;
        // The transcript's MAIL FROM named the sender, who was listed as a second
        // failed recipient; the 550 below the recipient is its diagnostic.
        let report = report_of("lhost-ezweb-08.eml");
        assert_eq!(report.recipients.len(), 1);
        assert!(report.recipients[0].diagnostic.contains("<<< 550 SC-004"));
        // The reason stands a blank line above the address.
        let report = report_of("lhost-ezweb-03.eml");
        assert_eq!(report.recipients[0].diagnostic, "The user(s) account is disabled.");
    }

    #[test]
    fn a_stray_mime_delimiter_ends_a_diagnostic() {
        // lhost-x1-02 closes its body with a boundary other than the one declared.
        assert!(is_separator("-----fff000000000000000000000--"));
        assert!(is_separator("------------------------------"));
        assert!(!is_separator("--- 550 5.1.1 user unknown"));
        assert!(!is_separator("--neko-nyaan--"));
    }
}
