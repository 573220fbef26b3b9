//! SPF, DKIM and DMARC verdicts from Authentication-Results and Received-SPF headers.
//!
//! Authentication-Results (RFC 8601) is `authserv-id; method=result prop=value ...;
//! ...` with comments and quoted strings allowed anywhere. Several headers may be
//! present (one per receiving hop); the first one in the message was added last, by
//! the hop closest to the reader, so its SPF and DMARC verdicts win. DKIM collects
//! every distinct signature verdict. ARC-Authentication-Results headers are copies
//! made for forwarding and must not be passed in: they are not this hop's verdict.

use super::model::{AuthResults, AuthVerdict};

/// Read the verdicts from the values of a message's Authentication-Results and
/// Received-SPF headers (each in message order).
pub fn parse_auth<S: AsRef<str>>(authentication_results: &[S], received_spf: &[S]) -> AuthResults {
    let mut out = AuthResults::default();
    for header in authentication_results {
        let header = strip_comments(header.as_ref());
        // An ARC copy starts with its instance tag (`i=1;`): not ours to read.
        if header.trim_start().starts_with("i=") {
            continue;
        }
        if let Some(id) = split_outside_quotes(&header, ';').next() {
            // `authserv-id [version]`: the host that did the checks.
            let id = id.split_whitespace().next().unwrap_or("").trim().to_ascii_lowercase();
            if !id.is_empty() && !out.checked_by.contains(&id) {
                out.checked_by.push(id);
            }
        }
        for resinfo in split_outside_quotes(&header, ';').skip(1) {
            read_resinfo(resinfo, &mut out);
        }
    }
    if out.spf.is_none() {
        out.spf = received_spf.iter().find_map(|h| received_spf_verdict(h.as_ref()));
    }
    out
}

/// One `method=result key=value ...` clause.
fn read_resinfo(resinfo: &str, out: &mut AuthResults) {
    let mut pairs = pairs(resinfo);
    let Some((method, result)) = pairs.next() else { return };
    let method = method.split('/').next().unwrap_or("").to_ascii_lowercase();
    let result = result.to_ascii_lowercase();
    let props: Vec<(String, &str)> = pairs.map(|(k, v)| (k.to_ascii_lowercase(), v)).collect();
    let prop = |names: &[&str]| {
        names.iter().find_map(|n| props.iter().find(|(k, _)| k == n).map(|(_, v)| domain_of(v)))
    };
    match method.as_str() {
        "spf" if out.spf.is_none() => {
            let domain = prop(&["smtp.mailfrom", "smtp.mfrom", "smtp.helo"]);
            out.spf = Some(AuthVerdict { result, domain });
        }
        "dkim" => {
            let verdict = AuthVerdict { result, domain: prop(&["header.d", "header.i"]) };
            if !out.dkim.contains(&verdict) {
                out.dkim.push(verdict);
            }
        }
        "dmarc" if out.dmarc.is_none() => {
            let domain = prop(&["header.from"]);
            out.dmarc = Some(AuthVerdict { result, domain });
        }
        _ => {}
    }
}

/// `key=value` pairs of a clause, tolerating spaces around `=` and quoted values.
/// Words without `=` (like a bare `none`) are skipped.
fn pairs(clause: &str) -> impl Iterator<Item = (&str, &str)> {
    let words: Vec<&str> = split_outside_quotes(clause, ' ').filter(|w| !w.is_empty()).collect();
    let mut out = Vec::new();
    let mut j = 0;
    while j < words.len() {
        let w = words[j];
        let next = words.get(j + 1).copied();
        match (w.split_once('='), next) {
            (Some((k, v)), _) if !k.is_empty() && !v.is_empty() => out.push((k, unquote(v))),
            // `key= value`
            (Some((k, _)), Some(v)) if !k.is_empty() => {
                out.push((k, unquote(v)));
                j += 1;
            }
            // `key = value`
            (None, Some("=")) => {
                if let Some(v) = words.get(j + 2) {
                    out.push((w, unquote(v)));
                }
                j += 2;
            }
            // `key =value`
            (None, Some(v)) if v.starts_with('=') && v.len() > 1 => {
                out.push((w, unquote(&v[1..])));
                j += 1;
            }
            _ => {}
        }
        j += 1;
    }
    out.into_iter()
}

fn unquote(v: &str) -> &str {
    let v = v.trim();
    v.strip_prefix('"').and_then(|v| v.strip_suffix('"')).unwrap_or(v)
}

/// The domain of `user@domain`, `@domain` or `domain`, lowercased, without brackets.
fn domain_of(value: &str) -> String {
    let v = value.trim().trim_matches(['<', '>', '"']);
    let d = v.rsplit_once('@').map_or(v, |(_, d)| d);
    d.trim_end_matches('.').to_ascii_lowercase()
}

/// `Received-SPF: pass (comment) client-ip=...; envelope-from=<a@b>; helo=...`
fn received_spf_verdict(value: &str) -> Option<AuthVerdict> {
    let value = strip_comments(value);
    let result = value.split_whitespace().next()?.trim_end_matches(';').to_ascii_lowercase();
    const RESULTS: [&str; 7] =
        ["pass", "fail", "softfail", "neutral", "none", "temperror", "permerror"];
    if !RESULTS.contains(&result.as_str()) {
        return None;
    }
    let rest = value.trim_start().get(result.len()..).unwrap_or("");
    let mut from = None;
    let mut helo = None;
    for part in split_outside_quotes(rest, ';') {
        for (k, v) in pairs(part) {
            match k.to_ascii_lowercase().as_str() {
                "envelope-from" if !v.trim_matches(['<', '>']).is_empty() => from = Some(v),
                "helo" => helo = Some(v),
                _ => {}
            }
        }
    }
    let domain = from.or(helo).map(domain_of).filter(|d| !d.is_empty());
    Some(AuthVerdict { result, domain })
}

