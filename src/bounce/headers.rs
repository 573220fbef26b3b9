//! Header blocks: splitting a message into head and body, unfolding, and decoding
//! RFC 2047 encoded words.
//!
//! Works on text whose line endings are already LF (see `mime::normalize`).

use mail_parser::decoders::{
    base64::base64_decode, charsets::map::charset_decoder,
    quoted_printable::quoted_printable_decode,
};

/// The unfolded header fields of one message or MIME part, in message order.
///
/// Every name and value lives in one string, the fields are spans into it: a header
/// block costs two allocations instead of two per field (the engine parses tens of
/// thousands of fields per corpus scan).
#[derive(Debug, Clone, Default)]
pub struct Headers {
    text: String,
    /// Byte spans of (name, value) in `text`.
    fields: Vec<(Span, Span)>,
}

#[derive(Debug, Clone, Copy)]
struct Span {
    start: usize,
    end: usize,
}

impl Span {
    fn of<'t>(text: &'t str) -> impl Fn(Span) -> &'t str + 't {
        move |s| text.get(s.start..s.end).unwrap_or("")
    }
}

/// Most fields a header block may hold before we stop reading (a defence against
/// crafted messages with millions of header lines).
const MAX_FIELDS: usize = 2000;

impl Headers {
    /// Parse a header block (LF line endings). Continuation lines are joined to the
    /// field they continue; lines that are neither a field nor a continuation are
    /// skipped (mbox `From ` lines, garbage).
    pub fn parse(block: &str) -> Headers {
        let mut text = String::with_capacity(block.len());
        // Most header blocks hold a few dozen fields: one allocation instead of several.
        let mut fields: Vec<(Span, Span)> = Vec::with_capacity(32);
        let mut continuing = false;
        let push = |text: &mut String, s: &str| {
            let start = text.len();
            text.push_str(s);
            Span { start, end: text.len() }
        };
        for line in split_lf(block) {
            if line.starts_with([' ', '\t']) {
                // The field being continued is the last one, so its value ends `text`.
                if continuing && let Some(last) = fields.last_mut() {
                    text.push(' ');
                    text.push_str(line.trim());
                    last.1.end = text.len();
                }
                continue;
            }
            continuing = false;
            let Some(colon) = memchr::memchr(b':', line.as_bytes()) else { continue };
            let name = line[..colon].trim_end();
            if name.is_empty()
                || name.bytes().any(|b| b == b' ' || b == b'\t')
                || fields.len() >= MAX_FIELDS
            {
                continue;
            }
            let name = push(&mut text, name);
            let value = push(&mut text, line[colon + 1..].trim());
            fields.push((name, value));
            continuing = true;
        }
        Headers { text, fields }
    }

    /// The first value of a field (case-insensitive name).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v)
    }

    /// Every value of a field, in message order.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.iter().filter(move |(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v)
    }

    /// The first value of a field with encoded words decoded.
    pub fn decoded(&self, name: &str) -> Option<String> {
        self.get(name).map(decode_words)
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        let at = Span::of(&self.text);
        self.fields.iter().map(move |(n, v)| (at(*n), at(*v)))
    }
}

/// The lines of LF text, as `text.split('\n')` gives them, found with the memchr
/// crate's vectorised search: the standard library's search for a char goes a word
/// at a time, and the engine reads header blocks and notices line by line.
pub fn split_lf(text: &str) -> impl Iterator<Item = &str> {
    let mut start = 0;
    let ends = memchr::memchr_iter(b'\n', text.as_bytes()).chain(std::iter::once(text.len()));
    ends.map(move |end| {
        let line = &text[start..end];
        start = end + 1;
        line
    })
}

