//! Config files others could change are refused before anything in them runs; one
//! others can read is used, with its warning printed before the screen opens.

#![cfg(feature = "imap")]

mod support;
mod tmux;

use std::process::Command;

use support::hostile::{Hostile, Mode, set_mode};
use tmux::Tmux;

/// A config whose password_command leaves a mark when it runs.
fn config(dir: &std::path::Path, port: u16, mode: u32) -> (std::path::PathBuf, std::path::PathBuf) {
    let mark = dir.join("ran");
    let path = dir.join("config.toml");
    let text = format!(
        "[[account]]\nname = \"x\"\nhost = \"127.0.0.1\"\nport = {port}\ntls = \"none\"\n\
         allow_plaintext = true\nuser = \"u\"\npassword_command = \"touch {} && echo pw\"\n\
         timeout_secs = 2\n",
        mark.display()
    );
    std::fs::write(&path, text).unwrap();
    set_mode(&path, mode);
    (path, mark)
}

#[test]
fn a_config_others_can_write_is_refused_and_runs_nothing() {
    let server = Hostile::start(Mode::AlertFlood);
    let dir = tempfile::tempdir().unwrap();
    for mode in [0o666, 0o620] {
        let (path, mark) = config(dir.path(), server.port, mode);
        let out = Command::new(env!("CARGO_BIN_EXE_rebound"))
            .args(["scan", "--account", "x", "--config"])
            .arg(&path)
            .env("XDG_CACHE_HOME", dir.path())
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(
            err.contains("can be changed by other users") && err.contains("chmod go-w"),
            "{err}"
        );
        assert!(!mark.exists(), "password_command ran from an unsafe config");
    }
}

#[test]
fn a_readable_config_warns_before_the_screen_opens() {
    if !support::servers::have(support::servers::Need::Tmux) {
        return;
    }
    let server = Hostile::start(Mode::AlertFlood);
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = config(dir.path(), server.port, 0o644);
    let prefix = format!("XDG_CACHE_HOME={}", dir.path().display());
    let t = Tmux::start_with(120, 30, &prefix, &format!("--config {} --account x", path.display()));
    let screen = t.wait_for("untagged responses");
    let top = screen.lines().next().unwrap_or("");
    assert!(
        !screen.contains("chmod 600") || screen.lines().last().unwrap_or("").contains("chmod"),
        "the warning was printed over the screen:\n{screen}"
    );
    assert!(!top.contains("warning"), "the top bar is garbled: {top}");
    t.keys(&["q"]);
    let after = t.wait_for("EXITED:");
    assert!(after.contains("readable by other users") && after.contains("chmod 600"), "{after}");
}
