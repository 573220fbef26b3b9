//! The Markdown report (GitHub-flavoured), for pasting into tickets.
//!
//! Mail text is cleaned, then Markdown punctuation is backslash-escaped so a subject
//! cannot turn into a link, a heading or raw HTML; in table cells `|` is escaped and a
//! line break becomes `<br>`. Diagnostics go into fenced blocks longer than any run of
//! backticks they contain.

use std::fmt::Write as _;
use std::io::Write;

use super::document::{clean, clean_line};
use crate::session::Group;

use super::document::{
    Document, Row, date_text, delay_text, hardness, kind_counts, or_dash, owners, retry_label,
    thousands,
};

fn needs_escape(c: char) -> bool {
    matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '~' | '!' | '&')
}

/// Append text escaped for inline Markdown (one line) to `b`.
fn push_inline(b: &mut String, s: &str) {
    let s = clean_line(s);
    if !s.bytes().any(|b| b.is_ascii() && needs_escape(char::from(b))) {
        b.push_str(&s);
        return;
    }
    for c in s.chars() {
        if needs_escape(c) {
            b.push('\\');
        }
        b.push(c);
    }
}

/// Append text escaped for a table cell: like [`push_inline`], line breaks as `<br>`.
fn push_cell(b: &mut String, s: &str) {
    let s = clean(s);
    if s.is_empty() {
        b.push(' ');
        return;
    }
    for (i, line) in s.split('\n').enumerate() {
        if i > 0 {
            b.push_str("<br>");
        }
        push_inline(b, line);
    }
}

/// Escape text for inline Markdown (one line).
pub fn inline(s: &str) -> String {
    let mut b = String::new();
    push_inline(&mut b, s);
    b
}

/// Escape text for a table cell: like [`inline`], keeping line breaks as `<br>`.
pub fn cell(s: &str) -> String {
    let mut b = String::new();
    push_cell(&mut b, s);
    b
}

/// A fenced block whose fence is longer than any backtick run inside.
fn fenced(b: &mut String, text: &str) {
    let text = clean(text);
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat((longest + 1).max(3));
    let _ = writeln!(b, "{fence}text\n{}\n{fence}", text.trim_end_matches('\n'));
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
    let kinds: Vec<String> =
        kind_counts(s).iter().map(|(n, kind)| format!("{} {kind}", thousands(*n))).collect();
    writeln!(out, "- **From:** {} reports; {}", thousands(s.reports), kinds.join(", "))?;
    writeln!(out, "- **Made by:** {}\n", inline(&doc.meta.generator))?;
    if !doc.unread.is_empty() {
        writeln!(
            out,
            "**Incomplete:** {} could not be read; their bounces are not in this report:\n",
            thousands(doc.unread.len())
        )?;
        for u in &doc.unread {
            writeln!(out, "- {}", inline(u))?;
        }
        writeln!(out)?;
    }
    Ok(())
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
                retry_label(c.guidance.retry)
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
    let mut b = String::with_capacity(512);
    for (i, row) in doc.rows.iter().enumerate() {
        let r = row.record;
        let rc = r.recipient();
        b.clear();
        let _ = write!(b, "| {} | ", i + 1);
        push_cell(&mut b, &date_text(r));
        b.push_str(" | ");
        push_cell(&mut b, &rc.recipient);
        b.push_str(" | ");
        push_cell(&mut b, or_dash(r.code().as_deref()));
        let _ = write!(b, " | {} | {} | ", rc.reason.as_str(), hardness(r));
        push_cell(&mut b, or_dash(rc.remote_mta.as_deref()));
        b.push_str(" | ");
        push_cell(&mut b, or_dash(r.subject()));
        b.push_str(" |\n");
        out.write_all(b.as_bytes())?;
    }
    writeln!(out)
}

fn field(b: &mut String, label: &str, value: Option<&str>) {
    if let Some(v) = value.filter(|v| !v.trim().is_empty()) {
        let _ = write!(b, "- **{label}:** ");
        push_inline(b, v);
        b.push('\n');
    }
}

