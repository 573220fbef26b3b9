//! The raw message, shown in place of the detail panes. The text was cleaned when it
//! was loaded; only the lines on screen are handed to the paragraph. Lines that hold the
//! evidence of the selected recipient's verdict (its codes, the phrase a rule matched)
//! are marked, so the verdict can be checked against the message.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget};

use crate::tui::app::{App, Pane, Raw};

use super::pane::block;

pub struct RawPane<'a> {
    pub app: &'a App,
}

impl Widget for &RawPane<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.app;
        let t = &app.theme;
        let Some(raw) = &app.raw else { return };
        let focused = app.focus != Pane::List;
        let (title, lines): (String, Vec<Line>) = match raw {
            Raw::Loading { .. } => ("raw message".into(), vec![Line::styled("loading...", t.dim)]),
            Raw::Failed { error, .. } => (
                "raw message".into(),
                vec![
                    Line::styled("The raw message cannot be shown:", t.warn),
                    Line::raw(error.clone()),
                ],
            ),
            Raw::Loaded { text, .. } => {
                let total = text.lines().count();
                let first = (app.raw_scroll as usize).min(total.saturating_sub(1));
                let height = area.height.saturating_sub(2) as usize;
                let needles = app
                    .selected()
                    .map(|r| crate::verdict::evidence_needles(r.recipient()))
                    .unwrap_or_default();
                let lines = text.lines().skip(first).take(height).map(|l| {
                    let lower = l.to_lowercase();
                    if needles.iter().any(|n| lower.contains(n.as_str())) {
                        Line::styled(format!("> {l}"), t.search_hit)
                    } else {
                        Line::raw(format!("  {l}"))
                    }
                });
                (
                    format!(
                        "raw message (lines {}-{} of {total}; v to close)",
                        first + 1,
                        (first + height).min(total)
                    ),
                    lines.collect(),
                )
            }
        };
        Paragraph::new(lines).block(block(title, focused, t, area.width)).render(area, buf);
    }
}
