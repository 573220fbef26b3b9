//! The top bar: source, counts, active filters, and progress while scanning.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use crate::session::Filter;
use crate::tui::app::App;

use super::text::{fit, safe, thousands};

pub struct TopBar<'a> {
    pub app: &'a App,
}

impl Widget for &TopBar<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.app;
        let t = &app.theme;
        buf.set_style(area, t.bar);
        let progress = progress_text(app);
        let right_width = progress.as_ref().map_or(0, |p| p.chars().count() as u16 + 12);
        let [left, right] =
            Layout::horizontal([Constraint::Fill(1), Constraint::Length(right_width)]).areas(area);

        let (total, hard) = counts(app);
        let shown = app.session.visible().len();
        let mut spans = vec![
            Span::styled(" rebound ", t.bar_accent),
            Span::raw(fit(&safe(&app.source), 28)),
            Span::raw("  "),
            Span::styled(thousands(total), t.bar_accent),
            Span::raw(" bounces "),
            Span::raw(format!("{} hard {} soft", thousands(hard), thousands(total - hard))),
        ];
        if shown != total {
            spans.push(Span::raw(format!("  shown {}/{}", thousands(shown), thousands(total))));
        }
        for tag in filter_tags(&app.session.filter) {
            spans.push(Span::raw(" "));
            spans.push(Span::styled(format!("[{tag}]"), t.filter_tag));
        }
        if let Some(q) = &app.search {
            spans.push(Span::raw(" "));
            spans.push(Span::styled(
                format!("/{} ({} hits)", fit(&safe(&q.query), 16), q.hits.len()),
                t.filter_tag,
            ));
        }
        Line::from(spans).render(left, buf);

        if let Some(text) = progress {
            let ratio = progress_ratio(app);
            let [label, gauge] =
                Layout::horizontal([Constraint::Fill(1), Constraint::Length(11)]).areas(right);
            Line::from(Span::styled(text, t.bar_accent)).render(label, buf);
            let filled = (ratio.unwrap_or(0.0) * 10.0).round() as usize;
            let bar = match ratio {
                Some(_) => format!("{}{} ", "█".repeat(filled), "░".repeat(10 - filled)),
                None => "░░░░░░░░░░ ".to_string(),
            };
            Line::from(Span::styled(bar, t.gauge)).render(gauge, buf);
        }
    }
}

/// (records, hard records).
fn counts(app: &App) -> (usize, usize) {
    let total = app.session.records().len();
    (total, app.scan.hard.min(total))
}

fn progress_text(app: &App) -> Option<String> {
    if !app.scan.running {
        return None;
    }
    let p = &app.scan.progress;
    Some(match (p.total, progress_ratio(app)) {
        (Some(total), Some(ratio)) => format!(
            "scanning {}/{} {:.0}% ",
            thousands(p.examined),
            thousands(total),
            ratio * 100.0
        ),
        _ => format!("scanning {} messages ", thousands(p.examined)),
    })
}

fn progress_ratio(app: &App) -> Option<f64> {
    let p = &app.scan.progress;
    let total = p.total.filter(|t| *t > 0)?;
    Some((p.examined as f64 / total as f64).clamp(0.0, 1.0))
}

/// The active filters as short tags: `5.x.x`, `x.7.x`, `5.7.1*`, `hard`, `@example.org`.
pub fn filter_tags(f: &Filter) -> Vec<String> {
    let mut tags = Vec::new();
    if let Some(c) = f.class {
        tags.push(format!("{c}.x.x"));
    }
    if let Some(s) = f.subject {
        tags.push(format!("x.{s}.x"));
    }
    if let Some(p) = &f.code_prefix {
        tags.push(format!("{}*", safe(p)));
    }
    if let Some(r) = f.reason {
        tags.push(r.as_str().to_string());
    }
    if let Some(h) = f.hard {
        tags.push(if h { "hard" } else { "soft" }.to_string());
    }
    if let Some(d) = &f.domain {
        tags.push(format!("@{}", fit(&safe(d), 24)));
    }
    if let Some(k) = f.kind {
        tags.push(k.as_str().to_string());
    }
    if let Some(m) = &f.reporting_mta {
        tags.push(format!("mta:{}", fit(&safe(m), 24)));
    }
    if let Some(d) = f.day {
        tags.push(d.to_string());
    }
    if let Some(text) = &f.text {
        tags.push(format!("\"{}\"", fit(&safe(text), 16)));
    }
    tags
}
