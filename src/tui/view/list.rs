//! The list of bounces: one row per failed recipient, a header that shows the sort,
//! colour by class. Only the rows on screen are built, so 100,000 records draw fast.
//!
//! A two-character gutter: `>` on the selected row (so the cursor shows even without
//! colour), then `*` marked, `+` arrived while watching, `»` a search hit, `✓`
//! handled, `T` ticketed. Narrow screens squeeze the subject first, then the remote
//! MTA; the recipient keeps its domain (the local part is cut in the middle). Wide
//! screens add the diagnostic.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use crate::bounce::Kind;
use crate::session::{Record, SortKey, State};
use crate::tui::app::{App, Pane};
use crate::tui::theme::Theme;

use super::text::{cell, fit_address, safe};

pub struct ListPane<'a> {
    pub app: &'a App,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Column {
    Date,
    Recipient,
    Code,
    Reason,
    Hard,
    Remote,
    Diagnostic,
    Subject,
}

/// Columns before the first: cursor and marker.
pub(crate) const GUTTER: usize = 2;
/// From this width the diagnostic gets a column.
pub(crate) const DIAGNOSTIC_FROM: u16 = 150;

impl Column {
    fn title(self) -> &'static str {
        match self {
            Column::Date => "date",
            Column::Recipient => "recipient",
            Column::Code => "code",
            Column::Reason => "reason",
            Column::Hard => "h/s",
            Column::Remote => "remote MTA / domain",
            Column::Diagnostic => "diagnostic",
            Column::Subject => "original subject",
        }
    }

    pub(crate) fn sort_key(self) -> Option<SortKey> {
        Some(match self {
            Column::Date => SortKey::Date,
            Column::Recipient => SortKey::Recipient,
            Column::Code => SortKey::Code,
            Column::Reason => SortKey::Reason,
            Column::Hard => SortKey::Hard,
            Column::Remote => SortKey::Domain,
            Column::Subject => SortKey::Subject,
            Column::Diagnostic => return None,
        })
    }
}

/// The sort key of the column drawn at screen column `x` of a list `width` wide.
pub(crate) fn column_at(width: u16, x: u16) -> Option<SortKey> {
    let mut left = GUTTER;
    for (col, w) in columns(width) {
        if (x as usize) >= left && (x as usize) < left + w + 1 {
            return col.sort_key();
        }
        left += w + 1;
    }
    None
}

/// Columns and their widths for a list `width` columns wide. What matters most keeps
/// its room longest: the fixed columns and the recipient, then the remote MTA, then
/// the subject; from [`DIAGNOSTIC_FROM`] columns the diagnostic shares the rest.
pub(crate) fn columns(width: u16) -> Vec<(Column, usize)> {
    let fixed = [(Column::Date, 10), (Column::Code, 7), (Column::Reason, 13), (Column::Hard, 4)];
    let used: usize = GUTTER + fixed.iter().map(|c| c.1 + 1).sum::<usize>();
    // Every flexible column costs its width and a space.
    let mut rest = (width as usize).saturating_sub(used);
    let mut rcpt = rest.saturating_sub(1).min(34);
    // A subject narrower than this says nothing: the recipient takes its room.
    if rest.saturating_sub(rcpt + 1) < 9 {
        rcpt = rest.saturating_sub(1);
    }
    rest = rest.saturating_sub(rcpt + 1);
    let remote = if rest >= 21 { (rest - 1).min(30) } else { 0 };
    rest = rest.saturating_sub(if remote > 0 { remote + 1 } else { 0 });
    let (diagnostic, subject) = if width >= DIAGNOSTIC_FROM && rest >= 40 {
        let d = (rest - 2) * 3 / 5;
        (d, rest - 2 - d)
    } else {
        (0, rest.saturating_sub(1))
    };
    let mut cols = vec![fixed[0]];
    if rcpt > 0 {
        cols.push((Column::Recipient, rcpt));
    }
    cols.extend_from_slice(&fixed[1..]);
    if remote > 0 {
        cols.push((Column::Remote, remote));
    }
    if diagnostic > 0 {
        cols.push((Column::Diagnostic, diagnostic));
    }
    if subject >= 8 {
        cols.push((Column::Subject, subject));
    }
    cols
}

