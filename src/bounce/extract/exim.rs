//! Exim: "This message was created automatically by mail delivery software", the failed
//! addresses indented two spaces, each followed by the remote reply indented four.

use super::{Found, Notice, generic};

/// Phrases of this family's notice, lowercase.
const MARKERS: &[&str] = &[
    "this message was created automatically by mail delivery software",
    "the following address(es) failed",
    "could not be delivered to one or more of its recipients",
];

pub fn read(n: &Notice<'_>) -> Option<Found> {
    if !n.mentions(MARKERS) {
        return None;
    }
    generic::read_as(n, "exim")
}

#[cfg(test)]
mod tests {
    use crate::bounce::analyze;

    #[test]
    fn reads_a_real_sample() {
        let path =
            concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus/maildir/bsd/lhost-exim-01.eml");
        let report = analyze(&std::fs::read(path).expect("corpus sample")).expect("a report");
        assert_eq!(report.format, "exim");
        assert_eq!(report.recipients[0].recipient, "kijitora@example.ed.jp");
        assert!(
            report.recipients[0].status.is_some() || !report.recipients[0].diagnostic.is_empty()
        );
    }
}
