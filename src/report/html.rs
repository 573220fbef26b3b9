//! The HTML report: one self-contained page (inline CSS, charts as inline SVG, no
//! script, no remote resource) that reads well on screen and on paper.
//!
//! Every mail-derived value is cleaned and then HTML-escaped; a Content-Security-Policy
//! that forbids scripts is a second line of defence should an escape ever be missed.

use std::fmt::Write as _;
use std::io::Write;

use super::document::{clean, clean_line};
use crate::bounce::Reason;
use crate::session::{Group, GroupKey};

use super::document::{
    Document, Row, date_text, delay_text, hardness, kind_counts, or_dash, owners, retry_label,
    thousands,
};
use super::svg::{self, Bar};

/// Append text escaped for HTML element content and quoted attribute values.
fn push_escaped(b: &mut String, s: &str) {
    if !s.bytes().any(|b| matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'')) {
        b.push_str(s);
        return;
    }
    for c in s.chars() {
        match c {
            '&' => b.push_str("&amp;"),
            '<' => b.push_str("&lt;"),
            '>' => b.push_str("&gt;"),
            '"' => b.push_str("&quot;"),
            '\'' => b.push_str("&#39;"),
            c => b.push(c),
        }
    }
}

/// Escape text for HTML element content and quoted attribute values.
pub fn escape(s: &str) -> String {
    let mut b = String::with_capacity(s.len() + 16);
    push_escaped(&mut b, s);
    b
}

/// Append one line of mail text, cleaned and escaped.
fn push_t(b: &mut String, s: &str) {
    push_escaped(b, &clean_line(s));
}

/// Clean one line of mail text, then escape it.
fn t(s: &str) -> String {
    escape(&clean_line(s))
}

