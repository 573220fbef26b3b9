//! Finding e-mail addresses in notice text.

use std::sync::LazyLock;

use regex::Regex;

static ADDRESS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"[A-Za-z0-9._%+\-=!#$&'*/?^`{|}~]+@[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)+",
    )
    .expect("static regex")
});

/// Every address in a piece of text, in order, with its byte range.
pub fn find_all(text: &str) -> Vec<(usize, usize, &str)> {
    ADDRESS
        .find_iter(text)
        .map(|m| (m.start(), m.end(), m.as_str().trim_start_matches(['.', '\''])))
        .collect()
}

/// The SMTP address inside an X.400 O/R name or an Exchange proxy address:
/// `/C=US/ADMD=/PRMD=x/RFC-822=ann(a)example.org/` (RFC 2156's escapes: `(a)` is `@`,
/// `(p)` `%`, `(b)` `!`, `(q)` `"`, `(u)` `_`, `(l)` `(`, `(r)` `)`),
/// `DDA:SMTP=ann@example.org`, `[SMTP:ann@example.org]`, `SMTP:ann@example.org`.
pub fn from_notation(value: &str) -> Option<String> {
    let lower = value.to_ascii_lowercase();
    for key in ["rfc-822=", "rfc822=", "dda:smtp=", "dda:rfc-822=", "smtp="] {
        if let Some(at) = lower.find(key) {
            let rest = &value[at + key.len()..];
            let end = rest.find(['/', ';', '>', ']', ' ', '\t']).unwrap_or(rest.len());
            let decoded = decode_rfc2156(&rest[..end]);
            if let Some(a) = first(&decoded) {
                return Some(a);
            }
        }
    }
    let at = lower.find("smtp:")?;
    first(&value[at + 5..])
}

/// RFC 2156's printable-string escapes of the characters X.400 cannot carry.
fn decode_rfc2156(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(open) = rest.find('(') {
        out.push_str(&rest[..open]);
        let tail = &rest[open..];
        let mapped = match tail.get(..3).map(str::to_ascii_lowercase).as_deref() {
            Some("(a)") => Some('@'),
            Some("(p)") => Some('%'),
            Some("(b)") => Some('!'),
            Some("(q)") => Some('"'),
            Some("(u)") => Some('_'),
            Some("(l)") => Some('('),
            Some("(r)") => Some(')'),
            _ => None,
        };
        match mapped {
            Some(c) => {
                out.push(c);
                rest = &tail[3..];
            }
            None => {
                out.push('(');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The first address in a piece of text.
pub fn first(text: &str) -> Option<String> {
    ADDRESS.find(text).map(|m| m.as_str().trim_start_matches(['.', '\'']).to_string())
}

/// Labels that may precede a recipient address on its own line.
const LABELS: &[&str] = &[
    "original-recipient:",
    "final-recipient:",
    "recipient address:",
    "recipient:",
    "rcpt to:",
    "address:",
    "rfc822;",
];

/// When a line is "an address on its own" (optionally labelled, bracketed, quoted,
/// followed by `:` or `...` and a diagnostic), the address and the rest of the line.
pub fn address_line(line: &str) -> Option<(String, String)> {
    let mut l = line.trim();
    loop {
        let lower = l.to_ascii_lowercase();
        match LABELS.iter().find(|p| lower.starts_with(*p)) {
            Some(p) => l = l[p.len()..].trim_start(),
            None => break,
        }
    }
    let l = l.trim_start_matches(['<', '"', '\'', '(', '[', '*', '-', ' ']);
    let (start, end, addr) = find_all(l).into_iter().next()?;
    if start != 0 {
        return labelled(l);
    }
    let rest = l[end..]
        .trim_start_matches(['>', '"', '\'', ')', ']', ':', '.', ',', ';', ' ', '\t'])
        .trim();
    Some((addr.to_string(), rest.to_string()))
}

/// Header names that label an address in quoted headers, never a failed recipient.
const NOT_LABELS: &[&str] =
    &["from", "to", "cc", "bcc", "sender", "reply-to", "return-path", "date"];

/// "Unknown user: a@b", "target mail address: a@b": a short label, a colon, and only
/// the address after it. The label is kept as the diagnostic.
fn labelled(line: &str) -> Option<(String, String)> {
    let (label, rest) = line.split_once(':')?;
    let label = label.trim();
    let words = label.split_whitespace().count();
    if label.is_empty() || words > 6 || label.contains(['@', '<', '(']) {
        return None;
    }
    if NOT_LABELS.iter().any(|n| label.eq_ignore_ascii_case(n)) {
        return None;
    }
    let rest = rest.trim().trim_start_matches('<');
    let (start, end, addr) = find_all(rest).into_iter().next()?;
    let tail = rest[end..].trim_start_matches(['>', '.', ' ']).trim();
    (start == 0 && tail.is_empty()).then(|| (addr.to_string(), label.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_x400_and_exchange_notations() {
        let x400 =
            "/C=US/ADMD= /PRMD=EXAMPLE/O=EXAMPLE/S=Smith/G=Ann/RFC-822=ann(u)smith(a)example.org/";
        assert_eq!(from_notation(x400).as_deref(), Some("ann_smith@example.org"));
        assert_eq!(
            from_notation("x400; DDA:SMTP=bob@example.net").as_deref(),
            Some("bob@example.net")
        );
        assert_eq!(from_notation("[SMTP:carol@example.com]").as_deref(), Some("carol@example.com"));
        assert_eq!(
            from_notation("/O=EXAMPLE/OU=FIRST ADMINISTRATIVE GROUP/CN=RECIPIENTS/CN=dave"),
            None
        );
    }

    #[test]
    fn reads_address_lines() {
        assert_eq!(address_line("  <a@example.jp>:"), Some(("a@example.jp".into(), "".into())));
        assert_eq!(
            address_line("<a@example.jp>... User unknown"),
            Some(("a@example.jp".into(), "User unknown".into()))
        );
        assert_eq!(address_line("host mx [1.2.3.4]: 550 <a@b.jp>"), None);
        assert_eq!(address_line("Recipient: a@b.jp").map(|x| x.0), Some("a@b.jp".into()));
        assert_eq!(
            address_line("Unknown user: a@b.jp"),
            Some(("a@b.jp".into(), "Unknown user".into()))
        );
        assert_eq!(address_line("From: a@b.jp"), None);
    }
}