fn value(record: &Record, column: Column, width: usize) -> String {
    let rcpt = record.recipient();
    let report = &record.report;
    let text = match column {
        Column::Date => record.date_label().unwrap_or_else(|| "-".into()),
        Column::Recipient => return fit_address(&safe(&rcpt.recipient), width),
        Column::Code => record.code().unwrap_or_else(|| "-".into()),
        Column::Reason => rcpt.reason.as_str().to_string(),
        Column::Hard => record.verdict_label().to_string(),
        Column::Remote => match &rcpt.remote_mta {
            Some(mta) if !mta.is_empty() => safe(mta).into_owned(),
            _ => rcpt.domain().map_or_else(|| "-".to_string(), |d| safe(&d).into_owned()),
        },
        Column::Diagnostic => safe(&rcpt.diagnostic).into_owned(),
        Column::Subject => {
            report.original.subject.as_deref().map_or_else(String::new, |s| safe(s).into_owned())
        }
    };
    cell(&text, width)
}

pub fn hard_label(record: &Record) -> &'static str {
    record.verdict_label()
}

/// The colour of a record's class: hard, soft, delayed, or other.
pub fn class_style(theme: &Theme, record: &Record) -> Style {
    match record.kind() {
        Kind::Bounce if record.recipient().hard => theme.hard,
        Kind::Bounce => theme.soft,
        Kind::Delay => theme.delayed,
        _ => theme.other,
    }
}

/// `text` as spans, the parts matching `needle` (lowercase) in `hit` style.
fn highlighted(text: String, needle: Option<&str>, base: Style, hit: Style) -> Vec<Span<'static>> {
    let Some(needle) = needle.filter(|n| !n.is_empty()) else {
        return vec![Span::styled(text, base)];
    };
    let lower = text.to_lowercase();
    // Case folding that changes byte lengths (rare outside ASCII) would misplace the
    // highlight: show the cell plain instead.
    if lower.len() != text.len() {
        return vec![Span::styled(text, base)];
    }
    let mut spans = Vec::new();
    let mut at = 0;
    while let Some(found) = lower[at..].find(needle) {
        let start = at + found;
        let end = start + needle.len();
        if !text.is_char_boundary(start) || !text.is_char_boundary(end) {
            break;
        }
        if start > at {
            spans.push(Span::styled(text[at..start].to_string(), base));
        }
        spans.push(Span::styled(text[start..end].to_string(), hit));
        at = end;
    }
    if at < text.len() {
        spans.push(Span::styled(text[at..].to_string(), base));
    }
    spans
}

/// The gutter's second character for record `index` at list position `pos`.
fn marker(app: &App, index: usize, pos: usize) -> Span<'static> {
    let t = &app.theme;
    if app.session.is_marked(index) {
        Span::styled("*", t.marked)
    } else if app.session.is_live(index) && app.session.state(index) == State::New {
        Span::styled("+", t.good)
    } else if app.search.as_ref().is_some_and(|s| s.is_hit(pos)) {
        Span::styled("»", t.search_hit)
    } else {
        match app.session.state(index) {
            State::Handled => Span::styled("✓", t.dim),
            State::Ticketed => Span::styled("T", t.dim),
            _ => Span::raw(" "),
        }
    }
}

