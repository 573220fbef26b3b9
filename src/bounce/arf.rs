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

#[cfg(test)]
mod tests {
    use super::*;

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
