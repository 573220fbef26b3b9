//! The diagnostic pane: the verdict, the remote server's reply and the advice first
//! (what must show at 80x24), then where the message is, the DSN fields as the report
//! wrote them, and SPF/DKIM/DMARC of the original.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget, Wrap};

use crate::bounce::Timestamp;
use crate::catalog::Catalog;
use crate::session::ticket::{owner_words, retry_words};
use crate::tui::app::{App, Pane};
use crate::tui::message::location;

use super::list::{class_style, hard_label};
use super::pane::{block, field, styled_field};
use super::text::safe;

pub struct DiagnosticPane<'a> {
    pub app: &'a App,
}

const LABEL: usize = 16;

fn opt(v: &Option<String>) -> Option<String> {
    v.as_deref().filter(|s| !s.is_empty()).map(|s| safe(s).into_owned())
}

fn date(d: &Option<Timestamp>) -> Option<String> {
    d.map(|d| d.format("%Y-%m-%d %H:%M:%S %z").to_string())
}

impl Widget for &DiagnosticPane<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.app;
        let t = &app.theme;
        let Some(record) = app.selected() else { return };
        let report = &record.report;
        let rcpt = record.recipient();
        let width = area.width.saturating_sub(2) as usize;
        let verdict = crate::verdict::decide(report, rcpt, Catalog::active());
        let class = class_style(t, record);
        // What a postmaster needs first, above the fold at 80x24: the verdict, the
        // remote server's reply, and the advice; then where the message is.
        // Its explanation wraps under the value, like every other field's.
        let value = format!("{} ({})", hard_label(record), rcpt.reason.as_str());
        let summary = format!("  {}", rcpt.reason.summary());
        let mut lines: Vec<Line> = styled_field(
            "Verdict",
            &[(value.as_str(), class), (summary.as_str(), t.dim)],
            LABEL,
            width,
            t,
        );
        let mut put = |label: &str, value: Option<String>| {
            if let Some(v) = value {
                lines.extend(field(label, &v, LABEL, width, t));
            }
        };
        // The advice before the reply: a long reply would push it below the fold.
        let owners: Vec<&str> = verdict.fix_owner().iter().map(|o| owner_words(*o)).collect();
        let mut advice = retry_words(verdict.retry).to_string();
        if !owners.is_empty() {
            advice.push_str(&format!("; fixed by {}", owners.join(" or ")));
        }
        put("Advice", Some(advice));
        let diag_type =
            rcpt.diagnostic_type.as_deref().map_or(String::new(), |d| format!("{}; ", safe(d)));
        if !rcpt.diagnostic.is_empty() {
            put("Remote reply", Some(format!("{diag_type}{}", safe(&rcpt.diagnostic))));
        }
        put("Because", Some(safe(&verdict.because).into_owned()));
        put("Status", rcpt.status.map(|s| s.to_string()));
        put("Reply code", rcpt.reply_code.map(|c| c.to_string()));
        put(
            "Provider code",
            rcpt.provider_code.as_ref().map(|p| format!("{} ({})", safe(&p.code), safe(&p.scheme))),
        );
        put("Final-Recipient", Some(safe(&rcpt.recipient).into_owned()));
        put("Remote-MTA", opt(&rcpt.remote_mta));
        put("Reporting-MTA", opt(&report.reporting_mta));
        put("Message", Some(location(&record.origin)));
        if let Some(i) = app.selected_record() {
            put("Triage", Some(app.session.state(i).as_str().to_string()));
        }
        put("Original-Rcpt", opt(&rcpt.original_recipient));
        put("Action", opt(&rcpt.action));
        put("Last-Attempt", date(&rcpt.last_attempt));
        put("Arrival-Date", date(&report.arrival_date));
        put("Report date", date(&report.date));
        let format = match &report.provider {
            Some(p) => format!("{} ({})", safe(&report.format), safe(p)),
            None => safe(&report.format).into_owned(),
        };
        put("Format", Some(format));
        put("Original From", opt(&report.original.from));
        put("Original To", opt(&report.original.to));
        put("Orig. Subject", opt(&report.original.subject));
        put("Message-ID", opt(&report.original.message_id));
        // The receiver's reported failure first; the returned message's own results
        // say who checked them (hops on the way out, not the receiver).
        for (label, text) in crate::verdict::auth_lines(report, rcpt) {
            put(label, Some(safe(&text).into_owned()));
        }
        if !rcpt.why.is_empty() {
            put("Why", Some(safe(&rcpt.why).into_owned()));
        }
        Paragraph::new(lines)
            .block(block("diagnostic".into(), app.focus == Pane::Diagnostic, t, area.width))
            .wrap(Wrap { trim: false })
            .scroll((app.pane_scroll[Pane::Diagnostic.scroll_slot()], 0))
            .render(area, buf);
    }
}
