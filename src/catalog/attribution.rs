//! Which provider issued a status code, as opposed to which one wrote the bounce.
//!
//! Providers reuse registered codes with meanings of their own (Gmail's 5.7.27 is a
//! failed SPF check, the registry's X.7.27 a null MX), so a provider's code entries only
//! apply when that provider's server gave the code. The writer of the bounce is often
//! someone else: Gmail reporting a refusal by the recipient's own server, or a Postfix
//! relay reporting a refusal by Gmail's MX. The issuer is therefore taken from the
//! recipient's remote MTA host name (see [`HOSTS`]); the writer counts only when no
//! remote server is named and the diagnostic does not quote one.
//!
//! Host table decisions worth knowing:
//! - Microsoft: consumer Outlook.com / Hotmail MX hosts are `*.olc.protection.outlook.com`
//!   (and the older `*.hotmail.com`), so they map to `outlook-com`; tenant MX hosts are
//!   `<tenant>.mail.protection.outlook.com`, mapped to `exchange-online`. Other
//!   `outlook.com` / `office365.com` hosts (`*.prod.outlook.com` servers) are shared by
//!   both services: `exchange-online`, unless the bounce's writer is already
//!   `outlook-com`, which names the brand more precisely.
//! - AOL runs on Yahoo's mail infrastructure and its entries are filed under `yahoo`;
//!   [`canonical`] maps the engine's `aol` onto `yahoo`.
//! - Google Workspace MX hosts are Gmail's (`aspmx.l.google.com`), so they map to `gmail`.

use crate::bounce::{RecipientStatus, Report};

/// How sure a host suffix is about the brand behind it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Brand {
    /// The suffix belongs to one service.
    Sure,
    /// The suffix is the operator's shared infrastructure: a writer of the same family
    /// names the brand better than the host does.
    Shared,
}

/// Host-name suffixes (matched on a label boundary, longest first wins) → provider id.
const HOSTS: &[(&str, &str, Brand)] = &[
    ("google.com", "gmail", Brand::Sure),
    ("googlemail.com", "gmail", Brand::Sure),
    ("gmail.com", "gmail", Brand::Sure),
    ("olc.protection.outlook.com", "outlook-com", Brand::Sure),
    ("hotmail.com", "outlook-com", Brand::Sure),
    ("live.com", "outlook-com", Brand::Sure),
    ("msn.com", "outlook-com", Brand::Sure),
    ("mail.protection.outlook.com", "exchange-online", Brand::Sure),
    ("outlook.com", "exchange-online", Brand::Shared),
    ("office365.com", "exchange-online", Brand::Shared),
    ("yahoodns.net", "yahoo", Brand::Sure),
    ("yahoo.com", "yahoo", Brand::Sure),
    ("aol.com", "yahoo", Brand::Sure),
    ("icloud.com", "icloud", Brand::Sure),
    ("me.com", "icloud", Brand::Sure),
    ("mac.com", "icloud", Brand::Sure),
    ("privaterelay.appleid.com", "icloud", Brand::Sure),
    ("amazonses.com", "amazon-ses", Brand::Sure),
    ("mail.ru", "mail-ru", Brand::Sure),
    ("yandex.ru", "yandex", Brand::Sure),
    ("yandex.net", "yandex", Brand::Sure),
    ("zoho.com", "zoho", Brand::Sure),
    ("zoho.eu", "zoho", Brand::Sure),
    ("gmx.net", "gmx", Brand::Sure),
    ("gmx.com", "gmx", Brand::Sure),
    ("qq.com", "tencent", Brand::Sure),
    ("sendgrid.net", "sendgrid", Brand::Sure),
    // Providers with their own reply codes (assets/provider-codes/README.md).
    ("cox.net", "cox", Brand::Sure),
    ("charter.net", "spectrum", Brand::Sure),
    ("spectrum.net", "spectrum", Brand::Sure),
    ("rr.com", "spectrum", Brand::Sure),
    ("twc.com", "spectrum", Brand::Sure),
    ("orange.fr", "orange", Brand::Sure),
    ("wanadoo.fr", "orange", Brand::Sure),
    ("laposte.net", "laposte", Brand::Sure),
    ("secureserver.net", "godaddy", Brand::Sure),
    ("comcast.net", "comcast", Brand::Sure),
    ("netease.com", "netease", Brand::Sure),
    ("163.com", "netease", Brand::Sure),
    ("126.com", "netease", Brand::Sure),
    ("yeah.net", "netease", Brand::Sure),
    ("ymail.com", "yahoo", Brand::Sure),
    ("rocketmail.com", "yahoo", Brand::Sure),
    ("outlook.fr", "outlook-com", Brand::Sure),
    ("hotmail.fr", "outlook-com", Brand::Sure),
];

