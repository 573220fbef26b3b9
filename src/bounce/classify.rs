//! Deciding the reason of one recipient's failure, whether it is hard or soft, and
//! saying in one line what decided it.
//!
//! Order: what the diagnostic text says (servers often reuse a generic code such as
//! 5.7.1 or 5.0.0 and say the real cause in words), then the enhanced status code,
//! then the SMTP reply code, then the action.

use std::cell::OnceCell;

use super::model::RecipientStatus;
use super::notice_facts::diagnostic_command;
pub use super::notice_facts::{Command, NoticeFacts};
use super::phrases::{match_phrase, match_phrase_squashed, squash};
use super::reason::Reason;
use super::status::StatusCode;

/// Where the status code of a recipient came from, for the `why` line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeSource {
    /// The `Status:` field of a delivery-status part.
    DeliveryStatus,
    /// Read from the diagnostic or notice text.
    Text,
}

/// The reason an enhanced status code stands for on its own, when it is specific
/// enough to decide.
pub fn reason_for_code(code: StatusCode) -> Option<Reason> {
    use Reason::*;
    let r = match (code.class, code.subject, code.detail) {
        (2, _, _) => Delivered,
        (_, 1, 1) | (_, 1, 3) | (_, 1, 10) | (_, 1, 351) => UserUnknown,
        // "Other address status": the address is the problem, most often unknown.
        (_, 1, 0) => UserUnknown,
        (_, 1, 2) => HostUnknown,
        (_, 1, 6) => HasMoved,
        (_, 1, 7) | (_, 1, 8) => Rejected,
        (_, 2, 1) => Suspend,
        (_, 2, 2) => MailboxFull,
        (_, 2, 3) => ExceedLimit,
        (_, 2, 4) => SystemError,
        // "Other or undefined mail system status": the destination system failed.
        (_, 3, 0) => SystemError,
        (_, 3, 1) => SystemFull,
        (4, 3, 2) => TooManyConn,
        (_, 3, 2) => NotAccept,
        (_, 3, 4) => MesgTooBig,
        (_, 3, 5) => SystemError,
        (_, 4, 1) | (_, 4, 2) => NetworkError,
        (_, 4, 3) => SystemError,
        (_, 4, 4) => HostUnknown,
        (_, 4, 5) => SystemFull,
        (_, 4, 6) => NetworkError,
        (_, 4, 7) => Expired,
        (_, 4, 316) => Expired,
        (_, 4, d) if d >= 300 => NetworkError,
        (_, 5, 3) => TooManyConn,
        (_, 5, 2) | (_, 5, 4) | (_, 5, 5) => SyntaxError,
        (_, 6, 0) | (_, 6, 9) => ContentError,
        (_, 6, _) => ContentError,
        (_, 7, 1) => Blocked,
        (_, 7, 13) | (_, 7, 17) | (_, 7, 18) => Suspend,
        (_, 7, 23) | (_, 7, 24) | (_, 7, 26) | (_, 7, 509) => AuthFailure,
        (_, 7, 25) => RequirePtr,
        (_, 7, 27) => NotAccept,
        (_, 7, 28) => Speeding,
        (_, 7, 606) | (_, 7, 511) => Blocked,
        // IANA's title is "authentication mechanism is too weak", but Yahoo and AOL,
        // which send most of these, use it for policy refusals of the message.
        (_, 7, 9) => PolicyViolation,
        (_, 7, 6) | (_, 7, 7) | (_, 7, 8) | (_, 7, 10) | (_, 7, 11) => SecurityError,
        (_, 7, 0) => SecurityError,
        _ => return None,
    };
    Some(r)
}

/// Codes that servers reuse for many causes: the text decides before them.
fn code_is_generic(code: StatusCode) -> bool {
    code.detail == 0 || matches!((code.subject, code.detail), (7, 1) | (1, 0) | (4, 7))
}

/// Fill `reason`, `hard` and `why` of a recipient, with the notice's prose as context
/// for what the recipient's own lines do not say.
pub fn classify(r: &mut RecipientStatus, source: CodeSource, facts: &NoticeFacts) {
    classify_at(r, source, facts, Origin::Unknown);
}

