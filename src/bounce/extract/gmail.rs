//! Gmail and Google Workspace: "Delivery to the following recipient failed permanently",
//! the address indented, then "Technical details of permanent failure" with the remote reply.

use super::{Found, Notice, generic};

/// Phrases of this family's notice, lowercase.
const MARKERS: &[&str] = &[
    "delivery to the following recipient",
    "technical details of permanent failure",
    "technical details of temporary failure",
];

pub fn read(n: &Notice<'_>) -> Option<Found> {
    if !n.mentions(MARKERS) {
        return None;
    }
    generic::read_as(n, "gmail")
}

#[cfg(test)]
mod tests {
    use crate::bounce::analyze;

    #[test]
    fn reads_a_real_sample() {
        let path =
            concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus/maildir/bsd/lhost-gmail-01.eml");
        let report = analyze(&std::fs::read(path).expect("corpus sample")).expect("a report");
        assert_eq!(report.format, "gmail");
        assert_eq!(report.recipients[0].recipient, "userunknown@example.jp");
        assert!(
            report.recipients[0].status.is_some() || !report.recipients[0].diagnostic.is_empty()
        );
    }
}
