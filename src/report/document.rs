//! What a report holds, gathered once from the session so every format says the same
//! thing: the header, the summary with catalog titles, the rows with their guidance,
//! and the suppression list.

use crate::catalog::{Catalog, Entry, FixOwner, Guidance, Query, Retry};
use crate::session::{Group, Record, Session, Summary};
use std::borrow::Cow;

use super::ReportMeta;

/// Which records a report covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coverage {
    /// The filtered list, as shown.
    Filtered,
    /// Only the records the user marked.
    Marked,
}

impl Coverage {
    pub fn as_str(self) -> &'static str {
        match self {
            Coverage::Filtered => "filtered",
            Coverage::Marked => "marked",
        }
    }
}

/// The catalog entry that explains a row or a code, and the advice on resending: for a
/// row the verdict's ([`crate::verdict::decide`]), so it always agrees with hard/soft.
#[derive(Debug, Clone)]
pub struct Advice<'a> {
    pub entry: &'a Entry,
    pub retry: Retry,
    /// Why this entry (the verdict's `because`, or how a code's entry was found).
    pub because: String,
}

impl<'a> Advice<'a> {
    fn of_row(record: &Record, catalog: &'a Catalog) -> Advice<'a> {
        let v = crate::verdict::decide(&record.report, record.recipient(), catalog);
        Advice { entry: v.entry, retry: v.retry, because: v.because }
    }

    fn of_code(g: Guidance<'a>) -> Advice<'a> {
        Advice { entry: g.entry, retry: g.entry.retry, because: g.matched_by.describe().into() }
    }
}

/// One code of the summary with its catalog guidance.
#[derive(Debug, Clone)]
pub struct CodeLine<'a> {
    /// The code as rows show it (`5.1.1`, `550`, or `(no code)`).
    pub code: String,
    pub count: usize,
    pub guidance: Advice<'a>,
}

/// One row of the report and its verdict's advice.
#[derive(Debug, Clone)]
pub struct Row<'a> {
    pub record: &'a Record,
    pub guidance: Advice<'a>,
}

/// Everything a report says, before formatting.
#[derive(Debug, Clone)]
pub struct Document<'a> {
    pub meta: &'a ReportMeta,
    /// Source description, cleaned.
    pub source: String,
    /// Filter description (empty: everything), cleaned.
    pub filter: String,
    /// Sort description, e.g. `date ascending`.
    pub sort: String,
    pub coverage: Coverage,
    /// Records in the report and in the whole session.
    pub shown: usize,
    pub total: usize,
    pub summary: Summary,
    pub codes: Vec<CodeLine<'a>>,
    pub rows: Vec<Row<'a>>,
    pub suppression: Vec<String>,
    /// What could not be read, cleaned (empty when everything was).
    pub unread: Vec<String>,
}

impl<'a> Document<'a> {
    pub fn gather(session: &'a Session, meta: &'a ReportMeta) -> Document<'a> {
        Document::gather_with(session, meta, Catalog::active())
    }

    pub fn gather_with(
        session: &'a Session,
        meta: &'a ReportMeta,
        catalog: &'a Catalog,
    ) -> Document<'a> {
        let coverage =
            if session.marked.is_empty() { Coverage::Filtered } else { Coverage::Marked };
        let records: Vec<&Record> =
            session.selection().into_iter().map(|i| &session.records()[i]).collect();
        let rows: Vec<Row> = records
            .iter()
            .map(|r| Row { record: r, guidance: Advice::of_row(r, catalog) })
            .collect();
        let summary = Summary::of(records.iter().copied());
        let codes = summary.by_code.iter().flat_map(|g| code_lines(g, &rows, catalog)).collect();
        let direction = if session.descending { "descending" } else { "ascending" };
        Document {
            meta,
            source: clean_line(&meta.source).into_owned(),
            filter: session.filter.describe(),
            sort: format!("{} {direction}", session.sort.label()),
            coverage,
            shown: rows.len(),
            total: session.records().len(),
            summary,
            codes,
            suppression: super::suppression::list(records.iter().copied(), &meta.suppression),
            unread: meta.unread.iter().map(|u| clean_line(u).into_owned()).collect(),
            rows,
        }
    }

    /// "42 of 1,204 bounces" and what they are.
    pub fn counts_line(&self) -> String {
        let what = match self.coverage {
            Coverage::Filtered if self.filter.is_empty() => "all records",
            Coverage::Filtered => "records matching the filter",
            Coverage::Marked => "marked records",
        };
        format!("{} of {} ({what})", thousands(self.shown), thousands(self.total))
    }
}

/// The summary line(s) of one code. When every row with the code got the same catalog
/// entry (one provider, or none), that entry speaks for the group. When they differ,
/// the code gets one line per entry, each with the advice its own rows carry: one
/// meaning for all would describe some rows by what is not theirs (Microsoft's 5.1.10
/// is "recipient not found", the registry's is "null MX"), and rows without any code
/// have no general meaning at all (a complaint and an out-of-office reply share
/// nothing but that).
fn code_lines<'a>(group: &Group, rows: &[Row<'a>], catalog: &'a Catalog) -> Vec<CodeLine<'a>> {
    let code = group.label();
    let members: Vec<&Row<'a>> = rows
        .iter()
        .filter(|r| r.record.code().unwrap_or_else(|| "(no code)".into()) == code)
        .collect();
    let Some(first) = members.first().map(|r| r.guidance.clone()) else {
        return vec![CodeLine { code, count: group.count, guidance: general(group, catalog) }];
    };
    let same = |a: &Advice, b: &Advice| std::ptr::eq(a.entry, b.entry) && a.retry == b.retry;
    if members.iter().all(|r| same(&r.guidance, &first)) {
        return vec![CodeLine { code, count: group.count, guidance: first }];
    }
    // One line per entry, largest first, ties in the order the rows met them.
    let mut lines: Vec<CodeLine<'a>> = Vec::new();
    for row in members {
        match lines.iter_mut().find(|l| same(&l.guidance, &row.guidance)) {
            Some(line) => line.count += 1,
            None => lines.push(CodeLine {
                code: code.clone(),
                count: 1,
                guidance: row.guidance.clone(),
            }),
        }
    }
    lines.sort_by_key(|l| std::cmp::Reverse(l.count));
    lines
}