const STYLE: &str = "
body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1d232a;margin:0 auto;max-width:1100px;padding:24px}
h1{font-size:24px;margin:0 0 8px}h2{font-size:18px;border-bottom:2px solid #d8dee4;padding-bottom:4px;margin-top:32px}
h3{font-size:15px;margin:20px 0 6px}
dl.meta{display:grid;grid-template-columns:max-content auto;gap:2px 16px;margin:0}dl.meta dt{color:#57606a}dl.meta dd{margin:0}
.charts{display:flex;flex-wrap:wrap;gap:24px;margin-top:20px}.charts figure{margin:0}.charts figcaption{font-weight:600;margin-bottom:4px}
svg .lbl{font-size:11px;fill:#444}svg .num{font-size:11px;fill:#222}
table{border-collapse:collapse;margin:6px 0 12px;font-size:13px}th,td{border:1px solid #d8dee4;padding:3px 7px;text-align:left;vertical-align:top}
th{background:#f3f5f7}td.n{text-align:right;font-variant-numeric:tabular-nums}td.t{white-space:nowrap}
.groups{display:flex;flex-wrap:wrap;gap:8px 28px;align-items:flex-start}
.hard{color:#b42318;font-weight:600}.soft{color:#9a6700}.c5{color:#b42318}.c4{color:#9a6700}.c2{color:#1a7f37}
.skew{color:#b42318;font-weight:600}.notls{color:#b42318;font-weight:600}
article{border:1px solid #d8dee4;border-radius:6px;padding:8px 14px;margin:12px 0}
article dl{display:grid;grid-template-columns:max-content auto;gap:1px 14px;margin:4px 0}article dt{color:#57606a}article dd{margin:0;overflow-wrap:anywhere}
pre{background:#f6f8fa;border:1px solid #d8dee4;padding:8px;white-space:pre-wrap;overflow-wrap:anywhere;font-size:12px}
.guidance{background:#f0f6ff;border-left:4px solid #4a78b5;padding:6px 10px}
footer{color:#57606a;font-size:12px;margin-top:32px}
@media print{body{max-width:none;padding:0;font-size:11px}article,table,figure{break-inside:avoid}a{color:inherit;text-decoration:none}h2{break-after:avoid}}
";

fn class_colour(key: &GroupKey) -> &'static str {
    match key {
        GroupKey::Class(5) => "#c0392b",
        GroupKey::Class(4) => "#d49a00",
        GroupKey::Class(2) => "#2e8540",
        _ => "#4a78b5",
    }
}

fn reason_colour(key: &GroupKey) -> &'static str {
    match key {
        GroupKey::Reason(r) if r.is_hard() => "#c0392b",
        GroupKey::Reason(Reason::Undefined | Reason::OnHold) => "#8c959f",
        _ => "#4a78b5",
    }
}

fn bars(groups: &[Group], colour: fn(&GroupKey) -> &'static str, limit: usize) -> Vec<Bar> {
    groups
        .iter()
        .take(limit)
        .map(|g| Bar {
            label: clean_line(&g.label()).into_owned(),
            count: g.count,
            colour: colour(&g.key),
        })
        .collect()
}

fn header(doc: &Document<'_>, out: &mut impl Write) -> std::io::Result<()> {
    let s = &doc.summary;
    let filter = if doc.filter.is_empty() { "none" } else { &doc.filter };
    // Hard and soft in their colours, the other kinds plain.
    let kinds: Vec<String> = kind_counts(s)
        .iter()
        .map(|(n, kind)| match *kind {
            "hard" | "soft" => format!("<span class=\"{kind}\">{} {kind}</span>", thousands(*n)),
            _ => format!("{} {kind}", thousands(*n)),
        })
        .collect();
    write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Bounce report: {src}</title><style>{STYLE}</style></head><body>\n\
         <header><h1>Bounce report</h1><dl class=\"meta\">\
         <dt>Source</dt><dd>{src}</dd><dt>Scanned</dt><dd>{scanned}</dd>\
         <dt>Filter</dt><dd>{filter}</dd><dt>Sort</dt><dd>{sort}</dd>\
         <dt>Records</dt><dd>{counts}</dd>\
         <dt>Reports</dt><dd>{reports} messages; {kinds}</dd>\
         </dl>{unread}</header>\n",
        src = t(&doc.source),
        scanned = escape(&doc.meta.scanned_at.format("%Y-%m-%d %H:%M:%S %:z").to_string()),
        filter = t(filter),
        sort = t(&doc.sort),
        counts = t(&doc.counts_line()),
        reports = thousands(s.reports),
        kinds = kinds.join(", "),
        unread = unread(doc),
    )
}

/// The list of what could not be read, or nothing.
fn unread(doc: &Document<'_>) -> String {
    if doc.unread.is_empty() {
        return String::new();
    }
    let items: String = doc.unread.iter().map(|u| format!("<li>{}</li>", t(u))).collect();
    format!(
        "<p class=\"hard\"><strong>Incomplete:</strong> {} could not be read; their bounces \
         are not in this report:</p><ul>{items}</ul>",
        thousands(doc.unread.len())
    )
}

fn charts(doc: &Document<'_>, out: &mut impl Write) -> std::io::Result<()> {
    let s = &doc.summary;
    if s.records == 0 {
        return Ok(());
    }
    let days: Vec<_> = s
        .by_day
        .iter()
        .filter_map(|g| match g.key {
            GroupKey::Day(d) => Some((d, g.count)),
            _ => None,
        })
        .collect();
    writeln!(out, "<section class=\"charts\">")?;
    writeln!(
        out,
        "<figure><figcaption>By code class</figcaption>{}</figure>",
        svg::horizontal("Records by code class", &bars(&s.by_class, class_colour, 3))
    )?;
    writeln!(
        out,
        "<figure><figcaption>By reason</figcaption>{}</figure>",
        svg::horizontal("Records by reason", &bars(&s.by_reason, reason_colour, 12))
    )?;
    if !days.is_empty() {
        writeln!(
            out,
            "<figure><figcaption>Per day (UTC)</figcaption>{}</figure>",
            svg::per_day("Records per day", &days)
        )?;
    }
    writeln!(out, "</section>")
}

fn group_table(out: &mut impl Write, title: &str, groups: &[Group]) -> std::io::Result<()> {
    if groups.is_empty() {
        return Ok(());
    }
    write!(out, "<table><tr><th>{}</th><th>count</th></tr>", escape(title))?;
    for g in groups.iter().take(25) {
        write!(
            out,
            "<tr><td>{}</td><td class=\"n\">{}</td></tr>",
            t(&g.label()),
            thousands(g.count)
        )?;
    }
    if groups.len() > 25 {
        write!(out, "<tr><td colspan=\"2\">and {} more</td></tr>", groups.len() - 25)?;
    }
    writeln!(out, "</table>")
}

fn summary(doc: &Document<'_>, out: &mut impl Write) -> std::io::Result<()> {
    writeln!(out, "<section><h2>Codes</h2>")?;
    write!(
        out,
        "<table><tr><th>code</th><th>count</th><th>meaning</th><th>who fixes it</th><th>retry</th></tr>"
    )?;
    for c in &doc.codes {
        let e = c.guidance.entry;
        write!(
            out,
            "<tr><td class=\"c{}\">{}</td><td class=\"n\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            // The class digit colours the code; a missing code is class 0, as in rows.
            c.code.chars().next().filter(char::is_ascii_digit).unwrap_or('0'),
            t(&c.code),
            thousands(c.count),
            t(&e.title),
            t(&owners(&c.guidance)),
            retry_label(c.guidance.retry)
        )?;
    }
    writeln!(out, "</table></section>\n<section><h2>Summary</h2><div class=\"groups\">")?;
    for (title, groups) in doc.summary.sections() {
        if !matches!(title, "code" | "day") {
            group_table(out, title, groups)?;
        }
    }
    group_table(out, "day", &doc.summary.by_day)?;
    writeln!(out, "</div></section>")
}

fn list(doc: &Document<'_>, out: &mut impl Write) -> std::io::Result<()> {
    writeln!(out, "<section><h2>Bounces</h2><table>")?;
    writeln!(
        out,
        "<tr><th>#</th><th>date</th><th>recipient</th><th>code</th><th>reason</th><th>hard/soft</th><th>remote MTA</th><th>subject</th></tr>"
    )?;
    let mut b = String::with_capacity(512);
    for (i, row) in doc.rows.iter().enumerate() {
        let r = row.record;
        let rc = r.recipient();
        let n = i + 1;
        b.clear();
        let _ = write!(b, "<tr><td class=\"n\"><a href=\"#r{n}\">{n}</a></td><td class=\"t\">");
        push_escaped(&mut b, &date_text(r));
        b.push_str("</td><td>");
        push_t(&mut b, &rc.recipient);
        let _ = write!(b, "</td><td class=\"c{}\">", r.class().unwrap_or(0));
        push_t(&mut b, or_dash(r.code().as_deref()));
        let _ = write!(
            b,
            "</td><td>{}</td><td class=\"{h}\">{h}</td><td>",
            rc.reason.as_str(),
            h = hardness(r)
        );
        push_t(&mut b, or_dash(rc.remote_mta.as_deref()));
        b.push_str("</td><td>");
        push_t(&mut b, or_dash(r.subject()));
        b.push_str("</td></tr>\n");
        out.write_all(b.as_bytes())?;
    }
    writeln!(out, "</table></section>")
}

fn details(n: usize, row: &Row<'_>, b: &mut String) {
    let r = row.record;
    let rc = r.recipient();
    let rep = &r.report;
    let _ = write!(b, "<article id=\"r{n}\"><h3>{n}. ");
    push_t(b, &rc.recipient);
    let _ = write!(b, " <span class=\"c{}\">", r.class().unwrap_or(0));
    push_t(b, or_dash(r.code().as_deref()));
    let _ = write!(
        b,
        "</span> {} <span class=\"{h}\">{h}</span></h3><dl>",
        rc.reason.as_str(),
        h = hardness(r)
    );
    let date = date_text(r);
    let status = rc.status.map(|s| s.to_string());
    let reply = rc.reply_code.map(|c| c.to_string());
    let origin = r.origin.to_string();
    let fields: [(&str, Option<&str>); 13] = [
        ("Date", Some(&date)),
        ("Kind", Some(r.kind().as_str())),
        ("Action", rc.action.as_deref()),
        ("Status", status.as_deref()),
        ("Reply code", reply.as_deref()),
        ("Original recipient", rc.original_recipient.as_deref()),
        ("Remote MTA", rc.remote_mta.as_deref()),
        ("Reporting MTA", r.reporting_mta()),
        ("Subject", r.subject()),
        ("Message-ID", rep.original.message_id.as_deref()),
        ("Format", Some(&rep.format)),
        ("Why", Some(&rc.why)),
        ("Origin", Some(&origin)),
    ];
    for (label, value) in fields {
        if let Some(v) = value.filter(|v| !v.trim().is_empty()) {
            let _ = write!(b, "<dt>{label}</dt><dd>");
            push_t(b, v);
            b.push_str("</dd>");
        }
    }
    b.push_str("</dl>");
    if !rc.diagnostic.trim().is_empty() {
        b.push_str("<pre>");
        push_escaped(b, &clean(&rc.diagnostic));
        b.push_str("</pre>");
    }
    if !rep.hops.is_empty() {
        b.push_str("<table><tr><th>#</th><th>from</th><th>by</th><th>with</th><th>time</th><th>delay</th><th>TLS</th></tr>");
        for (i, h) in rep.hops.iter().enumerate() {
            let _ = write!(b, "<tr><td class=\"n\">{}</td><td>", i + 1);
            push_t(b, or_dash(h.from.as_deref()));
            b.push_str("</td><td>");
            push_t(b, or_dash(h.by.as_deref()));
            b.push_str("</td><td>");
            push_t(b, or_dash(h.with.as_deref()));
            b.push_str("</td><td class=\"t\">");
            if let Some(time) = h.time {
                let _ = write!(b, "{}", time.to_rfc3339());
            }
            let _ = write!(
                b,
                "</td><td class=\"n{}\">{}{}</td><td{}>{}</td></tr>",
                if h.skew { " skew" } else { "" },
                delay_text(h.delay_secs),
                if h.skew { " clock skew" } else { "" },
                if h.tls { "" } else { " class=\"notls\"" },
                if h.tls { "yes" } else { "no" },
            );
        }
        b.push_str("</table>");
    }
    let e = row.guidance.entry;
    b.push_str("<div class=\"guidance\"><strong>");
    push_t(b, &e.title);
    b.push_str("</strong> (");
    push_t(b, &e.key);
    b.push_str("): ");
    push_t(b, &e.meaning);
    b.push_str("<br>Who fixes it: ");
    push_t(b, &owners(&row.guidance));
    let _ = write!(b, ". Retry: {}.", retry_label(row.guidance.retry));
    if !(e.sender_steps.is_empty() && e.admin_steps.is_empty()) {
        b.push_str("<ul>");
        for s in e.sender_steps.iter().chain(&e.admin_steps) {
            b.push_str("<li>");
            push_t(b, s);
            b.push_str("</li>");
        }
        b.push_str("</ul>");
    }
    b.push_str("</div></article>\n");
}

pub fn write(doc: &Document<'_>, out: &mut impl Write) -> Result<(), super::ReportError> {
    header(doc, out)?;
    charts(doc, out)?;
    summary(doc, out)?;
    list(doc, out)?;
    if !doc.rows.is_empty() {
        writeln!(out, "<section><h2>Details</h2>")?;
        let mut b = String::with_capacity(4096);
        for (i, row) in doc.rows.iter().enumerate() {
            b.clear();
            details(i + 1, row, &mut b);
            out.write_all(b.as_bytes())?;
        }
        writeln!(out, "</section>")?;
    }
    write!(out, "<section><h2>Suppression list</h2>")?;
    let policy = &doc.meta.suppression;
    if doc.suppression.is_empty() && !policy.is_on() {
        write!(out, "<p>No hard bounces.</p>")?;
    } else if doc.suppression.is_empty() {
        write!(out, "<p>No hard bounces, and no address {}.</p>", escape(&policy.rule()))?;
    } else {
        let list: Vec<String> = doc.suppression.iter().map(|a| escape(a)).collect();
        write!(
            out,
            "<p>{} {}, one per line:</p><pre>{}</pre>",
            list.len(),
            escape(&policy.describe()),
            list.join("\n")
        )?;
    }
    writeln!(
        out,
        "</section>\n<footer>Made by {} on {}.</footer>\n</body></html>",
        t(&doc.meta.generator),
        escape(&doc.meta.scanned_at.format("%Y-%m-%d %H:%M %:z").to_string())
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape("<a href=\"x\" b='y'>&</a>"),
            "&lt;a href=&quot;x&quot; b=&#39;y&#39;&gt;&amp;&lt;/a&gt;"
        );
        assert_eq!(t("a\x1b[2Jb"), "a\u{FFFD}[2Jb");
    }
}
