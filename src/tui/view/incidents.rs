//! The incident view: one incident per two lines, largest first (count, who, code,
//! the reply's template; then recipients, domains, first and last seen, a sparkline of
//! the days, the verdict), and below them the highlighted incident whole: a sample
//! reply, our IPs the replies name, the top domains, the advice. Only the incidents on
//! screen are drawn, so 100,000 records cost no more than 100.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use crate::catalog::Catalog;
use crate::session::Incident;
use crate::session::ticket::{owner_words, retry_words};
use crate::tui::app::App;

use super::pane::{block, field};
use super::text::{cell, fit, safe, thousands};

pub struct IncidentsPane<'a> {
    pub app: &'a App,
}

const SPARK: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// Counts as a sparkline, scaled to the largest.
pub fn sparkline(counts: &[usize]) -> String {
    let max = counts.iter().copied().max().unwrap_or(0).max(1);
    counts
        .iter()
        .map(|&n| if n == 0 { ' ' } else { SPARK[((n * 8).div_ceil(max)).clamp(1, 8) - 1] })
        .collect()
}

fn day(t: Option<crate::bounce::Timestamp>) -> String {
    t.map_or("?".into(), |d| d.naive_utc().format("%m-%d").to_string())
}

impl Widget for &IncidentsPane<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.app;
        let t = &app.theme;
        let incidents = app.session.incidents_now();
        let order = &app.incidents.order;
        if order.is_empty() {
            Paragraph::new(vec![
                Line::raw(" No failures to group yet."),
                Line::raw(" Incidents gather bounces and delays by provider, code and reply."),
            ])
            .render(area, buf);
            return;
        }
        let detail_h = if area.height >= 20 { 11 } else { 0 };
        let [list, detail] =
            Layout::vertical([Constraint::Fill(1), Constraint::Length(detail_h)]).areas(area);
        let w = list.width as usize;
        let header = format!(
            "  {:>6}  {:<16} {:<7} reply template ({} incidents, Enter filters, W ticket, H/T handled/ticketed)",
            "count",
            "who",
            "code",
            order.len()
        );
        Line::styled(fit(&header, w), t.header).render(Rect { height: 1, ..list }, buf);
        let rows = (list.height.saturating_sub(1) / 2) as usize;
        let first = app.incidents.offset.min(order.len().saturating_sub(1));
        for (row, &n) in order.iter().enumerate().skip(first).take(rows) {
            let Some(inc) = incidents.get(n) else { continue };
            let y = list.y + 1 + ((row - first) * 2) as u16;
            let selected = row == app.incidents.selected;
            let mut one = vec![
                Span::styled(if selected { ">" } else { " " }, t.key),
                Span::raw(" "),
                Span::styled(format!("{:>6}", thousands(inc.count())), t.title),
                Span::raw("  "),
                Span::raw(cell(&safe(&inc.key.org), 16)),
                Span::raw(" "),
                Span::styled(
                    cell(&safe(&inc.key.code), 7),
                    if inc.hard > 0 { t.hard } else { t.soft },
                ),
                Span::raw(" "),
            ];
            let used: usize = one.iter().map(|s| s.width()).sum();
            one.push(Span::raw(fit(&safe(&inc.key.template), w.saturating_sub(used))));
            let two = second_line(app, inc, w);
            let mut l1 = Line::from(one);
            let mut l2 = two;
            if selected {
                let r = Rect { x: list.x, y, width: list.width, height: 2 };
                buf.set_style(r.intersection(list), t.selected);
                l1 = l1.patch_style(t.selected);
                l2 = l2.patch_style(t.selected);
            }
            l1.render(Rect { x: list.x, y, width: list.width, height: 1 }.intersection(list), buf);
            if y + 1 < list.bottom() {
                l2.render(Rect { x: list.x, y: y + 1, width: list.width, height: 1 }, buf);
            }
        }
        if detail_h > 0
            && let Some(inc) = super::super::incidents::current(app).and_then(|n| incidents.get(n))
        {
            detail_pane(app, inc, detail, buf);
        }
    }
}

