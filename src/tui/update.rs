//! The one place where the App changes: `update(&mut App, Action)`.
//! No I/O here; work for the runtime goes into `app.effects`.

use crate::session::SortKey;

use super::action::Action;
use super::app::{App, Effect, Overlay, Pane, Prompt, PromptKind, Raw, Status, View};
use super::nav::{click, follow, move_by, page, refresh_keeping_selection, wheel};
use super::{prompt, summary};

pub use super::nav::{restore_selection, select};

/// Apply one action.
pub fn update(app: &mut App, action: Action) {
    if let Some(Overlay::Summary(_)) = app.overlay
        && summary::handles(&action)
    {
        summary::update(app, action);
        return;
    }
    match action {
        Action::SelectNext => move_by(app, 1),
        Action::SelectPrevious => move_by(app, -1),
        Action::SelectFirst => select(app, 0),
        Action::SelectLast => select(app, usize::MAX),
        Action::PageDown => move_by(app, page(app) as isize),
        Action::PageUp => move_by(app, -(page(app) as isize)),
        Action::HalfPageDown => move_by(app, (page(app) / 2).max(1) as isize),
        Action::HalfPageUp => move_by(app, -((page(app) / 2).max(1) as isize)),
        Action::SelectRow(row) => select(app, row),
        Action::ClickAt { column, row } => click(app, column, row),
        Action::ScrollAt { column, row, down } => wheel(app, column, row, down),
        Action::Open => open(app),
        Action::Back => back(app),
        Action::FocusNext => cycle_focus(app, true),
        Action::FocusPrevious => cycle_focus(app, false),
        Action::ToggleRaw => toggle_raw(app),
        Action::ToggleHelp => toggle_overlay(app, Overlay::Help),
        Action::ToggleSummary => summary::open(app),
        Action::NextSummaryGroup => {}
        Action::ToggleMark => toggle_mark(app),
        Action::CycleSort => sort_by(app, app.session.sort.next()),
        Action::SortBy(key) => sort_by(app, key),
        Action::ReverseSort => {
            app.session.descending = !app.session.descending;
            refresh_keeping_selection(app);
        }
        Action::StartSearch => start_prompt(app, PromptKind::Search),
        Action::StartFilter => start_prompt(app, PromptKind::Filter),
        Action::PromptInput(c) => prompt::input(app, Some(c)),
        Action::PromptBackspace => prompt::input(app, None),
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
        other => super::background::update(app, other),
    }
}

fn open(app: &mut App) {
    if let Some(Overlay::Prompt(_)) = app.overlay {
        prompt::submit(app);
        return;
    }
    if app.selected_record().is_some() {
        app.view = View::Split;
        follow(app);
    }
}

fn back(app: &mut App) {
    if let Some(overlay) = app.overlay.take() {
        if matches!(overlay, Overlay::Prompt(Prompt { kind: PromptKind::Overwrite, .. })) {
            app.pending_export = None;
            set_status(app, "export cancelled: the file was left as it was", false);
        }
        return;
    }
    if app.raw.take().is_some() {
        return;
    }
    if app.view == View::Split {
        app.view = View::List;
        app.focus = Pane::List;
        follow(app);
        return;
    }
    if app.search.take().is_some() {
        set_status(app, "search cleared", false);
    }
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
        return;
    }
    if app.selected_record().is_none() {
        return;
    }
    app.view = View::Split;
    follow(app);
    request_raw(app);
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

pub(super) fn sort_by(app: &mut App, key: SortKey) {
    app.session.sort = key;
    refresh_keeping_selection(app);
    let dir = if app.session.descending { "descending" } else { "ascending" };
    set_status(app, &format!("sorted by {} ({dir})", key.label()), false);
}

fn start_prompt(app: &mut App, kind: PromptKind) {
    app.overlay = Some(Overlay::Prompt(Prompt { kind, input: String::new() }));
}

fn export(app: &mut App) {
    let count = app.session.selection().len();
    if count == 0 {
        set_status(app, "nothing to export: the list is empty", true);
        return;
    }
    let what = if app.session.marked.is_empty() { "shown" } else { "marked" };
    set_status(
        app,
        &format!(
            "export {count} {what} records: .md .html .json .csv, or .txt for a suppression list"
        ),
        false,
    );
    app.overlay = Some(Overlay::Prompt(Prompt {
        kind: PromptKind::Export,
        input: super::export::DEFAULT_NAME.to_string(),
    }));
}

fn rescan(app: &mut App) {
    app.scan.generation += 1;
    let generation = app.scan.generation;
    let keep_filter = std::mem::take(&mut app.session.filter);
    let (sort, descending) = (app.session.sort, app.session.descending);
    app.session = Default::default();
    app.session.filter = keep_filter;
    app.session.sort = sort;
    app.session.descending = descending;
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
