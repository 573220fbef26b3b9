//! Abuse feedback reports (ARF, RFC 5965): a `message/feedback-report` part whose
//! fields say what kind of complaint it is and about which recipient.

use super::dsn::{address, fields};
use super::headers::Headers;
use super::model::RecipientStatus;
use super::reason::Reason;

/// What a feedback-report part says.
#[derive(Debug, Clone, Default)]
pub struct Feedback {
    pub feedback_type: Option<String>,
    pub reporting_mta: Option<String>,
    pub recipients: Vec<RecipientStatus>,
    pub arrival_date: Option<String>,
}

/// Read a feedback-report part. `original` is the reported message's header block,
/// used for the recipient when `Original-Rcpt-To` is missing.
pub fn read(text: &str, original: Option<&Headers>) -> Feedback {
    let mut fb = Feedback::default();
    let mut rcpts: Vec<String> = Vec::new();
    for (name, value) in fields(text) {
        match name.as_str() {
            "feedback-type" => {
                fb.feedback_type = value.split_whitespace().next().map(|v| v.to_ascii_lowercase())
            }
            "reporting-mta" => fb.reporting_mta = Some(super::dsn::typed(&value).1),
            "original-rcpt-to" | "removal-recipient" => rcpts.push(address(&value)),
            "arrival-date" | "received-date" => fb.arrival_date = Some(value),
            _ => {}
        }
    }
    if rcpts.is_empty()
        && let Some(h) = original
    {
        // Hotmail's JMRP names the complaining recipient in its own header; else the
        // To of the reported message, as written when it holds no address.
        let to = h.get("x-hmxmroriginalrecipient").or_else(|| h.get("to")).unwrap_or("");
        match super::extract::addr::first(to) {
            Some(a) => rcpts.push(a),
            None => rcpts.push(to.trim().trim_matches(['<', '>', '"']).to_string()),
        }
    }
    if rcpts.is_empty() {
        rcpts.push(String::new());
    }
    for a in rcpts {
        let mut r = RecipientStatus::new(a);
        r.reason = Reason::Feedback;
        r.why = format!(
            "Feedback-Type: {} in the feedback-report part",
            fb.feedback_type.as_deref().unwrap_or("(none)")
        );
        r.rule = "feedback-report".into();
        fb.recipients.push(r);
    }
    fb
}

/// A complaint sent as a plain forward of the reported message (Hotmail's JMRP and
/// others) rather than as an ARF report.
pub fn is_complaint_without_report(h: &Headers) -> bool {
    let subject = h.decoded("subject").unwrap_or_default().to_ascii_lowercase();
    let from = h.get("from").unwrap_or("").to_ascii_lowercase();
    (subject.contains("complaint about message") || subject.contains("abuse report"))
        && (from.contains("staff@hotmail") || from.contains("abuse") || from.contains("fbl"))
}

/// A request to be taken off a mailing list, mailed to its `List-Unsubscribe:` address
/// (RFC 2369): the subject is the bare word "unsubscribe", or Apple Mail's unsubscribe
/// button marked it `X-Apple-Unsubscribe: true`. Such requests often carry
/// `Auto-Submitted: auto-replied`, yet they are an opt-out, not an out-of-office
/// reply: the sender is the subscriber who asks to leave, and sending on to them is
/// what a list must stop.
pub fn unsubscribe_request(h: &Headers) -> Option<RecipientStatus> {
    let subject = h.decoded("subject").unwrap_or_default();
    let apple = h.get("x-apple-unsubscribe").is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
    let why = if apple {
        "X-Apple-Unsubscribe is true"
    } else if subject.trim().eq_ignore_ascii_case("unsubscribe") {
        "the subject is \"unsubscribe\""
    } else {
        return None;
    };
    let who = h.get("from").and_then(super::extract::addr::first)?;
    let mut r = RecipientStatus::new(who);
    r.reason = Reason::Feedback;
    r.why = format!("{why}: the sender asks to be unsubscribed");
    r.rule = "unsubscribe-request".into();
    Some(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unsubscribe_request_is_an_opt_out_from_its_sender() {
        // The corpus's arf-26: Apple Mail's unsubscribe button.
        let report = crate::bounce::extract::testing::report_of("arf-26.eml");
        assert_eq!(report.kind, Some(crate::bounce::Kind::Feedback));
        assert_eq!(report.feedback_type.as_deref(), Some("opt-out"));
        assert_eq!(report.recipients[0].recipient, "example@icloud.com");
        assert_eq!(report.recipients[0].reason, Reason::Feedback);
        // A subject that only mentions the word is not a request.
        let h = Headers::parse("From: a@example.org\nSubject: How to unsubscribe\n");
        assert!(unsubscribe_request(&h).is_none());
        let h = Headers::parse("From: a@example.org\nSubject:  Unsubscribe \n");
        assert_eq!(unsubscribe_request(&h).map(|r| r.recipient).as_deref(), Some("a@example.org"));
    }

    #[test]
    fn reads_feedback_fields() {
        let fb = read(
            "Feedback-Type: abuse\nUser-Agent: x/1\nVersion: 1\nOriginal-Rcpt-To: <a@example.jp>\n",
            None,
        );
        assert_eq!(fb.feedback_type.as_deref(), Some("abuse"));
        assert_eq!(fb.recipients[0].recipient, "a@example.jp");
        assert_eq!(fb.recipients[0].reason, Reason::Feedback);
    }
}