/// Where a failure happened, as far as the report's structure tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Not known (text notices, or DSNs that leave it open).
    Unknown,
    /// Inside the reporting system: a well-formed delivery-status part (it names its
    /// Reporting-MTA) without a Remote-MTA, which RFC 3464 §2.3.5 requires for every
    /// failure met while relaying over SMTP. Its words are the system's verdict on its
    /// own mailbox, not a remote server's reply.
    Local,
}

/// [`classify`], knowing where the failure happened.
pub fn classify_at(r: &mut RecipientStatus, source: CodeSource, facts: &NoticeFacts, at: Origin) {
    let evidence = decide(r, source, facts);
    // The diagnostic squashed, once, for whichever searches below come to need it.
    let squashed = OnceCell::new();
    let said = || squashed.get_or_init(|| squash(&r.diagnostic)).as_str();
    let phrase = match evidence {
        Evidence::Phrase(p) => p,
        Evidence::Code | Evidence::Other => "",
    };
    // A 4xx failure in a final report, or one without any code.
    let temporary = r.status.is_none_or(|s| s.class == 4);
    // A DNS failure reported as temporary is a lookup problem, not a missing domain.
    if r.reason == Reason::HostUnknown && r.status.is_some_and(|s| s.class == 4) {
        r.reason = Reason::NetworkError;
        r.why.push_str(", reported as temporary: a DNS lookup problem");
    }
    // A lookup failure that says the name was "not found" (the DragonFly Mail Agent's
    // "DNS lookup failure: host mx.example.org not found") got an authoritative "no such
    // name", unlike a lookup that timed out or failed: the domain does not exist.
    if r.reason == Reason::NetworkError
        && phrase == "dns lookup"
        && said().contains(" not found")
        && r.status.is_none_or(|s| s.class == 5)
    {
        r.reason = Reason::HostUnknown;
        r.why.push_str(", and the name was not found: the domain does not exist");
    }
    // "<name> does not exist" where the name is a host, not an address: the domain is
    // what is missing ("553 mx.example.com does not exist"), at whatever stage.
    if r.reason == Reason::UserUnknown && names_missing_domain(said()) {
        r.reason = Reason::HostUnknown;
        r.why.push_str(", and what does not exist is a domain");
    }
    // Nothing recognised, but the report counts its failed attempts (IMail's "Delivery
    // failed 20 attempts"): the retries ran out.
    if r.reason == Reason::OnHold && counts_failed_attempts(said()) {
        r.reason = Reason::Expired;
        r.why = "the report counts the attempts that failed: the retries ran out".into();
    }
    // A connection that kept failing until the report was sent: the retries expired.
    if r.reason == Reason::NetworkError
        && temporary
        && CONNECT_WORDS.iter().any(|w| phrase.contains(w))
    {
        r.reason = Reason::Expired;
        r.why.push_str(", until the retries ran out");
    }
    let transcript_rcpt = || facts.refused_at_rcpt(&r.recipient).then_some(Command::RcptTo);
    let addressed = || addressed_to(&r.diagnostic, &r.recipient).then_some(Command::RcptTo);
    // The command is looked for only when a rule below comes to ask (most reasons
    // need none), and then in the recipient's own lines before the notice.
    let own = OnceCell::new();
    let own_command = || {
        *own.get_or_init(|| diagnostic_command(said()).or_else(transcript_rcpt).or_else(addressed))
    };
    let command = || own_command().or_else(|| facts.command());
    let access_denied = phrase == "access denied";
    // Before MAIL FROM nothing about the recipient or the message is known yet: a
    // refusal there is a refusal of the sending host, whatever words it uses (a
    // "domain" in the reply is our HELO name, not the recipient's).
    // Only the recipient's own lines count here: a notice can list several
    // recipients refused at different stages.
    if (matches!(
        r.reason,
        Reason::OnHold | Reason::Undefined | Reason::HostUnknown | Reason::UserUnknown
    ) || r.reason == Reason::SecurityError && access_denied)
        && matches!(own_command(), Some(Command::Connect | Command::Helo))
    {
        r.reason = Reason::Blocked;
        r.why.push_str(", refused before MAIL FROM: the sending host was refused");
    }
    // "Does not exist" in reply to MAIL FROM is about the sender's address.
    if matches!(r.reason, Reason::UserUnknown | Reason::HostUnknown)
        && own_command() == Some(Command::MailFrom)
    {
        r.reason = Reason::Rejected;
        r.why.push_str(", in reply to MAIL FROM: the sender address was refused");
    }
    // "Unknown user" wording is only trusted as a missing mailbox when it answered
    // RCPT TO or came with a mailbox status code: after DATA (or at an unknown stage)
    // it is a recipient-side filter refusing the message with a stock reply.
    // Asked only of an unknown user: the phrase search is the costly part.
    let code_says_unknown = || {
        r.status.and_then(reason_for_code) == Some(Reason::UserUnknown)
            && r.status.is_some_and(|s| s.subject == 1)
            || match_phrase_squashed(said())
                .is_some_and(|(_, p)| super::phrases::is_definite_unknown(p))
    };
    // Prose without any reply code is the reporting MTA's own verdict on the address
    // (Exchange's "recipient name is not recognized"), not a remote server's answer.
    let remote_answer =
        || (r.reply_code.is_some() || command() == Some(Command::Data)) && at != Origin::Local;
    if r.reason == Reason::UserUnknown
        && !code_says_unknown()
        && remote_answer()
        && command() != Some(Command::RcptTo)
    {
        r.reason = Reason::Filtered;
        r.hard = false;
        r.why.push_str(if command() == Some(Command::Data) {
            ", answered after DATA: a filter, not a missing mailbox"
        } else {
            ", not answered at RCPT TO: taken as a filter"
        });
    }
    // A refusal of MAIL FROM with nothing more specific is a refusal of the sender: no
    // words we know, or only the generic security code (X.7.0) stamped on it.
    let generic_security_code =
        evidence == Evidence::Code && r.status.is_some_and(|s| s.subject == 7 && s.detail == 0);
    if (matches!(r.reason, Reason::OnHold | Reason::Undefined)
        || r.reason == Reason::SecurityError && (access_denied || generic_security_code))
        && command() == Some(Command::MailFrom)
    {
        r.reason = Reason::Rejected;
        r.why.push_str(", in reply to MAIL FROM");
    }
    r.hard = is_hard(r.reason, r.status, r.reply_code);
}

