//! The Lotus SMTP MTA of Lotus Notes: a "------- Failure Reasons --------" section where
//! the reason comes first and the failed address on the line below it, then
//! "------- Returned Message --------" and the original.

use super::addr::address_line;
use super::{Found, Notice};
use crate::bounce::model::RecipientStatus;

pub fn read(n: &Notice<'_>) -> Option<Found> {
    if !n.mentions(&["------- failure reasons"]) {
        return None;
    }
    let mut recipients: Vec<RecipientStatus> = Vec::new();
    let mut reason: Vec<&str> = Vec::new();
    let mut reason_used = false;
    let section = n.text.lines().skip_while(|l| !is_rule(l, "failure reasons")).skip(1);
    for line in section {
        let t = line.trim();
        if is_rule(t, "") {
            break;
        }
        if t.is_empty() {
            continue;
        }
        match address_line(t).filter(|(_, rest)| rest.is_empty()) {
            Some((addr, _)) => {
                let mut r = RecipientStatus::new(addr);
                r.diagnostic = reason.join(" ");
                recipients.push(r);
                reason_used = true;
            }
            None => {
                // A reason line after an address starts the next recipient's reason.
                if reason_used {
                    reason.clear();
                    reason_used = false;
                }
                reason.push(t);
            }
        }
    }
    Some(Found { format: "notes", recipients, ..Found::default() })
}

/// A section rule line such as `------- Failure Reasons  --------`, naming `title`.
fn is_rule(line: &str, title: &str) -> bool {
    let t = line.trim();
    t.starts_with("-------") && t.to_ascii_lowercase().contains(title)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bounce::analyze;
    use crate::bounce::extract::testing::notice_of;

    #[test]
    fn reads_the_reason_above_the_address() {
        let (headers, text) = notice_of("bsd", "lhost-notes-03.eml");
        let found = read(&Notice::new(&headers, &text, &text)).expect("a notes notice");
        let [r] = found.recipients.as_slice() else { panic!("{:?}", found.recipients) };
        assert_eq!(r.recipient, "kijitora@example.com");
        assert_eq!(r.diagnostic, "User  not listed in public Name & Address Book");
    }

    #[test]
    fn decodes_iso_2022_jp_in_every_line_ending() {
        for variant in ["bsd", "dos", "mac"] {
            let path = format!(
                "{}/tests/corpus/maildir/{variant}/lhost-notes-01.eml",
                env!("CARGO_MANIFEST_DIR")
            );
            let report = analyze(&std::fs::read(path).expect("corpus sample")).expect("a report");
            assert_eq!(report.format, "notes", "{variant}");
            let r = &report.recipients[0];
            assert_eq!(r.recipient, "kijitora@u1.example.co.jp", "{variant}");
            // "Error (as a test message)", written in ISO-2022-JP.
            assert_eq!(r.diagnostic, "エラー(テストメッセージとしての)", "{variant}");
        }
    }

    #[test]
    fn other_notices_are_not_notes() {
        let (headers, text) = notice_of("bsd", "lhost-domino-02.eml");
        assert!(read(&Notice::new(&headers, &text, &text)).is_none());
    }
}
