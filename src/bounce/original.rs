//! The headers of the message that bounced: from an attached `message/rfc822` or
//! `text/rfc822-headers` part, or from the copy quoted in the notice text.

use super::date::parse_date;
use super::headers::{Headers, decode_words, split_lf};
use super::mime::{Part, headers_of, normalize, split_bytes};
use super::model::OriginalMessage;

/// Header names that start a quoted header block in a plain-text notice.
const STARTERS: &[&str] = &[
    "return-path:",
    "received:",
    "message-id:",
    "date:",
    "from:",
    "to:",
    "subject:",
    "mime-version:",
    "content-type:",
    "dkim-signature:",
    "x-mailer:",
    "delivered-to:",
    "reply-to:",
];

/// The attached original's header block, when the report carries one.
pub fn attached(parts: &[Part<'_>]) -> Option<Headers> {
    parts.iter().find_map(|p| match p.ctype.as_str() {
        "message/rfc822" | "message/global" | "message/partial" => {
            let body = if p.headers.get("content-transfer-encoding").is_some_and(|e| {
                let e = e.to_ascii_lowercase();
                e.contains("base64") || e.contains("quoted")
            }) {
                std::borrow::Cow::Owned(p.text().into_bytes())
            } else {
                std::borrow::Cow::Borrowed(p.body)
            };
            let (head, _) = split_bytes(&body);
            let h = headers_of(head);
            (!h.is_empty()).then_some(h)
        }
        "text/rfc822-headers" | "message/global-headers" | "message/rfc822-headers" => {
            let text = p.text();
            let normal = normalize(text.trim_start().as_bytes());
            let (head, _) = split_bytes(&normal);
            let h = headers_of(head);
            (!h.is_empty()).then_some(h)
        }
        _ => None,
    })
}

/// Fields that only a real header block has (a notice's summary has Subject/Date/To).
const STRONG: &[&str] = &[
    "return-path:",
    "received:",
    "message-id:",
    "from:",
    "mime-version:",
    "content-type:",
    "dkim-signature:",
    "delivered-to:",
];

/// Where a quoted header block starts in notice text (byte offset of its first line),
/// if there is one: two consecutive lines that look like header fields, one of them a
/// field only real headers carry.
pub fn quoted_start(text: &str) -> Option<usize> {
    let mut offset = 0;
    let mut start: Option<usize> = None;
    let mut count = 0;
    let mut strong = false;
    // Every name in the lists ends at its only colon: a line opens with one of them
    // when the line up to its first colon is that name. Compared ignoring ASCII case,
    // with no lowercased copy of the line.
    let is_one_of =
        |field: &str, names: &[&str]| names.iter().any(|n| field.eq_ignore_ascii_case(n));
    for line in split_lf(text) {
        // Indented "To:"/"Subject:" lines are a notice's summary, not a header block.
        let l = line.trim_start_matches('>').trim_start_matches(' ');
        let l = if line.starts_with('>') { l } else { line };
        let field = memchr::memchr(b':', l.as_bytes()).map_or("", |colon| &l[..=colon]);
        if is_one_of(field, STARTERS) {
            start.get_or_insert(offset);
            count += 1;
            strong |= is_one_of(field, STRONG);
            if count >= 2 && strong {
                return start;
            }
        } else if !(start.is_some() && line.starts_with([' ', '\t'])) {
            start = None;
            count = 0;
            strong = false;
        }
        offset += line.len() + 1;
    }
    None
}

/// The quoted header block in notice text, when there is one.
pub fn quoted(text: &str) -> Option<Headers> {
    let start = quoted_start(text)?;
    let mut block = String::new();
    for line in text[start..].lines().take_while(|l| !l.trim().is_empty()) {
        block.push_str(unquote(line));
        block.push('\n');
    }
    let h = Headers::parse(&block);
    (!h.is_empty()).then_some(h)
}

/// Remove a `> ` quoting prefix, keeping the indentation of continuation lines.
fn unquote(line: &str) -> &str {
    match line.strip_prefix('>') {
        Some(rest) => rest.strip_prefix(' ').unwrap_or(rest),
        None => line,
    }
}

/// The fields of the original message that a report shows.
pub fn summary(h: &Headers) -> OriginalMessage {
    let text = |n: &str| h.get(n).map(decode_words).filter(|s| !s.trim().is_empty());
    OriginalMessage {
        from: text("from"),
        to: text("to"),
        subject: text("subject"),
        message_id: text("message-id"),
        date: h.get("date").and_then(parse_date),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_names_end_at_their_only_colon() {
        // quoted_start compares the text up to a line's first colon with these.
        for name in STARTERS.iter().chain(STRONG) {
            assert_eq!(name.find(':'), Some(name.len() - 1), "{name}");
        }
    }

    #[test]
    fn finds_quoted_headers() {
        let text = "Sorry.\n\n--- copy follows\n\nReturn-Path: <a@b>\nReceived: from x\n by y\n\
Subject: hi\n\nbody";
        let h = quoted(text).unwrap();
        assert_eq!(h.get("subject"), Some("hi"));
        assert_eq!(h.all("received").next(), Some("from x by y"));
    }
}
