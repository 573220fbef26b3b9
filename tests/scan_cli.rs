//! `rebound scan` as a user runs it: the real binary over the real corpus.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, Stdio};

use assert_cmd::Command;
use serde_json::Value;

const COLUMNS: [&str; 25] = [
    "file",
    "message",
    "index",
    "kind",
    "recipient",
    "action",
    "status",
    "reply_code",
    "reason",
    "hard",
    "why",
    "remote_mta",
    "reporting_mta",
    "diagnostic",
    "format",
    "provider",
    "status_inferred",
    "stage",
    "rule",
    "provider_code",
    "retry",
    "entry",
    "because",
    "original_recipient",
    "cut",
];

/// A bounce with one failed recipient, and a message that is not a report.
const BOUNCE: &str = "tests/corpus/maildir/bsd/rfc3464-01.eml";
const ORDINARY: &str = "tests/corpus/maildir/not/is-not-bounce-01.eml";

fn scan(args: &[&str]) -> (Vec<Value>, String, i32) {
    let out = Command::cargo_bin("rebound")
        .expect("binary builds")
        .arg("scan")
        .args(args)
        .output()
        .expect("binary runs");
    let stdout = String::from_utf8(out.stdout).expect("UTF-8 output");
    let records = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad JSON line {l:?}: {e}")))
        .collect();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (records, stderr, out.status.code().unwrap_or(-1))
}

fn key_list(v: &Value) -> Vec<String> {
    let mut keys: Vec<String> = v.as_object().expect("object").keys().cloned().collect();
    keys.sort();
    keys
}

#[test]
fn jsonl_records_have_every_column_with_the_right_types() {
    let (records, stderr, code) = scan(&["tests/corpus/maildir/bsd"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(records.len() > 100, "only {} records", records.len());
    let mut expected: Vec<String> = COLUMNS.iter().map(|c| c.to_string()).collect();
    expected.sort();
    for r in &records {
        assert_eq!(key_list(r), expected);
        let file = r["file"].as_str().expect("file is a string");
        assert!(file.starts_with("tests/corpus/maildir/bsd/"), "{file}");
        // A few corpus files are small mbox files (they start with a postmark).
        assert!(r["message"].as_u64().is_some_and(|m| m >= 1), "{r}");
        assert!(r["index"].as_u64().is_some_and(|i| i >= 1), "{r}");
        assert!(r["hard"].is_boolean(), "{r}");
        // One verdict: a failed delivery is hard exactly when its advice is do-not-retry,
        // and a delay is never told so.
        if r["kind"] == "bounce" && r["reason"] != "feedback" {
            assert_eq!(r["hard"].as_bool(), Some(r["retry"] == "do-not-retry"), "{r}");
        }
        if r["action"] == "delayed" {
            assert_ne!(r["retry"], "do-not-retry", "{r}");
        }
        assert!(
            r["rule"].as_str().is_some_and(|s| !s.is_empty()),
            "every record names its rule: {r}"
        );
        assert!(r["recipient"].is_string() && r["reason"].is_string(), "{r}");
        if let Some(status) = r["status"].as_str() {
            let parts: Vec<&str> = status.split('.').collect();
            assert_eq!(parts.len(), 3, "{status}");
            assert!(parts.iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())));
        } else {
            assert!(r["status"].is_null());
        }
        if let Some(code) = r["reply_code"].as_str() {
            assert!(code.len() == 3 && code.bytes().all(|b| b.is_ascii_digit()), "{code}");
        } else {
            assert!(r["reply_code"].is_null());
        }
    }
    // Indexes count recipients within one message: 1, 2, ... without gaps.
    for pair in records.windows(2) {
        if pair[0]["file"] == pair[1]["file"] && pair[0]["message"] == pair[1]["message"] {
            assert_eq!(pair[1]["index"].as_u64(), pair[0]["index"].as_u64().map(|i| i + 1));
        } else {
            assert_eq!(pair[1]["index"], 1);
        }
    }
    assert!(records.iter().any(|r| r["kind"] == "bounce" && r["status"].is_string()));
}

#[test]
fn ordinary_mail_prints_nothing() {
    let (records, stderr, code) = scan(&[ORDINARY]);
    assert_eq!((records.len(), stderr.as_str(), code), (0, "", 0));
}

