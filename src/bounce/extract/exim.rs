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
    generic::read_marked(n, MARKERS, "exim")
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_a_real_sample() {
        super::super::testing::assert_reads("lhost-exim-01.eml", "exim", "kijitora@example.ed.jp");
    }
}