impl Widget for &ListPane<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.app;
        let t = &app.theme;
        if area.height == 0 {
            return;
        }
        let cols = columns(area.width);
        let mut header = vec![Span::raw(" ".repeat(GUTTER))];
        for (col, width) in &cols {
            let mut title = col.title().to_string();
            if col.sort_key() == Some(app.session.sort) {
                title.push(if app.session.descending { '▼' } else { '▲' });
            }
            header.push(Span::raw(cell(&title, *width)));
            header.push(Span::raw(" "));
        }
        let header_style = if app.focus == Pane::List { t.header } else { t.header.patch(t.dim) };
        Line::from(header).style(header_style).render(Rect { height: 1, ..area }, buf);

        let body = Rect { y: area.y + 1, height: area.height - 1, ..area };
        let visible = app.session.visible();
        if visible.is_empty() {
            empty_state(app).render(body, buf);
            return;
        }
        let needle = app.search.as_ref().map(|s| s.query.trim().to_lowercase());
        let records = app.session.records();
        let first = app.list_offset.min(visible.len());
        let rows = visible[first..].iter().take(body.height as usize);
        for (y, &index) in rows.enumerate() {
            let pos = first + y;
            let record = &records[index];
            let row_area = Rect { y: body.y + y as u16, height: 1, ..body };
            let class = class_style(t, record);
            let selected = pos == app.selected;
            let hit = app.search.as_ref().is_some_and(|s| s.is_hit(pos));
            let cursor = if selected { Span::styled(">", t.key) } else { Span::raw(" ") };
            let mut spans = vec![cursor, marker(app, index, pos)];
            for (col, width) in &cols {
                let style = match col {
                    Column::Code | Column::Reason | Column::Hard => class,
                    _ => Style::new(),
                };
                let text = value(record, *col, *width);
                let needle = if hit { needle.as_deref() } else { None };
                spans.extend(highlighted(text, needle, style, t.search_hit));
                spans.push(Span::raw(" "));
            }
            let mut line = Line::from(spans);
            if selected {
                buf.set_style(row_area, t.selected);
                line = line.patch_style(t.selected);
            }
            line.render(row_area, buf);
        }
    }
}

/// What the list says when it has nothing to show.
fn empty_state(app: &App) -> Paragraph<'static> {
    let t = &app.theme;
    let lines: Vec<Line> = if let Some(err) = &app.scan.fatal {
        vec![
            Line::styled(" Could not read the source", t.error),
            Line::raw(format!(" {}", safe(err))),
            Line::raw(""),
            Line::raw(" Press r to try again, q to quit."),
        ]
    } else if !app.session.records().is_empty() {
        vec![
            Line::raw(" No bounce matches the filters."),
            Line::raw(" Press c to clear them, f to change them."),
        ]
    } else if app.scan.running {
        vec![Line::raw(" Scanning... bounces appear here as they are found.")]
    } else if let Some(err) = app.scan.last_error.as_ref().filter(|_| app.scan.failures > 0) {
        // Nothing found because nothing could be read: say that, not "no bounces".
        vec![Line::styled(" Nothing could be read", t.error), Line::raw(format!(" {}", safe(err)))]
    } else {
        vec![
            Line::raw(format!(" No bounce messages in {}.", safe(&app.source))),
            Line::raw(" Ordinary mail is skipped; only DSNs, NDRs, delay notices,"),
            Line::raw(" feedback reports and auto-replies are listed."),
        ]
    };
    Paragraph::new(lines).wrap(Wrap { trim: false })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narrow_lists_squeeze_the_subject_before_the_recipient() {
        let at80 = columns(80);
        let width = |cols: &[(Column, usize)], c| cols.iter().find(|x| x.0 == c).map(|x| x.1);
        // At 80 columns the subject gives its room to the recipient.
        assert!(width(&at80, Column::Recipient) >= Some(34), "{at80:?}");
        assert!(width(&at80, Column::Subject).is_none(), "{at80:?}");
        assert!(width(&columns(120), Column::Subject).is_some_and(|w| w >= 8));
        let at200 = columns(200);
        assert!(width(&at200, Column::Diagnostic).is_some_and(|w| w > 30), "{at200:?}");
        assert!(width(&columns(120), Column::Diagnostic).is_none());
        for w in [60, 80, 100, 120, 160, 200, 300] {
            let total: usize = GUTTER + columns(w).iter().map(|c| c.1 + 1).sum::<usize>();
            assert!(total <= w as usize, "{w}: {total}");
        }
    }
}