fn second_line(app: &App, inc: &Incident, w: usize) -> Line<'static> {
    let t = &app.theme;
    let spark = sparkline(&inc.day_counts(14));
    let verdict = if inc.hard == inc.count() {
        "hard".to_string()
    } else if inc.hard == 0 {
        "soft".to_string()
    } else {
        format!("{} hard", inc.hard)
    };
    let mut text = format!(
        "          {} rcpt  {} domains  {}..{} ",
        thousands(inc.recipients()),
        thousands(inc.domains.len()),
        day(inc.first),
        day(inc.last),
    );
    let mut spans = vec![Span::styled(text.clone(), t.dim), Span::styled(spark, t.delay_bar)];
    text = format!("  {verdict}");
    spans.push(Span::styled(text, if inc.hard > 0 { t.hard } else { t.soft }));
    if !inc.ips.is_empty() {
        let ips: Vec<&str> = inc.ips.keys().map(String::as_str).take(2).collect();
        spans.push(Span::styled(format!("  IP {}", safe(&ips.join(" "))), t.dim));
    }
    if inc.live > 0 {
        spans.push(Span::styled(format!("  +{} new", inc.live), t.good));
    }
    let open = inc.records.iter().filter(|&&i| app.session.state(i).is_open()).count();
    if open < inc.count() {
        spans.push(Span::styled(format!("  {} open", thousands(open)), t.dim));
    }
    let line = Line::from(spans);
    if line.width() > w { Line::raw(fit(&line.to_string(), w)) } else { line }
}

fn detail_pane(app: &App, inc: &Incident, area: Rect, buf: &mut Buffer) {
    let t = &app.theme;
    let width = area.width.saturating_sub(2) as usize;
    let records = app.session.records();
    let mut lines: Vec<Line> = Vec::new();
    if let Some(r) = inc.sample().and_then(|i| records.get(i)) {
        let v = crate::verdict::decide(&r.report, r.recipient(), Catalog::active());
        let owners: Vec<&str> = v.fix_owner().iter().map(|o| owner_words(*o)).collect();
        let verdict = format!(
            "{} — {}; {}",
            if v.hard { "hard" } else { "soft" },
            safe(&v.entry.title),
            retry_words(v.retry)
        );
        lines.extend(field("Verdict", &verdict, 10, width, t));
        if !owners.is_empty() {
            lines.extend(field("Fixed by", &owners.join(" or "), 10, width, t));
        }
        if let Some(step) = v.entry.admin_steps.first().or(v.entry.sender_steps.first()) {
            lines.extend(field("Advice", &safe(step), 10, width, t));
        }
        lines.extend(field("Sample", &safe(&r.recipient().diagnostic), 10, width, t));
        if let Some(link) = &v.entry.reference {
            lines.extend(field("Link", &safe(link), 10, width, t));
        }
    }
    if !inc.ips.is_empty() {
        let ips: Vec<String> =
            inc.ips.iter().map(|(ip, n)| format!("{} ({n})", safe(ip))).collect();
        lines.extend(field("Our IPs", &ips.join(", "), 10, width, t));
    }
    let domains: Vec<String> =
        inc.top_domains(6).into_iter().map(|(d, n)| format!("{} ({n})", safe(d))).collect();
    lines.extend(field("Domains", &domains.join(", "), 10, width, t));
    let title = format!("incident: {} {}", safe(&inc.key.org), safe(&inc.key.code));
    Paragraph::new(lines)
        .block(block(title, true, t, area.width))
        .wrap(Wrap { trim: false })
        .render(area, buf);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparklines_scale_to_the_busiest_day() {
        assert_eq!(sparkline(&[0, 1, 4, 8]), " ▁▄█");
        assert_eq!(sparkline(&[]), "");
    }
}
