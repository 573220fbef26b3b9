//! The session: every analysed report, flattened into one row per recipient, with the
//! filters, sort and marks the user has chosen. The TUI and the exports both read it,
//! so a report shows exactly what the screen shows.

pub mod filter;

use std::sync::Arc;

use crate::bounce::{Kind, RecipientStatus, Report};
use crate::source::{Analysed, Origin};

pub use filter::Filter;

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

/// The list of records and what the user has chosen to see.
#[derive(Debug, Default)]
pub struct Session {
    /// Every record, in arrival order.
    records: Vec<Record>,
    pub filter: Filter,
    pub sort: SortKey,
    pub descending: bool,
    /// Indices into `records` of what is shown, in display order.
    visible: Vec<usize>,
    /// Marked records (indices into `records`).
    pub marked: std::collections::BTreeSet<usize>,
}

impl Session {
    /// Add analysed reports (one record per recipient) and refresh the visible list.
    pub fn extend(&mut self, batch: impl IntoIterator<Item = Analysed>) {
        for a in batch {
            let origin = Arc::new(a.origin);
            let report = Arc::new(a.report);
            for index in 0..report.recipients.len() {
                self.records.push(Record { origin: origin.clone(), report: report.clone(), index });
            }
        }
        self.refresh();
    }

    pub fn records(&self) -> &[Record] {
        &self.records
    }

    /// Indices into [`Session::records`] of the rows shown, in display order.
    pub fn visible(&self) -> &[usize] {
        &self.visible
    }

    /// Recompute the visible list after a change of records, filter or sort.
    pub fn refresh(&mut self) {
        let _ = self.sort;
        self.visible =
            (0..self.records.len()).filter(|&i| self.filter.matches(&self.records[i])).collect();
    }
}
