//! Sorting records by a column: stable, in either direction, records without a value
//! always last (so "no code" never hides the interesting rows at the top).

use std::cmp::Ordering;

use super::{Record, SortKey};

impl SortKey {
    /// Every key, in the order the list's columns show them.
    pub const ALL: &'static [SortKey] = &[
        SortKey::Date,
        SortKey::Recipient,
        SortKey::Code,
        SortKey::Reason,
        SortKey::Hard,
        SortKey::Domain,
        SortKey::Subject,
    ];

    /// The column name, for the top bar and the report header.
    pub fn label(self) -> &'static str {
        match self {
            SortKey::Date => "date",
            SortKey::Recipient => "recipient",
            SortKey::Code => "code",
            SortKey::Reason => "reason",
            SortKey::Hard => "hard/soft",
            SortKey::Domain => "domain",
            SortKey::Subject => "subject",
        }
    }

    /// The next key, for a key that cycles through the columns.
    pub fn next(self) -> SortKey {
        let i = SortKey::ALL.iter().position(|k| *k == self).unwrap_or(0);
        SortKey::ALL[(i + 1) % SortKey::ALL.len()]
    }
}

impl std::str::FromStr for SortKey {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim().to_ascii_lowercase();
        SortKey::ALL
            .iter()
            .copied()
            .find(|k| k.label() == s || (s == "hard" && *k == SortKey::Hard))
            .ok_or_else(|| {
                let names: Vec<&str> = SortKey::ALL.iter().map(|k| k.label()).collect();
                format!("unknown sort key {s:?} (one of: {})", names.join(", "))
            })
    }
}

/// A value to sort by; values of one key are always the same variant.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum SortValue {
    Number(i64),
    Text(String),
    /// Class, then status codes before bare reply codes, then subject/detail, reply.
    Code(u8, bool, (u16, u16), Option<u16>),
}

fn value(record: &Record, key: SortKey) -> Option<SortValue> {
    let r = record.recipient();
    match key {
        SortKey::Date => record.date().map(|d| SortValue::Number(d.timestamp())),
        SortKey::Recipient => Some(SortValue::Text(r.recipient.to_lowercase())),
        SortKey::Code => record.class().map(|c| {
            let sd = r.status.map_or((0, 0), |s| (s.subject, s.detail));
            SortValue::Code(c, r.status.is_none(), sd, r.reply_code)
        }),
        SortKey::Reason => Some(SortValue::Text(r.reason.as_str().to_string())),
        // Hard first when ascending: the rows that need action.
        SortKey::Hard => Some(SortValue::Number(i64::from(!r.hard))),
        SortKey::Domain => record.domain().map(SortValue::Text),
        SortKey::Subject => record
            .subject()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| SortValue::Text(s.to_lowercase())),
    }
}

/// Sort `indices` (into `records`) by `key`. Stable: equal rows keep arrival order.
pub(crate) fn sort_indices(
    records: &[Record],
    indices: &mut Vec<usize>,
    key: SortKey,
    descending: bool,
) {
    let mut keyed: Vec<(Option<SortValue>, usize)> =
        indices.iter().map(|&i| (value(&records[i], key), i)).collect();
    keyed.sort_by(|(a, _), (b, _)| match (a, b) {
        (Some(a), Some(b)) if descending => b.cmp(a),
        (Some(a), Some(b)) => a.cmp(b),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    });
    indices.clear();
    indices.extend(keyed.into_iter().map(|(_, i)| i));
}
