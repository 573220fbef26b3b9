//! Filters over records: by class, subject, code prefix, reason, hard/soft, domain,
//! kind, reporting MTA, day and free text. All set conditions must hold.

use chrono::NaiveDate;

use crate::bounce::{Kind, Reason};
use crate::text::clean_line;

use super::Record;
use super::code::CodePrefix;

/// What the user has asked to see. `Default` shows everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Status class digit: 2, 4 or 5 (the reply code's first digit when there is no
    /// status code).
    pub class: Option<u8>,
    /// Status subject digit: x.1 ... x.7.
    pub subject: Option<u16>,
    /// Code prefix such as `5.7`, `5.7.1`, `5.7.*` or a reply code prefix `55` / `550`;
    /// `none` keeps the records without any code. See [`CodePrefix`].
    pub code_prefix: Option<String>,
    pub reason: Option<Reason>,
    /// Some(true) = hard only, Some(false) = soft only.
    pub hard: Option<bool>,
    /// Recipient domain (exact, case-insensitive).
    pub domain: Option<String>,
    /// Free text, case-insensitive, over recipient, subject, diagnostic, MTAs.
    pub text: Option<String>,
    /// Kind of report (bounce, delay, feedback, auto-reply...).
    pub kind: Option<Kind>,
    /// Reporting MTA (exact, case-insensitive).
    pub reporting_mta: Option<String>,
    /// UTC day of the record's date.
    pub day: Option<NaiveDate>,
}

/// A filter with its text parts parsed and lowercased once, so checking 100,000
/// records costs no allocation.
pub(crate) struct Prepared<'f> {
    filter: &'f Filter,
    code: Option<CodePrefix>,
    domain: Option<String>,
    text: Option<String>,
    reporting_mta: Option<String>,
}

impl Filter {
    pub fn is_empty(&self) -> bool {
        *self == Filter::default()
    }

    /// Whether `record` passes every condition that is set.
    pub fn matches(&self, record: &Record) -> bool {
        let prepared = self.prepare();
        let haystack = if prepared.text.is_some() { record.search_text() } else { String::new() };
        prepared.matches(record, record.domain().as_deref(), &haystack)
    }

    pub(crate) fn prepare(&self) -> Prepared<'_> {
        let lower = |s: &Option<String>| {
            s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_lowercase)
        };
        Prepared {
            filter: self,
            code: self.code_prefix.as_deref().map(CodePrefix::parse),
            domain: lower(&self.domain),
            text: lower(&self.text),
            reporting_mta: lower(&self.reporting_mta),
        }
    }

    /// A short human description of the conditions in force, for the top bar and the
    /// report header: `class 5, code 5.7.*, reason blocked, hard, domain example.org,
    /// text "quota"`. Empty when the filter shows everything. Clean for a terminal.
    pub fn describe(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        if let Some(c) = self.class {
            parts.push(format!("class {c}.x.x"));
        }
        if let Some(s) = self.subject {
            parts.push(format!("subject x.{s}.x"));
        }
        if let Some(p) = &self.code_prefix {
            parts.push(format!("code {}", CodePrefix::parse(p)));
        }
        if let Some(r) = self.reason {
            parts.push(format!("reason {r}"));
        }
        match self.hard {
            Some(true) => parts.push("hard only".into()),
            Some(false) => parts.push("soft only".into()),
            None => {}
        }
        if let Some(k) = self.kind {
            parts.push(format!("kind {}", k.as_str()));
        }
        if let Some(d) = &self.domain {
            parts.push(format!("domain {}", clean_line(d)));
        }
        if let Some(m) = &self.reporting_mta {
            parts.push(format!("reported by {}", clean_line(m)));
        }
        if let Some(d) = self.day {
            parts.push(format!("day {d}"));
        }
        if let Some(t) = &self.text {
            parts.push(format!("text \"{}\"", clean_line(t)));
        }
        parts.join(", ")
    }
}

impl Prepared<'_> {
    /// `domain` is the record's lowercased recipient domain; `haystack` its lowercased
    /// search text (only read when a free-text condition is set).
    pub(crate) fn matches(&self, record: &Record, domain: Option<&str>, haystack: &str) -> bool {
        let f = self.filter;
        if f.class.is_some() && record.class() != f.class {
            return false;
        }
        if let Some(s) = f.subject
            && record.status().map(|c| c.subject) != Some(s)
        {
            return false;
        }
        if let Some(p) = &self.code
            && !p.matches(record.status(), record.recipient().reply_code)
        {
            return false;
        }
        if let Some(r) = f.reason
            && record.recipient().reason != r
        {
            return false;
        }
        if let Some(h) = f.hard
            && record.recipient().hard != h
        {
            return false;
        }
        if let Some(k) = f.kind
            && record.kind() != k
        {
            return false;
        }
        if let Some(d) = &self.domain
            && domain != Some(d.as_str())
        {
            return false;
        }
        if let Some(m) = &self.reporting_mta
            && !record.reporting_mta().is_some_and(|r| r.eq_ignore_ascii_case(m))
        {
            return false;
        }
        if f.day.is_some() && record.day() != f.day {
            return false;
        }
        if let Some(t) = &self.text
            && !haystack.contains(t.as_str())
        {
            return false;
        }
        true
    }
}
