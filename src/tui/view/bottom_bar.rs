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
    ("i", "incidents"),
    ("f", "filter"),
    ("/", "search"),
    ("m", "mark"),
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
            let scope;
            let (label, hint) = match p.kind {
                PromptKind::Export => {
                    scope = format!(
                        "   {}; Enter write (asks before replacing a file), Esc cancel",
                        crate::tui::update::export_scope(app).1
                    );
                    ("export to: ", scope.as_str())
                }
                PromptKind::Overwrite => {
                    ("the file exists: overwrite it? ", "   y replaces it, n or Esc keeps it")
                }
                PromptKind::Pipe => {
                    ("pipe to: ", "   Enter runs it on the raw message, Esc cancel")
                }
                PromptKind::Save => ("save as: ", "   Enter write (never overwrites), Esc cancel"),
                PromptKind::Ticket => {
                    ("ticket to: ", "   Enter write Markdown (never overwrites), Esc cancel")
                }
                _ => ("/", "   Enter search, Esc cancel"),
            };
            let mut spans = vec![Span::styled(label, t.key)];
            spans.extend(cursor_spans(&p.line, t));
            spans.push(Span::styled(hint.to_string(), t.dim));
            Line::from(spans).render(area, buf);
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

/// The line typed so far with its cursor shown as a reverse-video cell.
pub fn cursor_spans<'a>(
    line: &crate::tui::edit::Line,
    t: &crate::tui::theme::Theme,
) -> Vec<Span<'a>> {
    let (before, after) = line.split();
    let mut chars = after.chars();
    let under = chars.next().map_or(" ".to_string(), |c| c.to_string());
    let rest: String = chars.collect();
    vec![
        Span::raw(super::text::safe(before).into_owned()),
        Span::styled(
            super::text::safe(&under).into_owned(),
            t.key.add_modifier(ratatui::style::Modifier::REVERSED),
        ),
        Span::raw(super::text::safe(&rest).into_owned()),
    ]
}
