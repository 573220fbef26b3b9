//! The Markdown report (GitHub-flavoured), for pasting into tickets.
//!
//! Mail text is cleaned, then Markdown punctuation is backslash-escaped so a subject
//! cannot turn into a link, a heading or raw HTML; in table cells `|` is escaped and a
//! line break becomes `<br>`. Diagnostics go into fenced blocks longer than any run of
//! backticks they contain.

use std::io::Write;

use crate::session::Group;
use crate::text::{clean, clean_line};

use super::document::{
    Document, Row, date_text, delay_text, hardness, or_dash, owners, retry_label, thousands,
};

/// Escape text for inline Markdown (one line).
pub fn inline(s: &str) -> String {
    let s = clean_line(s);
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '~' | '!' | '&')
        {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Escape text for a table cell: like [`inline`], keeping line breaks as `<br>`.
pub fn cell(s: &str) -> String {
    let s = clean(s);
    let lines: Vec<String> = s.split('\n').map(inline).collect();
    let joined = lines.join("<br>");
    if joined.is_empty() { " ".into() } else { joined }
}

/// A fenced block whose fence is longer than any backtick run inside.
fn fenced(out: &mut impl Write, text: &str) -> std::io::Result<()> {
    let text = clean(text);
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat((longest + 1).max(3));
    writeln!(out, "{fence}text")?;
    writeln!(out, "{}", text.trim_end_matches('\n'))?;
    writeln!(out, "{fence}")
}

fn group_table(out: &mut impl Write, title: &str, groups: &[Group]) -> std::io::Result<()> {
    if groups.is_empty() {
        return Ok(());
    }
    writeln!(out, "### By {title}\n")?;
    writeln!(out, "| {title} | count |\n|---|---:|")?;
    for g in groups {
        writeln!(out, "| {} | {} |", cell(&g.label()), thousands(g.count))?;
    }
    writeln!(out)
}

fn header(doc: &Document<'_>, out: &mut impl Write) -> std::io::Result<()> {
    let s = &doc.summary;
    writeln!(out, "# Bounce report\n")?;
    writeln!(out, "- **Source:** {}", inline(&doc.source))?;
    writeln!(out, "- **Scanned:** {}", doc.meta.scanned_at.format("%Y-%m-%d %H:%M:%S %:z"))?;
    let filter = if doc.filter.is_empty() { "none" } else { &doc.filter };
    writeln!(out, "- **Filter:** {}", inline(filter))?;
    writeln!(out, "- **Sort:** {}", inline(&doc.sort))?;
    writeln!(out, "- **Records:** {}", inline(&doc.counts_line()))?;
    writeln!(
        out,
        "- **From:** {} reports; {} hard, {} soft",
        thousands(s.reports),
        thousands(s.hard()),
        thousands(s.records - s.hard())
    )?;
    writeln!(out, "- **Made by:** {}\n", inline(&doc.meta.generator))
}

fn summary(doc: &Document<'_>, out: &mut impl Write) -> std::io::Result<()> {
    writeln!(out, "## Summary\n")?;
    if !doc.codes.is_empty() {
        writeln!(out, "### Codes\n")?;
        writeln!(out, "| code | count | meaning | who fixes it | retry |\n|---|---:|---|---|---|")?;
        for c in &doc.codes {
            let e = c.guidance.entry;
            writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                cell(&c.code),
                thousands(c.count),
                cell(&e.title),
                cell(&owners(&c.guidance)),
                retry_label(e.retry)
            )?;
        }
        writeln!(out)?;
    }
    for (title, groups) in doc.summary.sections() {
        if title != "code" {
            group_table(out, title, groups)?;
        }
    }
    Ok(())
}

fn list(doc: &Document<'_>, out: &mut impl Write) -> std::io::Result<()> {
    writeln!(out, "## Bounces\n")?;
    writeln!(
        out,
        "| # | date | recipient | code | reason | hard/soft | remote MTA | subject |\n\
         |---:|---|---|---|---|---|---|---|"
    )?;
    for (i, row) in doc.rows.iter().enumerate() {
        let r = row.record;
        let rc = r.recipient();
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            i + 1,
            cell(&date_text(r)),
            cell(&rc.recipient),
            cell(or_dash(r.code().as_deref())),
            rc.reason.as_str(),
            hardness(r),
            cell(or_dash(rc.remote_mta.as_deref())),
            cell(or_dash(r.subject())),
        )?;
    }
    writeln!(out)
}

