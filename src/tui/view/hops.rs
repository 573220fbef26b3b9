//! The hops pane: the original message's Received chain, oldest first, with the signed
//! delay of each hop, a bar for its share of the transit, TLS, and clock skew flagged.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use crate::bounce::{Hop, transit_secs};
use crate::tui::app::{App, Pane};

use super::pane::block;
use super::text::{cell, duration, safe};

pub struct HopsPane<'a> {
    pub app: &'a App,
}

const BAR: usize = 8;

impl Widget for &HopsPane<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.app;
        let t = &app.theme;
        let Some(record) = app.selected() else { return };
        let hops = &record.report.hops;
        let title = format!("hops ({})", hops.len());
        let block = block(title, app.focus == Pane::Hops, t, area.width);
        let inner_width = area.width.saturating_sub(2) as usize;
        let mut lines = Vec::new();
        if hops.is_empty() {
            lines.push(Line::styled(
                "The report does not include the original message's Received headers.",
                t.dim,
            ));
        } else {
            let positive: i64 = hops.iter().filter_map(|h| h.delay_secs).filter(|d| *d > 0).sum();
            // Fixed columns: index 3, arrow 1, space 1, with 7, TLS 4, time 9, delay 8,
            // bar BAR; the two host names share the rest.
            let names = inner_width.saturating_sub(3 + 1 + 1 + 7 + 4 + 9 + 8 + BAR);
            let half = (names / 2).max(4);
            lines.push(Line::styled(
                format!(
                    "   {}→{} {} TLS time UTC   delay",
                    cell("from", half),
                    cell("by", half),
                    cell("with", 6)
                ),
                t.label,
            ));
            for (i, hop) in hops.iter().enumerate() {
                lines.push(hop_line(app, i + 1, hop, half, positive));
            }
            if let Some(total) = transit_secs(hops) {
                lines.push(Line::from(vec![
                    Span::styled("total transit ", t.label),
                    Span::raw(duration(total)),
                ]));
            }
        }
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false })
            .scroll((app.pane_scroll[Pane::Hops.scroll_slot()], 0))
            .render(area, buf);
    }
}

fn hop_line<'a>(app: &App, n: usize, hop: &Hop, name_width: usize, positive: i64) -> Line<'a> {
    let t = &app.theme;
    let name = |s: &Option<String>| cell(&s.as_deref().map_or("?".into(), |v| safe(v)), name_width);
    let time = hop
        .time
        .map_or_else(|| "--:--:--".into(), |d| d.naive_utc().format("%H:%M:%S").to_string());
    let delay = hop.delay_secs.map_or_else(String::new, duration);
    let delay_style = if hop.skew || hop.delay_secs.is_some_and(|d| d < 0) {
        t.warn
    } else if hop.delay_secs.is_some_and(|d| d >= 60) {
        t.soft
    } else {
        t.base
    };
    let share = match hop.delay_secs {
        Some(d) if d > 0 && positive > 0 => {
            ((d as f64 / positive as f64) * BAR as f64).ceil() as usize
        }
        _ => 0,
    };
    let bar = format!("{}{}", "█".repeat(share.min(BAR)), " ".repeat(BAR - share.min(BAR)));
    let with = hop.with.as_deref().map_or(String::new(), |w| safe(w).into_owned());
    let mut spans = vec![
        Span::styled(format!("{n:>2} "), t.dim),
        Span::raw(name(&hop.from)),
        Span::styled("→", t.dim),
        Span::raw(name(&hop.by)),
        Span::raw(" "),
        Span::styled(cell(&with, 6), t.dim),
        Span::raw(" "),
        Span::styled(if hop.tls { "TLS " } else { "    " }, if hop.tls { t.good } else { t.base }),
        Span::raw(format!("{time} ")),
        Span::styled(format!("{delay:>7} "), delay_style),
        Span::styled(bar, t.delay_bar),
    ];
    if hop.skew {
        spans.push(Span::styled(" skew", t.warn));
    }
    Line::from(spans)
}
