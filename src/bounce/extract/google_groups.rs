//! Google Groups refusing a post: the notice (in the poster's language) says the group
//! may not exist or the poster may not post; the group is in `X-Failed-Recipients`.

use super::{Found, Notice, addr};
use crate::bounce::model::RecipientStatus;
use crate::bounce::reason::Reason;

pub fn read(n: &Notice<'_>) -> Option<Found> {
    let failed = n.headers.get("x-failed-recipients")?;
    if !failed.to_ascii_lowercase().contains("googlegroups.com")
        && !n.text.contains("groups.google.com")
    {
        return None;
    }
    let recipients = addr::find_all(failed)
        .into_iter()
        .map(|(_, _, a)| {
            let mut r = RecipientStatus::new(a);
            r.diagnostic = n.text.split_whitespace().collect::<Vec<_>>().join(" ");
            r.reason = Reason::Rejected;
            r.why = "Google Groups refused the post (group missing or posting not allowed)".into();
            r.rule = "google-groups-refusal".into();
            r
        })
        .collect();
    Some(Found { format: "google-groups", recipients, ..Found::default() })
}

#[cfg(test)]
mod tests {
    use crate::bounce::{Reason, analyze};

    #[test]
    fn reads_a_refused_group_post() {
        let raw = include_bytes!("../../../tests/corpus/maildir/bsd/lhost-googlegroups-04.eml");
        let report = analyze(raw).expect("a report");
        assert_eq!(report.format, "google-groups");
        assert_eq!(report.recipients[0].recipient, "libsisimai@googlegroups.com");
        assert_eq!(report.recipients[0].reason, Reason::Rejected);
    }
}
