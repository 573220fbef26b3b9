//! The refining rules: after a base rule has given a reason, these correct it from
//! what else the report says — the SMTP stage the failure answered, whether it was
//! temporary, what exactly is missing. Each one that applies names itself as the
//! record's `rule` and adds its words to `why`; later rules see the corrected reason.

use std::cell::OnceCell;

use super::codes::reason_for_code;
use super::{Evidence, NoticeFacts, Origin};
use crate::bounce::model::RecipientStatus;
use crate::bounce::notice_facts::{Command, diagnostic_command};
use crate::bounce::phrases::{self, squash};
use crate::bounce::reason::Reason;
use crate::bounce::status::StatusCode;

/// What the refining rules read besides the recipient, worked out at most once.
pub(super) struct Ctx<'f, 'n> {
    pub facts: &'f NoticeFacts<'n>,
    pub at: Origin,
    pub evidence: Evidence,
    /// A 4xx failure in a final report, or one without any code.
    pub temporary: bool,
    squashed: OnceCell<String>,
    said_command: OnceCell<Option<Command>>,
    own: OnceCell<Option<Command>>,
}

impl<'f, 'n> Ctx<'f, 'n> {
    pub fn new(
        facts: &'f NoticeFacts<'n>,
        at: Origin,
        evidence: Evidence,
        r: &RecipientStatus,
        squashed: OnceCell<String>,
    ) -> Self {
        Ctx {
            facts,
            at,
            evidence,
            temporary: r.status.is_none_or(|s| s.class == 4),
            squashed,
            said_command: OnceCell::new(),
            own: OnceCell::new(),
        }
    }

    /// The diagnostic squashed, once, for whichever rules come to need it.
    pub fn said(&self, r: &RecipientStatus) -> &str {
        self.squashed.get_or_init(|| squash(&r.diagnostic))
    }

    /// The phrase that decided, when a phrase did.
    fn phrase(&self) -> &'static str {
        match self.evidence {
            Evidence::Phrase(p) => p,
            Evidence::Code | Evidence::Other | Evidence::ProviderCode => "",
        }
    }

    /// The stage the recipient's diagnostic names in words ("in reply to RCPT TO",
    /// "after end of data"). Enough for the rules that look for a stage before RCPT TO:
    /// the other clues below can only say RCPT TO.
    pub fn said_command(&self, r: &RecipientStatus) -> Option<Command> {
        *self.said_command.get_or_init(|| diagnostic_command(self.said(r)))
    }

    /// The stage named in the recipient's own lines: its diagnostic, a reply addressed
    /// to it, or a transcript line that shows it refused at RCPT TO (the one that needs
    /// the notice, so asked last).
    pub fn own_command(&self, r: &RecipientStatus) -> Option<Command> {
        *self.own.get_or_init(|| {
            self.said_command(r)
                .or_else(|| addressed_to(&r.diagnostic, &r.recipient).then_some(Command::RcptTo))
                .or_else(|| self.facts.refused_at_rcpt(&r.recipient).then_some(Command::RcptTo))
        })
    }

    /// The stage, from the recipient's own lines, else from the notice.
    pub fn command(&self, r: &RecipientStatus) -> Option<Command> {
        self.own_command(r).or_else(|| self.facts.command())
    }

    /// The stage as far as it is known without reading more than the rules did: the
    /// recipient's own lines, else the notice's prose if it was read.
    pub fn known_command(&self, r: &RecipientStatus) -> Option<Command> {
        let own = match self.own.get() {
            Some(own) => *own,
            None => self
                .said_command(r)
                .or_else(|| addressed_to(&r.diagnostic, &r.recipient).then_some(Command::RcptTo))
                .or_else(|| {
                    self.facts.refused_at_rcpt_if_read(&r.recipient).then_some(Command::RcptTo)
                }),
        };
        own.or_else(|| self.facts.command_if_read())
    }
}

