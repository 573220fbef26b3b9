//! IBM (Lotus) Domino: "Your message / Subject: ... / was not delivered to: / address /
//! because: / reason", one block per group of recipients that failed for one reason.

use super::addr;
use super::{Found, Notice};
use crate::bounce::model::{OriginalMessage, RecipientStatus};

#[derive(PartialEq)]
enum Section {
    Before,
    Recipients,
    Reason,
}

pub fn read(n: &Notice<'_>) -> Option<Found> {
    if !n.mentions(&["was not delivered to:"]) || !n.mentions(&["because:"]) {
        return None;
    }
    let mut recipients: Vec<RecipientStatus> = Vec::new();
    let mut subject = None;
    let mut section = Section::Before;
    let mut group_start = 0; // first recipient of the current block
    for line in n.text.lines() {
        let t = line.trim();
        let lower = t.to_ascii_lowercase();
        if lower == "was not delivered to:" {
            section = Section::Recipients;
            group_start = recipients.len();
        } else if lower == "because:" && section == Section::Recipients {
            section = Section::Reason;
        } else if section == Section::Before && subject.is_none() {
            subject = t.strip_prefix("Subject:").map(|s| s.trim().to_string());
        } else if section == Section::Recipients {
            // "Neko <neko@example.jp>" or the bare address; one recipient a line.
            if let Some(a) = addr::first(t) {
                recipients.push(RecipientStatus::new(a));
            }
        } else if section == Section::Reason && !t.is_empty() {
            for r in &mut recipients[group_start..] {
                r.diagnostic = format!("{} {t}", r.diagnostic).trim().to_string();
                r.remote_mta = r.remote_mta.take().or_else(|| transferring_to(t));
            }
        } else if section == Section::Reason
            && recipients[group_start..].iter().all(|r| !r.diagnostic.is_empty())
        {
            section = Section::Before;
        }
    }
    let original =
        subject.map(|s| OriginalMessage { subject: Some(s), ..OriginalMessage::default() });
    Some(Found { format: "domino", recipients, original, ..Found::default() })
}

/// "Error transferring to mx.example.org; ...": the next server Domino tried.
fn transferring_to(reason: &str) -> Option<String> {
    let at = reason.to_ascii_lowercase().find("transferring to ")?;
    let host = reason[at + "transferring to ".len()..].split([';', ' ', ',']).next()?;
    let host = host.trim_end_matches('.');
    (host.contains('.')
        && host.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-')))
    .then(|| host.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bounce::extract::testing::{first_reader_of, notice_of};

    fn read_sample(variant: &str, name: &str) -> Found {
        first_reader_of(variant, name, "domino")
    }

    #[test]
    fn reads_the_because_block_in_its_charset() {
        let found = read_sample("bsd", "lhost-domino-02.eml");
        assert_eq!(found.format, "domino");
        let [r] = found.recipients.as_slice() else { panic!("{:?}", found.recipients) };
        assert_eq!(r.recipient, "kijitora@example.co.jp");
        // ISO-2022-JP, decoded: "user Neko (...) is not found in the Domino directory".
        assert!(r.diagnostic.contains("Domino ディレクトリには見つかりません"), "{}", r.diagnostic);
        let subject = found.original.and_then(|o| o.subject);
        assert_eq!(subject.as_deref(), Some("Nyaaaaaaaaan"));
    }

    #[test]
    fn keeps_the_reason_whole_and_names_the_next_server() {
        // The delivery-status part of this sample folds "Maximum" into "Ma ximum"; the
        // notice text (base64, UTF-8) has the reason as Domino wrote it.
        let found = read_sample("bsd", "lhost-domino-03.eml");
        let [r] = found.recipients.as_slice() else { panic!("{:?}", found.recipients) };
        assert_eq!(r.recipient, "kijitora@neko.example.com");
        assert!(r.diagnostic.contains("Maximum hop count exceeded"), "{}", r.diagnostic);
        assert_eq!(r.remote_mta.as_deref(), Some("neko22.example.org"));
    }

    #[test]
    fn other_notices_are_not_domino() {
        let (headers, text) = notice_of("bsd", "lhost-exim-01.eml");
        assert!(read(&Notice::new(&headers, &text, &text)).is_none());
    }
}
