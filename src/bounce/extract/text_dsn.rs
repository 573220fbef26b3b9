//! Delivery-status fields written into the notice text instead of a separate part
//! (Amazon WorkMail's "Technical report", some gateways): read them with the same
//! RFC 3464 grammar.

use super::{Found, Notice};
use crate::bounce::dsn;

pub fn read(n: &Notice<'_>) -> Option<Found> {
    let lower = n.full.to_ascii_lowercase();
    let start = ["\nfinal-recipient:", "\noriginal-recipient:", "\nreporting-mta:"]
        .iter()
        .filter_map(|m| lower.find(m))
        .min()?;
    let ds = dsn::parse(&n.full[start + 1..]);
    if ds.recipients.is_empty() {
        return None;
    }
    Some(Found {
        format: "rfc3464-text",
        recipients: ds.recipients,
        reporting_mta: ds.message.reporting_mta,
        ..Found::default()
    })
}
