//! Moving around: the selection, the list's scroll, pane scrolling, mouse clicks and
//! the wheel, and keeping the selected record selected when the list changes.

use super::app::{App, Pane, View};
use super::layout::areas;
use super::update::{request_raw, sort_by};
/// Rows in one page of the list.
pub(super) fn page(app: &App) -> usize {
    areas(app).list_rows().max(1)
}

fn focused_detail(app: &App) -> Option<Pane> {
    (app.view == View::Split && app.focus != Pane::List).then_some(app.focus)
}

pub(super) fn move_by(app: &mut App, delta: isize) {
    if let Some(pane) = focused_detail(app) {
        scroll_pane(app, pane, delta);
        return;
    }
    let target = app.selected.saturating_add_signed(delta);
    select(app, target);
}

fn scroll_pane(app: &mut App, pane: Pane, delta: isize) {
    let max = super::view::pane_extent(app, pane).map_or(u16::MAX as usize, |e| e.max_scroll());
    let slot = if app.raw.is_some() {
        &mut app.raw_scroll
    } else {
        &mut app.pane_scroll[pane.scroll_slot()]
    };
    *slot = (*slot as isize + delta).clamp(0, max.min(u16::MAX as usize) as isize) as u16;
}

/// g / G: the first or last row, or the top or bottom of the focused pane.
pub(super) fn to_end(app: &mut App, last: bool) {
    if let Some(pane) = focused_detail(app) {
        scroll_pane(app, pane, if last { isize::MAX / 2 } else { isize::MIN / 2 });
        return;
    }
    select(app, if last { usize::MAX } else { 0 });
}

/// PgDn / PgUp: a page of the list, or of the focused pane (its own height, so a tall
/// raw message moves by a screenful, not by the list's few rows).
pub(super) fn page_by(app: &mut App, direction: isize) {
    if let Some(pane) = focused_detail(app) {
        let rows = super::view::pane_extent(app, pane).map_or(10, |e| e.rows.saturating_sub(1));
        scroll_pane(app, pane, direction * rows.max(1) as isize);
        return;
    }
    move_by(app, direction * page(app) as isize);
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
        if app.view == View::Split {
            super::update::see_selected(app);
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

pub(super) fn click(app: &mut App, column: u16, row: u16) {
    let a = areas(app);
    let pos = ratatui::layout::Position { x: column, y: row };
    if a.list.contains(pos) && row == a.list.y {
        // A click on a column title sorts by it; a second click reverses.
        if let Some(key) = super::view::list::column_at(a.list.width, column - a.list.x) {
            if key == app.session.sort {
                app.session.descending = !app.session.descending;
            }
            sort_by(app, key);
        }
    } else if a.list.contains(pos) && row > a.list.y {
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

pub(super) fn wheel(app: &mut App, column: u16, row: u16, down: bool) {
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
