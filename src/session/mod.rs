//! The session: every analysed report, flattened into one row per recipient, with the
//! filters, sort, search and marks the user has chosen. The TUI and the exports both
//! read it, so a report shows exactly what the screen shows.

mod code;
pub mod filter;
pub mod incident;
pub mod query;
mod record;
pub mod search;
mod sort;
pub mod summary;
mod template;
pub mod ticket;
pub mod transit;
pub mod triage;

use std::collections::{BTreeSet, HashSet};
use std::sync::Arc;

use crate::bounce::{Kind, RecipientStatus, Report};
use crate::source::{Analysed, Origin};

pub use code::CodePrefix;
pub use filter::{Atom, Clause, Filter};
pub use incident::{Incident, IncidentKey, Incidents};
pub use query::Parsed;
pub use search::Search;
pub use summary::{Group, GroupKey, KindCounts, Summary};
pub use triage::{Book, State};

/// One row: one recipient of one analysed report.
#[derive(Debug, Clone)]
pub struct Record {
    pub origin: Arc<Origin>,
    pub report: Arc<Report>,
    /// Position of the recipient in `report.recipients` (0-based).
    pub index: usize,
}

impl Record {
    pub fn recipient(&self) -> &RecipientStatus {
        &self.report.recipients[self.index]
    }

    pub fn kind(&self) -> Kind {
        self.report.kind.unwrap_or(Kind::Bounce)
    }
}

/// Columns the list can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortKey {
    #[default]
    Date,
    Recipient,
    Code,
    Reason,
    Hard,
    Domain,
    Subject,
}

/// Per-record values worked out once when the record arrives, so filtering and
/// searching 100,000 rows allocates nothing.
#[derive(Debug, Default)]
struct Derived {
    haystack: Box<str>,
    domain: Option<Box<str>>,
    /// The provider that handled the failure (see [`Record::provider`]).
    provider: Option<Box<str>>,
    /// Triage state, from the book when the record arrived, then as the user sets it.
    state: State,
    /// Arrived while watching, after the first scan.
    live: bool,
}

/// Where a record came from and which of the report's recipients it is: what marks
/// are kept by across a rescan.
pub type RecordKey = (Origin, usize);

/// The list of records and what the user has chosen to see.
///
/// Change `filter`, `sort` or `descending` through the setters (or call
/// [`Session::refresh`] after changing the public fields).
#[derive(Debug, Default)]
pub struct Session {
    /// Every record, in arrival order.
    records: Vec<Record>,
    derived: Vec<Derived>,
    pub filter: Filter,
    pub sort: SortKey,
    pub descending: bool,
    /// Indices into `records` of what is shown, in display order.
    visible: Vec<usize>,
    /// Marked records (indices into `records`).
    pub marked: BTreeSet<usize>,
    /// Marks of the session before a rescan, put back when their records arrive.
    pending_marks: HashSet<RecordKey>,
    /// Triage states that last (see [`triage`]).
    pub book: Book,
    /// Records that arrive from now on are marked as live (new while watching).
    pub live: bool,
    /// The failures grouped into incidents, once asked for (see [`Session::incidents`]).
    incidents: Incidents,
    incidents_on: bool,
    /// Each record's value under `keys_for`, so sorting and merging never recompute.
    keys: Vec<Option<sort::SortValue>>,
    keys_for: Option<SortKey>,
    /// The filter, sort and direction `visible` was built with; when they still hold,
    /// new records are merged in instead of rebuilding the list.
    shown_for: Option<(Filter, SortKey, bool)>,
}

impl Session {
    pub fn new() -> Self {
        Session::default()
    }

