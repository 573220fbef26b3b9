//! Where each part of the screen goes. One pure function used by the views (to draw)
//! and by `update` (to scroll and to map mouse clicks), so the two never disagree.

use ratatui::layout::{Constraint, Layout, Rect};

use super::app::{App, Pane, View};

/// Below this width diagnostic and guidance stack instead of sitting side by side.
pub const WIDE: u16 = 110;
/// Below this many rows for the detail panes, the focused one takes most of them.
pub const SHORT: u16 = 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    pub top: Rect,
    /// The list, header row included.
    pub list: Rect,
    pub detail: Option<Detail>,
    pub bottom: Rect,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Detail {
    /// All of the detail area (the raw view uses it whole).
    pub whole: Rect,
    pub hops: Rect,
    pub diagnostic: Rect,
    pub guidance: Rect,
}

impl Areas {
    /// Rows of the list that show records (the header takes one).
    pub fn list_rows(&self) -> usize {
        self.list.height.saturating_sub(1) as usize
    }
}

pub fn areas(app: &App) -> Areas {
    let area = app.area;
    let [top, middle, bottom] =
        Layout::vertical([Constraint::Length(1), Constraint::Fill(1), Constraint::Length(1)])
            .areas(area);
    if app.view != View::Split {
        return Areas { top, list: middle, detail: None, bottom };
    }
    let list_height = (middle.height * 3 / 10).max(4);
    let [list, whole] =
        Layout::vertical([Constraint::Length(list_height), Constraint::Fill(1)]).areas(middle);
    if whole.height < SHORT {
        // Little room: the focused pane (the diagnostic while the list has the keys)
        // gets most of it, the other two keep their title and a line or two.
        let grow = match app.focus {
            Pane::List => Pane::Diagnostic,
            p => p,
        };
        let size = |p: Pane| if p == grow { Constraint::Fill(1) } else { Constraint::Length(4) };
        let [hops, diagnostic, guidance] =
            Layout::vertical([size(Pane::Hops), size(Pane::Diagnostic), size(Pane::Guidance)])
                .areas(whole);
        return Areas {
            top,
            list,
            detail: Some(Detail { whole, hops, diagnostic, guidance }),
            bottom,
        };
    }
    // The hops table wants the full width (host names are long) and only as many
    // rows as there are hops; diagnostic and guidance share the rest.
    let hop_rows = app.selected().map_or(1, |r| r.report.hops.len().max(1)) as u16;
    let hops_height = (hop_rows + 4).min(whole.height / 3).max(4);
    let [hops, rest] =
        Layout::vertical([Constraint::Length(hops_height), Constraint::Fill(1)]).areas(whole);
    let [diagnostic, guidance] = if area.width >= WIDE {
        Layout::horizontal([Constraint::Percentage(50), Constraint::Fill(1)]).areas(rest)
    } else {
        Layout::vertical([Constraint::Percentage(50), Constraint::Fill(1)]).areas(rest)
    };
    let detail = Detail { whole, hops, diagnostic, guidance };
    Areas { top, list, detail: Some(detail), bottom }
}