/// Network phrases about failing to reach the server at all (as opposed to DNS,
/// loops, or a session that broke off after it started).
const CONNECT_WORDS: &[&str] =
    &["timed out", "could not connect", "couldn't connect", "unable to connect", "refused"];

/// True when the word before "does not exist" is a domain name (dots, no `@`), in
/// a squashed diagnostic.
fn names_missing_domain(d: &str) -> bool {
    let Some(at) = d.find(" does not exist").or_else(|| d.find(" doesn't exist")) else {
        return false;
    };
    let word = d[..at].rsplit(' ').next().unwrap_or("");
    let word = word.trim_matches(|c: char| matches!(c, '<' | '>' | '"' | '\'' | ':' | ','));
    word.contains('.')
        && !word.contains('@')
        && !word.ends_with('.')
        && word.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'))
        && word.chars().any(|c| c.is_ascii_alphabetic())
}

/// "failed <n> attempts": a report that counts more than one failed attempt (in a
/// squashed diagnostic).
fn counts_failed_attempts(d: &str) -> bool {
    let words: Vec<&str> = d.split(' ').collect();
    words.windows(3).any(|w| {
        w[0] == "failed"
            && w[1].parse::<u32>().is_ok_and(|n| n > 1)
            && w[2].trim_end_matches([':', '.', ',']) == "attempts"
    })
}

/// True when the reply opens with the recipient's own address followed by a colon
/// (`550 5.1.1 <a@example.org>: Recipient address rejected: ...`, `550 <a@example.org>:
/// User unknown`). That is how Postfix's smtpd, and the many servers worded after it,
/// answer RCPT TO; a reply after DATA concerns the whole message and names no single
/// recipient. Sendmail's `<a@example.org>... User unknown` is not taken: Sendmail writes
/// that form for its own local deliveries too, long after the SMTP dialogue.
fn addressed_to(diagnostic: &str, recipient: &str) -> bool {
    if recipient.is_empty() {
        return false;
    }
    let mut rest = diagnostic.trim_start();
    // Skip the reply code and enhanced status code that precede the text.
    for _ in 0..2 {
        let token = rest.split_whitespace().next().unwrap_or("");
        let is_code = token.len() == 3 && token.bytes().all(|b| b.is_ascii_digit())
            || StatusCode::parse(token).is_some();
        if !is_code {
            break;
        }
        rest = rest[token.len()..].trim_start();
    }
    let Some(inner) = rest.strip_prefix('<') else { return false };
    let Some(end) = inner.find('>') else { return false };
    inner[..end].eq_ignore_ascii_case(recipient) && inner[end + 1..].starts_with(':')
}

