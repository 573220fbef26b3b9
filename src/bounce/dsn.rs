//! The RFC 3464 delivery-status grammar: one per-message block, then one block per
//! recipient, each a list of `Name: value` fields.
//!
//! Read leniently, as real MTAs write it: blank lines may be missing or doubled,
//! values may be folded, carry `(comments)`, lack their `type;` prefix (or have an
//! empty value after it), and names may vary in case.

use super::date::parse_date;
use super::model::{RecipientStatus, Timestamp};
use super::status::StatusCode;

/// The per-message fields of a delivery-status part.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MessageFields {
    pub reporting_mta: Option<String>,
    pub received_from_mta: Option<String>,
    pub arrival_date: Option<Timestamp>,
    pub envelope_id: Option<String>,
}

/// A parsed delivery-status part.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DeliveryStatus {
    pub message: MessageFields,
    pub recipients: Vec<RecipientStatus>,
}

/// Split a field block into unfolded `(name, value)` pairs; a blank line is reported
/// as `("", "")` so callers can see block boundaries.
pub fn fields(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            if out.last().is_some_and(|(n, _)| !n.is_empty()) {
                out.push((String::new(), String::new()));
            }
            continue;
        }
        if line.starts_with([' ', '\t']) {
            if let Some((n, v)) = out.last_mut()
                && !n.is_empty()
            {
                v.push(' ');
                v.push_str(line.trim());
            }
            continue;
        }
        match line.split_once(':') {
            Some((name, value)) if is_field_name(name) => {
                out.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
            }
            // A stray line: treat as continuation of a diagnostic that forgot to fold.
            _ => {
                if let Some((n, v)) = out.last_mut()
                    && n == "diagnostic-code"
                {
                    v.push(' ');
                    v.push_str(line.trim());
                }
            }
        }
    }
    out
}

