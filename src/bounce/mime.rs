//! A small, bounded MIME walker made for reports.
//!
//! Reports need only the header blocks and the small text parts (the notice, the
//! delivery-status, the attached headers). So parts are found by scanning for
//! boundaries, and only the parts someone asks for are decoded, each capped: a
//! 50 MB attachment costs one linear scan and nothing more.

use std::borrow::Cow;

use mail_parser::decoders::{base64::base64_decode, quoted_printable::quoted_printable_decode};

use super::headers::{Headers, decode_charset, guess_decode, lossy};

/// The most raw bytes of one part that are decoded into text.
pub const TEXT_CAP: usize = 256 * 1024;
/// The largest header block read; anything longer is garbage or an attack.
const HEADER_CAP: usize = 256 * 1024;
const MAX_PARTS: usize = 64;
const MAX_DEPTH: u8 = 6;

/// Turn CRLF and CR-only line endings into LF and drop NUL bytes, borrowing when the
/// message is already clean.
pub fn normalize(raw: &[u8]) -> Cow<'_, [u8]> {
    if memchr::memchr2(b'\r', 0, raw).is_none() {
        return Cow::Borrowed(raw);
    }
    // Copy the clean runs between the bytes to fix in bulk, not byte by byte.
    let mut out = Vec::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(at) = memchr::memchr2(b'\r', 0, rest) {
        out.extend_from_slice(&rest[..at]);
        if rest[at] == b'\r' {
            out.push(b'\n');
            let skip = if rest.get(at + 1) == Some(&b'\n') { 2 } else { 1 };
            rest = &rest[at + skip..];
        } else {
            rest = &rest[at + 1..];
        }
    }
    out.extend_from_slice(rest);
    Cow::Owned(out)
}

/// Split LF bytes into (header block, body).
pub fn split_bytes(msg: &[u8]) -> (&[u8], &[u8]) {
    if msg.first() == Some(&b'\n') {
        return (&[], &msg[1..]);
    }
    match memchr::memmem::find(msg, b"\n\n") {
        Some(i) => (&msg[..i], &msg[i + 2..]),
        None => (msg, &[]),
    }
}

/// Parse a header block given as bytes (lossy, capped).
pub fn headers_of(block: &[u8]) -> Headers {
    let block = &block[..block.len().min(HEADER_CAP)];
    Headers::parse(&lossy(block))
}

/// One leaf of the MIME tree (or an attached message, which is not descended into).
#[derive(Debug, Clone)]
pub struct Part<'a> {
    pub headers: Headers,
    /// `type/subtype`, lowercase; `text/plain` when missing.
    pub ctype: String,
    pub charset: Option<String>,
    /// The body as written, still transfer-encoded.
    pub body: &'a [u8],
}

impl<'a> Part<'a> {
    /// The body with its transfer encoding undone (from at most `cap` raw bytes), as
    /// bytes: for an attached message that a gateway base64-encoded, against RFC 2046.
    pub fn bytes(&self, cap: usize) -> Cow<'a, [u8]> {
        let raw: &'a [u8] = &self.body[..self.body.len().min(cap)];
        let cte =
            self.headers.get("content-transfer-encoding").unwrap_or("").trim().to_ascii_lowercase();
        if cte.starts_with("base64") {
            let mut compact = Vec::with_capacity(raw.len());
            compact.extend(raw.iter().copied().filter(|b| !b.is_ascii_whitespace()));
            let usable = compact.len() / 4 * 4;
            match base64_decode(&compact[..usable]) {
                Some(v) => Cow::Owned(v),
                None => Cow::Borrowed(raw),
            }
        } else if cte.starts_with("quoted-printable") {
            quoted_printable_decode(raw).map(Cow::Owned).unwrap_or(Cow::Borrowed(raw))
        } else {
            Cow::Borrowed(raw)
        }
    }

    /// The body decoded to text (transfer encoding, then charset), from at most
    /// [`TEXT_CAP`] raw bytes.
    pub fn text(&self) -> String {
        let decoded = self.bytes(TEXT_CAP);
        let text = match &self.charset {
            Some(cs) => decode_charset(&decoded, cs),
            None => guess_decode(&decoded),
        };
        if memchr::memchr2(b'\r', 0, text.as_bytes()).is_some() {
            lossy(&normalize(text.as_bytes())).into_owned()
        } else {
            text
        }
    }

    pub fn is(&self, ctype: &str) -> bool {
        self.ctype == ctype
    }
}

