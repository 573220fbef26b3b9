//! Bar charts as inline SVG for the HTML report: drawn here so the page needs no
//! script and no remote resource, and prints as it shows.

use std::fmt::Write as _;

use chrono::NaiveDate;

use super::html::escape;

/// One bar: label, count and fill colour.
pub struct Bar {
    pub label: String,
    pub count: usize,
    pub colour: &'static str,
}

const ROW: usize = 22;
const LABEL_W: usize = 150;
const BAR_W: usize = 300;

/// Horizontal bars, one row per item, scaled to the largest count.
pub fn horizontal(title: &str, bars: &[Bar]) -> String {
    let height = bars.len().max(1) * ROW + 8;
    let width = LABEL_W + BAR_W + 60;
    let max = bars.iter().map(|b| b.count).max().unwrap_or(0).max(1);
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" viewBox="0 0 {width} {height}"><title>{}</title>"#,
        escape(title)
    );
    for (i, b) in bars.iter().enumerate() {
        let y = i * ROW + 4;
        let w = (b.count * BAR_W).div_ceil(max).max(1);
        let _ = write!(
            s,
            r#"<text x="{}" y="{}" text-anchor="end" class="lbl">{}</text><rect x="{LABEL_W}" y="{y}" width="{w}" height="{}" fill="{}"/><text x="{}" y="{}" class="num">{}</text>"#,
            LABEL_W - 6,
            y + 15,
            escape(&b.label),
            ROW - 6,
            b.colour,
            LABEL_W + w + 5,
            y + 15,
            b.count
        );
    }
    s.push_str("</svg>");
    s
}

/// Vertical bars for every day from the first to the last (days without records show
/// as gaps), with a date label about once a week.
pub fn per_day(title: &str, days: &[(NaiveDate, usize)]) -> String {
    let (Some(first), Some(last)) = (days.first(), days.last()) else {
        return String::new();
    };
    let span = usize::try_from((last.0 - first.0).num_days()).unwrap_or(0) + 1;
    // Cap the width: a year of data still fits a printed page.
    let col = (640 / span).clamp(2, 18);
    let (plot_h, top, bottom) = (120, 16, 34);
    let width = span * col + 40;
    let height = plot_h + top + bottom;
    let max = days.iter().map(|d| d.1).max().unwrap_or(0).max(1);
    let mut s = String::new();
    let _ = write!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" viewBox="0 0 {width} {height}"><title>{}</title><line x1="20" y1="{}" x2="{}" y2="{}" stroke="#999"/>"##,
        escape(title),
        top + plot_h,
        width - 10,
        top + plot_h
    );
    let label_every = (span / 8).max(1);
    let mut counts = days.iter().peekable();
    for i in 0..span {
        let day = first.0 + chrono::Duration::days(i as i64);
        let count = match counts.peek() {
            Some((d, c)) if *d == day => {
                counts.next();
                *c
            }
            _ => 0,
        };
        let x = 20 + i * col;
        if count > 0 {
            let h = (count * plot_h).div_ceil(max).max(1);
            let _ = write!(
                s,
                r##"<rect x="{x}" y="{}" width="{}" height="{h}" fill="#4a78b5"><title>{day}: {count}</title></rect>"##,
                top + plot_h - h,
                col.saturating_sub(1).max(1),
            );
        }
        if i.is_multiple_of(label_every) {
            let _ = write!(
                s,
                r#"<text x="{x}" y="{}" class="lbl">{}</text>"#,
                top + plot_h + 14,
                day.format("%b %d")
            );
        }
    }
    let _ = write!(s, r#"<text x="20" y="11" class="num">max {max}/day</text></svg>"#);
    s
}
