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
    generic::read_marked(n, MARKERS, "qmail")
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_a_real_sample() {
        super::super::testing::assert_reads(
            "lhost-qmail-01.eml",
            "qmail",
            "kijitora@example.ne.jp",
        );
    }
}