#[test]
fn csv_has_the_header_the_same_columns_and_no_formula_cells() {
    let out = Command::cargo_bin("rebound")
        .expect("binary builds")
        .args(["scan", "--format", "csv", "tests/corpus/maildir/bsd", "tests/corpus/maildir/dos"])
        .output()
        .expect("binary runs");
    assert!(out.status.success());
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    let header: Vec<String> =
        reader.headers().expect("header row").iter().map(str::to_string).collect();
    assert_eq!(header, COLUMNS);
    let mut rows = 0;
    for row in reader.records() {
        let row = row.expect("well-formed CSV row");
        assert_eq!(row.len(), COLUMNS.len());
        for (i, cell) in row.iter().enumerate() {
            let numeric = matches!(COLUMNS[i], "message" | "index");
            assert!(
                numeric || !cell.starts_with(['=', '+', '-', '@', '\t', '\r', '\0']),
                "formula-like cell {cell:?}"
            );
            assert!(!cell.contains(['\n', '\r', '\u{1b}']), "unclean cell {cell:?}");
        }
        rows += 1;
    }
    assert!(rows > 100, "only {rows} rows");

    let empty = Command::cargo_bin("rebound")
        .expect("binary builds")
        .args(["scan", "--format", "csv", ORDINARY])
        .output()
        .expect("binary runs");
    assert_eq!(String::from_utf8_lossy(&empty.stdout).trim_end(), COLUMNS.join(","));
}

/// Builds an mbox of: bounce, ordinary mail, bounce (with a `>From ` body line).
fn write_mbox(dir: &Path) -> PathBuf {
    let bounce = std::fs::read_to_string(BOUNCE).expect("corpus bounce");
    let ordinary = std::fs::read_to_string(ORDINARY).expect("corpus message");
    let mut mbox = String::new();
    for (i, message) in [&bounce, &ordinary, &bounce].iter().enumerate() {
        mbox.push_str(&format!("From MAILER-DAEMON Thu Sep 18 17:54:0{i} 2008\n"));
        mbox.push_str(message);
        if i == 2 {
            mbox.push_str(">From the body, escaped\n");
        }
        mbox.push('\n');
    }
    let path = dir.join("Bounces.mbox");
    std::fs::write(&path, mbox).expect("write mbox");
    path
}

#[test]
fn mbox_records_carry_the_message_position() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mbox = write_mbox(dir.path());
    let (records, stderr, code) = scan(&[mbox.to_str().expect("UTF-8 path")]);
    assert_eq!(code, 0, "{stderr}");
    let positions: Vec<u64> = records.iter().filter_map(|r| r["message"].as_u64()).collect();
    assert_eq!(positions, [1, 3]);
    assert!(records.iter().all(|r| r["file"] == mbox.to_str().expect("UTF-8 path")));
    assert_eq!(records[0]["recipient"], records[1]["recipient"]);

    // The corpus mbox: positions rise, never exceed its 37 postmarks, and most count.
    let (records, _, code) = scan(&["tests/corpus/mailbox/mbox-0"]);
    assert_eq!(code, 0);
    let positions: Vec<u64> = records.iter().filter_map(|r| r["message"].as_u64()).collect();
    assert!(positions.windows(2).all(|w| w[0] <= w[1]), "{positions:?}");
    assert!(positions.iter().all(|p| (1..=37).contains(p)), "{positions:?}");
    assert!(positions.iter().collect::<std::collections::BTreeSet<_>>().len() > 30);
}

