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

/// `spec` with any password in its userinfo replaced by `***`, safe to print:
/// `imaps://me:secret@host/INBOX` -> `imaps://me:***@host/INBOX`.
///
/// The userinfo holds a password when its first `:` comes before the first `@`. The
/// password may itself hold `@` or `/`, so everything up to the last `@` goes: when
/// in doubt, hide too much rather than too little.
pub fn redact(spec: &str) -> String {
    let Some(start) = spec.find("://").map(|i| i + 3) else { return spec.to_string() };
    let rest = &spec[start..];
    match (rest.find(':'), rest.find('@'), rest.rfind('@')) {
        (Some(colon), Some(first_at), Some(last_at)) if colon < first_at => {
            format!("{}{}:***{}", &spec[..start], &rest[..colon], &rest[last_at..])
        }
        _ => spec.to_string(),
    }
}

/// Never put the password in the URL: where to put it instead.
const PASSWORD_HOW: &str = "never put a password in the URL: pass --password-command CMD (a \
     command that prints it, e.g. \"pass show mail/me\"), set REBOUND_PASSWORD, or write an \
     account with password_command or password_env in the config file";

pub fn parse(spec: &str) -> Result<Account, ConfigError> {
    let bad = |message: &str| ConfigError::BadUrl { spec: redact(spec), message: message.into() };
    // Checked first: a password holding `/` or `@` would confuse the parsing below,
    // and whatever goes wrong, the message must not print it.
    if redact(spec) != spec {
        return Err(bad(PASSWORD_HOW));
    }
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
        return Err(bad(PASSWORD_HOW));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_redacted_whatever_they_hold() {
        assert_eq!(redact("imaps://me:secret@host/INBOX"), "imaps://me:***@host/INBOX");
        assert_eq!(redact("imaps://me:se@c/ret@host:993/X"), "imaps://me:***@host:993/X");
        assert_eq!(redact("imap://me:@host"), "imap://me:***@host");
        for plain in ["imaps://me@host:993/a@b", "imaps://host/INBOX", "/var/mail/x:y@z"] {
            assert_eq!(redact(plain), plain);
        }
    }

    #[test]
    fn a_refused_url_never_shows_its_password() {
        for spec in
            ["imaps://me:hunter2@host/INBOX", "imaps://me:hun/ter2@host", "imaps://me:h@nter2@h"]
        {
            let err = parse(spec).unwrap_err().to_string();
            assert!(!err.contains("hunter2") && !err.contains("nter2"), "{err}");
            assert!(err.contains("--password-command") && err.contains("password_env"), "{err}");
        }
    }
}
