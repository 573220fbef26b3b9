//! Comparing an IMAP scan with the offline scan of the same messages: each report boiled
//! down to its kind and each recipient's address and code, keyed by Maildir file name.

// Each test binary uses its own part of the support module.
#![allow(dead_code)]

use std::collections::BTreeMap;

use rebound::bounce::{Report, analyze};
use rebound::source::{Analysed, Origin};

use super::dovecot::Dovecot;
use super::mail::{self, Stored};

/// How a report compares across the two scans: kind, and each recipient's address and code.
pub type Summary = (Option<String>, Vec<(String, Option<String>)>);

pub fn summary(r: &Report) -> Summary {
    (
        r.kind.map(|k| k.as_str().to_string()),
        r.recipients
            .iter()
            .map(|s| (s.recipient.to_ascii_lowercase(), s.status.map(|c| c.to_string())))
            .collect(),
    )
}

pub fn uid(o: &Origin) -> u32 {
    match o {
        Origin::Imap { uid, .. } => *uid,
        other => panic!("not an IMAP origin: {other:?}"),
    }
}

/// The IMAP scan's reports keyed by the Maildir file each UID was read from.
pub fn by_file(server: &Dovecot, reports: &[Analysed]) -> BTreeMap<String, Summary> {
    let map = mail::uid_map(server);
    reports
        .iter()
        .map(|a| (map.get(&uid(&a.origin)).cloned().expect("uid in uidlist"), summary(&a.report)))
        .collect()
}

/// What the engine says about the same messages read straight from memory.
pub fn offline(stored: &[Stored]) -> BTreeMap<String, Summary> {
    stored.iter().filter_map(|s| analyze(&s.bytes).map(|r| (s.base.clone(), summary(&r)))).collect()
}
