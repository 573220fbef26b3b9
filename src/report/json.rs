//! The JSON report: one document with the header, the summary and every record.
//! The schema is documented in the README ("Reports"); `version` changes whenever a
//! field changes meaning or disappears (adding fields does not change it).

use std::io::Write;

use serde::Serialize;

use super::document::{clean, clean_line};
use crate::bounce::Hop;
use crate::session::{Group, Record};

use super::document::{CodeLine, Document, Row, owner_label, retry_label};

/// The version of the JSON layout.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    generator: &'a str,
    source: &'a str,
    scanned_at: String,
    filter: &'a str,
    sort: &'a str,
    coverage: &'static str,
    shown: usize,
    total: usize,
    summary: JsonSummary,
    records: Records<'a>,
    suppression: &'a [String],
    /// The soft-failure policy the list was built with; left out when off (schema 1
    /// unchanged).
    #[serde(skip_serializing_if = "Option::is_none")]
    suppression_policy: Option<JsonPolicy>,
    /// What could not be read; left out when everything was (schema 1 unchanged).
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    unread: &'a [String],
}

#[derive(Serialize)]
struct JsonPolicy {
    soft_failures: u32,
    soft_days: u32,
}

#[derive(Serialize)]
struct JsonSummary {
    records: usize,
    reports: usize,
    /// By kind, as the screen counts them: hard and soft bounces, then delays,
    /// deliveries, complaints and auto-replies (together: `records`).
    hard: usize,
    soft: usize,
    delay: usize,
    success: usize,
    feedback: usize,
    autoreply: usize,
    by_class: Vec<JsonGroup>,
    by_subject: Vec<JsonGroup>,
    by_code: Vec<JsonCode>,
    by_reason: Vec<JsonGroup>,
    by_hardness: Vec<JsonGroup>,
    by_kind: Vec<JsonGroup>,
    by_domain: Vec<JsonGroup>,
    by_reporting_mta: Vec<JsonGroup>,
    by_day: Vec<JsonGroup>,
}

#[derive(Serialize)]
struct JsonGroup {
    key: String,
    count: usize,
}

#[derive(Serialize)]
struct JsonCode {
    code: String,
    count: usize,
    title: String,
    fix_owner: Vec<&'static str>,
    retry: &'static str,
}

#[derive(Serialize)]
struct JsonRecord {
    origin: String,
    date: Option<String>,
    kind: &'static str,
    recipient: String,
    original_recipient: Option<String>,
    domain: Option<String>,
    action: Option<String>,
    status: Option<String>,
    reply_code: Option<u16>,
    reason: &'static str,
    hard: bool,
    why: String,
    remote_mta: Option<String>,
    reporting_mta: Option<String>,
    diagnostic_type: Option<String>,
    diagnostic: String,
    subject: Option<String>,
    original_from: Option<String>,
    original_message_id: Option<String>,
    format: String,
    provider: Option<String>,
    hops: Vec<JsonHop>,
    auth: JsonAuth,
    guidance: JsonGuidance,
}

#[derive(Serialize)]
struct JsonHop {
    from: Option<String>,
    by: Option<String>,
    with: Option<String>,
    time: Option<String>,
    delay_secs: Option<i64>,
    skew: bool,
    tls: bool,
}

#[derive(Serialize)]
struct JsonAuth {
    spf: Option<String>,
    dkim: Vec<String>,
    dmarc: Option<String>,
}

#[derive(Serialize)]
struct JsonGuidance {
    key: String,
    title: String,
    meaning: String,
    fix_owner: Vec<&'static str>,
    retry: &'static str,
    /// Why this entry and verdict (the verdict's chain of evidence).
    because: String,
    sender_steps: Vec<String>,
    admin_steps: Vec<String>,
}

fn line(s: &str) -> String {
    clean_line(s).into_owned()
}

fn opt_line(s: Option<&str>) -> Option<String> {
    s.map(line)
}

fn groups(v: &[Group]) -> Vec<JsonGroup> {
    v.iter().map(|g| JsonGroup { key: line(&g.label()), count: g.count }).collect()
}

fn code(c: &CodeLine<'_>) -> JsonCode {
    JsonCode {
        code: line(&c.code),
        count: c.count,
        title: line(&c.guidance.entry.title),
        fix_owner: c.guidance.entry.fix_owner.iter().map(|o| owner_label(*o)).collect(),
        retry: retry_label(c.guidance.retry),
    }
}