/// What decided a recipient's reason, for the rules that refine it afterwards (they
/// look at this, not at the words of `why`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Evidence {
    /// A phrase of the table, in the recipient's diagnostic or the notice.
    Phrase(&'static str),
    /// The enhanced status code.
    Code,
    /// The action, the reply code, or nothing.
    Other,
}

fn decide(r: &mut RecipientStatus, source: CodeSource, facts: &NoticeFacts) -> Evidence {
    let action = r.action.as_deref().unwrap_or("");
    // `deliverable` is Sendmail's answer to an address check (`-bv`): it would be.
    if matches!(action, "delivered" | "relayed" | "expanded" | "deliverable") {
        set(r, Reason::Delivered, format!("Action: {action} in the delivery-status part"));
        return Evidence::Other;
    }
    let where_code = match source {
        CodeSource::DeliveryStatus => "in the delivery-status part",
        CodeSource::Text => "in the server reply",
    };
    let by_code = r.status.and_then(reason_for_code);
    let generic = r.status.is_none_or(code_is_generic);

    if let Some((reason, phrase)) = match_phrase(quoted_reply(&r.diagnostic)) {
        // A specific code outranks a weak phrase; strong phrases win always.
        // A network code (4.4.x) in a report that says the retries ran out: the
        // queue lifetime, not the last connection error, ended delivery.
        // Vendor-specific details (Exchange's 4.4.312 ...) name their own cause.
        let expired_network = reason == Reason::Expired
            && by_code == Some(Reason::NetworkError)
            && r.status.is_some_and(|s| s.detail <= 7);
        let strong = phrase_beats_code(reason) && !super::phrases::is_weak(phrase)
            || super::phrases::is_strong(phrase)
            || expired_network;
        if generic || by_code.is_none() || by_code == Some(reason) || strong {
            set(r, reason, format!("diagnostic says \"{phrase}\""));
            return Evidence::Phrase(phrase);
        }
    }
    if let Some(reason) = by_code
        && !generic
    {
        let code = r.status.map(|c| c.to_string()).unwrap_or_default();
        set(r, reason, format!("Status: {code} {where_code}"));
        return Evidence::Code;
    }
    // Nothing specific in the recipient's own lines: the notice's prose may say more
    // (Sendmail keeps only the first line of a multi-line reply in Diagnostic-Code).
    // A code that names its subject (5.6.0: the content, 4.4.7: the queue) outranks
    // words read from elsewhere in the notice, which may be about another recipient
    // or hop. Security codes (x.7.x) are stamped on every kind of refusal: not these.
    let subject_known = by_code.is_some() && r.status.is_some_and(|s| !matches!(s.subject, 0 | 7));
    if r.status.is_none_or(code_is_generic)
        && !subject_known
        && let Some((reason, phrase)) = facts.phrase()
    {
        set(r, reason, format!("notice says \"{phrase}\""));
        return Evidence::Phrase(phrase);
    }
    if let Some(reason) = by_code {
        let code = r.status.map(|c| c.to_string()).unwrap_or_default();
        set(r, reason, format!("Status: {code} {where_code}"));
        return Evidence::Code;
    }
    if action == "delayed" {
        set(r, Reason::Expired, "Action: delayed".to_string());
        return Evidence::Other;
    }
    if action == "expired" {
        set(r, Reason::Expired, "Action: expired".to_string());
        return Evidence::Other;
    }
    if let Some(reason) = r.reply_code.and_then(reason_for_reply) {
        let code = r.reply_code.unwrap_or_default();
        set(r, reason, format!("reply code {code}"));
        return Evidence::Other;
    }
    // Something was said but nothing we recognise: on hold for a person to read.
    // Nothing at all: undefined.
    let said_something = !r.diagnostic.trim().is_empty();
    let reason = if r.status.is_some() || r.reply_code.is_some() || said_something {
        Reason::OnHold
    } else {
        Reason::Undefined
    };
    let why = match (r.status, r.reply_code) {
        (Some(c), _) => format!("only the class of {c} is known"),
        (None, Some(c)) => format!("only the reply code {c} is known"),
        _ if said_something => "the diagnostic names no cause we recognise".to_string(),
        _ => "nothing in the report names a cause".to_string(),
    };
    set(r, reason, why);
    Evidence::Other
}