/// How a refining rule changes `why`.
#[derive(Clone, Copy)]
pub(super) enum Why {
    /// Adds its words after the base rule's.
    Append(&'static str),
    /// Says it alone: the base rule's words no longer explain the reason.
    Replace(&'static str),
}

/// A refining rule: its name, the evidence it needs, and the test that gives the
/// corrected reason.
pub(super) struct Refinement {
    pub name: &'static str,
    #[allow(dead_code)] // documentation for readers of the table
    pub needs: &'static str,
    pub apply: fn(&RecipientStatus, &Ctx) -> Option<(Reason, Why)>,
}

/// The refining rules, in order.
pub(super) const REFINEMENTS: &[Refinement] = &[
    Refinement {
        name: "temporary-dns-failure",
        needs: "hostunknown reported with a 4.x.x code",
        apply: temporary_dns_failure,
    },
    Refinement {
        name: "dns-name-not-found",
        needs: "a failed DNS lookup whose answer was \"not found\", permanent or without code",
        apply: dns_name_not_found,
    },
    Refinement {
        name: "missing-domain-named",
        needs: "\"<host name> does not exist\" where the name is a domain, not an address",
        apply: missing_domain_named,
    },
    Refinement {
        name: "failed-attempts-counted",
        needs: "nothing recognised, but \"failed <n> attempts\" with n > 1",
        apply: failed_attempts_counted,
    },
    Refinement {
        name: "connect-retries-expired",
        needs: "a temporary failure to connect in a final report",
        apply: connect_retries_expired,
    },
    Refinement {
        name: "stage-before-mail-from",
        needs: "a refusal at the greeting or HELO, in the recipient's own lines",
        apply: before_mail_from,
    },
    Refinement {
        name: "unknown-at-mail-from",
        needs: "\"does not exist\" in reply to MAIL FROM",
        apply: unknown_at_mail_from,
    },
    Refinement {
        name: "unknown-user-not-at-rcpt",
        needs: "stock \"unknown user\" wording in a remote server's reply, answered after DATA or at a stage the report does not name, without a mailbox code",
        apply: unknown_user_not_at_rcpt,
    },
    Refinement {
        name: "mail-from-refusal",
        needs: "nothing specific (or only x.7.0 / access denied) in reply to MAIL FROM",
        apply: mail_from_refusal,
    },
];

/// Network phrases about failing to reach the server at all (as opposed to DNS,
/// loops, or a session that broke off after it started).
const CONNECT_WORDS: &[&str] =
    &["timed out", "could not connect", "couldn't connect", "unable to connect", "refused"];

/// A DNS failure reported as temporary is a lookup problem, not a missing domain —
/// unless the answer quoted is authoritative: NXDOMAIN (the name does not exist, RFC
/// 8020) or a NOERROR answer with no records ("had no relevant answers": no mail server
/// at all). Gmail reports both with 4.0.0 and gives up.
fn temporary_dns_failure(r: &RecipientStatus, c: &Ctx) -> Option<(Reason, Why)> {
    let authoritative = || {
        let said = c.said(r);
        said.contains("nxdomain") || said.contains("had no relevant answers")
    };
    (r.reason == Reason::HostUnknown && r.status.is_some_and(|s| s.class == 4) && !authoritative())
        .then_some((
            Reason::NetworkError,
            Why::Append(", reported as temporary: a DNS lookup problem"),
        ))
}

/// A lookup failure that says the name was "not found" (the DragonFly Mail Agent's "DNS
/// lookup failure: host mx.example.org not found") got an authoritative "no such
/// name", unlike a lookup that timed out or failed: the domain does not exist.
fn dns_name_not_found(r: &RecipientStatus, c: &Ctx) -> Option<(Reason, Why)> {
    (r.reason == Reason::NetworkError
        && c.phrase() == "dns lookup"
        && c.said(r).contains(" not found")
        && r.status.is_none_or(|s| s.class == 5))
    .then_some((
        Reason::HostUnknown,
        Why::Append(", and the name was not found: the domain does not exist"),
    ))
}

/// "<name> does not exist" where the name is a host, not an address: the domain is
/// what is missing ("553 mx.example.com does not exist"), at whatever stage.
fn missing_domain_named(r: &RecipientStatus, c: &Ctx) -> Option<(Reason, Why)> {
    (r.reason == Reason::UserUnknown && names_missing_domain(c.said(r)))
        .then_some((Reason::HostUnknown, Why::Append(", and what does not exist is a domain")))
}

/// Nothing recognised, but the report counts its failed attempts (IMail's "Delivery
/// failed 20 attempts"): the retries ran out.
fn failed_attempts_counted(r: &RecipientStatus, c: &Ctx) -> Option<(Reason, Why)> {
    (r.reason == Reason::OnHold && counts_failed_attempts(c.said(r))).then_some((
        Reason::Expired,
        Why::Replace("the report counts the attempts that failed: the retries ran out"),
    ))
}

/// A connection that kept failing until the report was sent: the retries expired.
fn connect_retries_expired(r: &RecipientStatus, c: &Ctx) -> Option<(Reason, Why)> {
    (r.reason == Reason::NetworkError
        && c.temporary
        && CONNECT_WORDS.iter().any(|w| c.phrase().contains(w)))
    .then_some((Reason::Expired, Why::Append(", until the retries ran out")))
}

/// Before MAIL FROM nothing about the recipient or the message is known yet: a refusal
/// there is a refusal of the sending host, whatever words it uses (a "domain" in the
/// reply is our HELO name, not the recipient's). Only the recipient's own lines count:
/// a notice can list several recipients refused at different stages.
fn before_mail_from(r: &RecipientStatus, c: &Ctx) -> Option<(Reason, Why)> {
    let vague = matches!(
        r.reason,
        Reason::OnHold | Reason::Undefined | Reason::HostUnknown | Reason::UserUnknown
    ) || r.reason == Reason::SecurityError && c.phrase() == "access denied";
    (vague && matches!(c.said_command(r), Some(Command::Connect | Command::Helo))).then_some((
        Reason::Blocked,
        Why::Append(", refused before MAIL FROM: the sending host was refused"),
    ))
}

/// "Does not exist" in reply to MAIL FROM is about the sender's address.
fn unknown_at_mail_from(r: &RecipientStatus, c: &Ctx) -> Option<(Reason, Why)> {
    (matches!(r.reason, Reason::UserUnknown | Reason::HostUnknown)
        && c.said_command(r) == Some(Command::MailFrom))
    .then_some((
        Reason::Rejected,
        Why::Append(", in reply to MAIL FROM: the sender address was refused"),
    ))
}

/// "Unknown user" wording is trusted as a missing mailbox when it answered RCPT TO or
/// came with a mailbox status code. After DATA the server has the whole message, and a
/// stock "unknown user" there is a recipient-side filter refusing it (carriers such as
/// au and docomo answer their domain filters so); a remote reply that names no stage is
/// read the same way, since servers that check addresses answer at RCPT TO and reports
/// of that stage say so (see the stage marks in `notice_facts`). Prose from the
/// reporting system about its own mailbox (Exchange's "recipient name is not
/// recognized") is its verdict, not a filter.
fn unknown_user_not_at_rcpt(r: &RecipientStatus, c: &Ctx) -> Option<(Reason, Why)> {
    if r.reason != Reason::UserUnknown {
        return None;
    }
    let code_says_unknown = r.status.and_then(reason_for_code) == Some(Reason::UserUnknown)
        && r.status.is_some_and(|s| s.subject == 1)
        || phrases::says_definitely_unknown(c.said(r));
    if code_says_unknown {
        return None;
    }
    let command = c.command(r);
    let remote_answer =
        (r.reply_code.is_some() || command == Some(Command::Data)) && c.at != Origin::Local;
    if !remote_answer || command == Some(Command::RcptTo) {
        return None;
    }
    Some((
        Reason::Filtered,
        Why::Append(if command == Some(Command::Data) {
            ", answered after DATA: a filter, not a missing mailbox"
        } else {
            ", not answered at RCPT TO: taken as a filter"
        }),
    ))
}

/// A refusal of MAIL FROM with nothing more specific is a refusal of the sender: no
/// words we know, or only the generic security code (X.7.0) stamped on it.
fn mail_from_refusal(r: &RecipientStatus, c: &Ctx) -> Option<(Reason, Why)> {
    let generic_security_code =
        c.evidence == Evidence::Code && r.status.is_some_and(|s| s.subject == 7 && s.detail == 0);
    let vague = matches!(r.reason, Reason::OnHold | Reason::Undefined)
        || r.reason == Reason::SecurityError
            && (c.phrase() == "access denied" || generic_security_code);
    (vague && c.command(r) == Some(Command::MailFrom))
        .then_some((Reason::Rejected, Why::Append(", in reply to MAIL FROM")))
}

/// True when the word before "does not exist" is a domain name (dots, no `@`), in
/// a squashed diagnostic.
pub(super) fn names_missing_domain(d: &str) -> bool {
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
pub(super) fn counts_failed_attempts(d: &str) -> bool {
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
pub(super) fn addressed_to(diagnostic: &str, recipient: &str) -> bool {
    if recipient.is_empty() {
        return false;
    }
    let mut rest = diagnostic.trim_start();
    // Skip the reply code and enhanced status code that precede the text.
    for _ in 0..2 {
        let token = rest.split_whitespace().next().unwrap_or("");
        // `550`, `550:` (some servers write the code with a colon), `5.1.1`.
        let code = token.strip_suffix(':').unwrap_or(token);
        let is_code = code.len() == 3 && code.bytes().all(|b| b.is_ascii_digit())
            || StatusCode::parse(code).is_some();
        if !is_code {
            break;
        }
        rest = rest[token.len()..].trim_start();
    }
    let Some(inner) = rest.strip_prefix('<') else { return false };
    let Some(end) = inner.find('>') else { return false };
    inner[..end].eq_ignore_ascii_case(recipient) && inner[end + 1..].starts_with(':')
}
