//! Yahoo and AOL (Yahoo Inc.): "Sorry, we were unable to deliver your message to the
//! following address.", then `<address>:` and "Remote host said: ...".

use super::{Found, Notice, generic};

/// Phrases of this family's notice, lowercase.
const MARKERS: &[&str] = &["unable to deliver your message to the following address"];

pub fn read(n: &Notice<'_>) -> Option<Found> {
    generic::read_marked(n, MARKERS, "yahoo")
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_a_real_sample() {
        super::super::testing::assert_reads("lhost-yahoo-01.eml", "yahoo", "kijitora@example.org");
    }
}
