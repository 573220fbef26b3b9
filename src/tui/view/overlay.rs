//! What floats over the main view: the help, the filter prompt, the summary.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Widget, Wrap};

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
                filter(app, &p.input, area, buf)
            }
            Some(Overlay::Summary(s)) => summary(app, s, area, buf),
            _ => {}
        }
    }
}

fn help(app: &App, area: Rect, buf: &mut Buffer) {
    let t = &app.theme;
    let rect = centered(area, 78, HELP.len() as u16 + 3);
    let lines: Vec<Line> = HELP
        .iter()
        .map(|(keys, what)| {
            Line::from(vec![Span::styled(format!(" {keys:<15}"), t.key), Span::raw(*what)])
        })
        .collect();
    Clear.render(rect, buf);
    Paragraph::new(lines)
        .block(block("keys (? or Esc closes)".into(), true, t, rect.width))
        .wrap(Wrap { trim: false })
        .render(rect, buf);
}

fn filter(app: &App, input: &str, area: Rect, buf: &mut Buffer) {
    let t = &app.theme;
    let rect = centered(area, 72, 12);
    let tags = filter_tags(&app.session.filter);
    let now = if tags.is_empty() { "none".to_string() } else { tags.join(" ") };
    let lines = vec![
        Line::from(vec![
            Span::styled("filter> ", t.key),
            Span::raw(input.to_string()),
            Span::styled("▏", t.key),
        ]),
        Line::raw(""),
        Line::from(vec![Span::styled("active  ", t.label), Span::raw(now)]),
        Line::from(vec![Span::styled("class   ", t.label), Span::raw("2  4  5")]),
        Line::from(vec![Span::styled("subject ", t.label), Span::raw("x.1 ... x.7")]),
        Line::from(vec![Span::styled("code    ", t.label), Span::raw("5.7  5.7.1  (prefix)")]),
        Line::from(vec![
            Span::styled("verdict ", t.label),
            Span::raw("hard  soft   reason: userunknown, mailboxfull, ..."),
        ]),
        Line::from(vec![
            Span::styled("domain  ", t.label),
            Span::raw("@example.org      text:any words"),
        ]),
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
    let rect = centered(area, 64, height);
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
        let (value, count) = (safe(&group.label()).into_owned(), &group.count);
        let name_w = inner_w.saturating_sub(bar_w + 10);
        let filled = (count * bar_w).div_ceil(max);
        let mut line = Line::from(vec![
            Span::raw(cell(&value, name_w)),
            Span::raw(format!("{:>8} ", thousands(*count))),
            Span::styled("█".repeat(filled), t.delay_bar),
        ]);
        if i == s.selected {
            line = line.patch_style(t.selected);
        }
        lines.push(line);
    }
    if s.groups.is_empty() {
        lines.push(Line::raw("Nothing to summarise: the list is empty."));
    }
    Paragraph::new(lines).block(block(title, true, t, rect.width)).render(rect, buf);
}
