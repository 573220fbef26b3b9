//! The one place where the App changes: `update(&mut App, Action)`.
//! No I/O here; work for the runtime goes into `app.effects`.

use crate::session::{SortKey, State};

use super::action::Action;
use super::app::{App, Effect, Job, Overlay, Pane, Prompt, PromptKind, Raw, Status, View};
use super::nav::{click, follow, move_by, page, page_by, refresh_keeping_selection, to_end, wheel};
use super::{incidents, message, prompt, summary};

pub use super::nav::{restore_selection, select};

/// Apply one action.
pub fn update(app: &mut App, action: Action) {
    if let Some(Overlay::Summary(_)) = app.overlay
        && summary::handles(&action)
    {
        summary::update(app, action);
        return;
    }
    if let Some(Overlay::Help) = app.overlay
        && help_scroll(app, &action)
    {
        return;
    }
    if app.view == View::Incidents && app.overlay.is_none() && incidents::handles(&action) {
        incidents::update(app, action);
        return;
    }
    match action {
        Action::SelectNext => move_by(app, 1),
        Action::SelectPrevious => move_by(app, -1),
        Action::SelectFirst => to_end(app, false),
        Action::SelectLast => to_end(app, true),
        Action::PageDown => page_by(app, 1),
        Action::PageUp => page_by(app, -1),
        Action::HalfPageDown => move_by(app, (page(app) / 2).max(1) as isize),
        Action::HalfPageUp => move_by(app, -((page(app) / 2).max(1) as isize)),
        Action::SelectRow(row) => select(app, row),
        Action::ClickAt { column, row } => click(app, column, row),
        Action::ScrollAt { column, row, down } => wheel(app, column, row, down),
        Action::Open => open(app),
        Action::Back => {
            back(app);
        }
        // q closes what is open; on the list itself it quits, search or not (Esc is
        // the key that clears a search).
        Action::QuitOrBack => {
            if app.overlay.is_none() && app.raw.is_none() && app.view == View::List {
                app.quit = true;
            } else {
                back(app);
            }
        }
        Action::FocusNext => cycle_focus(app, true),
        Action::FocusPrevious => cycle_focus(app, false),
        Action::ToggleRaw => toggle_raw(app),
        Action::ToggleHelp => {
            app.help_scroll = 0;
            toggle_overlay(app, Overlay::Help);
        }
        Action::ToggleSummary => summary::open(app),
        Action::ToggleIncidents => incidents::toggle(app),
        Action::NextSummaryGroup => {}
        Action::ToggleMark => toggle_mark(app),
        Action::ClearMarks => clear_marks(app),
        Action::CycleSort => sort_by(app, app.session.sort.next()),
        Action::SortBy(key) => sort_by(app, key),
        Action::ReverseSort => {
            app.session.descending = !app.session.descending;
            refresh_keeping_selection(app);
        }
        Action::StartSearch => start_prompt(app, PromptKind::Search, ""),
        Action::StartFilter => start_prompt(app, PromptKind::Filter, ""),
        Action::PromptInput(c) => prompt::input(app, c),
        Action::PromptBackspace => prompt::edit(app, super::edit::Edit::Backspace),
        Action::PromptEdit(e) => prompt::edit(app, e),
        Action::PromptSubmit => prompt::submit(app),
        Action::SearchNext => prompt::search_step(app, true),
        Action::SearchPrevious => prompt::search_step(app, false),
        Action::ClearFilters => {
            app.session.filter = Default::default();
            app.search = None;
            refresh_keeping_selection(app);
            set_status(app, "filters and search cleared", false);
        }
        Action::Export => export(app),
        Action::Rescan => rescan(app),
        Action::Quit => app.quit = true,
        Action::Resize { width, height } => {
            app.area = ratatui::layout::Rect::new(0, 0, width, height);
            follow(app);
        }
        Action::OpenPager => message::fetch(app, Job::Pager),
        Action::StartPipe => message::start(app, PromptKind::Pipe),
        Action::StartSave => message::start(app, PromptKind::Save),
        Action::Copy { diagnostic } => message::copy(app, diagnostic),
        Action::StartTicket => incidents::start_ticket(app),
        Action::SetState(state) => set_state(app, state),
        Action::ToggleWatch => {
            app.effects.push(Effect::Watch(!app.watching));
            let what = if app.watching { "stopping the watch..." } else { "starting to watch..." };
            set_status(app, what, false);
        }
        other => super::background::update(app, other),
    }
}