fn hop(h: &Hop) -> JsonHop {
    JsonHop {
        from: opt_line(h.from.as_deref()),
        by: opt_line(h.by.as_deref()),
        with: opt_line(h.with.as_deref()),
        time: h.time.map(|t| t.to_rfc3339()),
        delay_secs: h.delay_secs,
        skew: h.skew,
        tls: h.tls,
    }
}

fn verdict(v: &crate::bounce::AuthVerdict) -> String {
    match &v.domain {
        Some(d) => line(&format!("{} ({d})", v.result)),
        None => line(&v.result),
    }
}

fn record(row: &Row<'_>) -> JsonRecord {
    let r: &Record = row.record;
    let rc = r.recipient();
    let rep = &r.report;
    let g = &row.guidance;
    JsonRecord {
        origin: line(&r.origin.to_string()),
        date: r.date().map(|d| d.to_rfc3339()),
        kind: r.kind().as_str(),
        recipient: line(&rc.recipient),
        original_recipient: opt_line(rc.original_recipient.as_deref()),
        domain: r.domain().map(|d| line(&d)),
        action: opt_line(rc.action.as_deref()),
        status: rc.status.map(|s| s.to_string()),
        reply_code: rc.reply_code,
        reason: rc.reason.as_str(),
        hard: rc.hard,
        why: line(&rc.why),
        remote_mta: opt_line(rc.remote_mta.as_deref()),
        reporting_mta: opt_line(r.reporting_mta()),
        diagnostic_type: opt_line(rc.diagnostic_type.as_deref()),
        diagnostic: clean(&rc.diagnostic).into_owned(),
        subject: opt_line(r.subject()),
        original_from: opt_line(rep.original.from.as_deref()),
        original_message_id: opt_line(rep.original.message_id.as_deref()),
        format: line(&rep.format),
        provider: opt_line(rep.provider.as_deref()),
        hops: rep.hops.iter().map(hop).collect(),
        auth: JsonAuth {
            spf: rep.auth.spf.as_ref().map(verdict),
            dkim: rep.auth.dkim.iter().map(verdict).collect(),
            dmarc: rep.auth.dmarc.as_ref().map(verdict),
        },
        guidance: JsonGuidance {
            key: line(&g.entry.key),
            title: line(&g.entry.title),
            meaning: clean(&g.entry.meaning).into_owned(),
            fix_owner: g.entry.fix_owner.iter().map(|o| owner_label(*o)).collect(),
            retry: retry_label(g.retry),
            because: line(&g.because),
            sender_steps: g.entry.sender_steps.iter().map(|s| line(s)).collect(),
            admin_steps: g.entry.admin_steps.iter().map(|s| line(s)).collect(),
        },
    }
}

/// The records, converted one at a time while writing so 100,000 of them never sit
/// in memory twice.
struct Records<'a>(&'a [Row<'a>]);

impl Serialize for Records<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(record))
    }
}

pub fn write(doc: &Document<'_>, out: &mut impl Write) -> Result<(), super::ReportError> {
    let s = &doc.summary;
    let report = JsonReport {
        version: SCHEMA_VERSION,
        generator: &doc.meta.generator,
        source: &doc.source,
        scanned_at: doc.meta.scanned_at.to_rfc3339(),
        filter: &doc.filter,
        sort: &doc.sort,
        coverage: doc.coverage.as_str(),
        shown: doc.shown,
        total: doc.total,
        summary: JsonSummary {
            records: s.records,
            reports: s.reports,
            hard: s.kinds.hard,
            soft: s.kinds.soft,
            delay: s.kinds.delay,
            success: s.kinds.success,
            feedback: s.kinds.feedback,
            autoreply: s.kinds.autoreply,
            by_class: groups(&s.by_class),
            by_subject: groups(&s.by_subject),
            by_code: doc.codes.iter().map(code).collect(),
            by_reason: groups(&s.by_reason),
            by_hardness: groups(&s.by_hardness),
            by_kind: groups(&s.by_kind),
            by_domain: groups(&s.by_domain),
            by_reporting_mta: groups(&s.by_reporting_mta),
            by_day: groups(&s.by_day),
        },
        records: Records(&doc.rows),
        suppression: &doc.suppression,
        suppression_policy: Some(doc.meta.suppression)
            .filter(|p| p.is_on())
            .map(|p| JsonPolicy { soft_failures: p.soft_failures, soft_days: p.soft_days }),
        unread: &doc.unread,
    };
    serde_json::to_writer_pretty(&mut *out, &report)?;
    writeln!(out)?;
    Ok(())
}