/// The remote server's own reply inside a relay's summary line. Amazon SES writes
/// `5.1.0 - Unknown address error 550-'5.7.1 <...>... Access denied'`: the words between
/// the code and the quoted reply are SES's stock title for its code, not the server's
/// verdict, and the "(delivery attempts: 0)" after it is SES's count, so only the
/// quoted reply is read for phrases.
fn quoted_reply(diagnostic: &str) -> &str {
    let d = diagnostic.trim_start();
    let Some((code, rest)) = d.split_once(" - ") else { return diagnostic };
    if StatusCode::parse(code).is_none() {
        return diagnostic;
    }
    let reply_start = rest.char_indices().find(|&(i, c)| {
        let b = rest.as_bytes();
        matches!(c, '4' | '5')
            && (i == 0 || b[i - 1] == b' ')
            && b.get(i + 1..i + 3).is_some_and(|d| d.iter().all(u8::is_ascii_digit))
            && matches!(b.get(i + 3), Some(b'-' | b' '))
    });
    let Some((i, _)) = reply_start else { return diagnostic };
    // SES ends the line with its own "(delivery attempts: N)" count: not the reply.
    let reply = &rest[i..];
    reply.rfind("(delivery attempts").map_or(reply, |end| &reply[..end])
}

/// The few reply codes that name a cause on their own (RFC 5321 §4.2.3).
fn reason_for_reply(code: u16) -> Option<Reason> {
    match code {
        500..=504 | 555 => Some(Reason::SyntaxError),
        552 => Some(Reason::MailboxFull),
        // "Local error in processing" and "service not available".
        421 | 451 => Some(Reason::SystemError),
        _ => None,
    }
}

/// Reasons whose phrases are specific enough to overrule a specific status code.
fn phrase_beats_code(reason: Reason) -> bool {
    matches!(
        reason,
        Reason::MailboxFull
            | Reason::NotAccept
            | Reason::UserUnknown
            | Reason::AuthFailure
            | Reason::RequirePtr
            | Reason::Suspend
            | Reason::NoRelaying
            | Reason::MailerError
            | Reason::Filtered
            | Reason::Speeding
            | Reason::HasMoved
            | Reason::NotCompliantRfc
    )
}

fn set(r: &mut RecipientStatus, reason: Reason, why: String) {
    r.reason = reason;
    r.hard = is_hard(reason, r.status, r.reply_code);
    r.why = why;
}