fn details(n: usize, row: &Row<'_>, out: &mut impl Write) -> std::io::Result<()> {
    let r = row.record;
    let rc = r.recipient();
    let rep = &r.report;
    writeln!(
        out,
        "### {n}. {} — {} {} ({})\n",
        inline(&rc.recipient),
        inline(or_dash(r.code().as_deref())),
        rc.reason.as_str(),
        hardness(r)
    )?;
    let field = |label: &str, value: Option<&str>| match value {
        Some(v) if !v.trim().is_empty() => format!("- **{label}:** {}\n", inline(v)),
        _ => String::new(),
    };
    let date = date_text(r);
    let mut block = String::new();
    block += &field("Date", Some(&date));
    block += &field("Kind", Some(r.kind().as_str()));
    block += &field("Action", rc.action.as_deref());
    block += &field("Status", rc.status.map(|s| s.to_string()).as_deref());
    block += &field("Reply code", rc.reply_code.map(|c| c.to_string()).as_deref());
    block += &field("Original recipient", rc.original_recipient.as_deref());
    block += &field("Remote MTA", rc.remote_mta.as_deref());
    block += &field("Reporting MTA", r.reporting_mta());
    block += &field("Subject", r.subject());
    block += &field("Message-ID", rep.original.message_id.as_deref());
    block += &field("Format", Some(&rep.format));
    block += &field("Why", Some(&rc.why));
    block += &field("Origin", Some(&r.origin.to_string()));
    writeln!(out, "{block}")?;
    if !rc.diagnostic.trim().is_empty() {
        writeln!(out, "Diagnostic:\n")?;
        fenced(out, &rc.diagnostic)?;
        writeln!(out)?;
    }
    if !rep.hops.is_empty() {
        writeln!(out, "Hops (oldest first):\n")?;
        writeln!(
            out,
            "| # | from | by | with | time | delay | TLS |\n|---:|---|---|---|---|---:|---|"
        )?;
        for (i, h) in rep.hops.iter().enumerate() {
            let time = h.time.map(|t| t.to_rfc3339()).unwrap_or_default();
            let delay = delay_text(h.delay_secs);
            let delay = if h.skew { format!("{delay} (clock skew)") } else { delay };
            writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} |",
                i + 1,
                cell(or_dash(h.from.as_deref())),
                cell(or_dash(h.by.as_deref())),
                cell(or_dash(h.with.as_deref())),
                cell(&time),
                cell(&delay),
                if h.tls { "yes" } else { "**no**" }
            )?;
        }
        writeln!(out)?;
    }
    let e = row.guidance.entry;
    writeln!(
        out,
        "Guidance ({}): **{}**. {}\n",
        inline(&e.key),
        inline(&e.title),
        inline(&e.meaning)
    )?;
    writeln!(
        out,
        "Who fixes it: {}. Retry: {}.\n",
        inline(&owners(&row.guidance)),
        retry_label(e.retry)
    )?;
    for s in e.sender_steps.iter().chain(&e.admin_steps) {
        writeln!(out, "- {}", inline(s))?;
    }
    if !(e.sender_steps.is_empty() && e.admin_steps.is_empty()) {
        writeln!(out)?;
    }
    Ok(())
}

pub fn write(doc: &Document<'_>, out: &mut impl Write) -> Result<(), super::ReportError> {
    header(doc, out)?;
    summary(doc, out)?;
    list(doc, out)?;
    if !doc.rows.is_empty() {
        writeln!(out, "## Details\n")?;
        for (i, row) in doc.rows.iter().enumerate() {
            details(i + 1, row, out)?;
        }
    }
    writeln!(out, "## Suppression list\n")?;
    if doc.suppression.is_empty() {
        writeln!(out, "No hard bounces.")?;
    } else {
        writeln!(out, "Hard-bounced addresses, one per line ({}):\n", doc.suppression.len())?;
        fenced(out, &(doc.suppression.join("\n") + "\n"))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_escape_pipes_newlines_and_markup() {
        assert_eq!(cell("a|b\nc"), "a\\|b<br>c");
        assert_eq!(inline("<script>x</script>"), "\\<script\\>x\\</script\\>");
        assert_eq!(inline("[x](http://e)"), "\\[x\\](http://e)");
        assert_eq!(cell(""), " ");
    }

    #[test]
    fn fences_outgrow_backticks_inside() {
        let mut v = Vec::new();
        fenced(&mut v, "a ```` b").unwrap();
        let s = String::from_utf8(v).unwrap();
        assert!(s.starts_with("`````text\n"), "{s}");
    }
}