fn is_field_name(name: &str) -> bool {
    let n = name.trim_end();
    !n.is_empty() && n.len() < 64 && n.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// Remove `(comments)` from a structured value, honouring nesting.
pub fn strip_comments(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut depth = 0usize;
    for c in value.chars() {
        match c {
            '(' => depth += 1,
            ')' if depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out.trim().to_string()
}

/// Split `type; value` into its parts. Without a `;`, the type is `None`.
pub fn typed(value: &str) -> (Option<String>, String) {
    match value.split_once(';') {
        Some((t, v)) if !t.trim().is_empty() && !t.contains(['@', ' ', '<']) => {
            (Some(t.trim().to_string()), v.trim().to_string())
        }
        Some((t, v)) if t.trim().is_empty() => (None, v.trim().to_string()),
        _ => (None, value.trim().to_string()),
    }
}

/// The bare address from a recipient field value (`rfc822; <a@b> (comment)`).
pub fn address(value: &str) -> String {
    // X.400 O/R names and Exchange proxy addresses carry the SMTP address inside.
    let (kind, raw) = typed(value);
    let notation = kind.as_deref().is_some_and(|k| k.eq_ignore_ascii_case("x400"))
        || raw.starts_with('/')
        || raw.to_ascii_lowercase().contains("smtp:");
    if notation && let Some(a) = crate::bounce::extract::addr::from_notation(&raw) {
        return a;
    }
    let (_, v) = typed(value);
    let v = strip_comments(&v);
    if let (Some(l), Some(r)) = (v.find('<'), v.rfind('>'))
        && l < r
    {
        return v[l + 1..r].trim().to_string();
    }
    v.split_whitespace()
        .find(|t| t.contains('@'))
        .or_else(|| v.split_whitespace().next())
        .unwrap_or("")
        .trim_matches(|c| matches!(c, '<' | '>' | '"' | '\''))
        .to_string()
}

/// The first enhanced status code found in a value (`5.1.1 (unknown user)`).
pub fn find_status(value: &str) -> Option<StatusCode> {
    value
        .split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .map(|t| t.trim_matches('.'))
        .find_map(|t| t.parse().ok())
}

/// Parse the text of a message/delivery-status (or message/global-delivery-status)
/// part.
pub fn parse(text: &str) -> DeliveryStatus {
    let mut ds = DeliveryStatus::default();
    let mut current: Option<RecipientStatus> = None;
    let mut has_final = false;
    let mut has_original = false;
    let mut fields_after_final = false;

    for (name, value) in fields(text) {
        // Blocks are normally separated by blank lines; when they are not, a second
        // Final-Recipient, or an Original-Recipient after the status fields, opens
        // the next recipient.
        let starts_new = match name.as_str() {
            "" => has_final || has_original,
            "original-recipient" => has_original || has_final && fields_after_final,
            "final-recipient" => has_final,
            _ => false,
        };
        if starts_new {
            if let Some(r) = current.take() {
                ds.recipients.push(r);
            }
            has_final = false;
            has_original = false;
            fields_after_final = false;
        }
        if has_final && matches!(name.as_str(), "action" | "status" | "diagnostic-code") {
            fields_after_final = true;
        }
        match name.as_str() {
            "" => {}
            "reporting-mta" => ds.message.reporting_mta = non_empty(typed(&value).1),
            "received-from-mta" => ds.message.received_from_mta = non_empty(typed(&value).1),
            "arrival-date" => ds.message.arrival_date = parse_date(&value),
            "original-envelope-id" => ds.message.envelope_id = non_empty(value),
            "final-recipient" => {
                let r = current.get_or_insert_with(|| RecipientStatus::new(String::new()));
                r.recipient = address(&value);
                has_final = true;
            }
            "original-recipient" => {
                let r = current.get_or_insert_with(|| RecipientStatus::new(String::new()));
                r.original_recipient = non_empty(address(&value));
                has_original = true;
            }
            _ => {
                let r = current.get_or_insert_with(|| RecipientStatus::new(String::new()));
                recipient_field(r, &name, &value);
            }
        }
    }
    if let Some(r) = current
        && (has_final || has_original)
    {
        ds.recipients.push(r);
    }
    for r in &mut ds.recipients {
        // The final recipient is not an address (an X.400 name without one, a bare
        // local part): the rfc822 original names the mailbox.
        if !r.recipient.contains('@')
            && let Some(o) = r.original_recipient.take_if(|o| o.contains('@'))
        {
            let final_name = std::mem::replace(&mut r.recipient, o);
            r.original_recipient = (!final_name.is_empty()).then_some(final_name);
        }
        if r.recipient.is_empty()
            && let Some(o) = &r.original_recipient
        {
            r.recipient = o.clone();
        }
        if r.original_recipient.as_deref().is_some_and(|o| o.eq_ignore_ascii_case(&r.recipient)) {
            r.original_recipient = None;
        }
    }
    ds.recipients.retain(|r| !r.recipient.is_empty());
    ds
}

fn recipient_field(r: &mut RecipientStatus, name: &str, value: &str) {
    match name {
        "action" => {
            let a = strip_comments(value).to_ascii_lowercase();
            r.action = a.split_whitespace().next().map(str::to_string);
        }
        "status" => {
            r.status = find_status(&strip_comments(value)).or(r.status);
            // Without a Diagnostic-Code, a comment that names a cause is the only
            // diagnostic there is: `Status: 4.0.0 (example.net: host name lookup
            // failure)`. Titles such as "(permanent failure)" name none and are left out.
            // A Diagnostic-Code later in the block replaces it.
            if r.diagnostic.is_empty()
                && let Some(comment) = status_comment(value)
                && super::phrases::match_phrase(comment).is_some()
            {
                r.diagnostic = comment.to_string();
            }
        }
        "remote-mta" => r.remote_mta = non_empty(strip_comments(&typed(value).1)),
        "diagnostic-code" => {
            let (t, v) = typed(value);
            r.diagnostic_type = t;
            r.diagnostic = v;
        }
        "last-attempt-date" => r.last_attempt = parse_date(value),
        // Delivery to a program (`X-Actual-Recipient: rfc822; |/usr/bin/procmail`): what
        // failed answered as a local mailer, as an X-Unix diagnostic says.
        "x-actual-recipient" if typed(value).1.trim_start().starts_with('|') => {
            r.diagnostic_type.get_or_insert_with(|| "X-Unix".into());
        }
        _ => {}
    }
}

/// The text of the parenthesised comment after a status code.
fn status_comment(value: &str) -> Option<&str> {
    let open = value.find('(')?;
    let close = value.rfind(')').filter(|&c| c > open)?;
    let inner = value[open + 1..close].trim();
    (!inner.is_empty()).then_some(inner)
}

fn non_empty(s: String) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "Reporting-MTA: dns; mx.example.jp\n\
X-Postfix-Queue-ID: 123\nArrival-Date: Thu, 29 Apr 2010 23:34:45 +0900\n\n\
Final-Recipient: rfc822; kijitora@example.jp\nOriginal-Recipient: rfc822;kijitora@example.jp\n\
Action: failed\nStatus: 5.1.1\nRemote-MTA: dns; mx.example.jp\n\
Diagnostic-Code: smtp; 550 5.1.1 <kijitora@example.jp>... User\n    Unknown\n\n\
Final-Recipient: RFC822; <neko@example.jp>\nAction: delayed (retrying)\nStatus: 4.4.7 (timeout)\n";

    #[test]
    fn a_status_comment_naming_a_cause_stands_in_for_a_missing_diagnostic() {
        let ds = parse(
            "Reporting-MTA: dns; cs.example.edu\n\nFinal-Recipient: rfc822;a@cat.example.net\n\
             Action: delayed\nStatus: 4.0.0 (cat.example.net: host name lookup failure)\n\n\
             Final-Recipient: rfc822;b@example.org\nAction: failed\nStatus: 5.0.0 (permanent failure)\n\n\
             Final-Recipient: rfc822;c@example.org\nAction: failed\nStatus: 4.2.2 (Over quota)\n\
             Diagnostic-Code: smtp; 452 4.2.2 Mailbox full\n",
        );
        assert_eq!(ds.recipients[0].diagnostic, "cat.example.net: host name lookup failure");
        assert_eq!(ds.recipients[1].diagnostic, "");
        assert_eq!(ds.recipients[2].diagnostic, "452 4.2.2 Mailbox full");
    }

    #[test]
    fn parses_message_and_recipient_blocks() {
        let ds = parse(SAMPLE);
        assert_eq!(ds.message.reporting_mta.as_deref(), Some("mx.example.jp"));
        assert!(ds.message.arrival_date.is_some());
        assert_eq!(ds.recipients.len(), 2);
        let r = &ds.recipients[0];
        assert_eq!(r.recipient, "kijitora@example.jp");
        assert_eq!(r.original_recipient, None);
        assert_eq!(r.status, Some(StatusCode::new(5, 1, 1)));
        assert_eq!(r.diagnostic_type.as_deref(), Some("smtp"));
        assert_eq!(r.diagnostic, "550 5.1.1 <kijitora@example.jp>... User Unknown");
        let r = &ds.recipients[1];
        assert_eq!(r.recipient, "neko@example.jp");
        assert_eq!(r.action.as_deref(), Some("delayed"));
        assert_eq!(r.status, Some(StatusCode::new(4, 4, 7)));
    }

    #[test]
    fn tolerates_missing_blank_lines_and_empty_types() {
        let text = "Reporting-MTA: dns;\nFinal-Recipient: a@x\nStatus: 5.0.0\n\
Final-Recipient: rfc822; b@x\nAction: failed\nStatus: 5.2.2\n";
        let ds = parse(text);
        assert_eq!(ds.message.reporting_mta, None);
        let addrs: Vec<&str> = ds.recipients.iter().map(|r| r.recipient.as_str()).collect();
        assert_eq!(addrs, ["a@x", "b@x"]);
        assert_eq!(ds.recipients[1].status, Some(StatusCode::new(5, 2, 2)));
    }

    #[test]
    fn original_before_final_stays_with_its_block() {
        let text = "Original-Recipient: rfc822; alias@x\nFinal-Recipient: rfc822; real@x\n\
Action: failed\n\nOriginal-Recipient: rfc822; b@x\nFinal-Recipient: rfc822; b2@x\n";
        let ds = parse(text);
        assert_eq!(ds.recipients.len(), 2);
        assert_eq!(ds.recipients[0].recipient, "real@x");
        assert_eq!(ds.recipients[0].original_recipient.as_deref(), Some("alias@x"));
        assert_eq!(ds.recipients[1].recipient, "b2@x");
    }

    #[test]
    fn action_before_final_recipient_stays_in_its_block() {
        let text = "Action: failed\nFinal-Recipient: rfc822; a@x\nOriginal-Recipient: rfc822; a@x\n\
Diagnostic-Code: smtp; 550 5.1.1 Mailbox does not exist\nStatus: 5.1.1\n";
        let ds = parse(text);
        assert_eq!(ds.recipients.len(), 1);
        assert_eq!(ds.recipients[0].action.as_deref(), Some("failed"));
        assert_eq!(ds.recipients[0].status, Some(StatusCode::new(5, 1, 1)));
    }

    #[test]
    fn comments_and_odd_values() {
        assert_eq!(strip_comments("5.1.1 (bad (nested) thing)"), "5.1.1");
        assert_eq!(address("rfc822; \"Neko\" <neko@example.jp> (cat)"), "neko@example.jp");
        assert_eq!(find_status("smtp; 550 5.7.1 denied"), Some(StatusCode::new(5, 7, 1)));
    }
}
