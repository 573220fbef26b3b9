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
        && let Some(to) = original.and_then(|h| h.get("to"))
        && let Some(a) = super::extract::addr::first(to)
    {
        rcpts.push(a);
    }
    for a in rcpts.into_iter().filter(|a| !a.is_empty()) {
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
