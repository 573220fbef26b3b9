//! The pipeline behind `analyze`: walk the MIME tree, pick the reader that fits,
//! then fill in codes, reasons, the original message, hops and provider.

use std::cell::OnceCell;
use std::sync::LazyLock;

use aho_corasick::AhoCorasick;

use super::classify::{CodeSource, NoticeFacts, Origin, classify_at};
use super::diagnostic::parse_reply;
use super::headers::{Headers, decode_words};
use super::mime::{Part, normalize, walk, walk_noting};
use super::model::{Kind, RecipientStatus, Report};
use super::reason::Reason;
use super::{
    Detail, arf, auth, autoreply, date, dsn, extract, hops, nonbounce, original, prefilter,
    provider,
};

/// Most recipients reported for one message; real reports list a handful, and the
/// cap keeps crafted ones from costing more than a bounded amount of work.
const MAX_RECIPIENTS: usize = 1000;

/// Most bytes of a forwarded report read (a report is small; its attachment is not
/// needed to read it).
const FORWARDED_CAP: usize = 4 << 20;

/// Most characters of notice text searched by the text readers.
const NOTICE_CAP: usize = 64 * 1024;

pub fn run(raw: &[u8], detail: Detail) -> Option<Report> {
    if !prefilter::could_be_report(prefilter::header_block(raw)) {
        return None;
    }
    run_unfiltered(raw, detail)
}

pub fn run_unfiltered(raw: &[u8], detail: Detail) -> Option<Report> {
    let msg = normalize(raw);
    let (headers, parts, cut) = walk_noting(&msg);
    let mut report = read(&headers, &parts, detail).or_else(|| forwarded_report(&parts, detail))?;
    let text_cut = parts
        .iter()
        .any(|p| p.ctype.starts_with("text/") && p.body.len() > super::mime::TEXT_CAP)
        .then_some("a text part over 256 KB: only its first 256 KB were read");
    if report.cut.is_none() {
        report.cut = cut.or(text_cut).map(str::to_string);
    }
    Some(report)
}

