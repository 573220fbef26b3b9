//! `rebound report` end to end: formats, stdout, files that are never overwritten
//! without --force, filter options, and clear errors for bad arguments.

use assert_cmd::Command;
use predicates::prelude::*;

fn rebound() -> Command {
    Command::cargo_bin("rebound").unwrap()
}

#[test]
fn writes_each_format_to_stdout() {
    for (format, start) in [
        ("md", "# Bounce report"),
        ("html", "<!DOCTYPE html>"),
        ("json", "{"),
        ("csv", "address,code,error,created_at"),
    ] {
        rebound()
            .args(["report", "--demo", "--format", format])
            .assert()
            .success()
            .stdout(predicate::str::starts_with(start));
    }
    rebound()
        .args(["report", "--demo", "--format", "json", "-o", "-"])
        .assert()
        .success()
        .stdout(predicate::str::contains("\"version\": 1"));
}

#[test]
fn never_overwrites_a_file_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.csv");
    std::fs::write(&path, "precious\n").unwrap();
    rebound()
        .args(["report", "--demo", "--format", "csv", "-o"])
        .arg(&path)
        .assert()
        .failure()
        .stderr(
            predicate::str::contains("already exists").and(predicate::str::contains("--force")),
        );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "precious\n");

    rebound()
        .args(["report", "--demo", "--format", "csv", "--force", "-o"])
        .arg(&path)
        .assert()
        .success();
    assert!(std::fs::read_to_string(&path).unwrap().starts_with("address,code,error,created_at"));

    let fresh = dir.path().join("new.md");
    rebound().args(["report", "--demo", "--format", "md", "-o"]).arg(&fresh).assert().success();
    assert!(std::fs::read_to_string(&fresh).unwrap().starts_with("# Bounce report"));
}

#[test]
fn filter_options_reach_the_report_header() {
    rebound()
        .args(["report", "--demo", "--format", "json", "--class", "5", "--code", "5.7", "--soft"])
        .args(["--domain", "example.org", "--search", "quota", "--sort", "code", "--descending"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "\"filter\": \"class 5.x.x, code 5.7.*, soft only, domain example.org, text \\\"quota\\\"\"",
        ))
        .stdout(predicate::str::contains("\"sort\": \"code descending\""));
}

#[test]
fn bad_arguments_say_what_to_do() {
    rebound()
        .args(["report", "--demo", "--format", "pdf"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("use md, html, json or csv"));
    rebound()
        .args(["report", "--demo", "--format", "md", "--reason", "grumpy"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("userunknown"));
    rebound()
        .args(["report", "--demo", "--format", "md", "--class", "3"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("2, 4 or 5"));
    rebound().args(["report", "--demo", "--format", "md", "--hard", "--soft"]).assert().failure();
}

#[test]
fn the_library_writer_refuses_to_overwrite_and_names_files() {
    use rebound::report::{self, Format, ReportError, ReportMeta};
    let dir = tempfile::tempdir().unwrap();
    let session = rebound::session::Session::new();
    let meta = ReportMeta {
        source: "test".into(),
        scanned_at: chrono::DateTime::parse_from_rfc3339("2026-11-20T12:00:00+00:00").unwrap(),
        generator: "rebound (test)".into(),
        unread: Vec::new(),
        suppression: Default::default(),
    };
    let name = report::suggested_file_name(Format::Html, &meta);
    assert_eq!(name, "rebound-report-2026-11-20-1200.html");
    let path = dir.path().join(name);
    report::save(Format::Html, &session, &meta, &path, false).unwrap();
    let err = report::save(Format::Html, &session, &meta, &path, false).unwrap_err();
    assert!(matches!(err, ReportError::Exists(_)), "{err}");
    report::save(Format::Html, &session, &meta, &path, true).unwrap();
    let missing = dir.path().join("no/such/dir/r.md");
    let err = report::save(Format::Markdown, &session, &meta, &missing, false).unwrap_err();
    assert!(err.to_string().contains("cannot write"), "{err}");
    let list = dir.path().join("suppress.txt");
    report::save_suppression_list(&session, &report::Policy::OFF, &list, false).unwrap();
    assert_eq!(std::fs::read_to_string(&list).unwrap(), "");
}

#[test]
fn what_could_not_be_read_is_listed_in_the_report() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy("tests/corpus/maildir/bsd/rfc3464-01.eml", dir.path().join("1.eml")).unwrap();
    std::os::unix::fs::symlink(dir.path().join("gone.eml"), dir.path().join("2.eml")).unwrap();
    for (format, needle) in [
        ("md", "**Incomplete:** 1 could not be read"),
        ("html", "Incomplete:"),
        ("json", "\"unread\""),
    ] {
        let out = rebound().args(["report", "--format", format]).arg(dir.path()).output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(text.contains(needle), "{format}: {needle:?} missing");
        assert!(text.contains("2.eml"), "{format}: the unread file is not named");
        assert!(err.contains("2.eml"), "{format}: not on stderr either: {err}");
    }
    // Nothing unread: no such section, and the JSON schema is unchanged.
    let out = rebound()
        .args(["report", "--format", "json", "tests/corpus/maildir/bsd/rfc3464-01.eml"])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stdout).contains("unread"));
}
