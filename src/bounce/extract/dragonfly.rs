//! DragonFly Mail Agent: "There was an error delivering your mail to `<address>`." and the
//! remote host's reply below it.

use super::{Found, Notice, generic};

/// Phrases of this family's notice, lowercase.
const MARKERS: &[&str] = &["dragonfly mail agent", "there was an error delivering your mail to"];

pub fn read(n: &Notice<'_>) -> Option<Found> {
    generic::read_marked(n, MARKERS, "dragonfly")
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_a_real_sample() {
        super::super::testing::assert_reads(
            "lhost-dragonfly-01.eml",
            "dragonfly",
            "pseudo-local-part@google.example.com",
        );
    }
}
