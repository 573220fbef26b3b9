//! Postfix without a delivery-status part: "This is the mail system at host ...", then
//! `<address>: host ... said: ...` paragraphs.

use super::{Found, Notice, generic};

/// Phrases of this family's notice, lowercase.
const MARKERS: &[&str] =
    &["this is the mail system at host", "this is the postfix program", "postfix program at host"];

pub fn read(n: &Notice<'_>) -> Option<Found> {
    if !n.mentions(MARKERS) {
        return None;
    }
    generic::read_as(n, "postfix")
}

#[cfg(test)]
mod tests {
    use crate::bounce::analyze;

    #[test]
    fn reads_a_real_sample() {
        let path =
            concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus/maildir/bsd/lhost-postfix-34.eml");
        let report = analyze(&std::fs::read(path).expect("corpus sample")).expect("a report");
        assert_eq!(report.format, "postfix");
        assert!(!report.recipients.is_empty());
    }
}
