//! The summary overlay: the shown records grouped by code (with its title), reason,
//! domain or organisation, with counts. Choosing a group narrows the list to it.

use crate::session::Session;

use super::action::Action;
use super::app::{App, Overlay, Summary};
use super::update::{restore_selection, set_status};

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
    app.overlay = Some(Overlay::Summary(build(&app.session, CYCLE[0])));
}

/// The sections of `session::Summary::sections()` in the order Tab shows them: code,
/// reason, domain and reporting MTA first (what people group by most), then the rest.
const CYCLE: [usize; 9] = [2, 3, 6, 7, 0, 1, 4, 5, 8];
/// The section shown as organisations (in place of reporting MTAs).
const ORGANISATION: usize = 7;

fn step(section: usize, forward: bool) -> usize {
    let i = CYCLE.iter().position(|s| *s == section).unwrap_or(0);
    let n = CYCLE.len();
    CYCLE[if forward { (i + 1) % n } else { (i + n - 1) % n }]
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
        Action::PageUp | Action::HalfPageUp => {
            summary.selected = summary.selected.saturating_sub(10)
        }
        Action::NextSummaryGroup | Action::FocusNext => {
            *summary = build(&app.session, step(summary.section, true));
        }
        Action::FocusPrevious => *summary = build(&app.session, step(summary.section, false)),
        Action::ToggleSummary => app.overlay = None,
        Action::Open => choose(app),
        _ => {}
    }
}

fn choose(app: &mut App) {
    let Some(Overlay::Summary(summary)) = app.overlay.take() else { return };
    let Some(group) = summary.groups.get(summary.selected).cloned() else { return };
    let before = app.selected_record();
    app.session.choose_group(&group.key);
    restore_selection(app, before);
    let label = crate::text::clean_line(&group.label()).into_owned();
    set_status(app, &format!("{} {label}: {} records", summary.title, group.count), false);
}

/// One section of the summary of the shown records.
pub fn build(session: &Session, section: usize) -> Summary {
    let all = session.summary();
    let (title, groups) = all.sections()[section.min(8)];
    // The reporting MTA section groups by organisation instead: one Microsoft, not
    // one group per Exchange Online server.
    let (title, groups) = if section == ORGANISATION {
        let records =
            session.visible().iter().map(|&i| (&session.records()[i], session.provider_of(i)));
        ("organisation", crate::session::summary::by_organisation(records))
    } else {
        (title, groups.to_vec())
    };
    Summary { section, title, records: all.records, reports: all.reports, groups, selected: 0 }
}