/// Hard or soft: follows the reason; `notaccept` is hard only when the failure is
/// permanent (a null MX is final, a temporary refusal is not).
pub fn is_hard(reason: Reason, status: Option<StatusCode>, reply: Option<u16>) -> bool {
    if reason == Reason::NotAccept {
        let permanent = status.map(|s| s.class == 5).or(reply.map(|c| c >= 500));
        return permanent.unwrap_or(true);
    }
    reason.is_hard()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rcpt(status: &str, diag: &str) -> RecipientStatus {
        let mut r = RecipientStatus::new("a@example.org");
        r.status = status.parse().ok();
        r.diagnostic = diag.to_string();
        r.action = Some("failed".into());
        r
    }

    #[test]
    fn the_notice_is_produced_only_when_a_question_needs_it() {
        let calls = std::cell::Cell::new(0);
        let produce = || {
            calls.set(calls.get() + 1);
            "... while talking to mx.example.org: (in reply to RCPT TO command)"
        };
        let facts = NoticeFacts::on_demand(&produce);
        let mut r = rcpt("5.2.2", "552 5.2.2 Mailbox full");
        classify(&mut r, CodeSource::DeliveryStatus, &facts);
        assert_eq!(r.reason, Reason::MailboxFull);
        assert_eq!(calls.get(), 0, "the recipient's own lines decided");
        assert_eq!(facts.command(), Some(Command::RcptTo));
        assert_eq!(facts.command(), Some(Command::RcptTo));
        assert_eq!(calls.get(), 1, "produced once, then kept");
    }

    #[test]
    fn specific_code_decides_when_text_is_silent() {
        let mut r = rcpt("5.1.1", "550 no");
        classify(&mut r, CodeSource::DeliveryStatus, &NoticeFacts::default());
        assert_eq!(r.reason, Reason::UserUnknown);
        assert!(r.hard);
        assert!(r.why.contains("5.1.1"), "{}", r.why);
    }

    #[test]
    fn text_decides_for_generic_codes() {
        let mut r = rcpt("5.0.0", "550 Mailbox is full");
        classify(&mut r, CodeSource::DeliveryStatus, &NoticeFacts::default());
        assert_eq!(r.reason, Reason::MailboxFull);
        assert!(!r.hard);
        assert!(r.why.starts_with("diagnostic says"), "{}", r.why);
    }

    #[test]
    fn notaccept_is_hard_only_when_permanent() {
        assert!(is_hard(Reason::NotAccept, "5.1.10".parse().ok(), None));
        assert!(!is_hard(Reason::NotAccept, "4.0.0".parse().ok(), None));
    }

    #[test]
    fn refusal_before_mail_from_is_a_block_of_the_sender_host() {
        let mut r = rcpt(
            "5.0.0",
            "Connected to 192.0.2.1 but my name was rejected. Remote host said: 501 5.0.0 Invalid domain name",
        );
        classify(&mut r, CodeSource::Text, &NoticeFacts::default());
        assert_eq!(r.reason, Reason::Blocked);
        assert!(!r.hard);
    }

    #[test]
    fn unknown_address_at_mail_from_is_the_sender() {
        let mut r = rcpt(
            "5.1.0",
            "SMTP error from remote mail server after MAIL FROM:<a@example.net>: 553 5.1.0 Address does not exist",
        );
        r.reply_code = Some(553);
        classify(&mut r, CodeSource::Text, &NoticeFacts::default());
        assert_eq!(r.reason, Reason::Rejected);
    }

    #[test]
    fn stock_unknown_user_at_unknown_stage_is_a_filter_but_a_provider_statement_is_not() {
        let mut r = rcpt("5.0.0", "550 kijitora@example.org... No such user");
        r.reply_code = Some(550);
        classify(&mut r, CodeSource::DeliveryStatus, &NoticeFacts::default());
        assert_eq!(r.reason, Reason::Filtered);
        let mut r = rcpt(
            "5.0.0",
            "554 delivery error: dd This user doesn't have a yahoo.com account (a@yahoo.com) [0]",
        );
        r.reply_code = Some(554);
        classify(&mut r, CodeSource::DeliveryStatus, &NoticeFacts::default());
        assert_eq!(r.reason, Reason::UserUnknown);
        assert!(r.hard);
    }

    #[test]
    fn transcript_shows_which_recipient_was_refused_at_rcpt() {
        let notice = "While talking to a.example:\n>>> DATA\n<<< 550 no\n\
                      While talking to b.example:\n>>> RCPT To:<Mike@b.example>\n\
                      <<< 550 Requested User Mailbox not found.\n";
        let facts = NoticeFacts::read(notice);
        assert!(facts.refused_at_rcpt("Mike@b.example"));
        let mut r = rcpt("5.0.0", "550 User unknown");
        r.recipient = "mike@b.example".into();
        r.reply_code = Some(550);
        classify(&mut r, CodeSource::DeliveryStatus, &facts);
        assert_eq!(r.reason, Reason::UserUnknown);
    }

    #[test]
    fn hourly_quota_is_speeding_despite_a_mailbox_code() {
        let mut r =
            rcpt("5.1.1", "550 5.1.1 <a@example.org> has sent to too many recipients this hour");
        classify(&mut r, CodeSource::DeliveryStatus, &NoticeFacts::default());
        assert_eq!(r.reason, Reason::Speeding);
    }

    #[test]
    fn queue_expiry_wording_beats_a_network_code() {
        let mut r = rcpt("4.4.1", "The recipient server did not accept our requests to connect.");
        classify(&mut r, CodeSource::DeliveryStatus, &NoticeFacts::default());
        assert_eq!(r.reason, Reason::Expired);
    }

    #[test]
    fn greylisting_is_soft_and_not_unknown_user() {
        let mut r = rcpt(
            "4.7.1",
            "450 4.7.1 <x@example.org>: Recipient address rejected: Greylisted, try again in 5 minutes",
        );
        r.reply_code = Some(450);
        classify(&mut r, CodeSource::Text, &NoticeFacts::default());
        assert_eq!(r.reason, Reason::Blocked);
        assert!(!r.hard);
    }

    #[test]
    fn a_reply_opening_with_the_recipient_answered_rcpt_to() {
        // au (ezweb.ne.jp) answers RCPT TO with the address, but a refusal after DATA
        // with an empty one: the first is a missing mailbox, the second its filter.
        let mut r = rcpt("5.0.0", "550 <otsu@ezweb.ne.jp>: User unknown");
        r.recipient = "otsu@ezweb.ne.jp".into();
        r.reply_code = Some(550);
        classify(&mut r, CodeSource::DeliveryStatus, &NoticeFacts::default());
        assert_eq!(r.reason, Reason::UserUnknown);
        assert!(r.hard);
        let mut r = rcpt("5.0.0", "550 : User unknown");
        r.recipient = "otsu@ezweb.ne.jp".into();
        r.reply_code = Some(550);
        classify(&mut r, CodeSource::DeliveryStatus, &NoticeFacts::default());
        assert_eq!(r.reason, Reason::Filtered);
        // Another address, or Sendmail's "<addr>..." form, says nothing of the stage.
        assert!(!addressed_to("550 <b@example.org>: User unknown", "a@example.org"));
        assert!(!addressed_to("550 5.2.1 <a@example.org>... User Unknown", "a@example.org"));
        assert!(addressed_to(
            "550 5.1.1 <A@example.org>: Recipient address rejected: User unknown",
            "a@example.org"
        ));
    }

    #[test]
    fn access_denied_is_read_by_the_stage_it_answered() {
        let mut r = rcpt("5.7.1", "550 550 5.7.1 <a@example.org>... Access denied (state 13).");
        classify(&mut r, CodeSource::Text, &NoticeFacts::default());
        assert_eq!(r.reason, Reason::SecurityError);
        let mut r = rcpt(
            "5.0.0",
            "host mx.neko.example.com [192.0.2.222] SMTP error from remote mail server after initial connection: 550 Access denied...",
        );
        classify(&mut r, CodeSource::Text, &NoticeFacts::default());
        assert_eq!(r.reason, Reason::Blocked);
        let mut r = rcpt("5.7.1", "550 5.7.1 Access denied");
        let facts =
            NoticeFacts::read("... 550 5.7.1 Access denied (in reply to MAIL FROM command)");
        classify(&mut r, CodeSource::DeliveryStatus, &facts);
        assert_eq!(r.reason, Reason::Rejected);
    }

    #[test]
    fn ses_summary_title_is_not_the_remote_verdict() {
        let mut r = rcpt(
            "5.7.1",
            "5.1.0 - Unknown address error 550-'5.7.1 <0000@email-bounces.amazonses.com>... Access denied' (delivery attempts: 0)",
        );
        classify(&mut r, CodeSource::DeliveryStatus, &NoticeFacts::default());
        assert_eq!(r.reason, Reason::SecurityError, "{}", r.why);
        let d = "5.3.0 - Other mail system problem 550-'Unknown user x@docomo.ne.jp' (delivery attempts: 0)";
        assert_eq!(quoted_reply(d), "550-'Unknown user x@docomo.ne.jp' ");
        assert_eq!(quoted_reply("550 5.1.1 User unknown"), "550 5.1.1 User unknown");
    }

    #[test]
    fn dns_name_not_found_is_a_missing_domain_but_a_broken_reply_is_not() {
        let mut r = rcpt("", "DNS lookup failure: host cx.example.org not found");
        classify(&mut r, CodeSource::Text, &NoticeFacts::default());
        assert_eq!(r.reason, Reason::HostUnknown);
        assert!(r.hard);
        let mut r = rcpt(
            "5.4.4",
            "Name service error for name=example.org type=MX: Malformed or unexpected name server reply",
        );
        classify(&mut r, CodeSource::DeliveryStatus, &NoticeFacts::default());
        assert_eq!(r.reason, Reason::NetworkError);
        assert!(!r.hard);
    }

    #[test]
    fn a_domain_that_does_not_exist_is_hostunknown_at_any_stage() {
        let mut r = rcpt(
            "5.0.0",
            "host mx.example.net [192.0.2.222] SMTP error from remote mail server after end of data: 553 neko.example.com does not exist",
        );
        r.reply_code = Some(553);
        classify(&mut r, CodeSource::Text, &NoticeFacts::default());
        assert_eq!(r.reason, Reason::HostUnknown);
        assert!(r.hard);
        assert!(!names_missing_domain(&squash("550 <a@example.com>: mailbox does not exist")));
        assert!(!names_missing_domain(&squash("550 Address does not exist.")));
    }

    #[test]
    fn counted_failed_attempts_mean_the_retries_ran_out() {
        let mut r = rcpt("", "Delivery failed 20 attempts: kijitora@example.com");
        classify(&mut r, CodeSource::Text, &NoticeFacts::default());
        assert_eq!(r.reason, Reason::Expired);
        assert!(!counts_failed_attempts(&squash("The number of attempts made: 1")));
    }

    #[test]
    fn sendmail_host_name_lookup_failure_is_a_network_error() {
        let mut r = rcpt(
            "4.4.7",
            "<kijitora@example.co.jp>... Deferred: Name server: example.co.jp.: host name lookup failure",
        );
        classify(&mut r, CodeSource::DeliveryStatus, &NoticeFacts::default());
        assert_eq!(r.reason, Reason::NetworkError);
    }

    #[test]
    fn mail_system_status_outranks_transcript_words_in_the_notice() {
        // Postfix's postmaster transcript holds "In: MAIL FROM:..." lines: not a cause.
        let mut r = rcpt("4.3.0", "451 4.3.0 Error: queue file write error");
        r.reply_code = Some(451);
        let facts = NoticeFacts::read(" In:  MAIL FROM:<a@example.org>\n Out: 250 2.1.0 Ok\n");
        classify(&mut r, CodeSource::Text, &facts);
        assert_eq!(r.reason, Reason::SystemError, "{}", r.why);
    }

    #[test]
    fn a_failure_inside_the_reporting_system_is_its_verdict_not_a_filter() {
        // Hotmail's own DSN (Reporting-MTA, no Remote-MTA) about its own mailbox.
        let diag =
            "550 Requested action not taken: mailbox unavailable (-0000000022:2222:-0000000022)";
        let mut r = rcpt("5.5.0", diag);
        r.reply_code = Some(550);
        classify_at(&mut r, CodeSource::DeliveryStatus, &NoticeFacts::default(), Origin::Local);
        assert_eq!(r.reason, Reason::UserUnknown);
        assert!(r.hard);
        // The same words from a relay that does not say where they came from.
        let mut r = rcpt("5.5.0", diag);
        r.reply_code = Some(550);
        classify(&mut r, CodeSource::DeliveryStatus, &NoticeFacts::default());
        assert_eq!(r.reason, Reason::Filtered);
    }

    #[test]
    fn a_generic_security_code_at_mail_from_refuses_the_sender() {
        // The stage named in Postfix's notice is not itself a cause ("mail from" is no
        // phrase); the generic 4.7.0 at that stage is a refusal of the sender.
        let mut r = rcpt(
            "4.7.0",
            "421 4.7.0 [TSS04] Messages from 192.0.2.192 temporarily deferred due to unexpected volume or user complaints",
        );
        let facts = NoticeFacts::read(
            "host mx.example.com said: 421 4.7.0 [TSS04] Messages from 192.0.2.192 \
             temporarily deferred (in reply to MAIL FROM command)",
        );
        classify(&mut r, CodeSource::DeliveryStatus, &facts);
        assert_eq!(r.reason, Reason::Rejected, "{}", r.why);
        assert!(r.why.ends_with("in reply to MAIL FROM"), "{}", r.why);
    }

    #[test]
    fn delivered_action_is_success() {
        let mut r = rcpt("2.1.5", "250 ok");
        r.action = Some("delivered".into());
        classify(&mut r, CodeSource::DeliveryStatus, &NoticeFacts::default());
        assert_eq!(r.reason, Reason::Delivered);
    }
}
