//! Golden files for every export format, on the demo mailbox and on a small
//! hand-built session. Regenerate after an intended change with
//! `UPDATE_GOLDEN=1 cargo test --test report_golden` and review the diff.

mod common;

use rebound::bounce::Reason;
use rebound::report::{self, Format};
use rebound::session::{Filter, Session, SortKey};

fn render(format: Format, session: &Session, source: &str) -> String {
    let mut out = Vec::new();
    report::write(format, session, &common::meta(source), &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn demo_mailbox_in_every_format() {
    let session = common::demo_session();
    for format in Format::ALL {
        common::golden(
            &format!("demo.{}", format.extension()),
            &render(*format, &session, "demo mailbox"),
        );
    }
}

#[test]
fn demo_mailbox_filtered_and_sorted() {
    let mut session = common::demo_session();
    session.set_filter(Filter { class: Some(5), hard: Some(false), ..Filter::default() });
    session.set_sort(SortKey::Code, true);
    common::golden("demo-class5-soft.md", &render(Format::Markdown, &session, "demo mailbox"));
}

#[test]
fn sample_in_every_format() {
    let session = common::sample_session();
    for format in Format::ALL {
        common::golden(
            &format!("sample.{}", format.extension()),
            &render(*format, &session, "sample.mbox"),
        );
    }
}

#[test]
fn marked_records_replace_the_filtered_list() {
    let mut session = common::sample_session();
    session.set_filter(Filter { reason: Some(Reason::UserUnknown), ..Filter::default() });
    assert_eq!(session.visible().len(), 3);
    let first = session.visible()[0];
    session.toggle_mark(first);
    let json: serde_json::Value =
        serde_json::from_str(&render(Format::Json, &session, "sample.mbox")).unwrap();
    assert_eq!(json["coverage"], "marked");
    assert_eq!(json["shown"], 1);
    assert_eq!(json["total"], 7);
    assert_eq!(json["filter"], "reason userunknown");
    assert_eq!(json["records"][0]["recipient"], "ann@example.org");
    common::golden("sample-marked.json", &serde_json::to_string_pretty(&json).unwrap());
}

#[test]
fn suppression_list_is_unique_lowercased_hard_addresses() {
    let session = common::sample_session();
    assert_eq!(
        report::suppression_list(&session, &report::Policy::OFF),
        ["ann@example.org", "eve@example.org"]
    );
}

#[test]
fn the_header_counts_by_kind_as_the_screen_does() {
    let session = common::demo_session();
    let k = rebound::session::KindCounts::of(session.records());
    assert!(k.delay > 0 && k.feedback > 0 && k.autoreply > 0, "the demo has every kind: {k:?}");
    // What the screen's top bar shows for --demo: "21 soft 7 delay 1 fbl 1 auto".
    let words = "19 hard, 21 soft, 7 delay, 1 fbl, 1 auto";
    let md = render(Format::Markdown, &session, "demo mailbox");
    assert!(md.contains(&format!("- **From:** 46 reports; {words}\n")), "{md}");
    let html = render(Format::Html, &session, "demo mailbox");
    assert!(html.contains("21 soft</span>, 7 delay, 1 fbl, 1 auto</dd>"), "{html}");
    let json: serde_json::Value =
        serde_json::from_str(&render(Format::Json, &session, "demo mailbox")).unwrap();
    let s = &json["summary"];
    let counts =
        [&s["hard"], &s["soft"], &s["delay"], &s["success"], &s["feedback"], &s["autoreply"]];
    let counts: Vec<u64> = counts.iter().map(|v| v.as_u64().expect("a count")).collect();
    assert_eq!(counts, [19, 21, 7, 0, 1, 1]);
    assert_eq!(counts.iter().sum::<u64>(), s["records"].as_u64().unwrap(), "kinds add up");
}

#[test]
fn every_record_is_described_in_the_codes_table_by_its_own_entry() {
    let session = common::demo_session();
    let json: serde_json::Value =
        serde_json::from_str(&render(Format::Json, &session, "demo mailbox")).unwrap();
    let codes = json["summary"]["by_code"].as_array().expect("codes");
    let records = json["records"].as_array().expect("records");
    for r in records {
        let code = r["status"]
            .as_str()
            .map(str::to_string)
            .or_else(|| r["reply_code"].as_u64().map(|c| c.to_string()))
            .unwrap_or_else(|| "(no code)".into());
        let title = &r["guidance"]["title"];
        assert!(
            codes.iter().any(|c| c["code"] == code.as_str() && &c["title"] == title),
            "{} ({code}) is {title}, which no Codes row for {code} says",
            r["recipient"]
        );
    }
    // The counts still add up, per code and in all.
    let total: u64 = codes.iter().map(|c| c["count"].as_u64().unwrap()).sum();
    assert_eq!(total as usize, records.len());
    // 5.1.10: Exchange Online's "recipient not found" and a null MX, one row each.
    let rows: Vec<&str> = codes
        .iter()
        .filter(|c| c["code"] == "5.1.10")
        .map(|c| c["title"].as_str().unwrap())
        .collect();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(rows.contains(&"Recipient address has null MX"), "{rows:?}");
}
