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
    "to:",
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
        return None;
    }
    let rest = l[end..]
        .trim_start_matches(['>', '"', '\'', ')', ']', ':', '.', ',', ';', ' ', '\t'])
        .trim();
    Some((addr.to_string(), rest.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_address_lines() {
        assert_eq!(address_line("  <a@example.jp>:"), Some(("a@example.jp".into(), "".into())));
        assert_eq!(
            address_line("<a@example.jp>... User unknown"),
            Some(("a@example.jp".into(), "User unknown".into()))
        );
        assert_eq!(address_line("host mx [1.2.3.4]: 550 <a@b.jp>"), None);
        assert_eq!(address_line("To: a@b.jp").map(|x| x.0), Some("a@b.jp".into()));
    }
}
