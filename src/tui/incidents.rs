//! The incident view (`i`): the failures grouped by provider, code and reply
//! template, largest first. Enter filters the list to the highlighted incident, `W`
//! writes its ticket summary, `H`/`T`/`U` set the triage state of all its records.

use std::path::PathBuf;

use crate::session::{Filter, State};

use super::action::Action;
use super::app::{App, Effect, PromptKind, View};
use super::nav::restore_selection;
use super::update::{set_status, start_prompt};

/// What the incident view shows: the incidents in rank order and the highlighted one.
#[derive(Debug, Clone, Default)]
pub struct IncidentView {
    /// Incident numbers (see `Incidents::get`), largest first.
    pub order: Vec<usize>,
    /// Position in `order`.
    pub selected: usize,
    /// First row shown.
    pub offset: usize,
}

/// The actions the incident view takes while it shows.
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
            | Action::SetState(_)
            | Action::ScrollAt { .. }
            | Action::FocusNext
            | Action::FocusPrevious
    )
}

pub fn toggle(app: &mut App) {
    if app.view == View::Incidents {
        app.view = app.before_incidents;
        return;
    }
    app.before_incidents = app.view;
    app.view = View::Incidents;
    app.raw = None;
    rank(app);
    app.incidents.selected = 0;
    app.incidents.offset = 0;
    let n = app.incidents.order.len();
    set_status(
        app,
        &format!("{n} incidents: Enter filters the list to one, W writes a ticket"),
        false,
    );
}

/// Bring the incidents up to date and rank them again, keeping the highlighted one.
fn rank(app: &mut App) {
    let keep = current(app);
    app.incidents.order = app.session.incidents().ranked();
    if let Some(k) = keep {
        app.incidents.selected = app.incidents.order.iter().position(|&n| n == k).unwrap_or(0);
    }
}

/// New records arrived: incidents on screen follow at once.
pub fn records_added(app: &mut App) {
    if app.view == View::Incidents {
        rank(app);
    }
}

/// The highlighted incident's number.
pub fn current(app: &App) -> Option<usize> {
    app.incidents.order.get(app.incidents.selected).copied()
}

/// Rows of incidents the screen shows (each takes two lines).
pub fn page(app: &App) -> usize {
    (app.area.height.saturating_sub(3) as usize / 2).max(1)
}

pub fn update(app: &mut App, action: Action) {
    let last = app.incidents.order.len().saturating_sub(1);
    let page = page(app);
    let v = &mut app.incidents;
    match action {
        Action::SelectNext => v.selected = (v.selected + 1).min(last),
        Action::SelectPrevious => v.selected = v.selected.saturating_sub(1),
        Action::SelectFirst => v.selected = 0,
        Action::SelectLast => v.selected = last,
        Action::PageDown | Action::HalfPageDown => v.selected = (v.selected + page).min(last),
        Action::PageUp | Action::HalfPageUp => v.selected = v.selected.saturating_sub(page),
        Action::ScrollAt { down, .. } => {
            v.selected =
                if down { (v.selected + 3).min(last) } else { v.selected.saturating_sub(3) }
        }
        Action::Open => return choose(app),
        Action::SetState(state) => return set_state(app, state),
        _ => {}
    }
    let detail_rows = 8;
    let rows = page.saturating_sub(detail_rows / 2).max(1);
    let v = &mut app.incidents;
    if v.selected < v.offset {
        v.offset = v.selected;
    } else if v.selected >= v.offset + rows {
        v.offset = v.selected + 1 - rows;
    }
}

/// Enter: the list, filtered to the incident's records.
fn choose(app: &mut App) {
    let Some(n) = current(app) else { return };
    let Some(key) = app.session.incidents_now().get(n).map(|i| i.key.clone()) else { return };
    let before = app.selected_record();
    let filter = Filter { incident: Some(key.clone()), ..Filter::default() };
    app.session.set_filter(filter);
    app.view = View::List;
    restore_selection(app, before);
    let shown = app.session.visible().len();
    let label = crate::text::clean_line(&format!("{} {}", key.org, key.code)).into_owned();
    set_status(app, &format!("incident {label}: {shown} records (c clears, i back)"), false);
}

fn set_state(app: &mut App, state: State) {
    let Some(n) = current(app) else { return };
    let Some(records) = app.session.incidents_now().get(n).map(|i| i.records.clone()) else {
        return;
    };
    app.session.set_state(&records, state);
    app.effects.push(Effect::SaveTriage);
    set_status(
        app,
        &format!("{} records of the incident now {}", records.len(), state.as_str()),
        false,
    );
}

/// `W`: ask where to write the highlighted incident's ticket.
pub fn start_ticket(app: &mut App) {
    if app.view != View::Incidents {
        set_status(app, "W writes an incident's ticket: press i for the incidents first", true);
        return;
    }
    let Some(n) = current(app) else {
        set_status(app, "no incident to write", true);
        return;
    };
    let name = app.session.incidents_now().get(n).map_or("incident".into(), |i| {
        let org: String = i
            .key
            .org
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' })
            .collect();
        format!("incident-{org}-{}.md", i.key.code.replace('.', "_"))
    });
    start_prompt(app, PromptKind::Ticket, &name);
}

/// Write the ticket of the highlighted incident to `path` (never over a file).
pub fn write_ticket(app: &mut App, path: PathBuf) {
    let Some(n) = current(app) else { return };
    let Some(incident) = app.session.incidents_now().get(n) else { return };
    let text = crate::session::ticket::ticket(incident, app.session.records());
    app.effects.push(Effect::WriteNew { path, text });
}
