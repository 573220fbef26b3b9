//! Readers for reports that carry no delivery-status part: each file reads one family
//! of notices (named after what it reads), and `generic` reads the rest by layout.
//!
//! Every reader gets the same [`Notice`] and returns recipients with their address and
//! diagnostic text; codes and reasons are filled in afterwards by the engine.

pub mod addr;
pub mod amazon_ses;
pub mod courier;
pub mod domino;
pub mod dragonfly;
pub mod exchange;
pub mod exim;
pub mod fml;
pub mod generic;
pub mod gmail;
pub mod google_groups;
pub mod labelled;
pub mod notes;
pub mod opensmtpd;
pub mod outlook;
pub mod postfix;
pub mod qmail;
pub mod sendmail;
#[cfg(test)]
pub(crate) mod testing;
pub mod text_dsn;
pub mod yahoo;

use super::headers::Headers;
use super::model::RecipientStatus;

/// What the readers see: the bounce's own headers and the human-readable notice.
pub struct Notice<'a> {
    pub headers: &'a Headers,
    /// The notice text, cut before any quoted copy of the original message.
    pub text: &'a str,
    /// The whole decoded text (notice and quoted copy), for readers that need both.
    pub full: &'a str,
    lower: std::cell::OnceCell<String>,
}

impl<'a> Notice<'a> {
    pub fn new(headers: &'a Headers, text: &'a str, full: &'a str) -> Notice<'a> {
        Notice { headers, text, full, lower: std::cell::OnceCell::new() }
    }

    /// The notice text lowercased, computed once for all the readers.
    pub fn lower(&self) -> &str {
        self.lower.get_or_init(|| self.text.to_lowercase())
    }

    /// True when the notice contains one of the (lowercase) markers.
    pub fn mentions(&self, markers: &[&str]) -> bool {
        let lower = self.lower();
        // The standard substring search is vectorised for needles of up to 32 bytes
        // only: the first 32 bytes of a longer marker rule out most notices first.
        markers.iter().any(|m| lower.contains(m.get(..32).unwrap_or(m)) && lower.contains(m))
    }
}

/// What a reader found.
#[derive(Debug, Clone, Default)]
pub struct Found {
    pub format: &'static str,
    pub recipients: Vec<RecipientStatus>,
    pub reporting_mta: Option<String>,
    /// The server that wrote the notice, when the notice names it.
    pub generating_server: Option<String>,
    /// The original message's fields, when the notice carries them as data (SES JSON).
    pub original: Option<crate::bounce::model::OriginalMessage>,
    /// For feedback (complaint) notifications: the feedback type.
    pub feedback_type: Option<String>,
}

/// Try the readers in order, most specific first.
pub fn run(n: &Notice<'_>) -> Option<Found> {
    let readers: &[fn(&Notice<'_>) -> Option<Found>] = &[
        amazon_ses::read,
        google_groups::read,
        fml::read,
        text_dsn::read,
        courier::read,
        domino::read,
        notes::read,
        exim::read,
        qmail::read,
        postfix::read,
        outlook::read,
        gmail::read,
        yahoo::read,
        dragonfly::read,
        opensmtpd::read,
        exchange::read,
        sendmail::read,
        generic::read,
    ];
    let mut found = readers.iter().find_map(|r| r(n).filter(|f| !f.recipients.is_empty()));
    if let Some(found) = &mut found {
        labelled::fill(n, found);
    }
    reconcile_failed_header(n, found)
}

/// Give recipients that have no diagnostic the one a reader found for them in the
/// notice, matched by address. With one recipient on each side they are the same
/// failure even where the notice writes the address otherwise (Exim's pipe delivery,
/// a Sendmail DSN's mangled `@host`).
pub fn lend_diagnostics(recipients: &mut [RecipientStatus], found: &Found) {
    if let ([r], [only]) = (&mut *recipients, found.recipients.as_slice()) {
        if r.diagnostic.trim().is_empty() {
            r.diagnostic = only.diagnostic.clone();
        }
        return;
    }
    for r in recipients.iter_mut().filter(|r| r.diagnostic.trim().is_empty()) {
        if let Some(same) =
            found.recipients.iter().find(|f| f.recipient.eq_ignore_ascii_case(&r.recipient))
        {
            r.diagnostic = same.diagnostic.clone();
        }
    }
}

/// `X-Failed-Recipients` (Exim, Google) names the failed addresses with authority:
/// keep the readers' entries for those, and add the ones the text did not show.
fn reconcile_failed_header(n: &Notice<'_>, found: Option<Found>) -> Option<Found> {
    let Some(list) = n.headers.get("x-failed-recipients") else { return found };
    let listed: Vec<String> =
        addr::find_all(list).into_iter().map(|(_, _, a)| a.to_string()).collect();
    if listed.is_empty() {
        return found;
    }
    let mut found = found.unwrap_or(Found { format: "x-failed-recipients", ..Found::default() });
    // When the text names recipients and none of them is in the header, the header is
    // stale or rewritten (aliases): trust what the notice shows.
    let any_listed = found
        .recipients
        .iter()
        .any(|r| listed.iter().any(|a| a.eq_ignore_ascii_case(&r.recipient)));
    // A local delivery (Exim's "save to /var/mail/x") names no address: the header's
    // address is the recipient, and what the notice says of the delivery its cause.
    let names_addresses = found.recipients.iter().any(|r| r.recipient.contains('@'));
    if !found.recipients.is_empty() && !any_listed && names_addresses {
        return Some(found);
    }
    let in_found = |a: &str| found.recipients.iter().find(|r| r.recipient.eq_ignore_ascii_case(a));
    let mut kept: Vec<RecipientStatus> = Vec::new();
    for a in &listed {
        if kept.iter().any(|r| r.recipient.eq_ignore_ascii_case(a)) {
            continue;
        }
        kept.push(in_found(a).cloned().unwrap_or_else(|| RecipientStatus::new(a.clone())));
    }
    // The header's addresses the text did not show: what the notice says of its one
    // failure, else the whole notice.
    lend_diagnostics(&mut kept, &found);
    for r in kept.iter_mut().filter(|r| r.diagnostic.is_empty() && in_found(&r.recipient).is_none())
    {
        r.diagnostic = n.text.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    found.recipients = kept;
    Some(found)
}
