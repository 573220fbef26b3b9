//! Received headers: parse a chain into hops, oldest first, with signed delays.
//!
//! RFC 5321 §4.4 gives the shape (`from X by Y via Z with P id I for A; date`), but each
//! MTA fills it its own way: Exchange writes `with Microsoft SMTP Server (version=...)`,
//! qmail writes only a comment, Exim lowercases `esmtps`, some put the date without a
//! `;`. We split the clause part into words and (nested) comments, let the keywords
//! open fields, and keep the header as written so nothing is lost when a field is odd.

use std::sync::LazyLock;

use memchr::memmem::Finder;

use super::date::parse_date;
use super::model::Hop;

/// Parse the values of the Received headers of one message, in the order they appear
/// in the message (newest first), into hops ordered oldest first.
pub fn parse_chain<S: AsRef<str>>(received: &[S]) -> Vec<Hop> {
    let mut hops: Vec<Hop> = received.iter().rev().map(|r| parse_hop(r.as_ref())).collect();
    for i in 1..hops.len() {
        if let (Some(prev), Some(now)) = (hops[i - 1].time, hops[i].time) {
            let delay = now.signed_duration_since(prev).num_seconds();
            hops[i].delay_secs = Some(delay);
            hops[i].skew = delay < 0;
        }
    }
    hops
}

/// Parse one Received header value (no delay: that needs the neighbours).
pub fn parse_hop(value: &str) -> Hop {
    let raw = unfold(value);
    let (clauses, time) = split_date(&raw);
    let mut hop = Hop { time, ..Hop::default() };
    fill_clauses(&mut hop, clauses);
    hop.tls = says_tls(&raw, hop.with.as_deref());
    hop.raw = raw;
    hop
}

/// The value on one line, each run of whitespace (folds included) as one space.
fn unfold(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    // Byte-wise split for ASCII headers (nearly all): the Unicode-aware split decodes
    // every character. `\x0B` is Unicode whitespace but not ASCII whitespace, so a
    // header holding one takes the general path and the result stays the same.
    if value.is_ascii() && !value.contains('\x0B') {
        for word in value.split_ascii_whitespace() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(word);
        }
        return out;
    }
    for word in value.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Split off the date: after the last `;` (RFC 5321), or, for writers that forget the
/// `;`, from a trailing `Day, ` weekday.
fn split_date(raw: &str) -> (&str, Option<super::Timestamp>) {
    if let Some(semi) = raw.rfind(';') {
        let time = parse_date(&raw[semi + 1..]);
        if time.is_some() {
            return (&raw[..semi], time);
        }
    }
    const WEEKDAYS: [&str; 7] = ["Mon, ", "Tue, ", "Wed, ", "Thu, ", "Fri, ", "Sat, ", "Sun, "];
    let start = WEEKDAYS.iter().filter_map(|w| raw.rfind(w)).max();
    match start.map(|s| (s, parse_date(&raw[s..]))) {
        Some((s, Some(time))) => (&raw[..s], Some(time)),
        _ => (raw.rsplit_once(';').map_or(raw, |(head, _)| head), None),
    }
}

/// Signs of an encrypted hop, in any of the ways MTAs write them.
fn says_tls(raw: &str, with: Option<&str>) -> bool {
    // RFC 3848 / RFC 6531 protocol names with the `S` (TLS) flag.
    const PROTOCOLS: [&str; 8] = [
        "esmtps",
        "esmtpsa",
        "lmtps",
        "lmtpsa",
        "utf8smtps",
        "utf8smtpsa",
        "utf8lmtps",
        "utf8lmtpsa",
    ];
    let protocol = with.and_then(|w| w.split_whitespace().next()).unwrap_or("");
    if PROTOCOLS.iter().any(|p| protocol.eq_ignore_ascii_case(p)) {
        return true;
    }
    // One lowercased copy and a memchr search per mark: comparing every window of the
    // header case-insensitively, mark by mark, was the costliest part of a hop. The
    // searchers are built once: building one costs more than a search of a header.
    static TLS: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"tls"));
    static CIPHER: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"cipher="));
    static MARKS: LazyLock<Vec<Finder<'static>>> = LazyLock::new(|| {
        [
            &b"version=tls"[..],
            b"using tls",
            b"tlsv1",
            b"tls1_",
            b"cipher=",
            b"over tls",
            b"(tls",
            b"with tls",
        ]
        .into_iter()
        .map(Finder::new)
        .collect()
    });
    let lower = raw.as_bytes().to_ascii_lowercase();
    // Every mark but `cipher=` contains "tls": most hops are settled by two scans.
    if TLS.find(&lower).is_none() {
        return CIPHER.find(&lower).is_some();
    }
    MARKS.iter().any(|m| m.find(&lower).is_some())
}

