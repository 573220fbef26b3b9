//! The summary overlay: the shown records grouped by code, reason, domain or
//! reporting MTA, with counts. Choosing a group narrows the list to it.

use std::collections::HashMap;

use crate::session::{Filter, Record, Session};

use super::action::Action;
use super::app::{App, GroupBy, Overlay, Summary};
use super::update::{refresh_keeping_selection, set_status};

/// The actions the summary takes while it is open.
pub fn handles(action: &Action) -> bool {
    matches!(
        action,
        Action::SelectNext
            | Action::SelectPrevious
            | Action::SelectFirst
            | Action::SelectLast
            | Action::PageDown
            | Action::PageUp
            | Action::HalfPageDown
            | Action::HalfPageUp
            | Action::Open
            | Action::NextSummaryGroup
            | Action::FocusNext
            | Action::FocusPrevious
            | Action::ToggleSummary
    )
}

pub fn open(app: &mut App) {
    if let Some(Overlay::Summary(_)) = app.overlay {
        app.overlay = None;
        return;
    }
    app.overlay = Some(Overlay::Summary(build(&app.session, GroupBy::Code)));
}

pub fn update(app: &mut App, action: Action) {
    let Some(Overlay::Summary(summary)) = &mut app.overlay else { return };
    let last = summary.groups.len().saturating_sub(1);
    match action {
        Action::SelectNext => summary.selected = (summary.selected + 1).min(last),
        Action::SelectPrevious => summary.selected = summary.selected.saturating_sub(1),
        Action::SelectFirst => summary.selected = 0,
        Action::SelectLast => summary.selected = last,
        Action::PageDown | Action::HalfPageDown => {
            summary.selected = (summary.selected + 10).min(last)
        }
        Action::PageUp | Action::HalfPageUp => summary.selected = summary.selected.saturating_sub(10),
        Action::NextSummaryGroup | Action::FocusNext => {
            let next = summary.group_by.next();
            *summary = build(&app.session, next);
        }
        Action::FocusPrevious => {
            let prev = (0..3).fold(summary.group_by, |g, _| g.next());
            *summary = build(&app.session, prev);
        }
        Action::ToggleSummary => app.overlay = None,
        Action::Open => choose(app),
        _ => {}
    }
}

fn choose(app: &mut App) {
    let Some(Overlay::Summary(summary)) = app.overlay.take() else { return };
    let Some((value, count)) = summary.groups.get(summary.selected).cloned() else { return };
    apply(&mut app.session.filter, summary.group_by, &value);
    refresh_keeping_selection(app);
    set_status(app, &format!("{} = {value}: {count} records", summary.group_by.label()), false);
}

/// Narrow `filter` to one group.
fn apply(filter: &mut Filter, group_by: GroupBy, value: &str) {
    match group_by {
        GroupBy::Code => filter.code_prefix = Some(value.to_string()),
        GroupBy::Reason => filter.reason = value.parse().ok(),
        GroupBy::Domain => filter.domain = Some(value.to_string()),
        GroupBy::ReportingMta => filter.text = Some(value.to_string()),
    }
}

/// The value of a record in a grouping (cleaned: it is drawn as is).
pub fn key_of(record: &Record, group_by: GroupBy) -> String {
    let rcpt = record.recipient();
    let raw = match group_by {
        GroupBy::Code => rcpt.status.map_or_else(|| "(none)".to_string(), |s| s.to_string()),
        GroupBy::Reason => rcpt.reason.as_str().to_string(),
        GroupBy::Domain => rcpt.domain().unwrap_or_else(|| "(none)".to_string()),
        GroupBy::ReportingMta => {
            record.report.reporting_mta.clone().unwrap_or_else(|| "(none)".to_string())
        }
    };
    crate::text::clean_line(&raw).into_owned()
}

pub fn build(session: &Session, group_by: GroupBy) -> Summary {
    let mut counts: HashMap<String, usize> = HashMap::new();
    let records = session.records();
    for &i in session.visible() {
        *counts.entry(key_of(&records[i], group_by)).or_default() += 1;
    }
    let mut groups: Vec<(String, usize)> = counts.into_iter().collect();
    groups.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Summary { group_by, groups, selected: 0 }
}