/// Providers whose entries are filed under another id (same infrastructure).
const ALIASES: &[(&str, &str)] = &[("aol", "yahoo")];

/// Families of ids that run on one operator's infrastructure.
const FAMILIES: &[&[&str]] = &[&["exchange-online", "outlook-com"]];

/// Phrases with which a writer quotes another server's reply. Exchange's "Remote Server
/// returned" is left out on purpose: Exchange also writes it over its own codes.
const QUOTES_REMOTE: &[&str] =
    &["the error that the other server returned was", "remote host said:"];

/// The provider id under which a provider's entries are filed.
pub fn canonical(provider: &str) -> &str {
    ALIASES
        .iter()
        .find(|(alias, _)| alias.eq_ignore_ascii_case(provider))
        .map_or(provider, |&(_, id)| id)
}

/// The provider whose server issued this recipient's code, if known.
pub fn issuer<'a>(report: &'a Report, rcpt: &'a RecipientStatus) -> Option<&'a str> {
    let writer = report.provider.as_deref().map(canonical);
    // A reply signed with its server's name was issued by that server, whatever the
    // report says of the remote MTA.
    if let Some((id, _)) = reply_signature(&rcpt.diagnostic).and_then(|h| provider_of_host(&h)) {
        return match writer {
            Some(w) if same_family(w, id) => Some(w),
            _ => Some(id),
        };
    }
    let remote = rcpt.remote_mta.as_deref().or_else(|| quoted_host(&rcpt.diagnostic));
    let Some(remote) = remote else {
        // No server named: the writer issued the code, unless it quotes someone's reply.
        return if quotes_remote(&rcpt.diagnostic) { None } else { writer };
    };
    let host = host_name(remote);
    if report.reporting_mta.as_deref().is_some_and(|r| host_name(r) == host) {
        return writer;
    }
    let (id, brand) = provider_of_host(&host)?;
    match writer {
        Some(w) if brand == Brand::Shared && same_family(w, id) => Some(w),
        _ => Some(id),
    }
}

/// The name a server signs its reply with, at the reply's end: Google's "- gsmtp",
/// Yahoo's "- mta4127.mail.gq1.yahoo.com", Microsoft's
/// "[DM6NAM12FT011.eop-nam12.prod.protection.outlook.com]". It is the reply's author,
/// as sure as a Remote-MTA field.
pub fn reply_signature(diagnostic: &str) -> Option<String> {
    let tail = diagnostic.trim_end().trim_end_matches(['.', ')']);
    let last = tail.rsplit(char::is_whitespace).next()?;
    if last.eq_ignore_ascii_case("gsmtp") {
        return Some("google.com".into());
    }
    let bracketed = last.strip_prefix('[').and_then(|l| l.strip_suffix(']'));
    let dashed = tail.strip_suffix(last).is_some_and(|head| head.trim_end().ends_with(" -"));
    let host = match bracketed {
        Some(inner) => inner,
        None if dashed => last,
        None => return None,
    };
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let labels = host.split('.').count();
    let hostlike = labels >= 3
        && host.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-'))
        && host.bytes().any(|b| b.is_ascii_alphabetic());
    hostlike.then_some(host)
}

/// MTA software (as opposed to a hosted provider): its templates identify the software
/// that wrote a reply, wherever that server runs, and it reuses no codes with meanings
/// of its own. Its catalog entries may be chosen by their wording alone.
const SOFTWARE: &[&str] = &[
    "postfix",
    "exim",
    "sendmail",
    "qmail",
    "courier",
    "domino",
    "groupwise",
    "opensmtpd",
    "dragonfly",
    "messaging-server",
    "exchange",
];

