//! Server names that a notice writes as labelled lines of its text instead of in a
//! delivery-status part: MailMarshal's "Additional Information" block lists
//! `Reporting-MTA: <mx.example.com>` and `Remote-MTA: <192.0.2.1>`. What a reader found
//! gets them when it has none of its own.

use super::{Found, Notice};
use crate::bounce::dsn::typed;

/// Fill the reporting MTA, and the remote MTA of recipients that have none, from the
/// notice's labelled lines. A remote MTA is taken only when the notice names one: with
/// several, which recipient each belongs to is not written down.
pub fn fill(n: &Notice<'_>, found: &mut Found) {
    if !n.lower().contains("-mta:") {
        return;
    }
    if found.reporting_mta.is_none() {
        found.reporting_mta = values(n.text, "reporting-mta:").next();
    }
    let mut remotes = values(n.text, "remote-mta:");
    if let (Some(remote), None) = (remotes.next(), remotes.next()) {
        for r in found.recipients.iter_mut().filter(|r| r.remote_mta.is_none()) {
            r.remote_mta = Some(remote.clone());
        }
    }
}

/// The non-empty values of the lines labelled `label` (lowercase, colon included),
/// without a `dns;` type (read as the delivery-status grammar reads it) and the angle
/// brackets some notices put around them.
fn values<'t>(text: &'t str, label: &'t str) -> impl Iterator<Item = String> + 't {
    text.lines().filter_map(move |line| {
        let line = line.trim_start();
        if !line.get(..label.len())?.eq_ignore_ascii_case(label) {
            return None;
        }
        let (_, value) = typed(line[label.len()..].trim());
        let value = value.trim_start_matches('<').trim_end_matches('>').trim();
        (!value.is_empty()).then(|| value.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bounce::headers::Headers;
    use crate::bounce::model::RecipientStatus;

    fn found_for(text: &str, recipients: &[&str]) -> Found {
        let headers = Headers::default();
        let n = Notice::new(&headers, text, text);
        let mut found = Found {
            recipients: recipients.iter().map(|a| RecipientStatus::new(a.to_string())).collect(),
            ..Found::default()
        };
        fill(&n, &mut found);
        found
    }

    #[test]
    fn reads_mailmarshal_additional_information() {
        // The block of lhost-mailmarshal-02, tabs included.
        let text = "Additional Information\n======================\n\
                    Original Sender:    <sironeko@example.com>\n\
                    Remote-MTA:\t\t\t<203.0.113.2>\nReporting-MTA:      <rr1.example.com>\n";
        let found = found_for(text, &["a@example.net", "b@example.net"]);
        assert_eq!(found.reporting_mta.as_deref(), Some("rr1.example.com"));
        assert!(found.recipients.iter().all(|r| r.remote_mta.as_deref() == Some("203.0.113.2")));
    }

    #[test]
    fn a_typed_value_loses_its_type_and_two_remotes_are_not_guessed_between() {
        let text = "Reporting-MTA: dns; mx.example.org\nRemote-MTA: dns; a.example\n\
                    Remote-MTA: dns; b.example\n";
        let found = found_for(text, &["a@example.net"]);
        assert_eq!(found.reporting_mta.as_deref(), Some("mx.example.org"));
        assert_eq!(found.recipients[0].remote_mta, None);
    }

    #[test]
    fn empty_values_and_prose_mentions_are_ignored() {
        let text = "Reporting-MTA:\nthe remote-mta: line was missing\n";
        let found = found_for(text, &["a@example.net"]);
        assert_eq!(found.reporting_mta, None);
        assert_eq!(found.recipients[0].remote_mta, None);
    }
}
