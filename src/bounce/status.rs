//! Enhanced status codes (RFC 3463): `class.subject.detail`.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An enhanced status code such as 5.1.1 or 5.7.509. Class is 2, 4 or 5; subject and
/// detail have one to three digits (RFC 3463 §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StatusCode {
    pub class: u8,
    pub subject: u16,
    pub detail: u16,
}

impl StatusCode {
    pub const fn new(class: u8, subject: u16, detail: u16) -> Self {
        StatusCode { class, subject, detail }
    }

    /// True for a permanent failure (class 5).
    pub fn is_permanent(self) -> bool {
        self.class == 5
    }

    /// Exactly `C.S.D` (no surrounding text): class 2, 4 or 5, subject and detail of
    /// one to three digits. Allocates nothing, so text can be tried word by word.
    pub fn parse(s: &str) -> Option<StatusCode> {
        let mut parts = s.split('.');
        let (Some(c), Some(sub), Some(det), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return None;
        };
        let digits =
            |p: &str| !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit());
        if c.len() != 1 || !digits(c) || !digits(sub) || !digits(det) {
            return None;
        }
        let class: u8 = c.parse().ok()?;
        if !matches!(class, 2 | 4 | 5) {
            return None;
        }
        Some(StatusCode { class, subject: sub.parse().ok()?, detail: det.parse().ok()? })
    }
}

impl fmt::Display for StatusCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.class, self.subject, self.detail)
    }
}

/// Why a string is not a status code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not an enhanced status code (want class.subject.detail, e.g. 5.1.1): {0:?}")]
pub struct ParseStatusError(pub String);

impl FromStr for StatusCode {
    type Err = ParseStatusError;

    /// Parses exactly `C.S.D` (no surrounding text). See [`StatusCode::parse`].
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        StatusCode::parse(s).ok_or_else(|| ParseStatusError(s.to_string()))
    }
}

impl Serialize for StatusCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for StatusCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints() {
        let c: StatusCode = "5.7.509".parse().unwrap();
        assert_eq!(c, StatusCode::new(5, 7, 509));
        assert_eq!(c.to_string(), "5.7.509");
    }

    #[test]
    fn rejects_bad_codes() {
        for bad in ["", "5", "5.1", "3.1.1", "5.1.1.1", "5.1234.1", "5.a.1", "55.1.1", "5..1"] {
            assert!(bad.parse::<StatusCode>().is_err(), "{bad}");
        }
    }
}