/// A report forwarded as an attachment (a notice sent on by a relay or a person):
/// read the attached message when the outer one says nothing itself. One level only.
fn forwarded_report(parts: &[Part<'_>], detail: Detail) -> Option<Report> {
    let inner = parts.iter().find(|p| p.ctype == "message/rfc822")?;
    // Gateways and mail programs base64-encode attached messages, against RFC 2046.
    let bytes = inner.bytes(FORWARDED_CAP);
    let bytes = normalize(&bytes);
    let (h, inner_parts) = walk(&bytes);
    let looks_like_report = h.get("content-type").is_some_and(|c| c.contains("report"))
        || autoreply::looks_like_bounce(&h);
    if !looks_like_report {
        return None;
    }
    read(&h, &inner_parts, detail)
}

fn read(headers: &Headers, parts: &[Part<'_>], detail: Detail) -> Option<Report> {
    // A person's reply reports nothing, whatever bounce it quotes.
    if nonbounce::is_personal_reply(headers) {
        return None;
    }
    let mut report = Report {
        subject: headers.decoded("subject"),
        from: headers.get("from").map(decode_words),
        date: headers.get("date").and_then(date::parse_date),
        ..Report::default()
    };
    let original_headers = original::attached(parts);
    let notice = LazyNotice::new(parts);
    let quoted =
        if original_headers.is_none() { original::quoted(notice.quoted_copy()) } else { None };
    let orig = original_headers.or(quoted);
    let notice_text = || notice.text();
    let facts = NoticeFacts::on_demand(&notice_text);

    let mut source = CodeSource::DeliveryStatus;
    let mut delivery_status = delivery_status(parts);
    if let Some(part) = parts.iter().find(|p| p.is("message/feedback-report")) {
        let fb = arf::read(&part.text(), orig.as_ref());
        report.kind = Some(Kind::Feedback);
        report.format = "arf".into();
        report.feedback_type = fb.feedback_type;
        report.reporting_mta = fb.reporting_mta;
        report.recipients = fb.recipients;
    } else if arf::is_complaint_without_report(headers) && orig.is_some() {
        let fb = arf::read("", orig.as_ref());
        report.kind = Some(Kind::Feedback);
        report.format = "complaint".into();
        report.feedback_type = Some("abuse".into());
        report.recipients = fb.recipients;
    } else if let Some(ds) = delivery_status.take_if(|d| !d.recipients.is_empty()) {
        report.format = "rfc3464".into();
        report.reporting_mta = ds.message.reporting_mta;
        report.generating_server = ds.message.received_from_mta;
        report.arrival_date = ds.message.arrival_date;
        report.recipients = ds.recipients;
        fill_from_notice(&mut report.recipients, || notice.text());
    } else if let Some(r) = arf::unsubscribe_request(headers) {
        report.kind = Some(Kind::Feedback);
        report.format = "unsubscribe".into();
        report.feedback_type = Some("opt-out".into());
        report.recipients.push(r);
    } else {
        let (notice, notice_full) = (notice.text(), notice.full());
        let n = extract::Notice::new(headers, notice, notice_full);
        let bounce_like = autoreply::looks_like_bounce(headers);
        // A delivery notice we could not read is not an auto-reply either.
        let auto = if bounce_like {
            None
        } else {
            autoreply::detect(headers).or_else(|| nonbounce::out_of_office(headers, notice))
        };
        let found = if auto.is_some() {
            None
        } else {
            extract::run(&n)
                .and_then(|found| without_addressee(found, headers))
                .or_else(|| failed_recipients_header(headers, notice))
                .or_else(|| original_recipient(headers, orig.as_ref(), notice, bounce_like))
        };
        match (found, auto) {
            (Some(found), _) => {
                report.format = found.format.into();
                report.reporting_mta = found.reporting_mta;
                report.feedback_type = found.feedback_type;
                report.generating_server = found.generating_server;
                // A delivery-status part that lists no recipient ("Delivery report
                // unavailable") still says which server reported, and when.
                if let Some(ds) = delivery_status {
                    report.reporting_mta = report.reporting_mta.or(ds.message.reporting_mta);
                    report.generating_server =
                        report.generating_server.or(ds.message.received_from_mta);
                    report.arrival_date = ds.message.arrival_date;
                }
                if let Some(o) = found.original {
                    report.original = o;
                }
                report.recipients = found.recipients;
                if is_delay_notice(facts.squashed()) {
                    for r in report.recipients.iter_mut().filter(|r| r.action.is_none()) {
                        r.action = Some("delayed".into());
                    }
                }
                source = CodeSource::Text;
            }
            (None, Some(why)) => {
                report.kind = Some(Kind::AutoReply);
                report.format = "rfc3834".into();
                let who = headers.get("from").and_then(extract::addr::first).unwrap_or_default();
                let mut r = RecipientStatus::new(who);
                r.reason = Reason::Vacation;
                r.why = why;
                r.rule = "auto-reply".into();
                report.recipients.push(r);
            }
            (None, None) => return None,
        }
    }
    if report.recipients.is_empty() {
        return None;
    }
    if report.recipients.len() > MAX_RECIPIENTS {
        report.cut = Some(format!(
            "{} recipients: only the first {MAX_RECIPIENTS} were read",
            report.recipients.len()
        ));
        report.recipients.truncate(MAX_RECIPIENTS);
    }
    // A delivery-status part whose diagnostics say everything spares decoding the prose.
    let challenge = report.kind.is_none().then(|| {
        let diagnostics: Vec<String> =
            report.recipients.iter().map(|r| super::phrases::squash(&r.diagnostic)).collect();
        let prose_needed = source == CodeSource::Text
            || report.recipients.iter().any(|r| r.diagnostic.trim().is_empty());
        let prose = prose_needed.then(|| facts.squashed());
        nonbounce::challenge(diagnostics.iter().map(String::as_str).chain(prose))
    });
    let well_formed_dsn = source == CodeSource::DeliveryStatus && report.reporting_mta.is_some();
    for r in &mut report.recipients {
        let at =
            if well_formed_dsn && r.remote_mta.is_none() { Origin::Local } else { Origin::Unknown };
        finish_recipient(r, source, &facts, at);
    }
    if let Some(why) = challenge.flatten() {
        // Held for the sender to confirm: an automatic reply, not a failure.
        report.kind = Some(Kind::Challenge);
        for r in &mut report.recipients {
            r.reason = Reason::Vacation;
            r.rule = "challenge-response".into();
            r.why = why.clone();
            r.status_inferred = None;
        }
    }
    report.kind = report.kind.or_else(|| Some(kind_of(&report.recipients)));
    if detail == Detail::Full {
        add_original_details(&mut report, headers, orig.as_ref());
    }
    report.provider = provider::detect(headers, &report, || notice.text());
    crate::verdict::apply(&mut report, crate::catalog::Catalog::active());
    Some(report)
}

/// What the original message's headers say (its summary, hop chain and authentication
/// results), and the report's own hop chain.
fn add_original_details(report: &mut Report, headers: &Headers, orig: Option<&Headers>) {
    if let Some(h) = orig {
        report.original = original::summary(h);
        let received: Vec<&str> = h.all("received").collect();
        report.hops = hops::parse_chain(&received);
        let ar: Vec<&str> = h.all("authentication-results").collect();
        let spf: Vec<&str> = h.all("received-spf").collect();
        report.auth = auth::parse_auth(&ar, &spf);
    }
    let own: Vec<&str> = headers.all("received").collect();
    report.bounce_hops = hops::parse_chain(&own);
}

/// The human-readable notice, decoded and cut from the quoted original on first use:
/// a report whose delivery-status part and headers say everything never needs it.
struct LazyNotice<'p, 'm> {
    parts: &'p [Part<'m>],
    /// The decoded text parts (see [`notice_text`]).
    full: OnceCell<String>,
    /// Where the notice ends and a quoted copy of the original begins.
    end: OnceCell<usize>,
}

impl<'p, 'm> LazyNotice<'p, 'm> {
    fn new(parts: &'p [Part<'m>]) -> Self {
        LazyNotice { parts, full: OnceCell::new(), end: OnceCell::new() }
    }

    /// The whole decoded text: the notice and any quoted copy after it.
    fn full(&self) -> &str {
        self.full.get_or_init(|| notice_text(self.parts))
    }

    fn end(&self) -> usize {
        *self.end.get_or_init(|| notice_cut(self.full()))
    }

    /// The notice proper.
    fn text(&self) -> &str {
        &self.full()[..self.end()]
    }

    /// What follows the notice: a quoted copy of the original, if any.
    fn quoted_copy(&self) -> &str {
        &self.full()[self.end()..]
    }
}

