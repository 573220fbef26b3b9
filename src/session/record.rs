//! What the list, the filters, the sort and the exports read from one record: the
//! fields a row shows, worked out once from the report so every view agrees.

use chrono::NaiveDate;

use crate::bounce::{Kind, StatusCode, Timestamp};

use super::Record;

impl Record {
    /// The enhanced status code, when the report gave one.
    pub fn status(&self) -> Option<StatusCode> {
        self.recipient().status
    }

    /// The code a row shows: the enhanced status code, else the SMTP reply code.
    pub fn code(&self) -> Option<String> {
        let r = self.recipient();
        match (r.status, r.reply_code) {
            (Some(s), _) => Some(s.to_string()),
            (None, Some(c)) => Some(c.to_string()),
            (None, None) => None,
        }
    }

    /// The class digit (2, 4, 5): from the status code, else the reply code's first digit.
    pub fn class(&self) -> Option<u8> {
        let r = self.recipient();
        r.status.map(|s| s.class).or_else(|| {
            let c = r.reply_code?;
            let first = (c / 100) as u8;
            matches!(first, 2 | 4 | 5).then_some(first)
        })
    }

    /// When it happened: the report's Date, else the last attempt, the arrival date or
    /// the original's Date.
    pub fn date(&self) -> Option<Timestamp> {
        let rep = &self.report;
        rep.date.or(self.recipient().last_attempt).or(rep.arrival_date).or(rep.original.date)
    }

    /// The UTC calendar day of [`Record::date`], used by the per-day summary and filter.
    pub fn day(&self) -> Option<NaiveDate> {
        self.date().map(|d| d.naive_utc().date())
    }

    /// The recipient's domain, lowercased.
    pub fn domain(&self) -> Option<String> {
        self.recipient().domain()
    }

    /// The subject of the message that bounced, else the report's own subject.
    pub fn subject(&self) -> Option<&str> {
        let rep = &self.report;
        rep.original.subject.as_deref().or(rep.subject.as_deref())
    }

    /// The MTA that wrote the report (Reporting-MTA, else the generating server).
    pub fn reporting_mta(&self) -> Option<&str> {
        let rep = &self.report;
        rep.reporting_mta.as_deref().or(rep.generating_server.as_deref())
    }

    /// The remote MTA that refused or deferred the message.
    pub fn remote_mta(&self) -> Option<&str> {
        self.recipient().remote_mta.as_deref()
    }

    /// The provider that handled the failure (`verdict::handler`), else the one that
    /// wrote the bounce.
    pub fn provider(&self) -> Option<&str> {
        crate::verdict::handler(&self.report, self.recipient()).or(self.report.provider.as_deref())
    }

    /// The list's verdict column: hard or soft for a bounce, else what the report is
    /// (`wait` for a delay, `ok`, `fbl`, `auto`).
    pub fn verdict_label(&self) -> &'static str {
        match self.kind() {
            Kind::Bounce if self.recipient().hard => "hard",
            Kind::Bounce => "soft",
            Kind::Delay => "wait",
            Kind::Success => "ok",
            Kind::Feedback => "fbl",
            Kind::AutoReply => "auto",
            Kind::Challenge => "conf",
        }
    }

    /// The date the list shows (`YYYY-MM-DD`).
    pub fn date_label(&self) -> Option<String> {
        let rep = &self.report;
        let d = rep.date.or(self.recipient().last_attempt).or(rep.arrival_date)?;
        Some(d.format("%Y-%m-%d").to_string())
    }

    /// Lowercased text the free-text filter and search look through: every column the
    /// list shows (date, recipient, code, reason, verdict, remote MTA or domain,
    /// subject), the diagnostic and every MTA name. Fields are separated by a newline
    /// so a query never matches across two of them.
    pub fn search_text(&self) -> String {
        let rep = &self.report;
        let r = self.recipient();
        let date = self.date_label();
        let code = self.code();
        let domain = self.domain();
        let parts = [
            date.as_deref(),
            Some(r.recipient.as_str()),
            r.original_recipient.as_deref(),
            code.as_deref(),
            Some(r.reason.as_str()),
            Some(self.verdict_label()),
            rep.original.subject.as_deref(),
            rep.subject.as_deref(),
            Some(r.diagnostic.as_str()),
            rep.reporting_mta.as_deref(),
            rep.generating_server.as_deref(),
            r.remote_mta.as_deref(),
            domain.as_deref(),
        ];
        let mut out = String::new();
        for p in parts.into_iter().flatten() {
            out.push_str(&p.to_lowercase());
            out.push('\n');
        }
        out
    }
}
