//! Courier: "This is a delivery status notification from host, running the Courier mail
//! server", then each recipient as `<address>:`, the remote server as `host [ip]:`, and
//! the SMTP exchange as `>>> COMMAND` / `<<< reply` lines.

use super::addr::address_line;
use super::{Found, Notice};
use crate::bounce::model::RecipientStatus;

/// Phrases of this family's notice, lowercase.
const MARKERS: &[&str] = &["running the courier mail server"];

pub fn read(n: &Notice<'_>) -> Option<Found> {
    if !n.mentions(MARKERS) {
        return None;
    }
    let mut recipients: Vec<RecipientStatus> = Vec::new();
    for line in n.text.lines() {
        let t = line.trim();
        if t.starts_with('<')
            && t.ends_with(">:")
            && let Some((addr, _)) = address_line(t)
        {
            recipients.push(RecipientStatus::new(addr));
            continue;
        }
        // Lines below an address belong to it until a rule line ends the section.
        let Some(r) = recipients.last_mut() else { continue };
        if t.starts_with("---") {
            break;
        }
        if let Some(reply) = t.strip_prefix("<<<") {
            r.diagnostic = format!("{} {}", r.diagnostic, reply.trim()).trim().to_string();
        } else if r.remote_mta.is_none() && !t.starts_with(">>>") {
            r.remote_mta = remote_server(t);
        }
    }
    Some(Found { format: "courier", recipients, ..Found::default() })
}

/// `mx.example.jp [192.0.2.45]:`, the server Courier was talking to.
fn remote_server(line: &str) -> Option<String> {
    let (host, rest) = line.split_once(" [")?;
    let well_formed = rest.ends_with("]:")
        && host.contains('.')
        && host.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'));
    well_formed.then(|| host.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bounce::extract::testing::{first_reader_of, notice_of};

    fn read_sample(name: &str) -> Found {
        first_reader_of("bsd", name, "courier")
    }

    #[test]
    fn reads_the_transcript_and_the_remote_server() {
        let found = read_sample("lhost-courier-02.eml");
        assert_eq!(found.format, "courier");
        let [r] = found.recipients.as_slice() else { panic!("{:?}", found.recipients) };
        assert_eq!(r.recipient, "kijitora@example.jp");
        assert_eq!(r.diagnostic, "550 Unknown user kijitora@example.jp");
        assert_eq!(r.remote_mta.as_deref(), Some("mfsmax.example.jp"));
    }

    #[test]
    fn reads_a_reply_without_a_remote_server() {
        let found = read_sample("lhost-courier-04.eml");
        let [r] = found.recipients.as_slice() else { panic!("{:?}", found.recipients) };
        assert_eq!(r.recipient, "kijitora@example.cat");
        assert_eq!(r.diagnostic, "No such domain.");
        assert_eq!(r.remote_mta, None);
    }

    #[test]
    fn other_notices_are_not_courier() {
        let (headers, text) = notice_of("bsd", "lhost-postfix-34.eml");
        assert!(read(&Notice::new(&headers, &text, &text)).is_none());
    }
}
