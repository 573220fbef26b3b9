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

/// Most days one chart spans: a year and a month, at 2 px a day at least.
pub const MAX_DAYS: i64 = 400;

/// The days shown when they span more than [`MAX_DAYS`]: the window of that many days
/// holding the most records. One bounce dated years away then cannot stretch the chart
/// (one dated 1970 made it 41,590 px wide); it is counted in a note instead.
fn busiest_window(days: &[(NaiveDate, usize)]) -> &[(NaiveDate, usize)] {
    let (mut best, mut best_count) = (0..0, 0);
    let (mut start, mut count) = (0, 0);
    for (end, (day, n)) in days.iter().enumerate() {
        count += n;
        while (*day - days[start].0).num_days() >= MAX_DAYS {
            count -= days[start].1;
            start += 1;
        }
        if count > best_count {
            (best, best_count) = (start..end + 1, count);
        }
    }
    &days[best]
}

/// Vertical bars for every day from the first to the last (days without records show
/// as gaps), with a date label about once a week. At most [`MAX_DAYS`] are plotted;
/// records dated outside them are summarised in a line above the bars.
pub fn per_day(title: &str, all_days: &[(NaiveDate, usize)]) -> String {
    let days = busiest_window(all_days);
    let (Some(first), Some(last)) = (days.first(), days.last()) else {
        return String::new();
    };
    let outside: Vec<&(NaiveDate, usize)> =
        all_days.iter().filter(|(d, _)| *d < first.0 || *d > last.0).collect();
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
    let note = match (outside.first(), outside.last()) {
        (Some(earliest), Some(latest)) => format!(
            "; {} records dated outside the chart, from {} to {}, not plotted",
            outside.iter().map(|(_, n)| n).sum::<usize>(),
            earliest.0,
            latest.0
        ),
        _ => String::new(),
    };
    let _ = write!(s, r#"<text x="20" y="11" class="num">max {max}/day{note}</text></svg>"#);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn width(svg: &str) -> usize {
        let at = svg.find("width=\"").expect("width") + 7;
        svg[at..].split('"').next().unwrap().parse().expect("number")
    }

    #[test]
    fn outliers_are_summarised_not_plotted() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let mut days = vec![(d(1980, 1, 1), 1)];
        days.extend((1..=28).map(|n| (d(2026, 2, n), 3)));
        days.push((d(2199, 12, 31), 2));
        let svg = per_day("t", &days);
        assert!(width(&svg) <= (MAX_DAYS as usize) * 18 + 40, "{}", width(&svg));
        assert!(width(&svg) < 1000, "{}", width(&svg));
        assert!(svg.contains("3 records dated outside the chart, from 1980-01-01 to 2199-12-31"));
        let normal = per_day("t", &days[1..29]);
        assert!(!normal.contains("outside"));
    }
}