    /// Add analysed reports (one record per recipient) and update the visible list.
    /// A report without recipients (an auto-reply that names nobody) still gets one
    /// row, so nothing found is silently dropped.
    pub fn extend(&mut self, batch: impl IntoIterator<Item = Analysed>) {
        let first_new = self.records.len();
        for a in batch {
            let origin = Arc::new(a.origin);
            let mut report = a.report;
            if report.recipients.is_empty() {
                let who =
                    report.from.clone().or_else(|| report.original.to.clone()).unwrap_or_default();
                let mut r = RecipientStatus::new(who.trim());
                r.reason = report_reason(report.kind);
                report.recipients.push(r);
            }
            let report = Arc::new(report);
            for index in 0..report.recipients.len() {
                let record = Record { origin: origin.clone(), report: report.clone(), index };
                let state =
                    if self.book.is_empty() { State::New } else { self.book.state(&record) };
                if !self.pending_marks.is_empty()
                    && self.pending_marks.remove(&((*record.origin).clone(), index))
                {
                    self.marked.insert(self.records.len());
                }
                self.derived.push(Derived {
                    haystack: record.search_text().into_boxed_str(),
                    domain: record.domain().map(String::into_boxed_str),
                    provider: record.provider().map(Box::from),
                    state,
                    live: self.live,
                });
                self.records.push(record);
            }
        }
        if self.incidents_on || self.filter.uses_incidents() {
            self.catch_up_incidents();
        }
        let current = (self.filter.clone(), self.sort, self.descending);
        if self.shown_for.as_ref() != Some(&current) || self.keys_for != Some(self.sort) {
            self.refresh();
            return;
        }
        for record in &self.records[first_new..] {
            self.keys.push(sort::value(record, self.sort));
        }
        let new = self.matching(first_new..self.records.len());
        sort::merge_into(&self.keys, &mut self.visible, new, self.descending);
    }

    /// Remove every record whose origin `covers` accepts (reports a source withdrew);
    /// marks on the others stay. Returns how many records were removed.
    pub fn withdraw(&mut self, covers: impl Fn(&Origin) -> bool) -> usize {
        let before = self.records.len();
        let mut new_index = vec![None; before];
        let records = std::mem::take(&mut self.records);
        let derived = std::mem::take(&mut self.derived);
        for (i, (record, d)) in records.into_iter().zip(derived).enumerate() {
            if !covers(&record.origin) {
                new_index[i] = Some(self.records.len());
                self.records.push(record);
                self.derived.push(d);
            }
        }
        self.marked = self.marked.iter().filter_map(|&i| new_index[i]).collect();
        // Sort keys are per record index: recompute them with the list.
        self.keys_for = None;
        self.refresh();
        before - self.records.len()
    }

    /// Indices in `range` whose records pass the filter.
    fn matching(&self, range: std::ops::Range<usize>) -> Vec<usize> {
        let prepared = self.filter.prepare();
        range.filter(|&i| prepared.matches(&self.records[i], self.facts(i))).collect()
    }