/// True for an id of MTA software rather than of a hosted provider.
pub fn is_mta_software(id: &str) -> bool {
    SOFTWARE.iter().any(|s| s.eq_ignore_ascii_case(id))
}

/// Every provider id of the hosts table.
pub fn host_provider_ids() -> impl Iterator<Item = &'static str> {
    HOSTS.iter().map(|&(_, id, _)| id)
}

/// Two provider ids run on one operator's infrastructure (or are the same).
pub fn same_operator(a: &str, b: &str) -> bool {
    let (a, b) = (canonical(a), canonical(b));
    a.eq_ignore_ascii_case(b) || same_family(a, b)
}

/// The provider a host name or a mail domain belongs to (`mx1.cox.net`, `gmail.com`).
pub fn provider_of_name(name: &str) -> Option<&'static str> {
    provider_of_host(&host_name(name)).map(|(id, _)| id)
}

/// The provider a host name belongs to, by the longest matching suffix.
fn provider_of_host(host: &str) -> Option<(&'static str, Brand)> {
    HOSTS
        .iter()
        .filter(|(suffix, _, _)| {
            host == *suffix || host.strip_suffix(suffix).is_some_and(|head| head.ends_with('.'))
        })
        .max_by_key(|(suffix, _, _)| suffix.len())
        .map(|&(_, id, brand)| (id, brand))
}

/// `dns; Mx.Example.org. [192.0.2.1]` → `mx.example.org`.
fn host_name(field: &str) -> String {
    let field = field.rsplit(';').next().unwrap_or(field).trim();
    let token = field.split(|c: char| c.is_whitespace() || c == '[').next().unwrap_or("");
    token.trim_end_matches('.').to_ascii_lowercase()
}

fn same_family(a: &str, b: &str) -> bool {
    FAMILIES.iter().any(|f| f.contains(&a) && f.contains(&b))
}

fn quotes_remote(diagnostic: &str) -> bool {
    let lower = diagnostic.to_ascii_lowercase();
    QUOTES_REMOTE.iter().any(|p| lower.contains(p))
}

