//! Hostile IMAP servers against the real `rebound scan`: each must end the scan with
//! an error naming the server within `timeout_secs` + 5 s, below 300 MB of RSS.
//!
//! The child runs under a 2 GiB address-space limit, so a regression aborts there
//! instead of taking the machine's memory; its peak RSS comes from `wait4`.

#![cfg(feature = "imap")]

mod support;

use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use support::hostile::{Hostile, Mode};

const TIMEOUT_SECS: u64 = 2;

struct Ended {
    code: Option<i32>,
    elapsed: Duration,
    max_rss_mb: u64,
    stderr: String,
}

/// Run `rebound scan` against the server; kill it after 30 s if it has not ended.
fn scan_against(server: &Hostile) -> Ended {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = server.config(dir.path(), TIMEOUT_SECS);
    let stderr_path = dir.path().join("stderr");
    let stderr = std::fs::File::create(&stderr_path).expect("stderr file");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rebound"));
    cmd.args(["scan", "--config"])
        .arg(&config)
        .args(["--account", "hostile"])
        .env("HOSTILE_PASS", "pw")
        .env("XDG_CACHE_HOME", dir.path().join("cache"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(stderr);
    // SAFETY: setrlimit is async-signal-safe and touches only the child.
    unsafe {
        cmd.pre_exec(|| {
            let limit = libc::rlimit { rlim_cur: 2 << 30, rlim_max: 2 << 30 };
            if libc::setrlimit(libc::RLIMIT_AS, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let started = Instant::now();
    // Reaped below by wait4, which also gives its peak RSS (Child::wait cannot).
    #[allow(clippy::zombie_processes)]
    let child = cmd.spawn().expect("spawn rebound");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: zeroed rusage is a valid value for wait4 to fill.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: pid is our child; status and usage are valid for writes.
        let done = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        if done == pid {
            break;
        }
        if started.elapsed() > Duration::from_secs(30) {
            // SAFETY: plain signal to our own child.
            unsafe { libc::kill(pid, libc::SIGKILL) };
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let elapsed = started.elapsed();
    let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
    Ended {
        code,
        elapsed,
        max_rss_mb: usage.ru_maxrss as u64 / 1024,
        stderr: std::fs::read_to_string(&stderr_path).unwrap_or_default(),
    }
}

fn assert_bounded(mode: Mode, expected: &str) {
    let server = Hostile::start(mode);
    let ended = scan_against(&server);
    let Ended { code, elapsed, max_rss_mb, stderr } = &ended;
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
