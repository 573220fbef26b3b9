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
    generic::read_marked(n, MARKERS, "gmail")
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_a_real_sample() {
        super::super::testing::assert_reads(
            "lhost-gmail-01.eml",
            "gmail",
            "userunknown@example.jp",
        );
    }
}
