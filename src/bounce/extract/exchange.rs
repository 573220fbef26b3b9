//! Microsoft Exchange and Office 365 notices without a usable delivery-status part:
//! "did not reach the following recipient(s)" (2003), "Delivery has failed to these
//! recipients or groups" and "Diagnostic information for administrators" (2007 and later).

use super::{Found, Notice, generic};

/// Phrases of this family's notice, lowercase.
const MARKERS: &[&str] = &[
    "did not reach the following recipient",
    "delivery has failed to these recipients",
    "diagnostic information for administrators",
    "your message couldn't be delivered",
    "remote server returned",
];

pub fn read(n: &Notice<'_>) -> Option<Found> {
    let text = n.text.to_lowercase();
    if !MARKERS.iter().any(|m| text.contains(m)) {
        return None;
    }
    generic::read_as(n, "exchange")
}

#[cfg(test)]
mod tests {
    use crate::bounce::analyze;

    #[test]
    fn reads_a_real_sample() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/corpus/maildir/bsd/lhost-exchange2003-01.eml"
        );
        let report = analyze(&std::fs::read(path).expect("corpus sample")).expect("a report");
        assert_eq!(report.format, "exchange");
        assert_eq!(report.recipients[0].recipient, "kijitora@example.jp");
        assert!(
            report.recipients[0].status.is_some() || !report.recipients[0].diagnostic.is_empty()
        );
    }
}