/// The help overlay scrolls with the moving keys; true when the action was one.
fn help_scroll(app: &mut App, action: &Action) -> bool {
    let lines = super::view::overlay::help_len(app.area) as u16;
    let max = lines.saturating_sub(super::view::overlay::help_rows(app.area));
    let s = &mut app.help_scroll;
    *s = match action {
        Action::SelectNext => s.saturating_add(1),
        Action::SelectPrevious => s.saturating_sub(1),
        Action::PageDown | Action::HalfPageDown => s.saturating_add(10),
        Action::PageUp | Action::HalfPageUp => s.saturating_sub(10),
        Action::SelectFirst => 0,
        Action::SelectLast => max,
        _ => return false,
    }
    .min(max);
    true
}

fn open(app: &mut App) {
    if let Some(Overlay::Prompt(_)) = app.overlay {
        prompt::submit(app);
        return;
    }
    if app.selected_record().is_some() {
        app.view = View::Split;
        follow(app);
        see_selected(app);
    }
}

/// The selected record has been looked at: new becomes seen (and is remembered).
pub(super) fn see_selected(app: &mut App) {
    let Some(i) = app.selected_record() else { return };
    if app.session.state(i) == State::New {
        app.session.set_state(&[i], State::Seen);
        app.effects.push(Effect::SaveTriage);
    }
}

/// Close what is open, one level at a time; false when there was nothing to close.
fn back(app: &mut App) -> bool {
    if let Some(overlay) = app.overlay.take() {
        if matches!(overlay, Overlay::Prompt(Prompt { kind: PromptKind::Overwrite, .. })) {
            app.pending_export = None;
            set_status(app, "export cancelled: the file was left as it was", false);
        }
        return true;
    }
    if app.raw.take().is_some() {
        app.focus = Pane::List;
        return true;
    }
    if app.view == View::Split {
        app.view = View::List;
        app.focus = Pane::List;
        follow(app);
        return true;
    }
    if app.view == View::Incidents {
        app.view = app.before_incidents;
        follow(app);
        return true;
    }
    if app.search.take().is_some() {
        set_status(app, "search cleared", false);
        return true;
    }
    false
}

fn cycle_focus(app: &mut App, forward: bool) {
    if app.view != View::Split {
        app.view = View::Split;
        follow(app);
    }
    let order = [Pane::List, Pane::Hops, Pane::Diagnostic, Pane::Guidance];
    let i = order.iter().position(|p| *p == app.focus).unwrap_or(0);
    let n = order.len();
    let next = if forward { (i + 1) % n } else { (i + n - 1) % n };
    // The raw view replaces the three detail panes: only list and raw take focus.
    app.focus = if app.raw.is_some() && next > 1 {
        if forward { Pane::List } else { Pane::Hops }
    } else {
        order[next]
    };
}

fn toggle_raw(app: &mut App) {
    if app.raw.take().is_some() {
        app.focus = Pane::List;
        return;
    }
    if app.selected_record().is_none() {
        return;
    }
    app.view = View::Split;
    follow(app);
    request_raw(app);
    // The keys scroll the message (Tab gives them back to the list).
    app.focus = Pane::Hops;
    see_selected(app);
}

pub(super) fn request_raw(app: &mut App) {
    let Some(record) = app.selected_record() else {
        app.raw = None;
        return;
    };
    let origin = (*app.session.records()[record].origin).clone();
    app.raw = Some(Raw::Loading { record });
    app.raw_scroll = 0;
    app.effects.push(Effect::LoadRaw { record, origin });
}