fn details(n: usize, row: &Row<'_>, b: &mut String) {
    let r = row.record;
    let rc = r.recipient();
    let rep = &r.report;
    let _ = write!(b, "### {n}. ");
    push_inline(b, &rc.recipient);
    b.push_str(" — ");
    push_inline(b, or_dash(r.code().as_deref()));
    let _ = write!(b, " {} ({})\n\n", rc.reason.as_str(), hardness(r));
    field(b, "Date", Some(&date_text(r)));
    field(b, "Kind", Some(r.kind().as_str()));
    field(b, "Action", rc.action.as_deref());
    field(b, "Status", rc.status.map(|s| s.to_string()).as_deref());
    field(b, "Reply code", rc.reply_code.map(|c| c.to_string()).as_deref());
    field(b, "Original recipient", rc.original_recipient.as_deref());
    field(b, "Remote MTA", rc.remote_mta.as_deref());
    field(b, "Reporting MTA", r.reporting_mta());
    field(b, "Subject", r.subject());
    field(b, "Message-ID", rep.original.message_id.as_deref());
    field(b, "Format", Some(&rep.format));
    field(b, "Why", Some(&rc.why));
    field(b, "Origin", Some(&r.origin.to_string()));
    b.push('\n');
    if !rc.diagnostic.trim().is_empty() {
        b.push_str("Diagnostic:\n\n");
        fenced(b, &rc.diagnostic);
        b.push('\n');
    }
    if !rep.hops.is_empty() {
        b.push_str("Hops (oldest first):\n\n");
        b.push_str(
            "| # | from | by | with | time | delay | TLS |\n|---:|---|---|---|---|---:|---|\n",
        );
        for (i, h) in rep.hops.iter().enumerate() {
            let _ = write!(b, "| {} | ", i + 1);
            push_cell(b, or_dash(h.from.as_deref()));
            b.push_str(" | ");
            push_cell(b, or_dash(h.by.as_deref()));
            b.push_str(" | ");
            push_cell(b, or_dash(h.with.as_deref()));
            b.push_str(" | ");
            if let Some(t) = h.time {
                let _ = write!(b, "{}", t.to_rfc3339());
            }
            let _ = writeln!(
                b,
                " | {}{} | {} |",
                delay_text(h.delay_secs),
                if h.skew { " (clock skew)" } else { "" },
                if h.tls { "yes" } else { "**no**" }
            );
        }
        b.push('\n');
    }
    let e = row.guidance.entry;
    b.push_str("Guidance (");
    push_inline(b, &e.key);
    b.push_str("): **");
    push_inline(b, &e.title);
    b.push_str("**. ");
    push_inline(b, &e.meaning);
    b.push_str("\n\nWho fixes it: ");
    push_inline(b, &owners(&row.guidance));
    let _ = write!(b, ". Retry: {}.\n\n", retry_label(row.guidance.retry));
    for s in e.sender_steps.iter().chain(&e.admin_steps) {
        b.push_str("- ");
        push_inline(b, s);
        b.push('\n');
    }
    if !(e.sender_steps.is_empty() && e.admin_steps.is_empty()) {
        b.push('\n');
    }
}

pub fn write(doc: &Document<'_>, out: &mut impl Write) -> Result<(), super::ReportError> {
    header(doc, out)?;
    summary(doc, out)?;
    list(doc, out)?;
    if !doc.rows.is_empty() {
        writeln!(out, "## Details\n")?;
        let mut b = String::with_capacity(4096);
        for (i, row) in doc.rows.iter().enumerate() {
            b.clear();
            details(i + 1, row, &mut b);
            out.write_all(b.as_bytes())?;
        }
    }
    writeln!(out, "## Suppression list\n")?;
    let policy = &doc.meta.suppression;
    if doc.suppression.is_empty() && !policy.is_on() {
        writeln!(out, "No hard bounces.")?;
    } else if doc.suppression.is_empty() {
        writeln!(out, "No hard bounces, and no address {}.", policy.rule())?;
    } else {
        let what = capitalized(&policy.describe());
        writeln!(out, "{what}, one per line ({}):\n", doc.suppression.len())?;
        let mut b = String::new();
        fenced(&mut b, &(doc.suppression.join("\n") + "\n"));
        out.write_all(b.as_bytes())?;
    }
    Ok(())
}

/// `hard-bounced ...` -> `Hard-bounced ...`.
fn capitalized(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
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
        let mut s = String::new();
        fenced(&mut s, "a ```` b");
        assert!(s.starts_with("`````text\n"), "{s}");
    }
}
