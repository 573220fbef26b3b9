//! Hostile IMAP servers against the real `rebound scan`: each must end the scan with
//! an error naming the server within `timeout_secs` + 5 s, below 300 MB of RSS.
//!
//! The child runs under a 2 GiB address-space limit (support::child), so a regression
//! aborts there instead of taking the machine's memory; its peak RSS comes from `wait4`.

#![cfg(feature = "imap")]

mod support;

use std::process::Command;
use std::time::Duration;

use support::child::{Ended, run_bounded};
use support::hostile::{Hostile, Mode};

const TIMEOUT_SECS: u64 = 2;

/// Run `rebound scan` against the server; killed after 30 s if it has not ended.
fn scan_against(server: &Hostile) -> Ended {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = server.config(dir.path(), TIMEOUT_SECS);
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rebound"));
    cmd.args(["scan", "--config"])
        .arg(&config)
        .args(["--account", "hostile"])
        .env("HOSTILE_PASS", "pw")
        .env("XDG_CACHE_HOME", dir.path().join("cache"));
    run_bounded(cmd, Duration::from_secs(30))
}

fn assert_bounded(mode: Mode, expected: &str) {
    let server = Hostile::start(mode);
    let ended = scan_against(&server);
    let Ended { code, elapsed, max_rss_mb, stderr, .. } = &ended;
    assert!(
        *elapsed < Duration::from_secs(TIMEOUT_SECS + 5),
        "{mode:?}: took {elapsed:?}; stderr: {stderr}"
    );
    assert!(*max_rss_mb < 300, "{mode:?}: peak RSS {max_rss_mb} MB; stderr: {stderr}");
    assert!(matches!(code, Some(1 | 2)), "{mode:?}: exit {code:?} (killed?); stderr: {stderr}");
    assert!(stderr.contains("127.0.0.1"), "{mode:?}: the server is not named: {stderr}");
    assert!(stderr.contains(expected), "{mode:?}: {expected:?} missing: {stderr}");
    assert!(stderr.contains("max_message_bytes"), "{mode:?}: no way out named: {stderr}");
    eprintln!("{mode:?} stderr: {stderr}");
    // The server really was hostile: it sent more than the limit before the hang-up.
    eprintln!(
        "{mode:?}: ended in {elapsed:?}, peak RSS {max_rss_mb} MB, server sent {} MB",
        server.sent.load(std::sync::atomic::Ordering::Relaxed) >> 20
    );
}

#[test]
fn an_endless_line_ends_the_scan_with_bounded_memory() {
    assert_bounded(Mode::EndlessLine, "a response longer than");
}

#[test]
fn an_alert_flood_ends_the_scan_with_bounded_memory() {
    assert_bounded(Mode::AlertFlood, "untagged responses");
}

#[test]
fn an_oversized_literal_is_refused_before_it_is_read() {
    assert_bounded(Mode::HugeLiteral, "a literal of 2.8 GB");
}

fn account_on(server: &Hostile, tls: rebound::config::Tls) -> rebound::config::Account {
    let mut a = rebound::config::Account::new("h", "127.0.0.1", "u");
    a.port = Some(server.port);
    a.tls = tls;
    a.password_command = Some("echo pw".into());
    a.timeout_secs = 5;
    a
}

#[test]
fn starttls_on_an_implicit_tls_port_is_named_within_seconds() {
    let server = Hostile::start(Mode::SilentUntilTls);
    let started = std::time::Instant::now();
    let err = rebound::source::imap::probe(&account_on(&server, rebound::config::Tls::Starttls))
        .unwrap_err()
        .to_string();
    assert!(started.elapsed() < Duration::from_secs(5), "took {:?}", started.elapsed());
    assert!(err.contains("speaks implicit TLS") && err.contains("tls = \"implicit\""), "{err}");
}

#[test]
fn starttls_accepted_but_never_started_does_not_suggest_starttls_again() {
    let server = Hostile::start(Mode::StarttlsThenSilence);
    let err = rebound::source::imap::probe(&account_on(&server, rebound::config::Tls::Starttls))
        .unwrap_err()
        .to_string();
    assert!(err.contains("accepted STARTTLS but did not start TLS"), "{err}");
    assert!(err.contains("STARTTLS is already in use"), "{err}");
    assert!(!err.contains("use tls = \"starttls\""), "{err}");
}
