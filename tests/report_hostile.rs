//! Hostile mail in every export: markup and `<script>` in subjects and diagnostics,
//! spreadsheet formulas, pipes and newlines, terminal escapes, C1 and bidi controls.
//! Whatever the mail says, the HTML runs nothing, the CSV computes nothing, the
//! Markdown table keeps its columns, and no control character gets through.

use std::path::PathBuf;

use rebound::bounce::{Hop, Kind, Reason, RecipientStatus, Report};
use rebound::report::{self, Format, ReportMeta};
use rebound::session::Session;
use rebound::source::{Analysed, Origin};
use rebound::text::is_unsafe;

const EVIL_SUBJECT: &str =
    "<script>alert(1)</script> | col\nnext line \x1b]52;c;ZXZpbA==\x07 \u{9b}31m \u{202e}gnp.exe";
const EVIL_DIAG: &str = "=HYPERLINK(\"http://example.net/x\",\"click\")\r\n550 5.7.1 <img src=x onerror=alert(2)> \x1b[2J | ``` \x00";

fn hostile_session() -> Session {
    let mut rcpt = RecipientStatus::new("=cmd|' /C calc'!A0@example.net");
    rcpt.status = "5.7.1".parse().ok();
    rcpt.reply_code = Some(550);
    rcpt.reason = Reason::UserUnknown;
    rcpt.hard = true;
    rcpt.diagnostic = EVIL_DIAG.into();
    rcpt.remote_mta = Some("mx.example.net\"><script>x</script>".into());
    rcpt.why = "-1+1 said the \u{2066}diagnostic".into();
    let mut plain = RecipientStatus::new("+plain@example.org");
    plain.status = "4.2.2".parse().ok();
    plain.reason = Reason::MailboxFull;
    plain.diagnostic = "@SUM(1,2)\ttab".into();
    let mut report = Report {
        kind: Some(Kind::Bounce),
        format: "rfc3464".into(),
        subject: Some(EVIL_SUBJECT.into()),
        reporting_mta: Some("<b>mta</b>.example.com".into()),
        date: chrono::DateTime::parse_from_rfc3339("2026-10-05T10:00:00+02:00").ok(),
        recipients: vec![rcpt, plain],
        hops: vec![Hop {
            from: Some("evil\x1b[31m.example.net".into()),
            by: Some("<i>mx</i>".into()),
            with: Some("SMTP".into()),
            ..Hop::default()
        }],
        ..Report::default()
    };
    report.original.subject = Some(EVIL_SUBJECT.into());
    report.original.message_id = Some("<x|y@example.net>".into());
    let mut s = Session::new();
    s.extend([Analysed {
        origin: Origin::File { path: PathBuf::from("evil\x1b[0m.mbox"), message: 2 },
        report,
    }]);
    s
}

fn render(format: Format) -> String {
    let meta = ReportMeta {
        source: "mbox \x1b]52;c;AAAA\x07<b>".into(),
        scanned_at: chrono::DateTime::parse_from_rfc3339("2026-11-20T12:00:00+00:00").unwrap(),
        generator: "rebound test".into(),
        unread: Vec::new(),
        suppression: Default::default(),
    };
    let mut out = Vec::new();
    report::write(format, &hostile_session(), &meta, &mut out).unwrap();
    String::from_utf8(out).expect("reports are UTF-8")
}

fn assert_no_controls(format: Format, text: &str) {
    let bad: Vec<char> = text.chars().filter(|&c| is_unsafe(c) && c != '\n').collect();
    assert!(bad.is_empty(), "{format}: control characters {bad:?}");
    assert!(text.contains('\u{FFFD}'), "{format}: tampering should show as a placeholder");
}