/// Content-Type value split into lowercase `type/subtype` and parameters
/// (lowercase names, unquoted values).
pub fn content_type(value: &str) -> (String, Vec<(String, String)>) {
    let mut pieces = split_params(value).into_iter();
    let first = pieces.next().unwrap_or_default().trim();
    // "text/plain charset=..." (the `;` forgotten): the type is the first word, and
    // what follows it is still a parameter.
    let (ctype, stray) = first.split_once(char::is_whitespace).unwrap_or((first, ""));
    let ctype = ctype.to_ascii_lowercase();
    let params = std::iter::once(stray)
        .filter(|p| p.contains('='))
        .chain(pieces)
        .filter_map(|p| {
            let (n, v) = p.split_once('=')?;
            let v = v.trim();
            let v = v.strip_prefix('"').and_then(|v| v.strip_suffix('"')).unwrap_or(v);
            Some((n.trim().trim_end_matches('*').to_ascii_lowercase(), v.to_string()))
        })
        .collect();
    (ctype, params)
}

/// Split at `;` outside double quotes.
fn split_params(value: &str) -> Vec<&str> {
    // Slices of the value, not copies: `;` and `"` are ASCII, so byte offsets are
    // always on character boundaries.
    let mut out = Vec::new();
    let mut start = 0;
    let mut quoted = false;
    for (i, b) in value.bytes().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b';' if !quoted => {
                out.push(&value[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&value[start..]);
    out
}

fn param<'p>(params: &'p [(String, String)], name: &str) -> Option<&'p str> {
    params.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
}

/// Walk a whole message (LF line endings): its top headers and its leaf parts in order.
pub fn walk(msg: &[u8]) -> (Headers, Vec<Part<'_>>) {
    let (headers, parts, _) = walk_noting(msg);
    (headers, parts)
}

/// [`walk`], and which of the walker's limits the message went past, if any: a report
/// must say that it was cut, not drop what lies beyond in silence.
pub fn walk_noting(msg: &[u8]) -> (Headers, Vec<Part<'_>>, Option<&'static str>) {
    let (head, body) = split_bytes(msg);
    let headers = headers_of(head);
    let mut parts = Vec::new();
    let mut cut = None;
    // Borrowed: the top headers are copied only when the message is a single part.
    walk_entity(Cow::Borrowed(&headers), body, 0, &mut parts, &mut cut);
    (headers, parts, cut)
}

fn walk_entity<'a>(
    headers: Cow<'_, Headers>,
    body: &'a [u8],
    depth: u8,
    out: &mut Vec<Part<'a>>,
    cut: &mut Option<&'static str>,
) {
    if out.len() >= MAX_PARTS {
        cut.get_or_insert("more than 64 MIME parts: the rest was not read");
        return;
    }
    let (ctype, params) = content_type(headers.get("content-type").unwrap_or("text/plain"));
    let ctype = if ctype.contains('/') { ctype } else { "text/plain".to_string() };
    if ctype.starts_with("multipart/") && depth >= MAX_DEPTH {
        cut.get_or_insert("MIME parts nested deeper than 6 levels: those were read as text");
    }
    if ctype.starts_with("multipart/")
        && depth < MAX_DEPTH
        && let Some(boundary) = param(&params, "boundary").filter(|b| !b.is_empty())
    {
        let children = split_multipart(body, boundary.as_bytes());
        if !children.is_empty() {
            for child in children {
                let (h, b) = split_bytes(child);
                walk_entity(Cow::Owned(headers_of(h)), b, depth + 1, out, cut);
            }
            return;
        }
    }
    // A multipart whose boundary never appears is read as the text it is.
    let ctype = if ctype.starts_with("multipart/") { "text/plain".to_string() } else { ctype };
    let charset = param(&params, "charset").map(str::to_string);
    out.push(Part { headers: headers.into_owned(), ctype, charset, body });
}

