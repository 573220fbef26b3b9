//! One-off accounts from a URL: `imaps://user@host[:port]/FOLDER`.
//!
//! `imaps://` is implicit TLS (port 993). `imap://` means STARTTLS (port 143), never a
//! plaintext login: plain IMAP is only reachable through a config file with
//! `allow_plaintext = true`. User and folder may be percent-encoded
//! (`imaps://me%40example.com@imap.example.com/Bounces`).

use super::{Account, ConfigError, Tls};

pub fn is_imap_url(spec: &str) -> bool {
    let lower = spec.get(..8).unwrap_or(spec).to_ascii_lowercase();
    lower.starts_with("imaps://") || lower.starts_with("imap://")
}

pub fn parse(spec: &str) -> Result<Account, ConfigError> {
    let bad = |message: &str| ConfigError::BadUrl { spec: spec.into(), message: message.into() };
    let (tls, rest) = if let Some(r) = strip_prefix_ci(spec, "imaps://") {
        (Tls::Implicit, r)
    } else if let Some(r) = strip_prefix_ci(spec, "imap://") {
        (Tls::Starttls, r)
    } else {
        return Err(bad("it must start with imaps:// or imap://"));
    };
    let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
    let (user, hostport) =
        authority.rsplit_once('@').ok_or_else(|| bad("the user name is missing (user@host)"))?;
    if user.contains(':') {
        return Err(bad(
            "never put a password in the URL; use --password-command or REBOUND_PASSWORD",
        ));
    }
    let user = percent_decode(user).ok_or_else(|| bad("bad %-escape in the user name"))?;
    let (host, port) = split_host_port(hostport).ok_or_else(|| bad("bad port number"))?;
    if host.is_empty() {
        return Err(bad("the host is missing"));
    }
    let folder = percent_decode(path.trim_end_matches('/'))
        .ok_or_else(|| bad("bad %-escape in the folder"))?;
    let mut account = Account::new(format!("{user}@{host}"), host, user);
    account.tls = tls;
    account.port = port;
    if !folder.is_empty() {
        account.folders = vec![folder];
    }
    account.validate().map_err(|m| bad(&m))?;
    Ok(account)
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix).then(|| &s[prefix.len()..])
}

/// `host`, `host:port`, `[v6]`, `[v6]:port`.
fn split_host_port(s: &str) -> Option<(String, Option<u16>)> {
    if let Some(rest) = s.strip_prefix('[') {
        let (host, after) = rest.split_once(']')?;
        let port = match after.strip_prefix(':') {
            Some(p) => Some(p.parse().ok()?),
            None if after.is_empty() => None,
            None => return None,
        };
        return Some((host.to_string(), port));
    }
    match s.rsplit_once(':') {
        Some((h, p)) => Some((h.to_string(), Some(p.parse().ok()?))),
        None => Some((s.to_string(), None)),
    }
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}
