//! qmail: "Hi. This is the qmail-send program", then `<address>:` and the remote reply,
//! with the enhanced code in `(#5.x.x)` form.

use super::{Found, Notice, generic};

/// Phrases of this family's notice, lowercase.
const MARKERS: &[&str] = &[
    "qmail-send program",
    "i'm afraid i wasn't able to deliver your message",
    "this is a permanent error; i've given up",
];

pub fn read(n: &Notice<'_>) -> Option<Found> {
    if !n.mentions(MARKERS) {
        return None;
    }
    generic::read_as(n, "qmail")
}

#[cfg(test)]
mod tests {
    use crate::bounce::analyze;

    #[test]
    fn reads_a_real_sample() {
        let path =
            concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus/maildir/bsd/lhost-qmail-01.eml");
        let report = analyze(&std::fs::read(path).expect("corpus sample")).expect("a report");
        assert_eq!(report.format, "qmail");
        assert_eq!(report.recipients[0].recipient, "kijitora@example.ne.jp");
        assert!(
            report.recipients[0].status.is_some() || !report.recipients[0].diagnostic.is_empty()
        );
    }
}
