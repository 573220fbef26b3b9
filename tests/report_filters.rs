//! Issue #15 on the command line: `report` filters that cannot match are refused with
//! the reason, reply codes and providers filter like on the screen, and `--new`
//! leaves out what an earlier `report --new` held.

use assert_cmd::Command;
use predicates::prelude::*;

fn rebound() -> Command {
    Command::cargo_bin("rebound").unwrap()
}

#[test]
fn what_cannot_match_is_refused_with_why() {
    for (flag, value, why) in [
        ("--code", "bogus", "is not a code"),
        ("--subject", "8", "1 to 7"),
        ("--domain", "@example.org", "without @"),
        ("--provider", "nobody", "gmail"),
    ] {
        rebound()
            .args(["report", "--demo", "--format", "csv", flag, value])
            .assert()
            .failure()
            .stderr(predicate::str::contains(why));
    }
}

#[test]
fn reply_codes_match_like_status_codes() {
    let out = rebound()
        .args(["report", "--demo", "--format", "csv", "--code", "550"])
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let rows = String::from_utf8_lossy(&out.stdout).lines().count();
    assert!(rows > 10, "the demo has many 550 replies; got {rows} lines");
}

#[test]
fn new_since_the_last_report() {
    let data = tempfile::tempdir().expect("temp dir");
    let run = || {
        let out = rebound()
            .env("REBOUND_DATA_DIR", data.path())
            .args(["report", "--demo", "--format", "csv", "--new"])
            .output()
            .expect("run");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        (
            String::from_utf8_lossy(&out.stdout).lines().count(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (first, said) = run();
    assert!(first > 10, "{first}: {said}");
    assert!(said.contains("new since the last report"), "{said}");
    let (second, said) = run();
    assert_eq!(second, 1, "only the header: nothing is new ({said})");
    assert!(data.path().join("triage.json").exists());
}