/// Gmail names the refusing host in its prose: "rejected by the server for the recipient
/// domain example.jp by mx.example.jp. [192.0.2.1]".
fn quoted_host(diagnostic: &str) -> Option<&str> {
    const LEAD: &str = "for the recipient domain ";
    let start = diagnostic.find(LEAD)? + LEAD.len();
    let rest = &diagnostic[start..];
    let after_by = &rest[rest.find(" by ")? + 4..];
    let host = after_by.split_whitespace().next()?.trim_end_matches('.');
    host.contains('.').then_some(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(writer: Option<&str>, remote: Option<&str>, diagnostic: &str) -> Report {
        let mut r = Report { provider: writer.map(str::to_string), ..Report::default() };
        let mut rcpt = RecipientStatus::new("user@example.org");
        rcpt.remote_mta = remote.map(str::to_string);
        rcpt.diagnostic = diagnostic.to_string();
        r.recipients.push(rcpt);
        r
    }

    fn issuer_of(writer: Option<&str>, remote: Option<&str>, diagnostic: &str) -> Option<String> {
        let r = report(writer, remote, diagnostic);
        issuer(&r, &r.recipients[0]).map(str::to_string)
    }

    #[test]
    fn host_suffixes_match_on_label_boundaries() {
        let id = |h: &str| provider_of_host(h).map(|(id, _)| id);
        assert_eq!(id("gmail-smtp-in.l.google.com"), Some("gmail"));
        assert_eq!(id("mx-aol.mail.gm0.yahoodns.net"), Some("yahoo"));
        assert_eq!(id("mx01.mail.icloud.com"), Some("icloud"));
        assert_eq!(id("hotmail-com.olc.protection.outlook.com"), Some("outlook-com"));
        assert_eq!(id("contoso-com.mail.protection.outlook.com"), Some("exchange-online"));
        assert_eq!(id("bl2nam02ft061.eop-nam02.prod.outlook.com"), Some("exchange-online"));
        assert_eq!(id("notgoogle.com"), None);
        assert_eq!(id("google.com.example.org"), None);
        assert_eq!(id("mx.example.org"), None);
    }

    #[test]
    fn a_reply_signed_with_its_server_names_the_issuer() {
        let gmail = "421 4.7.28 Gmail has detected an unusual rate of mail. 41be03b00d2f7 - gsmtp";
        assert_eq!(
            issuer_of(Some("postfix"), Some("mx.example.org"), gmail).as_deref(),
            Some("gmail")
        );
        let yahoo = "554 delivery error: dd This mailbox is disabled (554.30). - mta4127.mail.gq1.yahoo.com";
        assert_eq!(issuer_of(None, None, yahoo).as_deref(), Some("yahoo"));
        let msft = "550 5.5.0 Requested action not taken: mailbox unavailable (S2017062302). [DM6NAM12FT011.eop-nam12.prod.protection.outlook.com]";
        assert_eq!(issuer_of(Some("outlook-com"), None, msft).as_deref(), Some("outlook-com"));
        assert_eq!(reply_signature("550 5.1.1 User unknown"), None);
        assert_eq!(reply_signature("550 see [RFC5321]"), None);
        assert_eq!(reply_signature("550 rejected - try later"), None);
    }

    #[test]
    fn host_names_lose_type_brackets_and_trailing_dots() {
        assert_eq!(host_name("dns; Mx.Example.ORG. [192.0.2.1]"), "mx.example.org");
        assert_eq!(host_name("gmail-smtp-in.l.google.com[2a00::1]"), "gmail-smtp-in.l.google.com");
    }

    #[test]
    fn the_remote_server_issues_the_code_not_the_writer() {
        let relay_of_gmail = issuer_of(Some("postfix"), Some("gmail-smtp-in.l.google.com"), "");
        assert_eq!(relay_of_gmail.as_deref(), Some("gmail"));
        assert_eq!(issuer_of(Some("postfix"), Some("mx.example.jp"), "550 5.1.1 no"), None);
        assert_eq!(issuer_of(Some("gmail"), Some("mx.example.jp"), "554 5.7.0"), None);
    }

    #[test]
    fn without_a_remote_server_the_writer_issues_unless_it_quotes_one() {
        assert_eq!(issuer_of(Some("postfix"), None, "unknown user").as_deref(), Some("postfix"));
        let quoted = "Google tried to deliver your message, but it was rejected by the \
                      recipient domain. The error that the other server returned was: 554 5.7.0";
        assert_eq!(issuer_of(Some("gmail"), None, quoted), None);
        assert_eq!(issuer_of(Some("yahoo"), None, "Remote host said: 550 5.1.1"), None);
    }

    #[test]
    fn gmail_prose_names_the_refusing_host() {
        let text = "rejected by the server for the recipient domain example.com by \
                    example-com.mail.protection.outlook.com. [192.0.2.1]. The error that \
                    the other server returned was: 550 5.7.1";
        assert_eq!(issuer_of(Some("gmail"), None, text).as_deref(), Some("exchange-online"));
    }

    #[test]
    fn aliases_and_shared_microsoft_hosts() {
        assert_eq!(canonical("AOL"), "yahoo");
        assert_eq!(canonical("gmail"), "gmail");
        assert_eq!(issuer_of(Some("aol"), None, "").as_deref(), Some("yahoo"));
        let prod = Some("am0pr01mb1234.eurprd01.prod.outlook.com");
        assert_eq!(issuer_of(Some("outlook-com"), prod, "").as_deref(), Some("outlook-com"));
        assert_eq!(issuer_of(Some("postfix"), prod, "").as_deref(), Some("exchange-online"));
        let olc = Some("hotmail-com.olc.protection.outlook.com");
        assert_eq!(issuer_of(Some("exchange-online"), olc, "").as_deref(), Some("outlook-com"));
    }

    #[test]
    fn the_reporting_mta_naming_itself_is_the_writer() {
        let mut r = report(Some("postfix"), Some("dns; mx.example.org"), "");
        r.reporting_mta = Some("dns; mx.example.org".into());
        assert_eq!(issuer(&r, &r.recipients[0]), Some("postfix"));
    }
}
