//! What floats over the main view: the help, the filter prompt, the summary.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Widget, Wrap};
use unicode_width::UnicodeWidthStr;

use crate::tui::app::{App, Overlay, PromptKind, Summary};
use crate::tui::keymap::HELP;

use super::pane::block;
use super::text::{cell, safe, thousands};
use super::top_bar::filter_tags;

pub struct OverlayView<'a> {
    pub app: &'a App,
}

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    area.centered(
        Constraint::Length(width.min(area.width)),
        Constraint::Length(height.min(area.height)),
    )
}

impl Widget for &OverlayView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.app;
        match &app.overlay {
            Some(Overlay::Help) => help(app, area, buf),
            Some(Overlay::Prompt(p)) if p.kind == PromptKind::Filter => {
                filter(app, &p.line, area, buf)
            }
            Some(Overlay::Summary(s)) => summary(app, s, area, buf),
            _ => {}
        }
    }
}

/// The key column of the help: a space, the keys, padding to 16 columns.
const HELP_KEYS: usize = 16;

/// The help's width when the screen allows: the key column, the longest description,
/// a space on its right and the frame, so no entry is cut or wrapped.
fn help_width() -> u16 {
    let longest = HELP.iter().map(|(_, what)| what.width()).max().unwrap_or(0);
    (HELP_KEYS + longest + 1 + 2) as u16
}

/// The help as it is drawn in a box `width` wide: (keys, description) per row, with a
/// description too long for the box wrapped onto rows of its own under the
/// description column (their keys are empty).
fn help_lines(width: u16) -> Vec<(&'static str, String)> {
    let room = (width as usize).saturating_sub(HELP_KEYS + 2 + 1).max(8);
    let mut lines = Vec::new();
    for (keys, what) in HELP {
        // A written continuation ("  provider:gmail ...") keeps its indent when wrapped.
        let text = what.trim_start_matches(' ');
        let indent = " ".repeat(what.len() - text.len());
        for (i, part) in
            super::pane::wrap(text, room.saturating_sub(indent.len())).into_iter().enumerate()
        {
            lines.push((if i == 0 { *keys } else { "" }, format!("{indent}{part}")));
        }
    }
    lines
}

/// The help's rectangle on a screen of `area`: as wide as its longest entry when the
/// screen allows, else the screen's width with long entries wrapped.
fn help_rect(area: Rect) -> Rect {
    let width = help_width().min(area.width);
    centered(area, width, help_lines(width).len() as u16 + 3)
}

/// Lines of help the overlay shows at once (its height less the frame and the hint).
pub fn help_rows(area: Rect) -> u16 {
    help_rect(area).height.saturating_sub(2)
}

/// Lines the help holds on a screen of `area` (after wrapping), for scrolling.
pub fn help_len(area: Rect) -> usize {
    help_lines(help_rect(area).width).len()
}

fn help(app: &App, area: Rect, buf: &mut Buffer) {
    let t = &app.theme;
    let rect = help_rect(area);
    let rows = help_rows(area) as usize;
    let all = help_lines(rect.width);
    let first = (app.help_scroll as usize).min(all.len().saturating_sub(rows));
    let lines: Vec<Line> = all
        .iter()
        .skip(first)
        .take(rows)
        .map(|(keys, what)| {
            Line::from(vec![
                Span::styled(format!(" {keys:<w$}", w = HELP_KEYS - 1), t.key),
                Span::raw(what.as_str()),
            ])
        })
        .collect();
    let below = all.len().saturating_sub(first + rows);
    let mut title = "keys (? or Esc closes)".to_string();
    if first > 0 || below > 0 {
        title = format!(
            "keys (? or Esc closes) {}-{} of {}, j/k scroll",
            first + 1,
            first + lines.len(),
            all.len()
        );
    }
    Clear.render(rect, buf);
    Paragraph::new(lines).block(block(title, true, t, rect.width)).render(rect, buf);
    super::scroll_marks(buf, rect, first > 0, below > 0, t);
}

fn filter(app: &App, line: &crate::tui::edit::Line, area: Rect, buf: &mut Buffer) {
    let t = &app.theme;
    let rect = centered(area, 76, 14);
    let tags = filter_tags(&app.session.filter);
    let now = if tags.is_empty() { "none".to_string() } else { tags.join(" ") };
    let mut prompt = vec![Span::styled("filter> ", t.key)];
    prompt.extend(super::bottom_bar::cursor_spans(line, t));
    let row = |label: &'static str, text: &'static str| {
        Line::from(vec![Span::styled(label, t.label), Span::raw(text)])
    };
    let lines = vec![
        Line::from(prompt),
        Line::raw(""),
        Line::from(vec![Span::styled("active   ", t.label), Span::raw(safe(&now).into_owned())]),
        row("code     ", "5  x.7  5.7  5.7.1  550  55  none"),
        row("verdict  ", "hard  soft  userunknown  blocked ...  delay  feedback"),
        row("where    ", "@example.org  mta:outlook.com  provider:gmail"),
        row("when     ", "day:2026-11-03     triage: new seen handled unhandled"),
        row("text     ", "text:any words (the rest of the line)"),
        row("combine  ", "!hard  not;  5.1.1|5.7.1  either;  words: all must hold"),
        Line::styled(
            "Enter applies (adds to the active filters), empty Enter or clear removes all",
            t.dim,
        ),
    ];
    Clear.render(rect, buf);
    Paragraph::new(lines)
        .block(block("filter".into(), true, t, rect.width))
        .wrap(Wrap { trim: false })
        .render(rect, buf);
}

fn summary(app: &App, s: &Summary, area: Rect, buf: &mut Buffer) {
    let t = &app.theme;
    let height = (s.groups.len() as u16 + 4).min(area.height.saturating_sub(4)).max(5);
    let rect = centered(area, 84, height);
    Clear.render(rect, buf);
    let title = format!("summary by {} (Tab: next grouping, Enter: filter)", s.title);
    let inner_w = rect.width.saturating_sub(2) as usize;
    let rows = rect.height.saturating_sub(3) as usize;
    let start = s.selected.saturating_sub(rows.saturating_sub(1));
    let mut lines = vec![Line::styled(
        format!(
            "{} groups, {} records from {} reports shown",
            s.groups.len(),
            thousands(s.records),
            thousands(s.reports)
        ),
        t.dim,
    )];
    let bar_w = 12;
    let max = s.groups.first().map_or(1, |g| g.count.max(1));
    for (i, group) in s.groups.iter().enumerate().skip(start).take(rows) {
        // Codes carry their catalog title: "5.1.1 Bad destination mailbox address".
        let label = match group.key.title() {
            Some(title) => format!("{} {title}", group.label()),
            None => group.label(),
        };
        let (value, count) = (safe(&label).into_owned(), &group.count);
        let name_w = inner_w.saturating_sub(bar_w + 10);
        let filled = (count * bar_w).div_ceil(max);
        // The selection marks the name and the count; the bar keeps its own style, as
        // reverse video would draw a block in the background colour and hide it.
        let picked = if i == s.selected { t.selected } else { Style::new() };
        lines.push(Line::from(vec![
            Span::styled(cell(&value, name_w), picked),
            Span::styled(format!("{:>8} ", thousands(*count)), picked),
            Span::styled("█".repeat(filled), t.delay_bar),
        ]));
    }
    if s.groups.is_empty() {
        lines.push(Line::raw("Nothing to summarise: the list is empty."));
    }
    Paragraph::new(lines).block(block(title, true, t, rect.width)).render(rect, buf);
}
