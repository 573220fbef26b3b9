//! Cleaning untrusted text before it reaches a terminal or an export.
//!
//! Subjects, diagnostics and server replies are written by strangers. They can carry
//! ESC sequences, 8-bit C1 controls (U+009B is a CSI on some terminals), and bidi
//! overrides that reorder what the reader sees. We replace each such character with a
//! visible placeholder, so tampering shows instead of hiding.

use std::borrow::Cow;

/// What a removed character is replaced with.
pub const PLACEHOLDER: char = '\u{FFFD}';

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// True for a character that must never be printed as is.
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

/// Nothing to clean: printable ASCII only, as nearly every diagnostic is. Checked a byte
/// at a time, which is several times cheaper than decoding and classifying characters.
fn is_printable_ascii(s: &str) -> bool {
    s.bytes().all(|b| (b' '..=b'~').contains(&b))
}

/// Clean multi-line text: keeps `\n`, turns `\t` into a space and `\r\n` into `\n`,
/// replaces every other control, C1 and bidi character with [`PLACEHOLDER`].
pub fn clean(s: &str) -> Cow<'_, str> {
    if is_printable_ascii(s) || !s.chars().any(|c| is_unsafe(c) && c != '\n') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' => out.push('\n'),
            '\t' => out.push(' '),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\r' => out.push('\n'),
            c if is_unsafe(c) => out.push(PLACEHOLDER),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Clean text for one line: like [`clean`], and line breaks and tabs become spaces.
pub fn clean_line(s: &str) -> Cow<'_, str> {
    if is_printable_ascii(s) || !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' | '\r' | '\t' => out.push(' '),
            c if is_unsafe(c) => out.push(PLACEHOLDER),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_escapes_c1_and_bidi() {
        let hostile = "a\x1b]52;c;ZXZpbA==\x07b\u{9b}31mc\u{202e}d\x00";
        let cleaned = clean_line(hostile);
        assert!(!cleaned.chars().any(is_unsafe), "{cleaned:?}");
        assert!(cleaned.contains(PLACEHOLDER));
        assert!(cleaned.starts_with('a'));
    }

    #[test]
    fn keeps_newlines_in_multiline_text_and_borrows_clean_text() {
        assert_eq!(clean("one\r\ntwo\tthree"), "one\ntwo three");
        assert!(matches!(clean("plain text"), Cow::Borrowed(_)));
        assert_eq!(clean_line("one\ntwo"), "one two");
    }
}