/// Remove `(comments)` (nested, with `\` escapes), leaving quoted strings alone.
fn strip_comments(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut depth = 0usize;
    let mut quoted = false;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let next = chars.next();
                if depth == 0
                    && let Some(n) = next
                {
                    out.push(c);
                    out.push(n);
                }
            }
            '"' if depth == 0 => {
                quoted = !quoted;
                out.push(c);
            }
            '(' if !quoted => depth += 1,
            ')' if !quoted && depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    out.push(' ');
                }
            }
            '\r' | '\n' | '\t' if depth == 0 => out.push(' '),
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// Split on `sep` where it is not inside a quoted string.
fn split_outside_quotes(s: &str, sep: char) -> impl Iterator<Item = &str> {
    let mut quoted = false;
    s.split(move |c: char| {
        if c == '"' {
            quoted = !quoted;
        }
        c == sep && !quoted
    })
    .map(str::trim)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verdict(result: &str, domain: &str) -> AuthVerdict {
        AuthVerdict { result: result.into(), domain: Some(domain.into()) }
    }

    #[test]
    fn reads_spf_every_dkim_and_dmarc_with_domains() {
        let ar = [
            "mx.google.com;\r\n       dkim=pass header.i=@Example.com header.s=s1 header.b=AbC;\r\n \
             dkim=fail (signature error: RSA verify failed) header.d=ietf.org;\r\n \
             spf=pass (google.com: domain of bounce@mail.example.com designates 192.0.2.1 \
             as permitted sender) smtp.mailfrom=bounce@Mail.Example.com;\r\n \
             dmarc=pass (p=REJECT sp=REJECT dis=NONE) header.from=example.com",
        ];
        let auth = parse_auth(&ar, &[]);
        assert_eq!(auth.spf, Some(verdict("pass", "mail.example.com")));
        assert_eq!(auth.dkim, vec![verdict("pass", "example.com"), verdict("fail", "ietf.org")]);
        assert_eq!(auth.dmarc, Some(verdict("pass", "example.com")));
    }

    #[test]
    fn the_first_header_wins_and_dkim_verdicts_are_not_repeated() {
        let ar = [
            "outer.example.net; spf=fail smtp.mailfrom=a@b.example; dkim=pass header.d=b.example",
            "inner.example.net; spf=pass smtp.mailfrom=a@b.example; dkim=pass header.d=b.example; \
             dmarc=fail header.from=b.example",
        ];
        let auth = parse_auth(&ar, &[]);
        assert_eq!(auth.spf, Some(verdict("fail", "b.example")));
        assert_eq!(auth.dkim, vec![verdict("pass", "b.example")]);
        assert_eq!(auth.dmarc, Some(verdict("fail", "b.example")));
    }

    #[test]
    fn tolerates_versions_spaces_quotes_old_property_names_and_none() {
        let ar = [
            "example.org 1; none",
            "4jo.example.jp; sender-id=softfail header.from=a_i@se.example.co.jp; \
             spf=softfail smtp.mfrom=a_i@se.example.co.jp",
            "x.example; dkim/1 = neutral reason=\"bad; sig\" header.d = quoted.example",
        ];
        let auth = parse_auth(&ar, &[]);
        assert_eq!(auth.spf, Some(verdict("softfail", "se.example.co.jp")));
        assert_eq!(auth.dkim, vec![verdict("neutral", "quoted.example")]);
        assert_eq!(auth.dmarc, None);
    }

    #[test]
    fn falls_back_to_received_spf_and_ignores_arc_copies() {
        let ar = ["i=1; mx.example.net; spf=pass smtp.mailfrom=arc.example"];
        let spf = ["softfail (pv22p00im-spfmilter022.me.com: domain of transitioning \
             sironeko@example.net does not designate 192.0.2.222 as permitted sender) \
             receiver=pv22p00im-spfmilter022.me.com; client-ip=192.0.2.222; \
             helo=mail.example.jp; envelope-from=sironeko@example.net;"];
        let auth = parse_auth(&ar, &spf);
        assert_eq!(auth.spf, Some(verdict("softfail", "example.net")));
        assert!(auth.dkim.is_empty());

        let bounce_spf =
            ["none (no SPF record) client-ip=192.0.2.1; envelope-from=<>; helo=mx.example.org"];
        let auth = parse_auth(&[] as &[&str], &bounce_spf);
        assert_eq!(auth.spf, Some(verdict("none", "mx.example.org")));
    }

    #[test]
    fn garbage_gives_nothing() {
        let junk = ["", ";", ";;;", "((((", "a; =", "a; spf", "a; =pass", "\"; spf=pass"];
        for j in junk {
            let auth = parse_auth(&[j], &[j]);
            assert!(auth.dkim.is_empty() && auth.dmarc.is_none(), "{j:?}");
        }
        assert!(parse_auth(&["a; spf"], &["maybe"]).is_empty());
    }
}
