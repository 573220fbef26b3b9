//! The hops pane: the original message's Received chain, oldest first, with the delay
//! of each hop, a bar for its share of the transit, TLS, and clock or zone skew flagged
//! as such (not as a delay, and not in the total: see `session::transit`). A Received
//! line that could not be read is shown as written.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use crate::bounce::Hop;
use crate::session::transit::{HopDelay, judge, total, unparsed};
use crate::tui::app::{App, Pane};

use super::pane::block;
use super::text::{cell, duration, fit, safe};

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
            let judged = judge(hops);
            let positive: i64 = judged
                .iter()
                .filter_map(|d| match d {
                    HopDelay::Delay(s) if *s > 0 => Some(*s),
                    _ => None,
                })
                .sum();
            // The `with` column is as wide as its longest value (ESMTPSA, HTTPREST...)
            // once the screen has room; narrow screens cut it first.
            let longest = hops.iter().filter_map(|h| h.with.as_deref()).map(str::len).max();
            let with_w = longest.unwrap_or(4).clamp(4, 16);
            let with_w = if inner_width >= 120 { with_w } else { with_w.min(6) };
            // Fixed columns: index 3, arrow 1, space 1, with, TLS 4, time 9, delay 8,
            // bar BAR, skew 5; the two host names share the rest.
            let names = inner_width.saturating_sub(3 + 1 + 1 + with_w + 1 + 4 + 9 + 8 + BAR + 5);
            let half = (names / 2).max(4);
            lines.push(Line::styled(
                format!(
                    "   {}→{} {} TLS time UTC   delay",
                    cell("from", half),
                    cell("by", half),
                    cell("with", with_w)
                ),
                t.label,
            ));
            for (i, hop) in hops.iter().enumerate() {
                let widths = (half, with_w, inner_width);
                lines.push(hop_line(app, i + 1, hop, judged[i], widths, positive));
            }
            let skewed = judged.iter().filter(|d| matches!(d, HopDelay::Skew(_))).count();
            if let Some(total) = total(hops) {
                let mut spans =
                    vec![Span::styled("total transit ", t.label), Span::raw(duration(total))];
                if skewed > 0 {
                    spans.push(Span::styled(
                        format!(
                            "  ({skewed} hop{} with clock or zone skew left out)",
                            if skewed == 1 { "" } else { "s" }
                        ),
                        t.dim,
                    ));
                }
                lines.push(Line::from(spans));
            }
        }
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false })
            .scroll((app.pane_scroll[Pane::Hops.scroll_slot()], 0))
            .render(area, buf);
    }
}

fn hop_line<'a>(
    app: &App,
    n: usize,
    hop: &Hop,
    judged: HopDelay,
    (name_width, with_width, inner): (usize, usize, usize),
    positive: i64,
) -> Line<'a> {
    let t = &app.theme;
    if unparsed(hop) {
        // Nothing could be read from it: the line as written says more than "? → ?".
        let raw = fit(&safe(&hop.raw), inner.saturating_sub(3));
        return Line::from(vec![Span::styled(format!("{n:>2} "), t.dim), Span::styled(raw, t.dim)]);
    }
    let name = |s: &Option<String>| cell(&s.as_deref().map_or("?".into(), |v| safe(v)), name_width);
    let time = hop
        .time
        .map_or_else(|| "--:--:--".into(), |d| d.naive_utc().format("%H:%M:%S").to_string());
    let (delay, delay_style, share) = match judged {
        HopDelay::None => (String::new(), t.base, 0),
        HopDelay::Skew(d) => (duration(d), t.warn, 0),
        HopDelay::Delay(d) => {
            let style = if d >= 60 { t.soft } else { t.base };
            let share = if d > 0 && positive > 0 {
                ((d as f64 / positive as f64) * BAR as f64).ceil() as usize
            } else {
                0
            };
            (duration(d), style, share)
        }
    };
    let bar = format!("{}{}", "█".repeat(share.min(BAR)), " ".repeat(BAR - share.min(BAR)));
    let with = hop.with.as_deref().map_or(String::new(), |w| safe(w).into_owned());
    let mut spans = vec![
        Span::styled(format!("{n:>2} "), t.dim),
        Span::raw(name(&hop.from)),
        Span::styled("→", t.dim),
        Span::raw(name(&hop.by)),
        Span::raw(" "),
        Span::styled(cell(&with, with_width), t.dim),
        Span::raw(" "),
        Span::styled(if hop.tls { "TLS " } else { "    " }, if hop.tls { t.good } else { t.base }),
        Span::raw(format!("{time} ")),
        Span::styled(format!("{delay:>7} "), delay_style),
        Span::styled(bar, t.delay_bar),
    ];
    if matches!(judged, HopDelay::Skew(_)) {
        spans.push(Span::styled(" skew", t.warn));
    }
    Line::from(spans)
}
