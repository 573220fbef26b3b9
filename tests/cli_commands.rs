//! The commands agree with each other: `--demo` everywhere it makes sense, each help
//! lists only the options its command uses, and every command exits with the codes of
//! the one table (0 all read, 1 something unreadable and named, 2 could not start).

use std::path::Path;

use assert_cmd::Command;

/// rebound with no config file anywhere and no password in the environment.
fn rebound(home: &Path) -> Command {
    let mut c = Command::cargo_bin("rebound").expect("binary builds");
    c.env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("xdg"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env_remove("REBOUND_PASSWORD");
    c
}

fn run(args: &[&str]) -> (i32, String, String) {
    let home = tempfile::tempdir().expect("temp dir");
    let out = rebound(home.path()).args(args).output().expect("binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn help(args: &[&str]) -> String {
    let mut all = args.to_vec();
    all.push("--help");
    let (code, stdout, stderr) = run(&all);
    assert_eq!(code, 0, "{stderr}");
    stdout
}

/// A local port nothing listens on.
fn closed_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port()
}

#[test]
fn demo_works_for_scan_and_report() {
    let (code, stdout, stderr) = run(&["scan", "--demo"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.lines().count() > 20, "{stdout}");
    assert!(stdout.lines().all(|l| l.starts_with("{\"file\":\"demo\"")), "{stdout}");

    let (code, stdout, stderr) = run(&["report", "--demo", "--format", "md"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("demo mailbox") || stdout.contains("demo"), "{stdout}");
    // Options may come in any order around the sources.
    let (code, _, stderr) = run(&["report", "--format", "csv", "--demo", "--hard"]);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn each_help_lists_only_the_options_its_command_uses() {
    let source_options = ["--config", "--account", "--password-command", "--demo"];
    for command in [&[][..], &["scan"][..], &["report"][..]] {
        let text = help(command);
        for option in source_options {
            assert!(text.contains(option), "{command:?} --help lacks {option}:\n{text}");
        }
    }
    let explain = help(&["explain"]);
    for option in source_options {
        assert!(!explain.contains(option), "explain does not use {option}:\n{explain}");
    }
    assert!(explain.contains("--provider"), "{explain}");
    let check = help(&["config", "check"]);
    assert!(check.contains("--account") && check.contains("--config"), "{check}");
    assert!(!check.contains("--demo") && !check.contains("--format"), "{check}");
    for command in [&["config", "path"][..], &["config", "example"][..], &["completions"][..]] {
        let text = help(command);
        assert!(!text.contains("--account") && !text.contains("--demo"), "{command:?}:\n{text}");
    }
    assert!(!help(&["scan"]).contains("--sort"), "scan has no filters");
}

#[test]
fn every_command_shows_the_same_exit_table() {
    let table = [
        "  0  done: every message and file was read",
        "  1  done, but some messages or files could not be read (each is named on stderr)",
        "  2  could not start: bad arguments, config, connection or login",
    ];
    for command in [
        &[][..],
        &["scan"][..],
        &["report"][..],
        &["explain"][..],
        &["config", "path"][..],
        &["config", "check"][..],
    ] {
        let text = help(command);
        for line in table {
            assert!(text.contains(line), "{command:?} --help lacks {line:?}:\n{text}");
        }
    }
}

#[test]
fn unreadable_files_exit_1_and_are_named_in_scan_and_report() {
    let (code, stdout, stderr) = run(&["report", "--format", "md", "/nonexistent/mbox"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("/nonexistent/mbox"), "{stderr}");
    assert!(stdout.contains("# "), "the report is still written: {stdout}");

    let (code, _, stderr) = run(&["scan", "/nonexistent/mbox"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("/nonexistent/mbox"), "{stderr}");

    // Readable and unreadable together: what could be read is printed, and the exit says 1.
    let corpus = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus/maildir/bsd");
    let (code, stdout, stderr) = run(&["scan", corpus, "/nonexistent/mbox"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stdout.lines().count() > 100);
}

#[test]
fn a_connection_or_login_that_cannot_start_exits_2_in_scan_and_report() {
    let refused = format!("imaps://someone@127.0.0.1:{}/INBOX", closed_port());
    for command in ["scan", "report"] {
        let mut args = vec![command, refused.as_str(), "--password-command", "echo x"];
        if command == "report" {
            args.extend(["--format", "md"]);
        }
        let (code, stdout, stderr) = run(&args);
        assert_eq!(code, 2, "{command}: {stderr}");
        assert!(stderr.contains("refused the connection"), "{command}: {stderr}");
        assert!(stderr.contains("rebound config check"), "{command}: {stderr}");
        assert!(stdout.is_empty(), "{command} wrote before it could start: {stdout}");
    }
    // No password from anywhere: could not start either.
    let (code, _, stderr) = run(&["scan", &refused]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("REBOUND_PASSWORD"), "{stderr}");
}

#[test]
fn bad_arguments_exit_2() {
    for args in [
        &["scan", "--format", "xml"][..],
        &["report", "--demo", "--format", "pdf"][..],
        &["report", "--demo", "--format", "md", "--class", "3"][..],
        &["scan", "--no-such-option"][..],
        &["explain"][..],
    ] {
        let (code, _, stderr) = run(args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
    }
}

#[test]
fn with_nothing_to_read_the_messages_point_to_commands_not_the_source_tree() {
    for args in [&["scan"][..], &["report", "--format", "md"][..], &[][..]] {
        let (code, _, stderr) = run(args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stderr.contains("rebound --demo"), "{args:?}: {stderr}");
        assert!(stderr.contains("rebound config example"), "{args:?}: {stderr}");
        assert!(!stderr.contains("assets/"), "{args:?}: {stderr}");
    }
    let (code, _, stderr) = run(&["scan", "--account", "work"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("no account named `work`"), "{stderr}");
    assert!(stderr.contains("rebound config") && !stderr.contains("assets/"), "{stderr}");
}

#[test]
fn an_option_before_the_command_is_explained() {
    let (code, _, stderr) = run(&["--demo", "scan"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("`scan` is a command") && stderr.contains("rebound scan --demo"),
        "{stderr}"
    );
}
