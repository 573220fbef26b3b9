//! The one place where the App changes: `update(&mut App, Action)`.
//! No I/O here; work for the runtime goes into `app.effects`.

use crate::session::SortKey;

use super::action::Action;
use super::app::{App, Effect, Overlay, Pane, Prompt, PromptKind, Raw, Status, View};
use super::layout::areas;
use super::{prompt, summary};

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

/// Rows in one page of the list.
fn page(app: &App) -> usize {
    areas(app).list_rows().max(1)
}

fn focused_detail(app: &App) -> Option<Pane> {
    (app.view == View::Split && app.focus != Pane::List).then_some(app.focus)
}

fn move_by(app: &mut App, delta: isize) {
    if let Some(pane) = focused_detail(app) {
        scroll_pane(app, pane, delta);
        return;
    }
    let target = app.selected.saturating_add_signed(delta);
    select(app, target);
}

fn scroll_pane(app: &mut App, pane: Pane, delta: isize) {
    let slot = if app.raw.is_some() {
        &mut app.raw_scroll
    } else {
        &mut app.pane_scroll[pane.scroll_slot()]
    };
    *slot = (*slot as isize + delta).clamp(0, u16::MAX as isize) as u16;
}

/// Select the row at `position` in the shown list (clamped).
pub fn select(app: &mut App, position: usize) {
    let before = app.selected_record();
    let len = app.session.visible().len();
    app.selected = position.min(len.saturating_sub(1));
    follow(app);
    if app.selected_record() != before {
        app.pane_scroll = [0; 3];
        app.raw_scroll = 0;
        if app.raw.is_some() {
            request_raw(app);
        }
    }
}

/// Scroll the list so the selected row is on screen.
pub fn follow(app: &mut App) {
    let rows = areas(app).list_rows().max(1);
    let len = app.session.visible().len();
    if app.selected < app.list_offset {
        app.list_offset = app.selected;
    } else if app.selected >= app.list_offset + rows {
        app.list_offset = app.selected + 1 - rows;
    }
    app.list_offset = app.list_offset.min(len.saturating_sub(rows));
}

/// After the records, filter or sort changed: keep the same record selected when it
/// is still shown.
pub fn refresh_keeping_selection(app: &mut App) {
    let before = app.selected_record();
    app.session.refresh();
    restore_selection(app, before);
}

pub fn restore_selection(app: &mut App, before: Option<usize>) {
    // Search hits are positions in the shown list: they move when it changes.
    if let Some(query) = app.search.as_ref().map(|s| s.query.clone()) {
        app.search = Some(app.session.search(&query));
    }
    let visible = app.session.visible();
    app.selected = match before.and_then(|r| visible.iter().position(|&i| i == r)) {
        Some(pos) => pos,
        None => app.selected.min(visible.len().saturating_sub(1)),
    };
    follow(app);
}

fn click(app: &mut App, column: u16, row: u16) {
    let a = areas(app);
    let pos = ratatui::layout::Position { x: column, y: row };
    if a.list.contains(pos) && row > a.list.y {
        app.focus = Pane::List;
        select(app, app.list_offset + (row - a.list.y - 1) as usize);
    } else if let Some(d) = a.detail {
        for (pane, rect) in [(Pane::Hops, d.hops), (Pane::Diagnostic, d.diagnostic)] {
            if rect.contains(pos) {
                app.focus = pane;
            }
        }
        if d.guidance.contains(pos) {
            app.focus = Pane::Guidance;
        }
    }
}

fn wheel(app: &mut App, column: u16, row: u16, down: bool) {
    let a = areas(app);
    let pos = ratatui::layout::Position { x: column, y: row };
    let delta = if down { 3 } else { -3 };
    if let Some(d) = a.detail
        && d.whole.contains(pos)
    {
        let pane = [Pane::Hops, Pane::Diagnostic, Pane::Guidance]
            .into_iter()
            .zip([d.hops, d.diagnostic, d.guidance])
            .find(|(_, r)| r.contains(pos))
            .map_or(Pane::Hops, |(p, _)| p);
        scroll_pane(app, pane, delta);
        return;
    }
    let target = app.selected.saturating_add_signed(delta);
    select(app, target);
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
    if app.overlay.take().is_some() {
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

fn request_raw(app: &mut App) {
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

fn sort_by(app: &mut App, key: SortKey) {
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
