//! The bottom line: the search prompt while typing, else the last status message,
//! else the main keys.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use crate::tui::app::{App, Overlay, PromptKind};

pub struct BottomBar<'a> {
    pub app: &'a App,
}

const HINTS: &[(&str, &str)] = &[
    ("j/k", "move"),
    ("enter", "open"),
    ("f", "filter"),
    ("/", "search"),
    ("s", "sort"),
    ("t", "summary"),
    ("v", "raw"),
    ("e", "export"),
    ("?", "help"),
    ("q", "quit"),
];

impl Widget for &BottomBar<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.app;
        let t = &app.theme;
        if let Some(Overlay::Prompt(p)) = &app.overlay
            && p.kind != PromptKind::Filter
        {
            let (label, hint) = match p.kind {
                PromptKind::Export => {
                    ("export to: ", "   Enter write (asks before replacing a file), Esc cancel")
                }
                PromptKind::Overwrite => {
                    ("the file exists: overwrite it? ", "   y replaces it, n or Esc keeps it")
                }
                _ => ("/", "   Enter search, Esc cancel"),
            };
            Line::from(vec![
                Span::styled(label, t.key),
                Span::raw(super::text::safe(&p.input).into_owned()),
                Span::styled("▏", t.key),
                Span::styled(hint, t.dim),
            ])
            .render(area, buf);
            return;
        }
        if let Some(status) = &app.status {
            let style = if status.is_error { t.warn } else { t.base };
            Line::from(vec![
                Span::styled(format!(" {}", status.text), style),
                Span::styled("   ? help", t.dim),
            ])
            .render(area, buf);
            return;
        }
        let mut spans = Vec::new();
        for (key, what) in HINTS {
            spans.push(Span::styled(format!(" {key}"), t.key));
            spans.push(Span::styled(format!(" {what} "), t.dim));
        }
        Line::from(spans).render(area, buf);
    }
}
