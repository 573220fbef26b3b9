//! The real binary in a real terminal: tmux runs `rebound`, we type keys and read
//! the screen with capture-pane. tmux must be installed (scripts/test.sh installs it).

#[path = "common/servers.rs"]
mod servers;
mod tmux;

use std::process::Command;

use servers::Need;
use tmux::Tmux;

fn tour(width: u16, height: u16, args: &str) {
    let t = Tmux::start(width, height, args);
    let list = t.wait_for("scan finished");
    // The top bar counts records (a report can hold several), and says so.
    let top = list.lines().next().unwrap_or("");
    assert!(top.contains(" records ") && !top.contains(" reports "), "{top}");
    assert!(list.contains("recipient"), "{list}");
    let first_rows: Vec<&str> = list.lines().skip(2).take(3).collect();
    assert!(first_rows.iter().all(|l| !l.trim().is_empty()), "list rows:\n{list}");

    t.keys(&["j", "Enter"]);
    let split = t.wait_for("guidance");
    assert!(split.contains("hops") && split.contains("diagnostic"), "{split}");
    // What matters first (issue #15): the verdict, the advice, the remote reply.
    for field in ["Verdict", "Advice", "Remote reply"] {
        assert!(split.contains(field), "{field}:\n{split}");
    }

    t.keys(&["Escape", "/"]);
    t.wait_for("Enter search, Esc cancel");
    t.keys(&["5.1.1", "Enter"]);
    let searched = t.wait_for("/5.1.1");
    assert!(searched.contains("match") || searched.contains("no match"), "{searched}");

    t.keys(&["?"]);
    let help = t.wait_for("keys (? or Esc closes)");
    for key in ["PgDn", "Ctrl-d", "Tab", "export", "rescan", "quit"] {
        assert!(help.contains(key), "help lacks {key}:\n{help}");
    }
    t.keys(&["Escape", "q"]);
    let after = t.wait_for("EXITED:");
    assert!(after.contains("EXITED:0"), "exit status:\n{after}");
    assert!(!after.contains("recipient"), "the alternate screen was not left:\n{after}");
}

#[test]
fn demo_at_100x30() {
    if !servers::have(Need::Tmux) {
        return;
    }
    tour(100, 30, "--demo");
}

#[test]
fn demo_at_80x24() {
    if !servers::have(Need::Tmux) {
        return;
    }
    tour(80, 24, "--demo");
}

#[test]
fn corpus_maildir_at_100x30() {
    if !servers::have(Need::Tmux) {
        return;
    }
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus/maildir/bsd");
    tour(100, 30, dir);
}

/// Issue #15: marks survive a filter, the top bar counts them, the export prompt says
/// what it will write (hidden marked rows included), Ctrl-U clears the suggested name,
/// and the file holds exactly the marked rows.
#[test]
fn marks_filter_and_export_say_what_they_do() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("marked.csv");
    let t = Tmux::start(120, 30, "--demo");
    t.wait_for("scan finished");
    t.keys(&["m", "m"]);
    let marked = t.wait_for("2 marked");
    assert!(marked.lines().nth(2).is_some_and(|l| l.starts_with(" *")), "{marked}");
    // Filter to rows that are not the first two: hard ones only, then negate them.
    t.keys(&["f"]);
    t.wait_for("filter>");
    t.keys(&["!hard", "Enter"]);
    t.wait_for("[!hard]");
    t.keys(&["e"]);
    let prompt = t.wait_for("export to:");
    assert!(prompt.contains("2 marked rows"), "{prompt}");
    assert!(prompt.contains("of them shown"), "{prompt}");
    t.keys(&["C-u"]);
    t.keys(&[out.to_str().expect("utf-8 path"), "Enter"]);
    t.wait_for("report of 2 records");
    let csv = std::fs::read_to_string(&out).expect("the export was written");
    assert_eq!(csv.lines().count(), 3, "a header and the two marked rows:\n{csv}");
    // M clears the marks; q leaves.
    t.keys(&["M"]);
    t.wait_for("2 marks cleared");
    t.keys(&["q"]);
    let after = t.wait_for("EXITED:");
    assert!(after.contains("EXITED:0"), "{after}");
}

#[test]
fn a_missing_path_says_it_does_not_exist() {
    let out = Command::new(env!("CARGO_BIN_EXE_rebound"))
        .arg("/nonexistent/rebound/Maildir")
        .output()
        .expect("run rebound");
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(text.contains("/nonexistent/rebound/Maildir does not exist"), "{text}");
}

#[test]
fn no_config_and_no_arguments_explains_what_to_do() {
    let out = Command::new(env!("CARGO_BIN_EXE_rebound"))
        .env("HOME", "/nonexistent")
        .env("XDG_CONFIG_HOME", "/nonexistent")
        .output()
        .expect("run rebound");
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert_eq!(out.status.code(), Some(2), "could not start: {text}");
    assert!(text.contains("rebound --demo") && text.contains("rebound config example"), "{text}");
    assert!(!text.contains("assets/"), "an installed rebound has no source tree: {text}");
}

#[test]
fn export_asks_before_replacing_a_file() {
    if !servers::have(Need::Tmux) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.md");
    std::fs::write(&path, "last week's report").unwrap();
    let t = Tmux::start(100, 30, "--demo");
    t.wait_for("scan finished");
    let typed = path.display().to_string();
    let export = |t: &Tmux| {
        t.keys(&["e"]);
        t.wait_for("export to:");
        let erase = vec!["BSpace"; "rebound-report.md".len()];
        t.keys(&erase);
        t.keys(&[typed.as_str(), "Enter"]);
        let asked = t.wait_for("overwrite it?");
        assert!(!asked.contains("--force"), "{asked}");
    };
    export(&t);
    t.keys(&["n"]);
    t.wait_for("export cancelled");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "last week's report");
    export(&t);
    t.keys(&["y"]);
    t.wait_for("wrote a md report");
    assert!(std::fs::read_to_string(&path).unwrap().contains("rebound"));
    t.keys(&["q"]);
}