    /// What the filter reads of record `i` beyond the record itself.
    fn facts(&self, i: usize) -> filter::Facts<'_> {
        let d = &self.derived[i];
        filter::Facts {
            domain: d.domain.as_deref(),
            haystack: &d.haystack,
            provider: d.provider.as_deref(),
            state: d.state,
            incident: self.incidents.of(i).map(|inc| &inc.key),
        }
    }

    fn catch_up_incidents(&mut self) {
        let derived = &self.derived;
        self.incidents.catch_up(
            &self.records,
            |i| derived[i].provider.as_deref(),
            |i| derived[i].live,
        );
    }

    /// The failures grouped into incidents; from now on kept up to date as records
    /// arrive.
    pub fn incidents(&mut self) -> &Incidents {
        self.incidents_on = true;
        self.catch_up_incidents();
        &self.incidents
    }

    /// The incidents as last brought up to date (see [`Session::incidents`]).
    pub fn incidents_now(&self) -> &Incidents {
        &self.incidents
    }

    /// The provider that handled record `i`'s failure, worked out when it arrived.
    pub fn provider_of(&self, i: usize) -> Option<&str> {
        self.derived.get(i).and_then(|d| d.provider.as_deref())
    }

    /// The triage state of record `i`.
    pub fn state(&self, i: usize) -> State {
        self.derived.get(i).map_or(State::New, |d| d.state)
    }

    /// Whether record `i` arrived while watching.
    pub fn is_live(&self, i: usize) -> bool {
        self.derived.get(i).is_some_and(|d| d.live)
    }

    /// Set the triage state of records (indices into `records`) and remember it in the
    /// book; the list is rebuilt when the filter reads states.
    pub fn set_state(&mut self, records: &[usize], state: State) {
        for &i in records {
            if let (Some(d), Some(r)) = (self.derived.get_mut(i), self.records.get(i)) {
                d.state = state;
                self.book.set(r, state);
            }
        }
        if self.filter.uses_state() {
            self.refresh();
        }
    }

    /// Show exactly these records (indices, in this order) until the next refresh: for
    /// a report limited by something outside the filter (what earlier reports held).
    pub fn show_only(&mut self, indices: Vec<usize>) {
        self.visible = indices.into_iter().filter(|&i| i < self.records.len()).collect();
    }

    /// The marks, by record identity, to carry into the next session (a rescan).
    pub fn mark_keys(&self) -> HashSet<RecordKey> {
        self.marked
            .iter()
            .filter_map(|&i| self.records.get(i))
            .map(|r| ((*r.origin).clone(), r.index))
            .collect()
    }

    /// Marks to put back on records as they arrive (see [`Session::mark_keys`]).
    pub fn restore_marks(&mut self, keys: HashSet<RecordKey>) {
        self.pending_marks = keys;
    }

    pub fn records(&self) -> &[Record] {
        &self.records
    }

    /// Indices into [`Session::records`] of the rows shown, in display order.
    pub fn visible(&self) -> &[usize] {
        &self.visible
    }

    /// The records shown, in display order.
    pub fn visible_records(&self) -> impl Iterator<Item = &Record> {
        self.visible.iter().map(|&i| &self.records[i])
    }

    /// The record shown at `position` of the visible list.
    pub fn visible_record(&self, position: usize) -> Option<&Record> {
        self.visible.get(position).map(|&i| &self.records[i])
    }

    pub fn set_filter(&mut self, filter: Filter) {
        self.filter = filter;
        self.refresh();
    }

    pub fn set_sort(&mut self, key: SortKey, descending: bool) {
        self.sort = key;
        self.descending = descending;
        self.refresh();
    }

    /// Recompute the visible list after a change of filter or sort (the setters call
    /// it; call it yourself after changing the public fields).
    pub fn refresh(&mut self) {
        if self.filter.uses_incidents() {
            self.catch_up_incidents();
        }
        if self.keys_for != Some(self.sort) || self.keys.len() != self.records.len() {
            self.keys = self.records.iter().map(|r| sort::value(r, self.sort)).collect();
            self.keys_for = Some(self.sort);
        }
        let mut visible = self.matching(0..self.records.len());
        sort::sort_indices(&self.keys, &mut visible, self.descending);
        self.visible = visible;
        self.shown_for = Some((self.filter.clone(), self.sort, self.descending));
    }

    /// The positions in the visible list whose record contains `query`
    /// (case-insensitive, same fields as the free-text filter).
    pub fn search(&self, query: &str) -> Search {
        let needle = query.trim().to_lowercase();
        let hits = if needle.is_empty() {
            Vec::new()
        } else {
            (0..self.visible.len())
                .filter(|&p| self.derived[self.visible[p]].haystack.contains(needle.as_str()))
                .collect()
        };
        Search { query: query.to_string(), hits }
    }

    pub fn is_marked(&self, record: usize) -> bool {
        self.marked.contains(&record)
    }

    /// Mark or unmark a record (index into [`Session::records`]); returns whether it is
    /// now marked.
    pub fn toggle_mark(&mut self, record: usize) -> bool {
        if record >= self.records.len() {
            return false;
        }
        if !self.marked.remove(&record) {
            self.marked.insert(record);
            return true;
        }
        false
    }

    /// Mark every visible record.
    pub fn mark_visible(&mut self) {
        self.marked.extend(self.visible.iter().copied());
    }

    pub fn clear_marks(&mut self) {
        self.marked.clear();
    }

    /// What an export covers: the marked records when any are marked (visible ones in
    /// display order, then hidden ones in arrival order), else the visible list.
    pub fn selection(&self) -> Vec<usize> {
        if self.marked.is_empty() {
            return self.visible.clone();
        }
        let mut out: Vec<usize> =
            self.visible.iter().copied().filter(|i| self.marked.contains(i)).collect();
        let shown: BTreeSet<usize> = out.iter().copied().collect();
        out.extend(self.marked.iter().copied().filter(|i| !shown.contains(i)));
        out
    }

    /// Counts over the visible records.
    pub fn summary(&self) -> Summary {
        Summary::of(self.visible_records())
    }

    /// Counts over what an export covers (see [`Session::selection`]).
    pub fn selection_summary(&self) -> Summary {
        Summary::of(self.selection().into_iter().map(|i| &self.records[i]))
    }

    /// Narrow the filter to one summary group.
    pub fn choose_group(&mut self, key: &GroupKey) {
        let f = key.apply(&self.filter);
        self.set_filter(f);
    }
}

fn report_reason(kind: Option<Kind>) -> crate::bounce::Reason {
    use crate::bounce::Reason;
    match kind {
        Some(Kind::AutoReply | Kind::Challenge) => Reason::Vacation,
        Some(Kind::Feedback) => Reason::Feedback,
        Some(Kind::Success) => Reason::Delivered,
        _ => Reason::Undefined,
    }
}
