//! What a notice's prose says about a failure, for every recipient of the report: the
//! SMTP command that failed (from a Sendmail transcript or from wording such as "in
//! reply to RCPT TO command"), the first reason phrase, and which addresses a transcript
//! shows refused at RCPT TO. Each fact is worked out once per report and only when a
//! recipient's own lines leave the question open.

use std::cell::OnceCell;
use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use std::collections::HashSet;

use super::headers::split_lf;
use super::phrases::squash;
use super::reason::Reason;

/// What the notice's prose says, read at most once per report (not once per recipient:
/// a notice listing thousands of recipients must stay linear), and only when a
/// recipient's own lines leave the question open: most never need the notice.
#[derive(Clone, Default)]
pub struct NoticeFacts<'a> {
    /// The notice text, once given or produced.
    notice: OnceCell<&'a str>,
    /// Produces the notice on first use (see [`NoticeFacts::on_demand`]).
    produce: Option<&'a dyn Fn() -> &'a str>,
    /// The notice squashed (see [`super::phrases::squash`]), shared by the searches.
    squashed: OnceCell<String>,
    /// The SMTP command the notice says failed.
    command: OnceCell<Option<Command>>,
    /// The first reason phrase in the notice.
    phrase: OnceCell<Option<(Reason, &'static str)>>,
    /// Addresses (lowercased) whose `>>> RCPT To:` line in a Sendmail transcript was
    /// answered at once by an error: refused at RCPT TO, whatever else failed.
    refused_at_rcpt: OnceCell<HashSet<String>>,
}

impl<'a> NoticeFacts<'a> {
    pub fn read(notice: &'a str) -> NoticeFacts<'a> {
        NoticeFacts { notice: OnceCell::from(notice), ..NoticeFacts::default() }
    }

    /// Facts about a notice that `produce` decodes only if a question needs it: a report
    /// whose delivery-status part says everything never pays for decoding its prose
    /// (an HTML notice above all).
    pub fn on_demand(produce: &'a dyn Fn() -> &'a str) -> NoticeFacts<'a> {
        NoticeFacts { produce: Some(produce), ..NoticeFacts::default() }
    }

    /// The notice text.
    fn notice(&self) -> &'a str {
        self.notice.get_or_init(|| self.produce.map_or("", |produce| produce()))
    }

    /// The notice squashed: a notice can be 64 KiB, so this is done once.
    pub fn squashed(&self) -> &str {
        self.squashed.get_or_init(|| squash(self.notice()))
    }

    /// The SMTP command the notice says failed: a Sendmail transcript's, else the one
    /// its wording names ("(in reply to RCPT TO command)", "SMTP error ... after RCPT
    /// TO:").
    pub fn command(&self) -> Option<Command> {
        *self.command.get_or_init(|| {
            transcript_command(self.notice()).or_else(|| wording_command(self.squashed()))
        })
    }

    /// The command the notice names, when its prose was already read for another
    /// question: the stage of a record whose own lines say it costs nothing, and a
    /// delivery-status part that says everything is not decoded for its prose.
    pub fn command_if_read(&self) -> Option<Command> {
        self.notice.get()?;
        self.command()
    }

    /// [`NoticeFacts::refused_at_rcpt`], when the notice was already read for another
    /// question; false otherwise.
    pub(super) fn refused_at_rcpt_if_read(&self, address: &str) -> bool {
        self.notice.get().is_some() && self.refused_at_rcpt(address)
    }

    /// The first reason phrase in the notice.
    pub fn phrase(&self) -> Option<(Reason, &'static str)> {
        *self.phrase.get_or_init(|| super::phrases::match_phrase_squashed(self.squashed()))
    }

    /// True when a Sendmail transcript in the notice shows the address refused at
    /// RCPT TO.
    pub(super) fn refused_at_rcpt(&self, address: &str) -> bool {
        let refused = self.refused_at_rcpt.get_or_init(|| rcpt_refusals(self.notice()));
        !refused.is_empty() && refused.contains(&address.to_ascii_lowercase())
    }
}

/// One pass over a Sendmail transcript: every `>>> RCPT To:<addr>` whose next line is
/// a `<<< 4xx/5xx` reply.
fn rcpt_refusals(notice: &str) -> HashSet<String> {
    let mut out = HashSet::new();
    let mut pending: Option<&str> = None;
    for line in split_lf(notice) {
        let l = line.trim();
        if l.is_empty() {
            continue;
        }
        if let Some(addr) = pending.take()
            && (l.starts_with("<<< 4") || l.starts_with("<<< 5"))
        {
            out.insert(addr.to_ascii_lowercase());
        }
        if let Some(cmd) = l.strip_prefix(">>>") {
            let cmd = cmd.trim();
            // `get`: a damaged transcript may put a multi-byte character across byte 8.
            if let Some(addr) = cmd
                .get(..8)
                .filter(|p| p.eq_ignore_ascii_case("rcpt to:"))
                .map(|_| &cmd[8..])
                .filter(|a| !a.is_empty())
            {
                pending = Some(addr.trim().trim_start_matches('<').trim_end_matches('>'));
            }
        }
    }
    out
}

/// The SMTP command a failure answered, as far as the report says: the stage of the
/// session at which the server refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Command {
    Connect,
    Helo,
    MailFrom,
    RcptTo,
    Data,
}

