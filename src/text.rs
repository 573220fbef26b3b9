//! Cleaning untrusted text before it reaches a terminal or an export.
//!
//! Subjects, diagnostics and server replies are written by strangers. They can carry
//! ESC sequences, 8-bit C1 controls (U+009B is a CSI on some terminals), and bidi
//! overrides that reorder what the reader sees, and zero-width characters that make
//! two different addresses look alike. We replace each such character with a visible
//! placeholder, so tampering shows instead of hiding.

use std::borrow::Cow;

/// What a removed character is replaced with.
pub const PLACEHOLDER: char = '\u{FFFD}';

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Invisible characters: Unicode's format characters (category Cf: zero-width space,
/// joiners, word joiner, BOM, soft hyphen, tags...) and the Hangul fillers, which
/// render as nothing. In an address or a suppression list they make two different
/// strings look the same, so they are shown, not kept hidden. (A zero-width joiner
/// inside an emoji sequence is shown too: the cost of never hiding one elsewhere.)
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{0600}'..='\u{0605}' | '\u{06DD}' | '\u{070F}'
        | '\u{0890}'..='\u{0891}' | '\u{08E2}' | '\u{115F}' | '\u{1160}' | '\u{17B4}'
        | '\u{17B5}' | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200D}'
        | '\u{2060}'..='\u{2065}' | '\u{206A}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0E}'
        | '\u{FEFF}' | '\u{FFA0}' | '\u{FFF9}'..='\u{FFFB}' | '\u{110BD}' | '\u{110CD}'
        | '\u{13430}'..='\u{1343F}' | '\u{1BCA0}'..='\u{1BCA3}' | '\u{1D173}'..='\u{1D17A}'
        | '\u{E0000}'..='\u{E0FFF}')
}

/// True for a character that must never be printed as is.
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || is_bidi_control(c) || is_invisible(c)
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

/// True when `s` is a plain e-mail address: an RFC 5322 dot-atom local part, `@`, and
/// a domain of letters, digits and hyphens. Addresses such as `-2+3@example.org` start
/// with a character a spreadsheet reads as a formula; a CSV guard may leave them alone
/// as long as nothing in them can call anything (no `=` first, no DDE `|`).
pub fn is_plain_address(s: &str) -> bool {
    let Some((local, domain)) = s.rsplit_once('@') else { return false };
    let atext = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{}~".contains(c);
    let local_ok = !local.is_empty()
        && local.split('.').all(|part| !part.is_empty() && part.chars().all(atext));
    let domain_ok = domain.contains('.')
        && domain.split('.').all(|label| {
            !label.is_empty()
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
    local_ok && domain_ok && !s.starts_with('=')
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

    #[test]
    fn plain_addresses_are_told_from_formulas() {
        for ok in ["-2+3@example.org", "+tag@example.org", "a.b@mx-1.example.co.uk"] {
            assert!(is_plain_address(ok), "{ok}");
        }
        for bad in [
            "=1+1@example.org",
            "=cmd|'/C calc'!A0",
            "-2+3",
            "@SUM(A1)",
            "a@b",
            "a..b@x.org",
            "a@-x.org",
        ] {
            assert!(!is_plain_address(bad), "{bad}");
        }
    }

    #[test]
    fn zero_width_and_format_characters_are_made_visible() {
        for hidden in [
            '\u{200B}',
            '\u{200C}',
            '\u{200D}',
            '\u{2060}',
            '\u{FEFF}',
            '\u{00AD}',
            '\u{E0041}',
            '\u{3164}',
        ] {
            let address = format!("ad{hidden}min@example.org");
            assert_eq!(clean_line(&address), "ad\u{FFFD}min@example.org", "{:?}", hidden);
            assert_eq!(clean(&address), "ad\u{FFFD}min@example.org", "{:?}", hidden);
        }
        // Visible non-ASCII text is untouched.
        assert!(matches!(clean_line("Zürich – 東京"), Cow::Borrowed(_)));
    }
}
