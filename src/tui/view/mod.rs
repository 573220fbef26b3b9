//! Drawing: each part of the screen is its own widget over `&App`; this module puts
//! them where `layout::areas` says.

pub mod bottom_bar;
pub mod diagnostic;
pub mod guidance;
pub mod hops;
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

use super::app::App;
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
    (&list::ListPane { app }).render(clip(a.list), buf);
    if let Some(d) = a.detail
        && app.selected().is_some()
    {
        if app.raw.is_some() {
            (&raw::RawPane { app }).render(clip(d.whole), buf);
        } else {
            (&hops::HopsPane { app }).render(clip(d.hops), buf);
            (&diagnostic::DiagnosticPane { app }).render(clip(d.diagnostic), buf);
            (&guidance::GuidancePane { app }).render(clip(d.guidance), buf);
        }
    }
    (&bottom_bar::BottomBar { app }).render(clip(a.bottom), buf);
    (&overlay::OverlayView { app }).render(area, buf);
}
