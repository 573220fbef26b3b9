//! The list of bounces: one row per failed recipient, a header that shows the sort,
//! colour by class. Only the rows on screen are built, so 100,000 records draw fast.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use crate::bounce::Kind;
use crate::session::{Record, SortKey};
use crate::tui::app::{App, Pane};
use crate::tui::theme::Theme;

use super::text::{cell, safe};

pub struct ListPane<'a> {
    pub app: &'a App,
}

#[derive(Clone, Copy)]
pub(crate) enum Column {
    Date,
    Recipient,
    Code,
    Reason,
    Hard,
    Remote,
    Subject,
}

impl Column {
    fn title(self) -> &'static str {
        match self {
            Column::Date => "date",
            Column::Recipient => "recipient",
            Column::Code => "code",
            Column::Reason => "reason",
            Column::Hard => "h/s",
            Column::Remote => "remote MTA / domain",
            Column::Subject => "original subject",
        }
    }

    pub(crate) fn sort_key(self) -> SortKey {
        match self {
            Column::Date => SortKey::Date,
            Column::Recipient => SortKey::Recipient,
            Column::Code => SortKey::Code,
            Column::Reason => SortKey::Reason,
            Column::Hard => SortKey::Hard,
            Column::Remote => SortKey::Domain,
            Column::Subject => SortKey::Subject,
        }
    }
}

/// The sort key of the column drawn at screen column `x` of a list `width` wide.
pub(crate) fn column_at(width: u16, x: u16) -> Option<SortKey> {
    let mut left = 1usize;
    for (col, w) in columns(width) {
        if (x as usize) >= left && (x as usize) < left + w + 1 {
            return Some(col.sort_key());
        }
        left += w + 1;
    }
    None
}

/// Columns and their widths for a list `width` columns wide (one column goes to the
/// mark). Narrow screens drop the remote MTA column.
pub(crate) fn columns(width: u16) -> Vec<(Column, usize)> {
    let fixed = [(Column::Date, 10), (Column::Code, 7), (Column::Reason, 13), (Column::Hard, 4)];
    let used: usize = 1 + fixed.iter().map(|c| c.1 + 1).sum::<usize>();
    let rest = (width as usize).saturating_sub(used + 2);
    // The recipient matters most; the subject takes what is left.
    let (rcpt, remote) =
        if rest < 56 { (rest * 45 / 100, 0) } else { (rest * 38 / 100, rest * 26 / 100) };
    let subject = rest.saturating_sub(rcpt + remote);
    let mut cols = vec![fixed[0], (Column::Recipient, rcpt), fixed[1], fixed[2], fixed[3]];
    if remote > 0 {
        cols.push((Column::Remote, remote));
    }
    cols.push((Column::Subject, subject));
    cols
}

fn value(record: &Record, column: Column) -> String {
    let rcpt = record.recipient();
    let report = &record.report;
    match column {
        Column::Date => report
            .date
            .or(rcpt.last_attempt)
            .or(report.arrival_date)
            .map_or_else(|| "-".to_string(), |d| d.format("%Y-%m-%d").to_string()),
        Column::Recipient => safe(&rcpt.recipient).into_owned(),
        Column::Code => rcpt.status.map_or_else(
            || rcpt.reply_code.map_or_else(|| "-".to_string(), |c| c.to_string()),
            |s| s.to_string(),
        ),
        Column::Reason => rcpt.reason.as_str().to_string(),
        Column::Hard => hard_label(record).to_string(),
        Column::Remote => match &rcpt.remote_mta {
            Some(mta) if !mta.is_empty() => safe(mta).into_owned(),
            _ => rcpt.domain().map_or_else(|| "-".to_string(), |d| safe(&d).into_owned()),
        },
        Column::Subject => {
            report.original.subject.as_deref().map_or_else(String::new, |s| safe(s).into_owned())
        }
    }
}

pub fn hard_label(record: &Record) -> &'static str {
    match record.kind() {
        Kind::Bounce if record.recipient().hard => "hard",
        Kind::Bounce => "soft",
        // A delay notice: the sender's MTA is still retrying.
        Kind::Delay => "wait",
        Kind::Success => "ok",
        Kind::Feedback => "fbl",
        Kind::AutoReply => "auto",
        Kind::Challenge => "conf",
    }
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

impl Widget for &ListPane<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.app;
        let t = &app.theme;
        if area.height == 0 {
            return;
        }
        let cols = columns(area.width);
        let mut header = vec![Span::raw(" ")];
        for (col, width) in &cols {
            let mut title = col.title().to_string();
            if col.sort_key() == app.session.sort {
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
        let records = app.session.records();
        let first = app.list_offset.min(visible.len());
        let rows = visible[first..].iter().take(body.height as usize);
        for (y, &index) in rows.enumerate() {
            let pos = first + y;
            let record = &records[index];
            let row_area = Rect { y: body.y + y as u16, height: 1, ..body };
            let class = class_style(t, record);
            let marker = if app.session.marked.contains(&index) {
                Span::styled("*", t.marked)
            } else if app.search.as_ref().is_some_and(|s| s.is_hit(pos)) {
                Span::styled("»", t.search_hit)
            } else {
                Span::raw(" ")
            };
            let mut spans = vec![marker];
            for (col, width) in &cols {
                let style = match col {
                    Column::Code | Column::Reason | Column::Hard => class,
                    _ => Style::new(),
                };
                spans.push(Span::styled(cell(&value(record, *col), *width), style));
                spans.push(Span::raw(" "));
            }
            let mut line = Line::from(spans);
            if pos == app.selected {
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
    } else {
        vec![
            Line::raw(format!(" No bounce messages in {}.", safe(&app.source))),
            Line::raw(" Ordinary mail is skipped; only DSNs, NDRs, delay notices,"),
            Line::raw(" feedback reports and auto-replies are listed."),
        ]
    };
    Paragraph::new(lines).wrap(Wrap { trim: false })
}
