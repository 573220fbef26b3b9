//! DragonFly Mail Agent: "There was an error delivering your mail to `<address>`." and the
//! remote host's reply below it.

use super::{Found, Notice, generic};

/// Phrases of this family's notice, lowercase.
const MARKERS: &[&str] = &["dragonfly mail agent", "there was an error delivering your mail to"];

pub fn read(n: &Notice<'_>) -> Option<Found> {
    if !n.mentions(MARKERS) {
        return None;
    }
    generic::read_as(n, "dragonfly")
}

#[cfg(test)]
mod tests {
    use crate::bounce::analyze;

    #[test]
    fn reads_a_real_sample() {
        let path =
            concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus/maildir/bsd/lhost-dragonfly-01.eml");
        let report = analyze(&std::fs::read(path).expect("corpus sample")).expect("a report");
        assert_eq!(report.format, "dragonfly");
        assert_eq!(report.recipients[0].recipient, "pseudo-local-part@google.example.com");
        assert!(
            report.recipients[0].status.is_some() || !report.recipients[0].diagnostic.is_empty()
        );
    }
}