#[test]
fn html_escapes_every_value_and_runs_nothing() {
    let html = render(Format::Html);
    assert_no_controls(Format::Html, &html);
    let lower = html.to_lowercase();
    assert!(!lower.contains("<script"), "raw script tag");
    assert!(!lower.contains("<img"), "raw img tag");
    assert!(!lower.contains("<b>mta") && !lower.contains("<i>mx"), "raw markup from mail");
    assert!(!lower.contains("\"><script"), "attribute breakout");
    assert!(lower.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(lower.contains("content-security-policy"));
    // Self-contained: nothing is fetched.
    let tag_with_resource =
        regex::Regex::new(r"<[a-z][^<>]*\b(src|href)\s*=\s*.?(https?:|//)").unwrap();
    assert!(!tag_with_resource.is_match(&lower), "a tag loads a remote resource");
    for needle in ["<link", "@import", "url(", "<script", "<iframe", "<object"] {
        assert!(!lower.contains(needle), "{needle:?} in the page");
    }
}

#[test]
fn csv_cells_never_start_a_formula() {
    let csv_text = render(Format::Csv);
    assert_no_controls(Format::Csv, &csv_text);
    let mut reader = csv::ReaderBuilder::new().from_reader(csv_text.as_bytes());
    let header = reader.headers().unwrap().clone();
    assert_eq!(
        &header.iter().take(4).collect::<Vec<_>>(),
        &["address", "code", "error", "created_at"]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    for row in &rows {
        assert_eq!(row.len(), header.len());
        for (i, cell) in row.iter().enumerate() {
            // A real address in the address column is not a formula (#14).
            if i == 0 && rebound::text::is_plain_address(cell) {
                continue;
            }
            let first = cell.chars().next();
            assert!(!matches!(first, Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\0')), "{cell:?}");
        }
    }
    assert!(rows[0][0].starts_with("'=cmd"), "{:?}", &rows[0][0]);
    assert!(rows[0][2].starts_with("'=HYPERLINK"), "{:?}", &rows[0][2]);
    assert_eq!(&rows[1][0], "+plain@example.org", "an address kept as it is");
    assert!(rows[1][2].starts_with("'@SUM"));
    assert_eq!(&rows[0][1], "550");
    assert_eq!(&rows[1][1], "4.2.2", "no reply code: the status stands in");
}

#[test]
fn markdown_tables_keep_their_columns() {
    let md = render(Format::Markdown);
    assert_no_controls(Format::Markdown, &md);
    // Outside fenced blocks every '<' is escaped, except the <br> we write ourselves.
    let mut in_fence = false;
    for line in md.lines() {
        if line.starts_with("```") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            continue;
        }
        let line = line.replace("<br>", "");
        for (i, _) in line.match_indices('<') {
            assert!(line[..i].ends_with('\\'), "raw '<' in Markdown: {line}");
        }
    }
    assert!(!in_fence, "every fence is closed");
    let list_rows: Vec<&str> = md
        .lines()
        .skip_while(|l| !l.starts_with("## Bounces"))
        .take_while(|l| !l.starts_with("## Details"))
        .filter(|l| l.starts_with("| 1 |") || l.starts_with("| 2 |"))
        .collect();
    assert_eq!(list_rows.len(), 2, "one table line per record, even with newlines in cells");
    for row in list_rows {
        let unescaped = row.match_indices('|').filter(|(i, _)| !row[..*i].ends_with('\\')).count();
        assert_eq!(unescaped, 9, "8 columns: {row}");
    }
    // The diagnostic's ``` cannot close its fence early.
    assert!(md.contains("````text\n"), "fence longer than the backticks inside");
}

#[test]
fn json_is_one_clean_versioned_document() {
    let json = render(Format::Json);
    assert_no_controls(Format::Json, &json);
    assert!(!json.contains("\\u001b") && !json.contains("\\u0000"), "escaped controls left in");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["version"], 1);
    assert_eq!(v["records"].as_array().unwrap().len(), 2);
    assert_eq!(v["summary"]["hard"], 1);
    assert_eq!(v["suppression"].as_array().unwrap().len(), 0, "not a plausible address");
    let diag = v["records"][0]["diagnostic"].as_str().unwrap();
    assert!(diag.contains("=HYPERLINK") && diag.contains('\n'), "JSON keeps text, cleaned");
}
