//! Amazon SES notifications delivered by e-mail (SNS): a JSON document with
//! `notificationType` Bounce, Complaint or Delivery, optionally wrapped in an SNS
//! envelope whose `Message` field holds the JSON as a string.

use serde_json::Value;

use super::{Found, Notice};
use crate::bounce::date::parse_date;
use crate::bounce::dsn::{address, typed};
use crate::bounce::model::{OriginalMessage, RecipientStatus};
use crate::bounce::reason::Reason;

pub fn read(n: &Notice<'_>) -> Option<Found> {
    if !n.full.contains("notificationType") {
        return None;
    }
    let doc = parse_json(n.full)?;
    let doc = match doc.get("Message").and_then(Value::as_str) {
        Some(inner) => serde_json::from_str(inner).ok()?,
        None => doc,
    };
    let kind = doc.get("notificationType").and_then(Value::as_str)?;
    let mut found = Found { format: "amazon-ses", ..Found::default() };
    found.original = doc.get("mail").map(original_of);
    match kind {
        "Bounce" => {
            let b = doc.get("bounce")?;
            found.reporting_mta = b.get("reportingMTA").and_then(Value::as_str).map(|m| typed(m).1);
            for r in b.get("bouncedRecipients").and_then(Value::as_array).into_iter().flatten() {
                let Some(addr) = r.get("emailAddress").and_then(Value::as_str) else { continue };
                let mut rs = RecipientStatus::new(address(addr));
                rs.action = r.get("action").and_then(Value::as_str).map(str::to_ascii_lowercase);
                rs.status = r.get("status").and_then(Value::as_str).and_then(|s| s.parse().ok());
                if let Some(d) = r.get("diagnosticCode").and_then(Value::as_str) {
                    let (t, v) = typed(d);
                    rs.diagnostic_type = t;
                    rs.diagnostic = v;
                }
                found.recipients.push(rs);
            }
        }
        "Complaint" => {
            let c = doc.get("complaint")?;
            let ftype = c
                .get("complaintFeedbackType")
                .and_then(Value::as_str)
                .unwrap_or("abuse")
                .to_ascii_lowercase();
            for r in c.get("complainedRecipients").and_then(Value::as_array).into_iter().flatten() {
                let Some(addr) = r.get("emailAddress").and_then(Value::as_str) else { continue };
                let mut rs = RecipientStatus::new(address(addr));
                rs.reason = Reason::Feedback;
                rs.why = format!("Amazon SES complaint notification ({ftype})");
                rs.rule = "ses-complaint".into();
                found.recipients.push(rs);
            }
            found.feedback_type = Some(ftype);
        }
        "Delivery" => {
            let d = doc.get("delivery")?;
            let response = d.get("smtpResponse").and_then(Value::as_str).unwrap_or("");
            for r in d.get("recipients").and_then(Value::as_array).into_iter().flatten() {
                let Some(addr) = r.as_str() else { continue };
                let mut rs = RecipientStatus::new(address(addr));
                rs.action = Some("delivered".into());
                rs.diagnostic = response.to_string();
                found.recipients.push(rs);
            }
        }
        _ => return None,
    }
    Some(found)
}

/// The sent message as SES describes it (`mail.commonHeaders`).
fn original_of(mail: &Value) -> OriginalMessage {
    let common = mail.get("commonHeaders");
    let field = |name: &str| -> Option<String> {
        let v = common?.get(name)?;
        match v {
            Value::String(s) => Some(s.clone()),
            Value::Array(a) => {
                let parts: Vec<&str> = a.iter().filter_map(Value::as_str).collect();
                (!parts.is_empty()).then(|| parts.join(", "))
            }
            _ => None,
        }
    };
    OriginalMessage {
        from: field("from"),
        to: field("to"),
        subject: field("subject"),
        message_id: field("messageId")
            .or_else(|| mail.get("messageId")?.as_str().map(str::to_string)),
        date: field("date").as_deref().and_then(parse_date),
    }
}

/// The JSON object in the text. SNS mail wraps long lines with `!` + newline + space;
/// undo that when the text does not parse as it is.
fn parse_json(text: &str) -> Option<Value> {
    let start = text.find('{')?;
    let end = text.rfind('}')?;
    let body = text.get(start..=end)?;
    serde_json::from_str(body).ok().or_else(|| {
        let joined = body.replace("!\n ", "").replace('\n', "");
        serde_json::from_str(&joined).ok()
    })
}

#[cfg(test)]
mod tests {
    use crate::bounce::{Kind, Reason, analyze};

    fn corpus(name: &str) -> Vec<u8> {
        let path = format!("{}/tests/corpus/maildir/bsd/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read(path).expect("corpus sample")
    }

    #[test]
    fn reads_bounce_complaint_and_delivery_notifications() {
        let r = analyze(&corpus("lhost-amazonses-09.eml")).expect("bounce");
        assert_eq!(r.format, "amazon-ses");
        assert_eq!(r.recipients[0].recipient, "bounce@simulator.amazonses.com");
        assert_eq!(r.recipients[0].reason, Reason::UserUnknown);
        assert_eq!(r.original.subject.as_deref(), Some("nyaan"));
        let r = analyze(&corpus("lhost-amazonses-11.eml")).expect("complaint");
        assert_eq!(r.kind, Some(Kind::Feedback));
        assert_eq!(r.feedback_type.as_deref(), Some("abuse"));
        let r = analyze(&corpus("lhost-amazonses-12.eml")).expect("delivery");
        assert_eq!(r.kind, Some(Kind::Success));
        assert_eq!(r.recipients[0].reason, Reason::Delivered);
    }
}