fn toggle_overlay(app: &mut App, overlay: Overlay) {
    if app.overlay.as_ref() == Some(&overlay) {
        app.overlay = None;
    } else {
        app.overlay = Some(overlay);
    }
}

fn toggle_mark(app: &mut App) {
    let Some(record) = app.selected_record() else { return };
    app.session.toggle_mark(record);
    move_by(app, 1);
}

fn clear_marks(app: &mut App) {
    let n = app.session.marked.len();
    app.session.clear_marks();
    let text = match n {
        0 => "no marks to clear".to_string(),
        1 => "1 mark cleared".to_string(),
        n => format!("{n} marks cleared"),
    };
    set_status(app, &text, false);
}

/// The rows a triage key or an export acts on: the marked rows, else the selected one.
fn targets(app: &App) -> Vec<usize> {
    if app.session.marked.is_empty() {
        app.selected_record().into_iter().collect()
    } else {
        app.session.marked.iter().copied().collect()
    }
}

fn set_state(app: &mut App, state: State) {
    let rows = targets(app);
    if rows.is_empty() {
        set_status(app, "nothing selected", true);
        return;
    }
    let before = app.selected_record();
    app.session.set_state(&rows, state);
    restore_selection(app, before);
    app.effects.push(Effect::SaveTriage);
    let what = if rows.len() == 1 { "1 row".to_string() } else { format!("{} rows", rows.len()) };
    set_status(app, &format!("{what} now {}", state.as_str()), false);
}

pub(super) fn sort_by(app: &mut App, key: SortKey) {
    app.session.sort = key;
    refresh_keeping_selection(app);
    let dir = if app.session.descending { "descending" } else { "ascending" };
    set_status(app, &format!("sorted by {} ({dir})", key.label()), false);
}

pub(super) fn start_prompt(app: &mut App, kind: PromptKind, text: &str) {
    app.overlay = Some(Overlay::Prompt(Prompt::new(kind, text)));
}

/// What an export will write, in words: "2 marked rows, 0 of them shown".
pub fn export_scope(app: &App) -> (usize, String) {
    let marked = app.session.marked.len();
    if marked == 0 {
        let n = app.session.visible().len();
        return (n, format!("{n} shown {}", rows(n)));
    }
    let shown = app.session.visible().iter().filter(|i| app.session.is_marked(**i)).count();
    let hidden = marked - shown;
    let mut text = format!("{marked} marked {}, {shown} of them shown", rows(marked));
    if hidden > 0 {
        text.push_str(&format!(" ({hidden} hidden by the filter)"));
    }
    (marked, text)
}

fn rows(n: usize) -> &'static str {
    if n == 1 { "row" } else { "rows" }
}

fn export(app: &mut App) {
    let (count, scope) = export_scope(app);
    if count == 0 {
        set_status(app, "nothing to export: the list is empty", true);
        return;
    }
    set_status(
        app,
        &format!("export {scope}: .md .html .json .csv, or .txt for a suppression list"),
        false,
    );
    start_prompt(app, PromptKind::Export, super::export::DEFAULT_NAME);
}

fn rescan(app: &mut App) {
    app.scan.generation += 1;
    let generation = app.scan.generation;
    let keep_filter = std::mem::take(&mut app.session.filter);
    let (sort, descending) = (app.session.sort, app.session.descending);
    // Marks are kept by message identity: they come back as the records do.
    let marks = app.session.mark_keys();
    let old = std::mem::take(&mut app.session);
    app.session.book = old.book;
    app.session.filter = keep_filter;
    app.session.sort = sort;
    app.session.descending = descending;
    app.session.restore_marks(marks);
    app.session.refresh();
    app.scan = super::app::Scan { generation, running: true, ..Default::default() };
    app.selected = 0;
    app.list_offset = 0;
    app.raw = None;
    set_status(app, "rescanning...", false);
    app.effects.push(Effect::Rescan { generation });
}

pub fn set_status(app: &mut App, text: &str, is_error: bool) {
    app.status = Some(Status { text: text.to_string(), is_error });
}
