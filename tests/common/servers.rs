//! Tests that need a program from outside Rust (Dovecot, openssl, tmux) skip, saying
//! which and why, when it is missing: a plain `cargo test` on a fresh machine passes.
//! `REBOUND_REQUIRE_SERVERS=1` (set by `scripts/test.sh`, hence CI) turns every such
//! skip into a failure, so a run that was meant to cover them never skips silently.
//!
//! Use it first thing in a test:
//!
//! ```ignore
//! if !servers::have(Need::Dovecot) { return; }
//! ```

#![allow(dead_code)]

use std::io::Write;
use std::path::Path;
use std::process::Command;

/// The variable that turns a skip into a failure.
pub const REQUIRE_VAR: &str = "REBOUND_REQUIRE_SERVERS";

/// What a test needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Dovecot at /usr/sbin/dovecot and openssl (for the throwaway CA).
    Dovecot,
    /// tmux, to drive the real binary in a terminal.
    Tmux,
    /// Cyrus: Debian's cyrus-common and sasl2-bin, and cyrus-imapd's imapd unpacked
    /// under /opt/rebound-test/cyrus (scripts/test.sh does both).
    Cyrus,
}

/// Lists what to treat as missing (`dovecot,tmux`), to try a fresh machine's run of
/// `cargo test` on one that has everything.
pub const HIDE_VAR: &str = "REBOUND_TEST_HIDE";

/// Why `need` cannot be met on this machine, or `None` when it can.
pub fn missing(need: Need) -> Option<String> {
    let hidden = std::env::var(HIDE_VAR).unwrap_or_default();
    let key = match need {
        Need::Dovecot => "dovecot",
        Need::Tmux => "tmux",
        Need::Cyrus => "cyrus",
    };
    if hidden.split(',').any(|h| h.trim().eq_ignore_ascii_case(key)) {
        return Some(format!("{key} hidden by {HIDE_VAR}"));
    }
    let lack: Vec<&str> = match need {
        Need::Dovecot => [
            (!Path::new("/usr/sbin/dovecot").exists()).then_some("Dovecot (/usr/sbin/dovecot)"),
            (!on_path("openssl")).then_some("openssl"),
        ]
        .into_iter()
        .flatten()
        .collect(),
        Need::Tmux => (!on_path("tmux")).then_some("tmux").into_iter().collect(),
        Need::Cyrus => [
            (!Path::new("/usr/lib/cyrus/bin/master").exists()).then_some("cyrus-common"),
            (!on_path("saslpasswd2")).then_some("sasl2-bin"),
            (!Path::new("/opt/rebound-test/cyrus/usr/lib/cyrus/bin/imapd").exists())
                .then_some("cyrus-imapd's imapd in /opt/rebound-test/cyrus"),
        ]
        .into_iter()
        .flatten()
        .collect(),
    };
    (!lack.is_empty()).then(|| format!("{} not installed", lack.join(" and ")))
}

/// True when the test can go on. Otherwise it says on stderr which test is skipped and
/// why and returns false, or fails the test when `REBOUND_REQUIRE_SERVERS` is set.
pub fn have(need: Need) -> bool {
    let Some(why) = missing(need) else { return true };
    let test = std::thread::current().name().unwrap_or("a test").to_string();
    let required = std::env::var_os(REQUIRE_VAR).is_some_and(|v| !v.is_empty() && v != "0");
    assert!(
        !required,
        "{test} needs {need:?}: {why}. {REQUIRE_VAR} is set, so this fails instead of \
         skipping; run ./scripts/test.sh, which installs it"
    );
    // Straight to the process's stderr: libtest captures `eprintln!` of a passing test,
    // and a skip must be seen.
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED {test}: {why} (./scripts/test.sh installs it; {REQUIRE_VAR}=1 makes this a failure)"
    );
    false
}

fn on_path(program: &str) -> bool {
    Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {program} >/dev/null"))
        .status()
        .is_ok_and(|s| s.success())
}
