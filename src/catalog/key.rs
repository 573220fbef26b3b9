//! Catalog keys: which codes an entry covers.
//!
//! A key is an exact code (`5.7.1`), a detail range within one class.subject
//! (`5.7.500-699`), a subject class (`5.7.x`), a class (`5.x.x`), an SMTP reply
//! code (`550`), or one of the engine's reasons (`reason:userunknown`): the entry for
//! that cause whatever code the server stamped on it.

use std::fmt;

use crate::bounce::{Reason, StatusCode};

/// A parsed entry key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Key {
    Exact(StatusCode),
    /// Details `lo..=hi` of `class.subject`.
    Range {
        class: u8,
        subject: u16,
        lo: u16,
        hi: u16,
    },
    Subject {
        class: u8,
        subject: u16,
    },
    Class(u8),
    Reply(u16),
    /// `reason:<name>`: the entry for one of the engine's reasons.
    Reason(Reason),
}

/// Why a key is not valid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "bad key {0:?}: want an exact code (5.7.1), a range (5.7.500-699), a subject class \
     (5.7.x), a class (5.x.x), an SMTP reply code (550) or a reason (reason:userunknown)"
)]
pub struct KeyError(pub String);

fn number(s: &str) -> Option<u16> {
    if s.is_empty() || s.len() > 3 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

impl Key {
    pub fn parse(text: &str) -> Result<Key, KeyError> {
        let err = || KeyError(text.to_string());
        let s = text.trim();
        if let Some(name) = s.strip_prefix("reason:") {
            return name.parse::<Reason>().map(Key::Reason).map_err(|_| err());
        }
        if s.len() == 3 && !s.contains('.') {
            return match number(s) {
                Some(code) if (200..600).contains(&code) => Ok(Key::Reply(code)),
                _ => Err(err()),
            };
        }
        let parts: Vec<&str> = s.split('.').collect();
        let [c, sub, det] = parts[..] else {
            return Err(err());
        };
        let class = match c {
            "2" => 2,
            "4" => 4,
            "5" => 5,
            _ => return Err(err()),
        };
        let is_x = |p: &str| p.eq_ignore_ascii_case("x");
        if is_x(sub) {
            return if is_x(det) { Ok(Key::Class(class)) } else { Err(err()) };
        }
        let subject = number(sub).ok_or_else(err)?;
        if is_x(det) {
            return Ok(Key::Subject { class, subject });
        }
        if let Some((lo, hi)) = det.split_once('-') {
            let (lo, hi) = (number(lo).ok_or_else(err)?, number(hi).ok_or_else(err)?);
            if lo > hi {
                return Err(err());
            }
            return Ok(Key::Range { class, subject, lo, hi });
        }
        Ok(Key::Exact(StatusCode::new(class, subject, number(det).ok_or_else(err)?)))
    }

    /// True when this key covers the code (reply-code keys never do).
    pub fn covers(&self, code: StatusCode) -> bool {
        match *self {
            Key::Exact(c) => c == code,
            Key::Range { class, subject, lo, hi } => {
                class == code.class && subject == code.subject && (lo..=hi).contains(&code.detail)
            }
            Key::Subject { class, subject } => class == code.class && subject == code.subject,
            Key::Class(class) => class == code.class,
            Key::Reply(_) | Key::Reason(_) => false,
        }
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Key::Exact(c) => write!(f, "{c}"),
            Key::Range { class, subject, lo, hi } => write!(f, "{class}.{subject}.{lo}-{hi}"),
            Key::Subject { class, subject } => write!(f, "{class}.{subject}.x"),
            Key::Class(class) => write!(f, "{class}.x.x"),
            Key::Reply(code) => write!(f, "{code}"),
            Key::Reason(reason) => write!(f, "reason:{reason}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_kind() {
        assert_eq!(Key::parse("5.7.1"), Ok(Key::Exact(StatusCode::new(5, 7, 1))));
        assert_eq!(
            Key::parse("5.7.500-699"),
            Ok(Key::Range { class: 5, subject: 7, lo: 500, hi: 699 })
        );
        assert_eq!(Key::parse("4.2.x"), Ok(Key::Subject { class: 4, subject: 2 }));
        assert_eq!(Key::parse("5.X.X"), Ok(Key::Class(5)));
        assert_eq!(Key::parse("550"), Ok(Key::Reply(550)));
        assert_eq!(Key::parse("reason:userunknown"), Ok(Key::Reason(Reason::UserUnknown)));
        assert_eq!(Key::parse("reason:userunknown").unwrap().to_string(), "reason:userunknown");
        for bad in [
            "",
            "5.7",
            "3.1.1",
            "5.x.1",
            "5.7.699-500",
            "5.7.1.1",
            "650",
            "55",
            "x.1.1",
            "reason:nope",
        ] {
            assert!(Key::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn ranges_cover_only_their_details() {
        let key = Key::parse("5.7.500-699").unwrap();
        assert!(key.covers(StatusCode::new(5, 7, 509)));
        assert!(!key.covers(StatusCode::new(5, 7, 700)));
        assert!(!key.covers(StatusCode::new(4, 7, 509)));
        assert_eq!(key.to_string(), "5.7.500-699");
    }
}
