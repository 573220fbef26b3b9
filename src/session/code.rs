//! Code prefixes as people type them: `5`, `5.7`, `5.7.1`, `5.7.*`, `5.x.x`, a reply
//! code prefix `55` or `550`, or `none`.
//!
//! Matching is by component, not by characters, so `5.7.1` does not match 5.7.10.

use std::fmt;

use crate::bounce::StatusCode;

/// A parsed code prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodePrefix {
    /// Leading components of an enhanced status code (one to three). A record without a
    /// status code matches a class-only prefix through its reply code's first digit.
    Enhanced(Vec<u16>),
    /// Leading digits of an SMTP reply code (`55`, `550`), whether or not the record
    /// also has an enhanced status code.
    Reply(String),
    /// `=550`: records whose shown code is this reply code (they have no status
    /// code): what a summary's reply-code group holds.
    ReplyOnly(String),
    /// Records with neither a status nor a reply code.
    None,
    /// Text that is no code at all: matches nothing, so a typo shows as an empty list
    /// instead of silently showing everything.
    Invalid(String),
}

impl CodePrefix {
    pub fn parse(s: &str) -> CodePrefix {
        let s = s.trim();
        if s.eq_ignore_ascii_case("none") {
            return CodePrefix::None;
        }
        if s.len() >= 2 && s.len() <= 3 && s.bytes().all(|b| b.is_ascii_digit()) {
            return CodePrefix::Reply(s.to_string());
        }
        if let Some(d) = s.strip_prefix('=')
            && d.len() == 3
            && d.bytes().all(|b| b.is_ascii_digit())
        {
            return CodePrefix::ReplyOnly(d.to_string());
        }
        let mut parts = Vec::new();
        for p in s.split('.') {
            if matches!(p, "x" | "X" | "*" | "") {
                break;
            }
            match p.parse::<u16>() {
                Ok(n) if p.len() <= 3 => parts.push(n),
                _ => return CodePrefix::Invalid(s.to_string()),
            }
        }
        if parts.is_empty() || parts.len() > 3 || !matches!(parts[0], 2 | 4 | 5) {
            return CodePrefix::Invalid(s.to_string());
        }
        CodePrefix::Enhanced(parts)
    }

    pub fn matches(&self, status: Option<StatusCode>, reply: Option<u16>) -> bool {
        match self {
            CodePrefix::Enhanced(parts) => match status {
                Some(c) => {
                    let code = [u16::from(c.class), c.subject, c.detail];
                    parts.iter().zip(code).all(|(p, c)| *p == c)
                }
                None => parts.len() == 1 && reply.is_some_and(|r| r / 100 == parts[0]),
            },
            // A reply code matches like a status code: a record that carries both
            // (550 5.1.1) is found by either.
            CodePrefix::Reply(digits) => {
                reply.is_some_and(|r| r.to_string().starts_with(digits.as_str()))
            }
            CodePrefix::ReplyOnly(digits) => {
                status.is_none() && reply.is_some_and(|r| r.to_string() == *digits)
            }
            CodePrefix::None => status.is_none() && reply.is_none(),
            CodePrefix::Invalid(_) => false,
        }
    }
}

impl fmt::Display for CodePrefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CodePrefix::Enhanced(p) => {
                let shown: Vec<String> = p.iter().map(u16::to_string).collect();
                write!(f, "{}", shown.join("."))?;
                if p.len() < 3 { write!(f, ".*") } else { Ok(()) }
            }
            CodePrefix::Reply(d) if d.len() < 3 => write!(f, "{d}*"),
            CodePrefix::Reply(d) => write!(f, "{d}"),
            CodePrefix::ReplyOnly(d) => write!(f, "{d} (no status code)"),
            CodePrefix::None => write!(f, "none"),
            CodePrefix::Invalid(s) => write!(f, "{:?} (not a code)", crate::text::clean_line(s)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> Option<StatusCode> {
        s.parse().ok()
    }

    #[test]
    fn prefixes_match_by_component() {
        let p = CodePrefix::parse("5.7.1");
        assert!(p.matches(code("5.7.1"), None));
        assert!(!p.matches(code("5.7.10"), None));
        let p = CodePrefix::parse("5.7");
        assert!(p.matches(code("5.7.509"), None));
        assert!(!p.matches(code("5.1.1"), None));
        assert_eq!(CodePrefix::parse("5.7.*"), CodePrefix::parse("5.7"));
        assert_eq!(CodePrefix::parse("5.x.x"), CodePrefix::Enhanced(vec![5]));
    }

    #[test]
    fn reply_codes_stand_in_when_there_is_no_status() {
        assert!(CodePrefix::parse("5").matches(None, Some(550)));
        assert!(!CodePrefix::parse("4").matches(None, Some(550)));
        assert!(CodePrefix::parse("55").matches(None, Some(550)));
        assert!(CodePrefix::parse("550").matches(code("5.1.1"), Some(550)), "both codes match");
        assert!(!CodePrefix::parse("550").matches(code("5.1.1"), None));
        assert!(!CodePrefix::parse("421").matches(None, Some(450)));
        assert!(CodePrefix::parse("none").matches(None, None));
        assert!(!CodePrefix::parse("none").matches(None, Some(550)));
    }

    #[test]
    fn nonsense_matches_nothing() {
        for bad in ["abc", "9.1.1", "5.abc", "5.1.1.1", "5.1234"] {
            let p = CodePrefix::parse(bad);
            assert!(matches!(p, CodePrefix::Invalid(_)), "{bad}: {p:?}");
            assert!(!p.matches(code("5.1.1"), Some(550)));
        }
    }
}
