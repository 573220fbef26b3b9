//! Outlook.com (Hotmail) and other Microsoft SMTPSVC servers: "This is an automatically
//! generated Delivery Status Notification.", one headline sentence saying what happened
//! ("Delivery to the following recipients failed.", "Unable to deliver message to the
//! following recipients, due to being unable to connect successfully to the destination
//! mail server.", "... has been delayed."), then the recipients, indented, one a line.
//! The headline is the only explanation the notice gives, so it is the diagnostic.

use super::addr::address_line;
use super::{Found, Notice};
use crate::bounce::model::RecipientStatus;

const MARKER: &str = "this is an automatically generated delivery status notification.";

pub fn read(n: &Notice<'_>) -> Option<Found> {
    if !n.mentions(&[MARKER]) {
        return None;
    }
    let mut lines = n.text.lines().map(str::trim);
    let headline = lines.find(|l| {
        let l = l.to_ascii_lowercase();
        l.contains("the following recipients") && l.ends_with('.')
    })?;
    let lower = headline.to_ascii_lowercase();
    let delayed = lower.contains("delayed");
    if !(delayed || lower.contains("failed") || lower.contains("unable to deliver")) {
        // A headline we do not know (a success notice, say) is not read as a failure.
        return None;
    }
    let mut recipients: Vec<RecipientStatus> = Vec::new();
    for l in lines.skip_while(|l| l.is_empty()).take_while(|l| !l.is_empty()) {
        let Some((addr, rest)) = address_line(l) else { break };
        if !rest.is_empty() {
            break;
        }
        let mut r = RecipientStatus::new(addr);
        r.diagnostic = headline.to_string();
        if delayed {
            r.action = Some("delayed".into());
        }
        recipients.push(r);
    }
    Some(Found { format: "outlook", recipients, ..Found::default() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bounce::extract::testing::{first_reader_of, notice_of};

    fn read_sample(name: &str) -> Found {
        first_reader_of("bsd", name, "outlook")
    }

    #[test]
    fn keeps_the_headline_as_the_diagnostic() {
        // The delivery-status part of this sample has no Diagnostic-Code at all.
        let found = read_sample("lhost-outlook-07.eml");
        assert_eq!(found.format, "outlook");
        let [r] = found.recipients.as_slice() else { panic!("{:?}", found.recipients) };
        assert_eq!(r.recipient, "kijitora@example.com");
        assert!(r.diagnostic.contains("unable to connect successfully"), "{}", r.diagnostic);
        assert_eq!(r.action, None);
    }

    #[test]
    fn reads_every_recipient_of_a_delay_warning() {
        let found = read_sample("rhost-outlook-06.eml");
        let [r] = found.recipients.as_slice() else { panic!("{:?}", found.recipients) };
        assert_eq!(r.action.as_deref(), Some("delayed"));
        let found = read_sample("lhost-outlook-04.eml");
        let who: Vec<&str> = found.recipients.iter().map(|r| r.recipient.as_str()).collect();
        assert_eq!(who, ["sabineko@example.co.jp", "mikeneko@example.co.jp"]);
    }

    #[test]
    fn another_servers_wording_is_left_alone() {
        // Same opening sentence, but a "failed permanently:" headline and a technical
        // details section that this reader would lose.
        let (headers, text) = notice_of("bsd", "lhost-x3-01.eml");
        assert!(read(&Notice::new(&headers, &text, &text)).is_none());
    }
}