/// Bytes as text, invalid sequences replaced: what `String::from_utf8_lossy` gives,
/// but valid UTF-8 (nearly every message) is checked by the fast validator first.
pub fn lossy(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

/// Split LF text into (header block, body). A message with no empty line is all header.
pub fn split_head_body(text: &str) -> (&str, &str) {
    if let Some(rest) = text.strip_prefix('\n') {
        return ("", rest);
    }
    match text.find("\n\n") {
        Some(i) => (&text[..i], &text[i + 2..]),
        None => (text, ""),
    }
}

/// Decode RFC 2047 encoded words (`=?charset?B?...?=`) in a header value. Words that
/// cannot be decoded are kept as written.
pub fn decode_words(value: &str) -> String {
    if !value.contains("=?") {
        return value.to_string();
    }
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    let mut last_was_word = false;
    while let Some(start) = rest.find("=?") {
        let (before, after) = rest.split_at(start);
        match decode_one_word(after) {
            Some((decoded, used)) => {
                // Whitespace between two adjacent encoded words is not part of the text.
                if !(last_was_word && before.trim().is_empty()) {
                    out.push_str(before);
                }
                out.push_str(&decoded);
                rest = &after[used..];
                last_was_word = true;
            }
            None => {
                out.push_str(before);
                out.push_str("=?");
                rest = &after[2..];
                last_was_word = false;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Decode one encoded word at the start of `s`; returns the text and bytes consumed.
fn decode_one_word(s: &str) -> Option<(String, usize)> {
    let inner = s.strip_prefix("=?")?;
    let q1 = inner.find('?')?;
    let charset = &inner[..q1];
    let rest = &inner[q1 + 1..];
    let q2 = rest.find('?')?;
    let encoding = &rest[..q2];
    let payload_start = &rest[q2 + 1..];
    let end = payload_start.find("?=")?;
    let payload = &payload_start[..end];
    if charset.len() > 40 || payload.contains(' ') {
        return None;
    }
    let bytes = match encoding {
        "B" | "b" => base64_decode(payload.as_bytes())?,
        "Q" | "q" => {
            let p = payload.replace('_', " ");
            quoted_printable_decode(p.as_bytes())?
        }
        _ => return None,
    };
    // RFC 2231 language suffix: charset*lang
    let charset = charset.split('*').next().unwrap_or(charset);
    let used = 2 + q1 + 1 + q2 + 1 + end + 2;
    Some((decode_charset(&bytes, charset), used))
}

/// Decode bytes in a named charset, forgiving unknown and misspelled names.
pub fn decode_charset(bytes: &[u8], charset: &str) -> String {
    let cs = charset.trim().trim_matches('"').to_ascii_lowercase();
    if cs.is_empty() || cs == "utf-8" || cs == "utf8" || cs == "us-ascii" {
        return guess_decode(bytes);
    }
    // A 7-bit charset never has bytes above 0x7F: text labelled ISO-2022-JP or UTF-7
    // that has them and is valid UTF-8 was converted on the way, its label kept.
    if (cs.starts_with("iso-2022") || cs == "utf-7")
        && !bytes.is_ascii()
        && let Ok(s) = std::str::from_utf8(bytes)
    {
        return s.to_string();
    }
    // UTF-16 and UTF-32 text always holds NUL bytes (every ASCII character has one): a
    // part so labelled without any was written in an 8-bit charset, its label wrong.
    if (cs.starts_with("utf-16") || cs.starts_with("utf-32") || cs.starts_with("ucs-2"))
        && memchr::memchr(0, bytes).is_none()
    {
        return guess_decode(bytes);
    }
    if let Some(f) = charset_decoder(cs.as_bytes()) {
        return f(bytes);
    }
    // Common misspellings: "iso8859-1", "shift-jis", "utf_8"...
    let squashed: String = cs.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    let guess = match squashed.as_str() {
        s if s.starts_with("utf8") => "utf-8",
        s if s.starts_with("iso8859") && s.len() > 7 => {
            return charset_decoder(format!("iso-8859-{}", &s[7..]).as_bytes())
                .map(|f| f(bytes))
                .unwrap_or_else(|| guess_decode(bytes));
        }
        s if s.contains("shiftjis") || s.contains("sjis") => "shift_jis",
        s if s.contains("2022jp") => "iso-2022-jp",
        s if s.contains("eucjp") => "euc-jp",
        _ => "",
    };
    match charset_decoder(guess.as_bytes()) {
        Some(f) if !guess.is_empty() => f(bytes),
        _ => guess_decode(bytes),
    }
}

/// Decode bytes of unknown charset: UTF-8 when valid, ISO-2022-JP when it has the
/// escape sequences, else Windows-1252 (never fails).
pub fn guess_decode(bytes: &[u8]) -> String {
    if let Ok(s) = std::str::from_utf8(bytes) {
        // ESC is rare: one memchr settles nearly every text before the two searches.
        if memchr::memchr(0x1b, bytes).is_some()
            && (s.contains("\x1b$B") || s.contains("\x1b$@"))
            && let Some(f) = charset_decoder(b"iso-2022-jp")
        {
            return f(bytes);
        }
        return s.to_string();
    }
    // Not UTF-8 and not labelled: the 8-bit charset unlabelled mail is written in most
    // often, Windows-1252 (a superset of ISO-8859-1's printable characters), so that
    // "refusée" stays readable instead of becoming "refus\u{fffd}e".
    match charset_decoder(b"windows-1252") {
        Some(f) => f(bytes),
        None => String::from_utf8_lossy(bytes).into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unlabelled_8bit_text_is_windows_1252_and_a_false_utf16_label_is_ignored() {
        assert_eq!(guess_decode(b"Adresse refus\xe9e \x96 quota"), "Adresse refusée – quota");
        assert_eq!(guess_decode("déjà".as_bytes()), "déjà");
        assert_eq!(decode_charset(b"Status: 5.1.1", "utf-16"), "Status: 5.1.1");
        assert_eq!(decode_charset(b"S\0t\0", "utf-16le"), "St");
    }

    #[test]
    fn unfolds_and_finds_case_insensitively() {
        let h = Headers::parse("From mbox line\nSubject: one\n two\nX-A: 1\nx-a: 2");
        assert_eq!(h.get("subject"), Some("one two"));
        assert_eq!(h.all("X-A").collect::<Vec<_>>(), vec!["1", "2"]);
    }

    #[test]
    fn decodes_encoded_words() {
        assert_eq!(decode_words("=?utf-8?B?w6k=?= =?utf-8?Q?a_b?="), "éa b");
        assert_eq!(decode_words("plain =?bogus"), "plain =?bogus");
        let jp = decode_words("=?ISO-2022-JP?B?GyRCJDMkcyRLJEEkTxsoQg==?=");
        assert_eq!(jp, "こんにちは");
    }

    #[test]
    fn forgives_misspelled_charsets() {
        assert_eq!(decode_charset(b"caf\xe9", "iso8859-1"), "café");
        assert_eq!(decode_charset(b"plain", "x-unknown-thing"), "plain");
        // UTF-8 under a 7-bit label (a gateway converted the text, not the label).
        assert_eq!(decode_charset("エラー".as_bytes(), "ISO-2022-JP"), "エラー");
        assert_eq!(decode_charset(b"\x1b$B%(%i!<\x1b(B", "ISO-2022-JP"), "エラー");
    }

    #[test]
    fn splits_lines_as_split_does() {
        for t in ["", "\n", "a", "a\n", "a\nb", "\n\na\n\nb\n", "é\nü\r\n"] {
            assert_eq!(split_lf(t).collect::<Vec<_>>(), t.split('\n').collect::<Vec<_>>());
        }
    }

    #[test]
    fn splits_head_and_body() {
        assert_eq!(split_head_body("A: b\n\nbody"), ("A: b", "body"));
        assert_eq!(split_head_body("\nbody"), ("", "body"));
        assert_eq!(split_head_body("A: b"), ("A: b", ""));
    }
}
