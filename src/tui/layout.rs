//! Where each part of the screen goes. One pure function used by the views (to draw)
//! and by `update` (to scroll and to map mouse clicks), so the two never disagree.

use ratatui::layout::{Constraint, Layout, Rect};

use super::app::{App, View};

/// Below this width the detail panes stack instead of sitting side by side.
pub const WIDE: u16 = 110;

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
    if app.view == View::List {
        return Areas { top, list: middle, detail: None, bottom };
    }
    let list_height = (middle.height * 3 / 10).max(4);
    let [list, whole] =
        Layout::vertical([Constraint::Length(list_height), Constraint::Fill(1)]).areas(middle);
    let detail = if area.width >= WIDE {
        let [upper, guidance] =
            Layout::vertical([Constraint::Percentage(55), Constraint::Fill(1)]).areas(whole);
        let [hops, diagnostic] =
            Layout::horizontal([Constraint::Percentage(55), Constraint::Fill(1)]).areas(upper);
        Detail { whole, hops, diagnostic, guidance }
    } else {
        let [hops, diagnostic, guidance] = Layout::vertical([
            Constraint::Ratio(1, 3),
            Constraint::Ratio(1, 3),
            Constraint::Ratio(1, 3),
        ])
        .areas(whole);
        Detail { whole, hops, diagnostic, guidance }
    };
    Areas { top, list, detail: Some(detail), bottom }
}
