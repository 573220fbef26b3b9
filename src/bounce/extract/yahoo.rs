//! Yahoo and AOL (Yahoo Inc.): "Sorry, we were unable to deliver your message to the
//! following address.", then `<address>:` and "Remote host said: ...".

use super::{Found, Notice, generic};

/// Phrases of this family's notice, lowercase.
const MARKERS: &[&str] = &["unable to deliver your message to the following address"];

pub fn read(n: &Notice<'_>) -> Option<Found> {
    if !n.mentions(MARKERS) {
        return None;
    }
    generic::read_as(n, "yahoo")
}

#[cfg(test)]
mod tests {
    use crate::bounce::analyze;

    #[test]
    fn reads_a_real_sample() {
        let path =
            concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus/maildir/bsd/lhost-yahoo-01.eml");
        let report = analyze(&std::fs::read(path).expect("corpus sample")).expect("a report");
        assert_eq!(report.format, "yahoo");
        assert_eq!(report.recipients[0].recipient, "kijitora@example.org");
        assert!(
            report.recipients[0].status.is_some() || !report.recipients[0].diagnostic.is_empty()
        );
    }
}
