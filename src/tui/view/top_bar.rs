//! The top bar: source, counts, active filters, and progress while scanning.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use crate::session::{Atom, Filter};
use crate::tui::app::App;

use super::text::{fit, fit_left, safe, thousands};

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

        // What matters most gets its room first: the counts, the marks, the filter
        // chips; the source's path takes what is left, cut from its start.
        let mut tail: Vec<Span> = Vec::new();
        let total = app.session.records().len();
        let shown = app.session.visible().len();
        tail.push(Span::styled(thousands(total), t.bar_accent));
        tail.push(Span::raw(if total == 1 { " record" } else { " records" }));
        for (n, label) in kind_counts(app) {
            tail.push(Span::raw(format!(" {} {label}", thousands(n))));
        }
        if shown != total {
            tail.push(Span::raw(format!("  shown {}", thousands(shown))));
        }
        let marked = app.session.marked.len();
        if marked > 0 {
            tail.push(Span::raw(" "));
            tail.push(Span::styled(format!("{} marked", thousands(marked)), t.bar_accent));
        }
        if app.watching {
            tail.push(Span::raw(" "));
            tail.push(Span::styled("watching", t.bar_accent));
        }
        for tag in filter_tags(&app.session.filter) {
            tail.push(Span::raw(" "));
            tail.push(Span::styled(format!("[{tag}]"), t.filter_tag));
        }
        if let Some(q) = &app.search {
            tail.push(Span::raw(" "));
            tail.push(Span::styled(
                format!("/{} ({} hits)", fit(&safe(&q.query), 16), q.hits.len()),
                t.filter_tag,
            ));
        }
        let tail_width: usize = tail.iter().map(|s| s.width()).sum();
        let name = " rebound ";
        let room = (left.width as usize).saturating_sub(name.len() + 2 + tail_width);
        let source =
            if room >= 8 { fit_left(&safe(&app.source), room.min(40)) } else { String::new() };
        let mut spans = vec![Span::styled(name, t.bar_accent), Span::raw(source), Span::raw("  ")];
        spans.extend(tail);
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

/// The records by kind (the session's count), kinds with none left out.
fn kind_counts(app: &App) -> Vec<(usize, &'static str)> {
    app.scan.kinds.named().into_iter().filter(|(n, _)| *n > 0).collect()
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

/// The active filters as short tags: `5.x.x`, `x.7.x`, `5.7.1*`, `hard`, `@example.org`,
/// `!hard`, `gmail|yahoo`.
pub fn filter_tags(f: &Filter) -> Vec<String> {
    let mut tags: Vec<String> = f.atoms().iter().map(tag).collect();
    for c in &f.clauses {
        let any: Vec<String> = c.any.iter().map(tag).collect();
        let joined = any.join("|");
        tags.push(if c.negate { format!("!{joined}") } else { joined });
    }
    tags
}

fn tag(a: &Atom) -> String {
    match a {
        Atom::Class(c) => format!("{c}.x.x"),
        Atom::Subject(s) => format!("x.{s}.x"),
        Atom::Code(p) => format!("{}*", safe(p)),
        Atom::Reason(r) => r.as_str().to_string(),
        Atom::Hard(h) => if *h { "hard" } else { "soft" }.to_string(),
        Atom::Domain(d) => format!("@{}", fit(&safe(d), 24)),
        Atom::Kind(k) => k.as_str().to_string(),
        Atom::Mta(m) => format!("mta:{}", fit(&safe(m), 24)),
        Atom::Provider(p) => format!("provider:{}", fit(&safe(p), 20)),
        Atom::Day(d) => d.to_string(),
        Atom::State(s) => crate::session::triage::describe_states(s),
        Atom::Incident(k) => format!("incident {} {}", fit(&safe(&k.org), 16), safe(&k.code)),
        Atom::Text(t) => format!("\"{}\"", fit(&safe(t), 16)),
    }
}
