//! The `[suppression]` table of the config: which soft failures also put an address on
//! the suppression list (see `crate::report::suppression`).
//!
//! ```toml
//! [suppression]
//! soft_failures = 3   # failures of one address that suppress it; 0 (default): off
//! soft_days = 30      # ... within this many days (default 30)
//! ```
//!
//! The values are read as plain integers and checked here, so a negative or absurd
//! value gets a message that says what to write instead of a type error.

use serde::Deserialize;

use crate::report::suppression::{DEFAULT_SOFT_DAYS, Policy};

/// More soft failures than this is a typo, not a policy.
pub const MAX_SOFT_FAILURES: i64 = 1000;
/// Ten years: a longer window is a typo, not a policy.
pub const MAX_SOFT_DAYS: i64 = 3650;

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Suppression {
    /// Soft failures of one address that suppress it; 0 turns the policy off.
    #[serde(default)]
    pub soft_failures: i64,
    /// The window those failures must fall in, in days.
    #[serde(default = "default_days")]
    pub soft_days: i64,
}

fn default_days() -> i64 {
    i64::from(DEFAULT_SOFT_DAYS)
}

impl Default for Suppression {
    fn default() -> Self {
        Suppression { soft_failures: 0, soft_days: default_days() }
    }
}

impl Suppression {
    /// Check the table; `Err` says what to change.
    pub fn validate(&self) -> Result<(), String> {
        let (n, days) = (self.soft_failures, self.soft_days);
        if n < 0 {
            return Err(format!(
                "[suppression] soft_failures = {n}: a count cannot be negative; use 0 to list \
                 hard addresses only, or the number of soft failures that suppress an address"
            ));
        }
        if n > MAX_SOFT_FAILURES {
            return Err(format!(
                "[suppression] soft_failures = {n} is more than {MAX_SOFT_FAILURES}: no \
                 address fails that often; 3 to 5 is usual"
            ));
        }
        if days < 0 {
            return Err(format!(
                "[suppression] soft_days = {days}: a window cannot be negative; use the \
                 number of days the soft failures must fall within (default {DEFAULT_SOFT_DAYS})"
            ));
        }
        if days > MAX_SOFT_DAYS {
            return Err(format!(
                "[suppression] soft_days = {days} is more than {MAX_SOFT_DAYS} (ten years); \
                 30 to 90 is usual"
            ));
        }
        if n > 0 && days == 0 {
            return Err(format!(
                "[suppression] soft_days = 0 leaves no window for soft_failures = {n}: use at \
                 least 1 day (default {DEFAULT_SOFT_DAYS}), or soft_failures = 0 to turn the \
                 policy off"
            ));
        }
        Ok(())
    }

    /// The policy to build suppression lists with (call after [`Suppression::validate`];
    /// out-of-range values turn the policy off rather than wrap).
    pub fn policy(&self) -> Policy {
        match (u32::try_from(self.soft_failures), u32::try_from(self.soft_days)) {
            (Ok(soft_failures), Ok(soft_days)) => Policy { soft_failures, soft_days },
            _ => Policy::OFF,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::super::parse;
    use crate::report::Policy;

    fn error(text: &str) -> String {
        parse(text, Path::new("c.toml")).expect_err(text).to_string()
    }

    #[test]
    fn the_policy_is_off_without_the_table_and_read_with_it() {
        let none = parse("", Path::new("c.toml")).expect("parses");
        assert_eq!(none.suppression.policy(), Policy::OFF);
        assert!(!none.suppression.policy().is_on());
        let text = "[suppression]\nsoft_failures = 3\nsoft_days = 14\n";
        let c = parse(text, Path::new("c.toml")).expect("parses");
        assert_eq!(c.suppression.policy(), Policy { soft_failures: 3, soft_days: 14 });
        let days_default = parse("[suppression]\nsoft_failures = 4\n", Path::new("c.toml"));
        let p = days_default.expect("parses").suppression.policy();
        assert_eq!(p, Policy { soft_failures: 4, soft_days: 30 });
        let off = parse("[suppression]\nsoft_failures = 0\nsoft_days = 0\n", Path::new("c.toml"));
        assert!(!off.expect("off needs no window").suppression.policy().is_on());
    }

    #[test]
    fn bad_values_say_what_to_write() {
        let e = error("\n[suppression]\nsoft_failures = -2\n");
        assert!(e.contains("line 2") && e.contains("cannot be negative"), "{e}");
        let e = error("[suppression]\nsoft_failures = 3\nsoft_days = -1\n");
        assert!(e.contains("soft_days = -1") && e.contains("cannot be negative"), "{e}");
        let e = error("[suppression]\nsoft_failures = 3\nsoft_days = 0\n");
        assert!(e.contains("no window") && e.contains("at least 1 day"), "{e}");
        let e = error("[suppression]\nsoft_failures = 100000\n");
        assert!(e.contains("more than 1000"), "{e}");
        let e = error("[suppression]\nsoft_failures = 3\nsoft_days = 36500\n");
        assert!(e.contains("ten years"), "{e}");
        let e = error("[suppression]\nsoft_failures = 3\nsoft_days = 99999999999999999999\n");
        assert!(e.contains("c.toml"), "a number past i64 is a syntax error with the file: {e}");
        let e = error("[suppression]\nsoft_failures = \"3\"\n");
        assert!(e.contains("soft_failures") && e.contains("line 2"), "{e}");
    }

    #[test]
    fn an_unknown_key_is_refused_like_everywhere_else() {
        let e = error("[suppression]\nsoft_failure = 3\n");
        assert!(e.contains("soft_failure") && e.contains("line 2"), "{e}");
    }
}