/// The bodies between the delimiter lines of a multipart body. Tolerates a missing
/// closing delimiter (everything to the end is the last part).
fn split_multipart<'a>(body: &'a [u8], boundary: &[u8]) -> Vec<&'a [u8]> {
    let mut delim = Vec::with_capacity(boundary.len() + 2);
    delim.extend_from_slice(b"--");
    delim.extend_from_slice(boundary);
    let mut starts: Vec<(usize, usize, bool)> = Vec::new(); // (line start, content start, closing)
    for pos in memchr::memmem::find_iter(body, &delim) {
        if pos != 0 && body.get(pos - 1) != Some(&b'\n') {
            continue;
        }
        let after = pos + delim.len();
        let closing = body.get(after..after + 2) == Some(b"--");
        let line_end = memchr::memchr(b'\n', &body[after..]).map_or(body.len(), |i| after + i + 1);
        starts.push((pos, line_end, closing));
        if closing || starts.len() > MAX_PARTS {
            break;
        }
    }
    let mut parts = Vec::new();
    for (i, &(_, content, closing)) in starts.iter().enumerate() {
        if closing {
            break;
        }
        let end = starts.get(i + 1).map_or(body.len(), |&(next, _, _)| next);
        let end = end.max(content);
        let mut part = &body[content.min(body.len())..end.min(body.len())];
        if part.last() == Some(&b'\n') {
            part = &part[..part.len() - 1];
        }
        parts.push(part);
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_all_line_endings() {
        assert_eq!(&*normalize(b"a\r\nb\rc\n\0d"), b"a\nb\nc\nd");
        assert!(matches!(normalize(b"a\nb"), Cow::Borrowed(_)));
    }

    #[test]
    fn walks_nested_multiparts() {
        let msg =
            b"Content-Type: multipart/report; report-type=delivery-status;\n boundary=\"X\"\n\n\
preamble\n--X\nContent-Type: text/plain\n\nhello\n--X\nContent-Type: message/delivery-status\n\n\
Reporting-MTA: dns; a\n--X\nContent-Type: text/rfc822-headers\n\nFrom: a@b\n--X--\n";
        let (h, parts) = walk(msg);
        assert!(h.get("content-type").is_some());
        let types: Vec<&str> = parts.iter().map(|p| p.ctype.as_str()).collect();
        assert_eq!(types, ["text/plain", "message/delivery-status", "text/rfc822-headers"]);
        assert_eq!(parts[0].text(), "hello");
    }

    #[test]
    fn decodes_base64_parts() {
        let msg =
            b"Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\nw6k=\n";
        let (_, parts) = walk(msg);
        assert_eq!(parts[0].text(), "é");
    }

    #[test]
    fn decodes_japanese_and_utf7_bodies() {
        // "テスト" in Shift_JIS and ISO-2022-JP, and "£1" in UTF-7.
        let sjis = b"Content-Type: text/plain; charset=Shift_JIS\n\n\x83\x65\x83\x58\x83\x67";
        assert_eq!(walk(sjis).1[0].text(), "テスト");
        let jis = b"Content-Type: text/plain; charset=\"iso-2022-jp\"\n\n\x1b$B%F%9%H\x1b(B";
        assert_eq!(walk(jis).1[0].text(), "テスト");
        let utf7 = b"Content-Type: text/plain; charset=utf-7\n\n+AKM-1";
        assert_eq!(walk(utf7).1[0].text(), "£1");
        // A misspelled charset and no charset at all still give readable text.
        let odd = b"Content-Type: text/plain; charset=shift-jis\n\n\x83\x65\x83\x58\x83\x67";
        assert_eq!(walk(odd).1[0].text(), "テスト");
        let bare = b"Content-Type: text/plain\n\n\x1b$B%F%9%H\x1b(B";
        assert_eq!(walk(bare).1[0].text(), "テスト");
    }

    #[test]
    fn reads_a_content_type_missing_its_semicolon() {
        let (ctype, params) = content_type("text/plain\n   charset=\"iso-2022-jp\"");
        assert_eq!(ctype, "text/plain");
        assert_eq!(params, [("charset".to_string(), "iso-2022-jp".to_string())]);
        assert_eq!(content_type("text/html").0, "text/html");
    }

    #[test]
    fn survives_missing_closing_boundary() {
        let (_, parts) =
            walk(b"Content-Type: multipart/mixed; boundary=Q\n\n--Q\n\none\n--Q\n\ntwo");
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[1].text(), "two");
    }
}