/// The delivery-status part, parsed, when the report has one.
fn delivery_status(parts: &[Part<'_>]) -> Option<dsn::DeliveryStatus> {
    parts
        .iter()
        .find(|p| {
            matches!(p.ctype.as_str(), "message/delivery-status" | "message/global-delivery-status")
        })
        .map(|p| dsn::parse(&p.text()))
}

/// The human-readable notice: the text parts before any attached message, decoded and
/// capped. Falls back to the HTML part stripped of tags.
fn notice_text(parts: &[Part<'_>]) -> String {
    let mut out = String::new();
    for p in parts {
        if p.ctype.starts_with("message/") && !p.ctype.contains("status") {
            break;
        }
        if p.ctype == "text/plain" || p.ctype == "text/html" && out.trim().is_empty() {
            let t = p.text();
            let t = if p.ctype == "text/html" {
                mail_parser::decoders::html::html_to_text(&t)
            } else {
                t
            };
            out.push_str(&t);
            out.push('\n');
        }
        if out.len() > NOTICE_CAP {
            break;
        }
    }
    let out = unquote_forwarded(out);
    let mut out = out;
    if out.len() > NOTICE_CAP {
        let mut cut = NOTICE_CAP;
        while !out.is_char_boundary(cut) {
            cut -= 1;
        }
        out.truncate(cut);
    }
    out
}

/// A bounce forwarded by a person arrives `> `-quoted: when most lines are quoted,
/// remove one level of quoting so the readers see the notice as the MTA wrote it.
fn unquote_forwarded(text: String) -> String {
    let (mut lines, mut quoted) = (0, 0);
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        lines += 1;
        quoted += usize::from(line.starts_with('>'));
    }
    if lines == 0 || quoted * 2 < lines {
        return text;
    }
    text.lines()
        .map(|l| match l.strip_prefix('>') {
            Some(rest) => rest.strip_prefix(' ').unwrap_or(rest),
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Markers after which a notice quotes the original message.
const COPY_MARKERS: &[&str] = &[
    "this is a copy of the message",
    "below this line is a copy",
    "copy of the message",
    "original message follows",
    "original mail as follows",
    "original message headers",
    "message headers follow",
    "headers of the original message",
    "header of the original message",
    "original message --",
    "unsent message below",
    "returned mail follows",
    "rfc822 contents",
    "forwarded message",
    "returned message --",
];

/// Byte offset where the notice stops and the quoted original begins.
fn notice_cut(text: &str) -> usize {
    // One case-insensitive pass for all markers (none spans a line break), instead of a
    // lowercased copy and a search per marker for every line. The cut is the start of
    // the first line after the first one that holds a marker.
    static MARKERS: LazyLock<Option<AhoCorasick>> = LazyLock::new(|| {
        AhoCorasick::builder().ascii_case_insensitive(true).build(COPY_MARKERS).ok()
    });
    let mut cut = text.len();
    if let Some(markers) = MARKERS.as_ref() {
        for m in markers.find_iter(text) {
            let line_start =
                memchr::memrchr(b'\n', &text.as_bytes()[..m.start()]).map_or(0, |i| i + 1);
            if line_start > 0 {
                cut = line_start;
                break;
            }
        }
    }
    let quoted = original::quoted_start(text).unwrap_or(text.len());
    let end = cut.min(quoted.max(1)).min(text.len());
    // Both are line starts, so on a character boundary; stay safe if not.
    if text.is_char_boundary(end) { end } else { 0 }
}

/// A DSN without diagnostics: borrow the line of the notice that names the recipient.
fn fill_from_notice<'n>(recipients: &mut [RecipientStatus], notice: impl FnOnce() -> &'n str) {
    if recipients.iter().all(|r| !r.diagnostic.trim().is_empty()) {
        return;
    }
    let notice = notice();
    let empty = Headers::default();
    let n = extract::Notice::new(&empty, notice, notice);
    if let Some(found) = extract::run(&n) {
        extract::lend_diagnostics(recipients, &found);
    }
}

/// The addresses a message's To names. (Delivered-To and X-Original-To are written by
/// whoever stored it, and some notices carry the failed recipient's there.)
fn addressees(h: &Headers) -> Vec<String> {
    let to = h.all("to").flat_map(extract::addr::find_all);
    to.map(|(_, _, a)| a.to_ascii_lowercase()).collect()
}

/// A notice is addressed to the sender of the message that failed: beside other
/// recipients, an address of its own To (a greeting, "Sorry ann@example.org.") is not a
/// failed recipient. Alone it may be one: people and cron jobs mail themselves.
fn without_addressee(mut found: extract::Found, h: &Headers) -> Option<extract::Found> {
    let own = addressees(h);
    let is_own = |r: &RecipientStatus| own.contains(&r.recipient.to_ascii_lowercase());
    if !own.is_empty() && found.recipients.iter().any(|r| !is_own(r)) {
        found.recipients.retain(|r| !is_own(r));
    }
    Some(found)
}

/// Exim and others list the failed addresses in `X-Failed-Recipients`.
fn failed_recipients_header(h: &Headers, notice: &str) -> Option<extract::Found> {
    let list = h.get("x-failed-recipients")?;
    let recipients: Vec<RecipientStatus> = extract::addr::find_all(list)
        .into_iter()
        .map(|(_, _, a)| {
            let mut r = RecipientStatus::new(a);
            r.diagnostic = first_reply_line(notice).unwrap_or_default();
            r
        })
        .collect();
    Some(extract::Found { format: "x-failed-recipients", recipients, ..Default::default() })
}

/// Last resort for a notice that names no recipient (old Sendmail, some gateways):
/// the To of the returned message, when the message clearly is a delivery notice.
fn original_recipient(
    h: &Headers,
    orig: Option<&Headers>,
    notice: &str,
    bounce_like: bool,
) -> Option<extract::Found> {
    let content_type = h.get("content-type").unwrap_or("").to_ascii_lowercase();
    if !bounce_like && !content_type.contains("report") {
        return None;
    }
    // Without a server reply: a gateway's own "Error: ..." line names the cause;
    // Postfix's "--- Delivery report unavailable ---" means its record of the failure
    // was lost (the recipient is known from the returned message, the cause is not);
    // failing both, a line that says the message was not delivered will do (Verizon's
    // and some gateways' notices give neither address nor code).
    let lost = || {
        let unavailable = notice.to_ascii_lowercase().contains("delivery report unavailable");
        unavailable.then(String::new)
    };
    let reply = first_reply_line(notice)
        .or_else(|| error_line(notice))
        .or_else(lost)
        .or_else(|| undelivered_line(notice))?;
    let orig = orig?;
    let mut r = RecipientStatus::new(the_one_addressee(orig, h).unwrap_or_default());
    if r.recipient.is_empty() {
        r.why = "the report names no recipient, and the returned message's To is not one \
                 address it could be"
            .into();
    }
    r.diagnostic = reply;
    Some(extract::Found { format: "notice", recipients: vec![r], ..Default::default() })
}

/// The returned message's To, as the failed recipient of a notice that names none: only
/// when it is one address, not a mailing list's own address (a list post's To), and not
/// the notice's own addressee. A wrong address on a suppression list does more harm
/// than a missing one.
fn the_one_addressee(orig: &Headers, notice_headers: &Headers) -> Option<String> {
    let to = orig.get("to")?;
    let found = extract::addr::find_all(to);
    let [(_, _, written)] = found.as_slice() else { return None };
    let addr = written.to_ascii_lowercase();
    let local = addr.split('@').next().unwrap_or("");
    let list_post = orig.get("list-post").is_some_and(|p| p.to_ascii_lowercase().contains(&addr));
    let list_id = orig.get("list-id").is_some_and(|id| {
        let id = id.to_ascii_lowercase();
        id.contains(&addr) || !local.is_empty() && id.contains(&format!("<{local}."))
    });
    let mailing_list = orig
        .get("mailing-list")
        .or(orig.get("x-mailing-list"))
        .is_some_and(|m| m.to_ascii_lowercase().contains(&addr));
    if list_post || list_id || mailing_list || addressees(notice_headers).contains(&addr) {
        return None;
    }
    Some(written.to_string())
}

/// Wordings by which a notice says, without a code, that delivery failed.
/// ("not be delivered" covers "could not be delivered" and "cannot be delivered".)
const UNDELIVERED: &[&str] = &["not be delivered", "undeliverable", "no valid recipients"];

/// The sentence of the notice that says the message was not delivered (it may be
/// folded over several lines).
fn undelivered_line(notice: &str) -> Option<String> {
    let said = notice.split_whitespace().collect::<Vec<_>>().join(" ");
    // ASCII lowercasing keeps byte offsets, so they index `said` as well.
    let lower = said.to_ascii_lowercase();
    let at = UNDELIVERED.iter().filter_map(|m| lower.find(m)).min()?;
    let start = said[..at].rfind(". ").map_or(0, |i| i + 2);
    let end = said[at..].find(". ").map_or(said.len(), |i| at + i + 1);
    Some(said[start..end].to_string())
}

/// The remote server named in a notice's diagnostic: Postfix `host mx.example.org[192.0.2.1]
/// said:`, Exim `host mx.example.org [192.0.2.1]:`, DragonFly `mx.example.org [192.0.2.1]
/// did not like`.
pub fn remote_host(diagnostic: &str) -> Option<String> {
    let words: Vec<&str> = diagnostic.split_whitespace().collect();
    for (i, w) in words.iter().enumerate() {
        let candidate = if w.eq_ignore_ascii_case("host") {
            words.get(i + 1).copied()
        } else if words.get(i + 1).is_some_and(|n| n.starts_with('[')) && i == 0 {
            Some(*w)
        } else {
            None
        };
        let Some(c) = candidate else { continue };
        let name = c.split('[').next().unwrap_or("").trim_end_matches([':', ',']);
        let looks_like_host = name.contains('.')
            && name.chars().all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '.' | '-' | '_'));
        if looks_like_host {
            return Some(name.to_ascii_lowercase());
        }
    }
    None
}

/// Notices that only warn: the MTA is still trying (the notice squashed, as
/// [`super::phrases::squash`] does).
fn is_delay_notice(squashed: &str) -> bool {
    [
        "has been delayed",
        "delivery is delayed",
        "will be retried for",
        "warning message only",
        "you do not need to resend",
        "will continue trying",
        "still trying to deliver",
        "delivery attempts will continue",
        "this is only a temporary failure report",
    ]
    .iter()
    .any(|m| squashed.contains(m))
}

/// A gateway's own verdict line, `Error: No valid recipients for this MM` (Verizon's
/// MMS gateway and other non-SMTP relays), when the notice quotes no SMTP reply.
fn error_line(notice: &str) -> Option<String> {
    notice.lines().map(str::trim).find_map(|l| {
        let rest = l.get(..6).filter(|p| p.eq_ignore_ascii_case("error:")).map(|_| &l[6..])?;
        let rest = rest.trim();
        (!rest.is_empty()).then(|| rest.to_string())
    })
}

/// The first line of the notice that looks like an SMTP error reply.
pub fn first_reply_line(notice: &str) -> Option<String> {
    notice
        .lines()
        .map(str::trim)
        .find(|l| {
            let (code, _) = parse_reply(l);
            code.is_some_and(|c| c >= 400)
        })
        .map(str::to_string)
}

/// The engine's reading of one pasted reply or diagnostic line (`rebound explain`): its
/// codes, reason, rule and stage, as a failed recipient with no address.
pub fn reading_of_reply(text: &str) -> RecipientStatus {
    let mut r = RecipientStatus::new("");
    r.diagnostic = text.to_string();
    r.action = Some("failed".into());
    finish_recipient(&mut r, CodeSource::Text, &NoticeFacts::default(), Origin::Unknown);
    r
}

fn finish_recipient(r: &mut RecipientStatus, source: CodeSource, facts: &NoticeFacts, at: Origin) {
    r.diagnostic = r.diagnostic.trim().to_string();
    if r.remote_mta.is_none() {
        r.remote_mta = remote_host(&r.diagnostic);
    }
    let (reply, status) = parse_reply(&r.diagnostic);
    if r.reply_code.is_none() {
        r.reply_code = reply;
    }
    let mut source = source;
    // The server's own enhanced code outranks a Status: field that disagrees with it
    // (Sendmail often writes a generic Status over a precise reply).
    if let Some(said) = status.filter(|s| s.detail != 0 || s.subject != 0)
        && r.status.is_some_and(|st| st != said)
    {
        r.status = Some(said);
        source = CodeSource::Text;
    }
    // Without an enhanced code, the reply code still gives the class: the rules read it
    // as x.0.0, but the record keeps it apart from a code the report gave.
    let mut class_only = None;
    if r.status.is_none() {
        r.status = status;
        if r.status.is_none() {
            class_only = r.reply_code.map(|c| (c / 100) as u8).filter(|c| matches!(c, 4 | 5));
            r.status = class_only.map(|class| super::status::StatusCode::new(class, 0, 0));
        }
        source = CodeSource::Text;
    }
    if r.reason == Reason::Feedback || r.reason == Reason::Vacation {
        return;
    }
    if !r.why.is_empty() {
        // The reader already knew the reason from the notice's format.
        r.action.get_or_insert_with(|| "failed".into());
        return;
    }
    if r.action.is_none() {
        // Only a delivery-status part may turn a recipient into a success or a delay;
        // a 250 seen in a notice's transcript is not a delivery.
        let class = r.status.map(|s| s.class).or(r.reply_code.map(|c| (c / 100) as u8));
        r.action = Some(match class {
            Some(2) if source == CodeSource::DeliveryStatus => "delivered".into(),
            Some(4) if source == CodeSource::DeliveryStatus => "delayed".into(),
            _ => "failed".into(),
        });
    }
    // A "250 2.0.0 OK" quoted in a failure notice is a transcript line, not the result.
    if r.action.as_deref() == Some("failed") {
        if r.status.is_some_and(|s| s.class == 2) {
            r.status = None;
        }
        if r.reply_code.is_some_and(|c| c < 300) {
            r.reply_code = None;
        }
    }
    classify_at(r, source, facts, at);
    // Without a code from the report, the code the reason stands for (or the reply
    // code's class), kept apart from `status`.
    if class_only.is_some() {
        r.status_inferred = r.status.take();
    }
    if r.status.is_none() && r.action.as_deref() != Some("delivered") {
        r.status_inferred = r.reason.stand_in_code().or(r.status_inferred);
    }
}

fn kind_of(recipients: &[RecipientStatus]) -> Kind {
    if recipients.iter().any(|r| r.reason == Reason::Feedback) {
        return Kind::Feedback;
    }
    let actions: Vec<&str> =
        recipients.iter().map(|r| r.action.as_deref().unwrap_or("failed")).collect();
    let success = |a: &str| matches!(a, "delivered" | "relayed" | "expanded" | "deliverable");
    if actions.iter().any(|a| *a != "delayed" && !success(a)) {
        Kind::Bounce
    } else if actions.contains(&"delayed") {
        Kind::Delay
    } else {
        Kind::Success
    }
}

#[cfg(test)]
mod tests {
    use super::super::extract::testing::report_of;
    use super::*;

    #[test]
    fn a_gateway_error_line_stands_in_for_a_reply() {
        let notice =
            "Message could not be delivered to mobile.\nError: No valid recipients for this MM\n";
        assert_eq!(error_line(notice).as_deref(), Some("No valid recipients for this MM"));
        assert_eq!(error_line("Errors happen\nerror:\n"), None);
        let report = report_of("lhost-verizon-01.eml");
        assert_eq!(report.recipients[0].recipient, "0000000000@vzwpix.com");
        assert_eq!(report.recipients[0].reason, Reason::UserUnknown);
    }

    #[test]
    fn a_lost_postfix_delivery_report_still_names_the_recipient() {
        let report = report_of("lhost-postfix-64.eml");
        assert_eq!(report.recipients[0].recipient, "xxxx@wanadoo.fr");
        assert_eq!(report.recipients[0].reason, Reason::Undefined);
        assert!(!report.recipients[0].hard);
        // Its delivery-status part lists no recipient but still names the reporter.
        assert_eq!(report.reporting_mta.as_deref(), Some("xxxx.xxxx.net"));
        assert!(report.arrival_date.is_some());
    }

    #[test]
    fn a_lone_recipient_gets_the_notice_diagnostic_whatever_its_address() {
        // lhost-sendmail-15: the delivery-status part says `@mx.example.org`, the
        // transcript above it `kijitora@example.org`; both are the one recipient.
        let report = report_of("lhost-sendmail-15.eml");
        let r = &report.recipients[0];
        assert!(r.diagnostic.contains("550 5.1.2"), "{}", r.diagnostic);
        assert_eq!(r.reply_code, Some(550));
    }

    #[test]
    fn an_address_check_that_passed_is_a_success() {
        // rfc3464-28: Sendmail's report for `-bv`, every address `Action: deliverable`.
        let report = report_of("rfc3464-28.eml");
        assert_eq!(report.kind, Some(Kind::Success));
        assert_eq!(report.recipients[0].reason, Reason::Delivered);
        assert!(report.recipients[0].why.contains("deliverable"), "{}", report.recipients[0].why);
    }

    #[test]
    fn mailmarshal_names_its_servers_in_the_notice_text() {
        let report = report_of("lhost-mailmarshal-02.eml");
        let r = &report.recipients[0];
        assert_eq!(r.diagnostic, "550 5.1.1 User unknown");
        assert_eq!(r.remote_mta.as_deref(), Some("203.0.113.2"));
        assert_eq!(report.reporting_mta.as_deref(), Some("rr1.example.com"));
    }

    #[test]
    fn a_notice_without_code_or_address_still_says_what_failed() {
        // Postfix's notice when its delivery report is unavailable, folded as sent.
        let notice = "This is the mail system at host mx.example.net.\n\nI'm sorry to \
            have to inform you that your message could not\nbe delivered to one or more \
            recipients. It's attached below.\n";
        assert_eq!(
            undelivered_line(notice).as_deref(),
            Some(
                "I'm sorry to have to inform you that your message could not be delivered to one or more recipients."
            )
        );
        assert_eq!(undelivered_line("Your order has shipped. Thanks."), None);
    }

    /// A notice without a delivery-status part and without any recipient in its text,
    /// returning a message whose headers are `returned`.
    fn notice_returning(returned: &str) -> Vec<u8> {
        format!(
            "From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>\nTo: owner@example.com\n\
             Subject: Undeliverable mail\nContent-Type: multipart/mixed; boundary=\"b\"\n\n\
             --b\nContent-Type: text/plain\n\nThe message could not be delivered.\n\
             --b\nContent-Type: message/rfc822\n\n{returned}\nbody\n--b--\n"
        )
        .into_bytes()
    }

    #[test]
    fn the_returned_to_names_the_recipient_only_when_it_is_one_person() {
        let one = crate::bounce::analyze(&notice_returning(
            "From: owner@example.com\nTo: ann@example.org\nSubject: hi\n",
        ))
        .expect("a report");
        assert_eq!(one.recipients[0].recipient, "ann@example.org");
        // A mailing-list post: its To is the list, not a failed person.
        let list = crate::bounce::analyze(&notice_returning(
            "From: owner@example.com\nTo: talk@lists.example.org\n\
             List-Id: <talk.lists.example.org>\nList-Post: <mailto:talk@lists.example.org>\n",
        ))
        .expect("a report");
        assert_eq!(list.recipients[0].recipient, "", "the recipient is unknown");
        assert!(
            list.recipients[0].why.contains("names no recipient"),
            "{}",
            list.recipients[0].why
        );
        assert!(!list.recipients[0].hard);
        // Two addresses: which one failed is not said.
        let two = crate::bounce::analyze(&notice_returning(
            "From: owner@example.com\nTo: ann@example.org, bob@example.org\n",
        ))
        .expect("a report");
        assert_eq!(two.recipients[0].recipient, "");
    }

    #[test]
    fn the_notices_own_addressee_is_not_a_failed_recipient_beside_others() {
        // AOL: a greeting names the sender, the screen name below is the recipient.
        let raw = "From: Mail Delivery Subsystem <MAILER-DAEMON@aol.com>\n\
                   To: <sender@example.com>\nSubject: Mail Delivery Problem\n\n\
                   Sorry sender@example.com. Your mail to the following recipients could not \
                   be delivered because they are not accepting mail with attachments or \
                   embedded images:\n\tscreenname42\n";
        let report = crate::bounce::analyze(raw.as_bytes()).expect("a report");
        let who: Vec<&str> = report.recipients.iter().map(|r| r.recipient.as_str()).collect();
        assert_eq!(who, ["screenname42@aol.com"]);
        assert_eq!(report.recipients[0].reason, Reason::PolicyViolation);
    }

    #[test]
    fn an_x400_final_recipient_gives_way_to_its_address() {
        let raw = "From: postmaster@gw.example.net\nTo: s@example.com\nSubject: Delivery Status\n\
                   Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n\
                   --b\nContent-Type: text/plain\n\nNot delivered.\n\
                   --b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; gw.example.net\n\n\
                   Final-Recipient: x400; /C=US/ADMD= /PRMD=EX/O=EX/S=Lee/G=Ann/RFC-822=ann.lee(a)example.net/\n\
                   Action: failed\nStatus: 5.1.1\n\n--b--\n";
        let report = crate::bounce::analyze(raw.as_bytes()).expect("a report");
        assert_eq!(report.recipients[0].recipient, "ann.lee@example.net");
    }

    #[test]
    fn a_bounce_forwarded_as_a_base64_attachment_is_read() {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let bounce = crate::bounce::extract::testing::sample("rfc3464-01.eml");
        let direct = crate::bounce::analyze(&bounce).expect("the bounce itself");
        let mut encoded = String::new();
        for chunk in bounce.chunks(3) {
            let n =
                chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
            for i in 0..4 {
                let c = if i <= chunk.len() {
                    ALPHABET[(n >> (18 - 6 * i) & 63) as usize]
                } else {
                    b'='
                };
                encoded.push(char::from(c));
            }
        }
        let wrapped: String =
            encoded.as_bytes().chunks(76).map(|c| String::from_utf8_lossy(c) + "\n").collect();
        let raw = format!(
            "From: Helpdesk <helpdesk@example.com>\nTo: postmaster@example.com\n\
             Subject: Fwd: Returned mail\nContent-Type: multipart/mixed; boundary=\"b\"\n\n\
             --b\nContent-Type: text/plain\n\nSee the attached notice.\n\
             --b\nContent-Type: message/rfc822\nContent-Transfer-Encoding: base64\n\n{wrapped}--b--\n"
        );
        let report = crate::bounce::analyze(raw.as_bytes()).expect("the forwarded bounce");
        assert_eq!(report.recipients[0].recipient, direct.recipients[0].recipient);
        assert_eq!(report.recipients[0].reason, direct.recipients[0].reason);
    }

    #[test]
    fn a_report_past_the_engines_limits_says_what_was_not_read() {
        let mut fields = String::new();
        for i in 0..1200 {
            fields.push_str(&format!(
                "Final-Recipient: rfc822; u{i}@example.org\nAction: failed\nStatus: 5.1.1\n\n"
            ));
        }
        let raw = format!(
            "From: MAILER-DAEMON@mx.example.net\nSubject: Undelivered\n\
             Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n\
             --b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.net\n\n{fields}--b--\n"
        );
        let report = crate::bounce::analyze(raw.as_bytes()).expect("a report");
        assert_eq!(report.recipients.len(), MAX_RECIPIENTS);
        assert_eq!(report.cut.as_deref(), Some("1200 recipients: only the first 1000 were read"));
        let mut parts = String::new();
        for _ in 0..70 {
            parts.push_str("--b\nContent-Type: text/plain\n\nfiller\n");
        }
        let raw = format!(
            "From: MAILER-DAEMON@mx.example.net\nSubject: Undelivered\n\
             Content-Type: multipart/mixed; boundary=\"b\"\n\n\
             --b\nContent-Type: text/plain\n\n<a@example.org>: 550 5.1.1 User unknown\n{parts}--b--\n"
        );
        let report = crate::bounce::analyze(raw.as_bytes()).expect("a report");
        assert!(
            report.cut.as_deref().is_some_and(|c| c.contains("64 MIME parts")),
            "{:?}",
            report.cut
        );
        assert!(
            crate::bounce::analyze(&crate::bounce::extract::testing::sample("rfc3464-01.eml"))
                .unwrap()
                .cut
                .is_none()
        );
    }

    #[test]
    fn finds_the_remote_host_in_diagnostics() {
        let postfix = "host mx.example.org[192.0.2.1] said: 550 5.1.1 unknown";
        assert_eq!(remote_host(postfix).as_deref(), Some("mx.example.org"));
        let exim = "SMTP error from remote mail server after RCPT TO:<a@b>: host MX.example.jp [192.0.2.20]: 550";
        assert_eq!(remote_host(exim).as_deref(), Some("mx.example.jp"));
        let dragonfly = "mail.example.net [192.0.2.25] did not like our RCPT TO:";
        assert_eq!(remote_host(dragonfly).as_deref(), Some("mail.example.net"));
        assert_eq!(remote_host("550 host unknown"), None);
    }
}