#[derive(Clone, Copy, PartialEq)]
enum Field {
    None,
    From,
    By,
    Via,
    With,
    Id,
    For,
}

fn keyword(word: &str) -> Option<Field> {
    const KEYWORDS: [(&str, Field); 6] = [
        ("from", Field::From),
        ("by", Field::By),
        ("via", Field::Via),
        ("with", Field::With),
        ("id", Field::Id),
        ("for", Field::For),
    ];
    KEYWORDS.iter().find(|(k, _)| word.eq_ignore_ascii_case(k)).map(|(_, f)| *f)
}

/// Walk words and comments; a keyword opens its field (first occurrence wins).
fn fill_clauses(hop: &mut Hop, clauses: &str) {
    let mut current = Field::None;
    let mut words_in_field = 0usize;
    for item in Items::new(clauses) {
        match item {
            Item::Word(word) => {
                let unseen =
                    |f: &Field| *f == Field::Via || slot(hop, *f).is_some_and(|s| s.is_none());
                if let Some(field) = keyword(word).filter(unseen) {
                    current = field;
                    words_in_field = 0;
                    continue;
                }
                // `with` takes every word up to the next keyword ("Microsoft SMTP Server");
                // the others take one.
                let takes = current == Field::With || words_in_field == 0;
                if current != Field::None && takes {
                    let value = if current == Field::For {
                        word.trim_matches(['<', '>', ','])
                    } else {
                        word
                    };
                    if let Some(slot) = slot(hop, current) {
                        append(slot, value);
                    }
                }
                words_in_field += 1;
            }
            Item::Comment(text) => {
                // `from helo (rdns [ip])` and `by host (Postfix)` keep their comments:
                // that is where the IP and the MTA name are.
                if matches!(current, Field::From | Field::By)
                    && words_in_field > 0
                    && let Some(slot) = slot(hop, current)
                {
                    append(slot, &format!("({text})"));
                }
            }
        }
    }
}

/// Where a field's value goes; `via` has no place in the model (the raw header keeps it).
fn slot(hop: &mut Hop, field: Field) -> Option<&mut Option<String>> {
    match field {
        Field::From => Some(&mut hop.from),
        Field::By => Some(&mut hop.by),
        Field::With => Some(&mut hop.with),
        Field::Id => Some(&mut hop.id),
        Field::For => Some(&mut hop.for_addr),
        Field::Via | Field::None => None,
    }
}

fn append(slot: &mut Option<String>, value: &str) {
    if value.is_empty() {
        return;
    }
    match slot {
        Some(s) => {
            s.push(' ');
            s.push_str(value);
        }
        None => *slot = Some(value.to_string()),
    }
}

enum Item<'a> {
    Word(&'a str),
    /// The text inside the outer parentheses, nested ones kept.
    Comment(&'a str),
}

/// Words and comments of a Received clause part. Unbalanced comments run to the end.
struct Items<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Items<'a> {
    fn new(text: &'a str) -> Self {
        Items { text, pos: 0 }
    }
}

impl<'a> Iterator for Items<'a> {
    type Item = Item<'a>;

