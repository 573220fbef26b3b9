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
pub(crate) enum SortValue {
    Number(i64),
    Text(Box<str>),
    /// Class, then status codes before bare reply codes, then subject/detail, reply.
    Code(u8, bool, (u16, u16), Option<u16>),
}

/// The value `record` sorts by under `key`; `None` sorts last in both directions.
pub(crate) fn value(record: &Record, key: SortKey) -> Option<SortValue> {
    let r = record.recipient();
    let text = |s: &str| SortValue::Text(s.to_lowercase().into_boxed_str());
    match key {
        SortKey::Date => record.date().map(|d| SortValue::Number(d.timestamp())),
        SortKey::Recipient => Some(text(&r.recipient)),
        SortKey::Code => record.class().map(|c| {
            let sd = r.status.map_or((0, 0), |s| (s.subject, s.detail));
            SortValue::Code(c, r.status.is_none(), sd, r.reply_code)
        }),
        SortKey::Reason => Some(text(r.reason.as_str())),
        // Hard first when ascending: the rows that need action.
        SortKey::Hard => Some(SortValue::Number(i64::from(!r.hard))),
        SortKey::Domain => record.domain().map(|d| text(&d)),
        SortKey::Subject => record.subject().map(str::trim).filter(|s| !s.is_empty()).map(text),
    }
}

/// The display order of two records (indices into `keys`): by value in the chosen
/// direction, missing values last, then by arrival, which makes every sort stable and
/// lets new records be merged in instead of sorting everything again.
fn order(keys: &[Option<SortValue>], a: usize, b: usize, descending: bool) -> Ordering {
    let by_value = match (&keys[a], &keys[b]) {
        (Some(x), Some(y)) if descending => y.cmp(x),
        (Some(x), Some(y)) => x.cmp(y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    };
    by_value.then(a.cmp(&b))
}

/// Sort `indices` into display order.
pub(crate) fn sort_indices(keys: &[Option<SortValue>], indices: &mut [usize], descending: bool) {
    indices.sort_unstable_by(|&a, &b| order(keys, a, b, descending));
}

/// Merge `new` (any order) into `shown` (already in display order): O(n) per batch,
/// so a scan that delivers 100,000 records in small batches stays linear.
pub(crate) fn merge_into(
    keys: &[Option<SortValue>],
    shown: &mut Vec<usize>,
    mut new: Vec<usize>,
    descending: bool,
) {
    if new.is_empty() {
        return;
    }
    sort_indices(keys, &mut new, descending);
    if shown.last().is_none_or(|&l| order(keys, l, new[0], descending).is_lt()) {
        shown.extend(new);
        return;
    }
    let old = std::mem::take(shown);
    let mut out = Vec::with_capacity(old.len() + new.len());
    let (mut i, mut j) = (0, 0);
    while i < old.len() && j < new.len() {
        if order(keys, old[i], new[j], descending).is_le() {
            out.push(old[i]);
            i += 1;
        } else {
            out.push(new[j]);
            j += 1;
        }
    }
    out.extend_from_slice(&old[i..]);
    out.extend_from_slice(&new[j..]);
    *shown = out;
}
