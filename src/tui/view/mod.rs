//! Drawing: each part of the screen is its own widget over `&App`; this module puts
//! them where `layout::areas` says.

pub mod bottom_bar;
pub mod diagnostic;
pub mod guidance;
pub mod hops;
pub mod incidents;
pub mod list;
pub mod overlay;
pub mod pane;
pub mod raw;
pub mod text;
pub mod top_bar;

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Widget;

use super::app::{App, Pane, View};
use super::layout::areas;

/// Draw the whole screen into a frame.
pub fn draw(frame: &mut Frame, app: &App) {
    let area = frame.area();
    render(app, area, frame.buffer_mut());
}

/// Draw the whole screen into a buffer (the frame's, or a test's).
pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let a = areas(app);
    let clip = |r: Rect| r.intersection(area);
    (&top_bar::TopBar { app }).render(clip(a.top), buf);
    if app.view == View::Incidents {
        (&incidents::IncidentsPane { app }).render(clip(a.list), buf);
    } else {
        (&list::ListPane { app }).render(clip(a.list), buf);
    }
    if let Some(d) = a.detail
        && app.selected().is_some()
    {
        if app.raw.is_some() {
            (&raw::RawPane { app }).render(clip(d.whole), buf);
            let up = app.raw_scroll > 0;
            let down = raw_extent(app, d.whole)
                .is_some_and(|e| (app.raw_scroll as usize) < e.max_scroll());
            scroll_marks(buf, clip(d.whole), up, down, &app.theme);
        } else {
            let panes = [
                (Pane::Hops, d.hops),
                (Pane::Diagnostic, d.diagnostic),
                (Pane::Guidance, d.guidance),
            ];
            for (pane, rect) in panes {
                let rect = clip(rect);
                render_pane(app, pane, rect, buf);
                let up = app.pane_scroll[pane.scroll_slot()] > 0;
                scroll_marks(buf, rect, up, more_below(app, pane, rect), &app.theme);
            }
        }
    }
    (&bottom_bar::BottomBar { app }).render(clip(a.bottom), buf);
    (&overlay::OverlayView { app }).render(area, buf);
}

fn render_pane(app: &App, pane: Pane, rect: Rect, buf: &mut Buffer) {
    match pane {
        Pane::Hops => (&hops::HopsPane { app }).render(rect, buf),
        Pane::Diagnostic => (&diagnostic::DiagnosticPane { app }).render(rect, buf),
        Pane::Guidance => (&guidance::GuidancePane { app }).render(rect, buf),
        Pane::List => {}
    }
}

/// Whether a pane has text below what it shows: drawn once more one row taller, the
/// extra row holds text exactly when there is more.
fn more_below(app: &App, pane: Pane, rect: Rect) -> bool {
    if rect.height < 3 || rect.width < 3 {
        return false;
    }
    let tall = Rect::new(0, 0, rect.width, rect.height + 1);
    let mut scratch = Buffer::empty(tall);
    render_pane(app, pane, tall, &mut scratch);
    let y = rect.height - 1;
    (1..rect.width - 1).any(|x| scratch[(x, y)].symbol() != " ")
}

/// `▲` at the top right of a frame when it scrolls up, `▼ more` at the bottom right
/// when it scrolls down.
pub fn scroll_marks(buf: &mut Buffer, rect: Rect, up: bool, down: bool, t: &super::theme::Theme) {
    if rect.width < 10 || rect.height < 3 {
        return;
    }
    if up {
        buf.set_string(rect.right() - 3, rect.y, "▲", t.key);
    }
    if down {
        let text = "▼ more";
        buf.set_string(
            rect.right() - 2 - text.chars().count() as u16,
            rect.bottom() - 1,
            text,
            t.key,
        );
    }
}

/// How much a pane holds and shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Extent {
    /// Rows of text it shows at once.
    pub rows: usize,
    /// Rows of text it holds.
    pub content: usize,
}

impl Extent {
    /// The largest useful scroll: the last line at the bottom.
    pub fn max_scroll(&self) -> usize {
        self.content.saturating_sub(self.rows)
    }
}

fn raw_extent(app: &App, whole: Rect) -> Option<Extent> {
    match &app.raw {
        Some(super::app::Raw::Loaded { text, .. }) => Some(Extent {
            rows: whole.height.saturating_sub(2) as usize,
            content: text.lines().count(),
        }),
        _ => None,
    }
}

/// What the focused pane holds and shows, for scrolling: the raw message by its lines,
/// a detail pane by drawing it unscrolled into a tall scratch buffer.
pub fn pane_extent(app: &mut App, pane: Pane) -> Option<Extent> {
    let d = areas(app).detail?;
    if app.raw.is_some() {
        return raw_extent(app, d.whole);
    }
    let rect = match pane {
        Pane::Hops => d.hops,
        Pane::Diagnostic => d.diagnostic,
        Pane::Guidance => d.guidance,
        Pane::List => return None,
    };
    let slot = pane.scroll_slot();
    let kept = std::mem::take(&mut app.pane_scroll[slot]);
    let tall = Rect::new(0, 0, rect.width, 400);
    let mut scratch = Buffer::empty(tall);
    render_pane(app, pane, tall, &mut scratch);
    app.pane_scroll[slot] = kept;
    let inner = 1..rect.width.saturating_sub(1);
    let content = (1..tall.height - 1)
        .rev()
        .find(|&y| inner.clone().any(|x| scratch[(x, y)].symbol() != " "))
        .map_or(0, |y| y as usize);
    Some(Extent { rows: rect.height.saturating_sub(2) as usize, content })
}