impl Command {
    /// The stage's name in exports (`rcpt-to`).
    pub fn as_str(self) -> &'static str {
        match self {
            Command::Connect => "connect",
            Command::Helo => "helo",
            Command::MailFrom => "mail-from",
            Command::RcptTo => "rcpt-to",
            Command::Data => "data",
        }
    }
}

const MARKS: &[(&str, Command)] = &[
    // Postfix: "host mx.example.org[192.0.2.1] refused to talk to me: 554 ...": the
    // greeting was a refusal.
    ("refused to talk to me", Command::Connect),
    // Postfix smtpd's restriction replies name what they judged: its HELO check and its
    // recipient checks (given in reply to RCPT TO, whatever the wording after them).
    ("helo command rejected", Command::Helo),
    ("recipient address rejected", Command::RcptTo),
    // qmail-remote and its kin: "<host> does not like recipient."
    ("does not like recipient", Command::RcptTo),
    // qmail: "Connected to <ip> but my name was rejected" / "... but sender was rejected".
    ("my name was rejected", Command::Helo),
    ("sender was rejected", Command::MailFrom),
    ("end of data", Command::Data),
    // m-FILTER's "-------SMTP command DATA" section of its notice.
    ("smtp command data", Command::Data),
    ("after data", Command::Data),
    ("final data", Command::Data),
    ("reply to data", Command::Data),
    ("our data", Command::Data),
    ("rcpt", Command::RcptTo),
    ("mail from", Command::MailFrom),
    ("reply to helo", Command::Helo),
    ("reply to ehlo", Command::Helo),
    ("initial connection", Command::Connect),
    ("greeting", Command::Connect),
    // Exim's "after EHLO" / "after HELO", and the notices that name the command alone.
    ("ehlo", Command::Helo),
    ("helo", Command::Helo),
];

/// The command named in a recipient's own diagnostic, squashed: the first of the marks
/// in table order that the text holds, found in one pass.
pub(super) fn diagnostic_command(d: &str) -> Option<Command> {
    static FINDER: LazyLock<Option<AhoCorasick>> =
        LazyLock::new(|| AhoCorasick::new(MARKS.iter().map(|(m, _)| *m)).ok());
    let first = FINDER
        .as_ref()
        .and_then(|f| f.find_overlapping_iter(d).map(|m| m.pattern().as_usize()).min());
    first.map(|i| MARKS[i].1).or_else(|| is_greeting(d).then_some(Command::Connect))
}

/// A refusal written as a greeting banner: `554 mx.example.org ESMTP not accepting
/// connections`, `421 mail.example.net SMTP service not available`. Servers refuse at
/// the greeting with 421 or 554 and their host name before any command is sent
/// (RFC 5321 §3.1), so the refusal is of the connecting host.
fn is_greeting(d: &str) -> bool {
    let mut words = d.split(' ');
    let (Some(code), Some(host), Some(proto)) = (words.next(), words.next(), words.next()) else {
        return false;
    };
    matches!(code, "421" | "554" | "421-" | "554-")
        && host.contains('.')
        && !host.contains('@')
        && host.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-'))
        && matches!(proto.trim_end_matches([',', ';', ':']), "esmtp" | "smtp")
}

/// The command a squashed notice names after "in reply to " or "after ".
fn wording_command(squashed: &str) -> Option<Command> {
    for lead in ["in reply to ", "after "] {
        for i in memchr::memmem::find_iter(squashed.as_bytes(), lead) {
            let rest = &squashed[i + lead.len()..];
            if let Some((_, c)) = MARKS.iter().find(|(m, _)| rest.starts_with(m)) {
                return Some(*c);
            }
        }
    }
    None
}

/// The command a Sendmail session transcript shows failing: the `>>>` line before the
/// first `<<< 4xx/5xx` line. With PIPELINING, RCPT replies arrive after DATA is sent,
/// so an unanswered RCPT in the same batch takes the blame.
fn transcript_command(notice: &str) -> Option<Command> {
    let mut batch: Vec<String> = Vec::new();
    for line in split_lf(notice) {
        let l = line.trim_start();
        if let Some(cmd) = l.strip_prefix(">>>") {
            batch.push(cmd.trim().to_ascii_lowercase());
        } else if l.starts_with("<<< 4") || l.starts_with("<<< 5") {
            if batch.iter().any(|c| c.starts_with("rcpt")) {
                return Some(Command::RcptTo);
            }
            let cmd = batch.last()?;
            // A reply right after DATA may still answer a pipelined RCPT: undecided.
            return if cmd.starts_with("data") {
                None
            } else if cmd == "." {
                Some(Command::Data)
            } else if cmd.starts_with("mail") {
                Some(Command::MailFrom)
            } else {
                None
            };
        } else if l.starts_with("<<<") {
            batch.clear();
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transcript_refusals_survive_damaged_commands() {
        let notice = ">>> RCPT To:<a@example.org>\n<<< 550 5.1.1 User unknown\n\
                      >>> DAT\u{fffd}\u{fffd}V\n<<< 554 no\n>>> RCPT To:\n<<< 550 x\n";
        let refused = rcpt_refusals(notice);
        assert_eq!(refused.into_iter().collect::<Vec<_>>(), ["a@example.org"]);
    }
}