    fn next(&mut self) -> Option<Item<'a>> {
        let bytes = self.text.as_bytes();
        while self.pos < bytes.len() && bytes[self.pos].is_ascii_whitespace() {
            self.pos += 1;
        }
        let start = self.pos;
        if start >= bytes.len() {
            return None;
        }
        if bytes[start] == b'(' {
            let mut depth = 0usize;
            let mut i = start;
            while i < bytes.len() {
                match bytes[i] {
                    b'\\' => i += 1,
                    b'(' => depth += 1,
                    b')' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            let end = i.min(bytes.len());
            self.pos = (end + 1).min(bytes.len());
            let inner = self.text.get(start + 1..end).unwrap_or("");
            return Some(Item::Comment(inner.trim()));
        }
        let mut i = start;
        while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'(' {
            i += 1;
        }
        self.pos = i;
        Some(Item::Word(&self.text[start..i]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_fields_of_a_postfix_hop() {
        let hop = parse_hop(
            "from mx53.example.net (mx53.example.net [192.0.2.2])\r\n\tby mx.example.com \
             (Postfix) with ESMTP id 94EC08061D30\r\n\tfor <kijitora@example.co.jp>; \
             Thu, 29 Apr 2010 23:34:45 +0900 (JST)",
        );
        assert_eq!(hop.from.as_deref(), Some("mx53.example.net (mx53.example.net [192.0.2.2])"));
        assert_eq!(hop.by.as_deref(), Some("mx.example.com (Postfix)"));
        assert_eq!(hop.with.as_deref(), Some("ESMTP"));
        assert_eq!(hop.id.as_deref(), Some("94EC08061D30"));
        assert_eq!(hop.for_addr.as_deref(), Some("kijitora@example.co.jp"));
        assert_eq!(hop.time.map(|t| t.to_rfc3339()).as_deref(), Some("2010-04-29T23:34:45+09:00"));
        assert!(!hop.tls);
        assert!(!hop.raw.contains('\n') && hop.raw.starts_with("from mx53"));
    }

    #[test]
    fn orders_oldest_first_with_signed_delays_and_skew() {
        // Newest first, as in a message; the middle host's clock runs 2 minutes fast.
        let chain = [
            "from b by c with ESMTP id 3; Thu, 29 Apr 2010 10:01:30 +0000",
            "from a by b with ESMTP id 2; Thu, 29 Apr 2010 12:02:00 +0200",
            "from x by a with ESMTP id 1; Thu, 29 Apr 2010 10:00:00 +0000",
        ];
        let hops = parse_chain(&chain);
        let ids: Vec<_> = hops.iter().map(|h| h.id.as_deref().unwrap_or("")).collect();
        assert_eq!(ids, ["1", "2", "3"]);
        assert_eq!(hops[0].delay_secs, None);
        assert_eq!(hops[1].delay_secs, Some(120));
        assert!(!hops[1].skew);
        assert_eq!(hops[2].delay_secs, Some(-30));
        assert!(hops[2].skew);
        assert_eq!(crate::bounce::transit_secs(&hops), Some(90));
    }

    #[test]
    fn a_missing_date_leaves_the_neighbouring_delays_empty() {
        let chain = [
            "from b by c; Thu, 29 Apr 2010 10:05:00 +0000",
            "from a by b with LMTP",
            "from x by a; Thu, 29 Apr 2010 10:00:00 +0000",
        ];
        let hops = parse_chain(&chain);
        assert_eq!(hops[1].time, None);
        assert_eq!(hops[1].by.as_deref(), Some("b"));
        assert_eq!(hops[1].with.as_deref(), Some("LMTP"));
        assert_eq!(hops[1].delay_secs, None);
        assert_eq!(hops[2].delay_secs, None);
    }

    #[test]
    fn sees_tls_in_all_its_spellings() {
        let tls = [
            "from a by b with ESMTPS id 1; Thu, 29 Apr 2010 10:00:00 +0000",
            "from a by b with ESMTPSA id 1; Thu, 29 Apr 2010 10:00:00 +0000",
            "from a by b with UTF8SMTPS id 1; Thu, 29 Apr 2010 10:00:00 +0000",
            "from a by b with esmtps (TLSv1.2:AES128-GCM-SHA256:128) (Exim 4.92) id x",
            "from a (a [192.0.2.1]) (using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 \
             (256/256 bits)) by b (Postfix) with ESMTP id 1",
            "from A.prod.outlook.com (2603:10a6::1) by B.prod.outlook.com (2603:10a6::2) \
             with Microsoft SMTP Server (version=TLS1_2, \
             cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id 15.20.1; \
             Mon, 6 Jan 2020 10:00:00 +0000",
            "from smtp.example.com ([203.0.113.245]) by R7038-AA.example.com over TLS \
             secured channel with Microsoft SMTPSVC(7.5.7601.23008); \
             Thu, 29 Apr 2016 23:34:45 +0000",
        ];
        for raw in tls {
            assert!(parse_hop(raw).tls, "{raw}");
        }
        for raw in [
            "from a by b with ESMTP id 1; Thu, 29 Apr 2010 10:00:00 +0000",
            "from a by b with ESMTPA id 1; Thu, 29 Apr 2010 10:00:00 +0000",
            "from tlsmail.example.org by b with SMTP id 1",
        ] {
            assert!(!parse_hop(raw).tls, "{raw}");
        }
    }

    #[test]
    fn handles_exchange_google_qmail_and_ipv6() {
        let exchange = parse_hop(
            "from A.prod.outlook.com (2603:10a6::1) by B.prod.outlook.com (2603:10a6::2) \
             with Microsoft SMTP Server (version=TLS1_2, \
             cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id 15.20.1; \
             Mon, 6 Jan 2020 10:00:00 +0000",
        );
        assert_eq!(exchange.with.as_deref(), Some("Microsoft SMTP Server"));
        assert_eq!(exchange.id.as_deref(), Some("15.20.1"));
        assert_eq!(exchange.by.as_deref(), Some("B.prod.outlook.com (2603:10a6::2)"));

        let google = parse_hop(
            "by 10.140.58.5 with SMTP id g5mr7256001rva.157.1276706619294; \
             Wed, 16 Jun 2010 09:43:39 -0700 (PDT)",
        );
        assert_eq!(google.from, None);
        assert_eq!(google.by.as_deref(), Some("10.140.58.5"));
        assert_eq!(google.with.as_deref(), Some("SMTP"));
        assert_eq!(google.id.as_deref(), Some("g5mr7256001rva.157.1276706619294"));
        assert!(google.time.is_some());

        let qmail = parse_hop("(qmail 1234 invoked from network); 29 Apr 2010 23:45:10 +0900");
        assert_eq!((qmail.from, qmail.by), (None, None));
        assert_eq!(
            qmail.time.map(|t| t.to_rfc3339()).as_deref(),
            Some("2010-04-29T23:45:10+09:00")
        );

        let v6 = parse_hop(
            "from [IPv6:2001:db8::1] (helo.example.org [IPv6:2001:db8::1]) by mx.example.org \
             (ecelerity 3.6.5.1 r(Core:3.6.5.0)) with ESMTP id 9; Thu, 29 Apr 2015 23:34:45 +0000",
        );
        assert_eq!(
            v6.from.as_deref(),
            Some("[IPv6:2001:db8::1] (helo.example.org [IPv6:2001:db8::1])")
        );
        assert_eq!(v6.by.as_deref(), Some("mx.example.org (ecelerity 3.6.5.1 r(Core:3.6.5.0))"));
        assert_eq!(v6.with.as_deref(), Some("ESMTP"));
    }

    #[test]
    fn reads_a_date_written_without_semicolon_and_survives_garbage() {
        let hop = parse_hop(
            "from example.org [192.0.2.1] by example.org with ESMTP (SMTPD32-8.15) \
             id A1 Thu, 29 Apr 2010 23:34:45 -0700",
        );
        assert_eq!(hop.id.as_deref(), Some("A1"));
        assert!(hop.time.is_some());
        for junk in ["", ";", "(((", ")))", "from", "; ;", "from (unclosed by x; nope", "\u{feff}("]
        {
            let hop = parse_hop(junk);
            assert_eq!(hop.time, None, "{junk:?}");
        }
    }
}