fn general<'a>(group: &Group, catalog: &'a Catalog) -> Advice<'a> {
    Advice::of_code(catalog.guidance(&general_query(&group.label())))
}

/// A lookup by the code alone (no provider, no text).
fn general_query(code: &str) -> Query<'static> {
    Query {
        status: code.parse().ok(),
        reply_code: if code.contains('.') { None } else { code.parse().ok() },
        ..Query::default()
    }
}

/// Unique hard-bounced addresses (lowercased, sorted), one per line: the addresses to
/// stop sending to, with no soft-failure policy (see [`super::suppression::list`]).
pub fn suppression_of<'r>(records: impl IntoIterator<Item = &'r Record>) -> Vec<String> {
    super::suppression::list(records, &super::suppression::Policy::OFF)
}

/// Who fixes it, in words.
pub fn owner_label(owner: FixOwner) -> &'static str {
    match owner {
        FixOwner::Sender => "sender",
        FixOwner::SenderAdmin => "sender's admin",
        FixOwner::Recipient => "recipient",
        FixOwner::RecipientAdmin => "recipient's admin",
        FixOwner::Provider => "provider",
    }
}

/// The fix-it owners of an entry joined with commas.
pub fn owners(guidance: &Advice<'_>) -> String {
    let v: Vec<&str> = guidance.entry.fix_owner.iter().map(|o| owner_label(*o)).collect();
    v.join(", ")
}

pub fn retry_label(retry: Retry) -> &'static str {
    match retry {
        Retry::RetryLater => "retry later",
        Retry::FixThenResend => "fix, then resend",
        Retry::DoNotRetry => "do not retry",
        Retry::NotNeeded => "nothing to resend",
    }
}

/// 1204 -> "1,204".
pub fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Hard or soft, in words.
pub fn hardness(record: &Record) -> &'static str {
    if record.recipient().hard { "hard" } else { "soft" }
}

/// The records by kind for a report's header, counted as the screen's top bar counts
/// them: hard and soft always, then delays, deliveries, complaints (`fbl`) and
/// auto-replies when there are any.
pub fn kind_counts(summary: &Summary) -> Vec<(usize, &'static str)> {
    let named = summary.kinds.named();
    named.into_iter().enumerate().filter(|(i, (n, _))| *i < 2 || *n > 0).map(|(_, c)| c).collect()
}

/// A record's date as RFC 3339 (as written, with its offset), or empty.
pub fn date_text(record: &Record) -> String {
    record.date().map(|d| d.to_rfc3339()).unwrap_or_default()
}

/// A hop delay: `+4s`, `+2m 05s`, `-3m 05s` (negative: clock skew), `+1h 02m`.
pub fn delay_text(secs: Option<i64>) -> String {
    let Some(s) = secs else { return String::new() };
    let sign = if s < 0 { '-' } else { '+' };
    let a = s.unsigned_abs();
    match a {
        0..60 => format!("{sign}{a}s"),
        60..3600 => format!("{sign}{}m {:02}s", a / 60, a % 60),
        _ => format!("{sign}{}h {:02}m", a / 3600, (a % 3600) / 60),
    }
}

/// An optional text, or a dash.
pub fn or_dash(s: Option<&str>) -> &str {
    match s {
        Some(s) if !s.trim().is_empty() => s,
        _ => "-",
    }
}

/// Printable ASCII (and, for multi-line text, `\n`) needs no cleaning; checking bytes
/// is much cheaper than decoding characters, and most mail text is plain ASCII.
fn plain_ascii(s: &str, newline_ok: bool) -> bool {
    s.bytes().all(|b| (0x20..0x7f).contains(&b) || (newline_ok && b == b'\n'))
}

/// [`crate::text::clean_line`] with a fast path for plain ASCII.
pub fn clean_line(s: &str) -> Cow<'_, str> {
    if plain_ascii(s, false) { Cow::Borrowed(s) } else { crate::text::clean_line(s) }
}

/// [`crate::text::clean`] with a fast path for plain ASCII.
pub fn clean(s: &str) -> Cow<'_, str> {
    if plain_ascii(s, true) { Cow::Borrowed(s) } else { crate::text::clean(s) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_cleaning_agrees_with_the_shared_cleaner() {
        for s in
            ["plain", "a\nb", "tab\there", "cr\r\nlf", "esc\x1b[2J", "bidi\u{202e}x", "naïve", ""]
        {
            assert_eq!(clean_line(s), crate::text::clean_line(s), "{s:?}");
            assert_eq!(clean(s), crate::text::clean(s), "{s:?}");
        }
    }

    #[test]
    fn numbers_and_delays_read_well() {
        assert_eq!(thousands(1204), "1,204");
        assert_eq!(thousands(100_000), "100,000");
        assert_eq!(delay_text(Some(-185)), "-3m 05s");
        assert_eq!(delay_text(Some(3720)), "+1h 02m");
        assert_eq!(delay_text(None), "");
    }
}