#[test]
fn an_unreadable_file_is_reported_and_the_scan_goes_on() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::copy(BOUNCE, dir.path().join("b.eml")).expect("copy");
    std::os::unix::fs::symlink(dir.path().join("gone"), dir.path().join("a.eml")).expect("symlink");
    let root = dir.path().to_str().expect("UTF-8 path");
    let missing = dir.path().join("missing.mbox");
    let (records, stderr, code) = scan(&[root, missing.to_str().expect("UTF-8 path")]);
    assert_eq!(code, 1);
    assert_eq!(records.len(), 1, "the readable bounce still counts");
    assert!(stderr.contains("a.eml") && stderr.contains("missing.mbox"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn empty_and_tiny_files_are_not_errors() {
    let (records, stderr, code) = scan(&[
        "tests/corpus/mailbox/size-0",
        "tests/corpus/mailbox/size-1",
        "tests/corpus/mailbox/size-2",
    ]);
    assert_eq!((records.len(), stderr.as_str(), code), (0, "", 0));
}

#[test]
fn a_directory_walk_is_sorted_and_skips_index_and_hidden_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    for sub in ["cur", "new", "tmp", ".Trash/cur"] {
        std::fs::create_dir_all(root.join(sub)).expect("mkdir");
    }
    // Bounces that must NOT be read: hidden files and Dovecot's own files.
    for skipped in [".Trash/cur/x", ".hidden.eml", "dovecot.index.cache", "dovecot-uidlist"] {
        std::fs::copy(BOUNCE, root.join(skipped)).expect("copy");
    }
    for read in ["new/1:2,", "cur/2:2,S", "cur/10:2,S"] {
        std::fs::copy(BOUNCE, root.join(read)).expect("copy");
    }
    std::fs::copy(ORDINARY, root.join("cur/3:2,S")).expect("copy");
    let arg = root.to_str().expect("UTF-8 path");
    let (records, stderr, code) = scan(&[arg]);
    assert_eq!(code, 0, "{stderr}");
    let files: Vec<String> = records
        .iter()
        .map(|r| r["file"].as_str().expect("string").trim_start_matches(arg).to_string())
        .collect();
    assert_eq!(files, ["/cur/10:2,S", "/cur/2:2,S", "/new/1:2,"]);
}

#[test]
fn line_ending_variants_are_all_read() {
    for dir in ["tests/corpus/maildir/dos", "tests/corpus/maildir/mac"] {
        let (records, stderr, code) = scan(&[dir]);
        assert_eq!(code, 0, "{stderr}");
        assert!(records.iter().filter(|r| r["kind"] == "bounce").count() > 10, "{dir}");
    }
}

#[test]
fn a_closed_pipe_ends_the_scan_quietly() {
    let mut child = StdCommand::new(assert_cmd::cargo::cargo_bin("rebound"))
        .args(["scan", "tests/corpus", "tests/corpus", "tests/corpus"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary runs");
    let stdout = child.stdout.take().expect("piped stdout");
    let mut first = String::new();
    BufReader::new(stdout).read_line(&mut first).expect("one line");
    assert!(first.starts_with('{'), "{first}");
    // The reader is dropped here: the pipe closes while the scan still writes.
    let out = child.wait_with_output().expect("binary ends");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(out.status.success(), "{:?} {stderr}", out.status);
}

#[test]
fn help_documents_the_exit_status() {
    let out = Command::cargo_bin("rebound")
        .expect("binary builds")
        .args(["scan", "--help"])
        .output()
        .expect("binary runs");
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(help.contains("Exit status") && help.contains("1  done, but some"), "{help}");
}

#[test]
fn hostile_text_is_cleaned_and_formula_cells_neutralised() {
    let bounce = std::fs::read_to_string(BOUNCE).expect("corpus bounce");
    let hostile = bounce
        .replace(
            "Final-Recipient: RFC822; userunknown@bouncehammer.jp",
            "Final-Recipient: RFC822; =HYPERLINK(\"http://evil\")@bouncehammer.jp",
        )
        .replace(
            "550 5.1.1 <userunknown@bouncehammer.jp>... User Unknown",
            "550 5.1.1 \u{1b}]0;pwned\u{7} User Unknown \u{202e}",
        );
    assert_ne!(hostile, bounce, "the corpus sample changed; update this test");
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("hostile.eml");
    std::fs::write(&path, hostile).expect("write");
    let path = path.to_str().expect("UTF-8 path");

    let csv_out = Command::cargo_bin("rebound")
        .expect("binary builds")
        .args(["scan", "--format", "csv", path])
        .output()
        .expect("binary runs");
    let mut reader = csv::Reader::from_reader(csv_out.stdout.as_slice());
    let row = reader.records().next().expect("one row").expect("valid CSV");
    let recipient = &row[4];
    assert!(recipient.starts_with("'="), "{recipient}");
    let diagnostic = &row[13];
    assert!(diagnostic.contains("User Unknown"), "{diagnostic}");
    assert!(!diagnostic.contains(['\u{1b}', '\u{7}', '\u{202e}']), "{diagnostic:?}");

    let (records, _, code) = scan(&[path]);
    assert_eq!(code, 0);
    let text = records[0]["diagnostic"].as_str().expect("string");
    assert!(text.contains("User Unknown") && !text.contains(['\u{1b}', '\u{7}', '\u{202e}']));
}

#[test]
fn a_password_in_a_url_is_refused_and_never_printed() {
    let specs = ["imaps://me:hunter2@127.0.0.1:1/INBOX", "imaps://me:hun/ter2@127.0.0.1/X"];
    for spec in specs {
        for args in [vec!["scan", spec], vec!["report", "--format", "md", spec]] {
            let out = Command::cargo_bin("rebound")
                .unwrap()
                .args(&args)
                .env("HOME", "/nonexistent")
                .output()
                .unwrap();
            let text = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            assert_eq!(out.status.code(), Some(2), "{args:?}: {text}");
            assert!(!text.contains("ter2"), "{args:?} printed the password: {text}");
            assert!(text.contains("me:***@"), "{args:?}: {text}");
            assert!(
                text.contains("--password-command") && text.contains("REBOUND_PASSWORD"),
                "{text}"
            );
        }
    }
}
