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
