//! The screen against hostile IMAP servers: the scan ends with the error on the
//! status line, memory stays bounded (the program runs under a 2 GiB address-space
//! limit, which an unbounded read would hit and abort on), and after `q` the terminal
//! is given back: main screen, cursor shown, mouse reporting off.

#![cfg(all(feature = "imap", feature = "tui"))]

mod support;
mod tmux;

use support::hostile::{Hostile, Mode};
use tmux::Tmux;

fn screen_survives(mode: Mode, expected: &str) {
    let server = Hostile::start(mode);
    let dir = tempfile::tempdir().expect("tempdir");
    let config = server.config(dir.path(), 2);
    let prefix = format!(
        "ulimit -v 2097152; HOSTILE_PASS=pw XDG_CACHE_HOME={}",
        dir.path().join("cache").display()
    );
    let t = Tmux::start_with(
        120,
        30,
        &prefix,
        &format!("--config {} --account hostile", config.display()),
    );
    let screen = t.wait_for(expected);
    assert!(screen.contains("127.0.0.1"), "{screen}");
    assert_eq!(t.query("#{alternate_on}"), "1", "the screen should still be up:\n{screen}");
    t.keys(&["q"]);
    let after = t.wait_for("EXITED:");
    assert!(after.contains("EXITED:0"), "{after}");
    assert_eq!(t.query("#{alternate_on}"), "0", "still in the alternate screen:\n{after}");
    assert_eq!(t.query("#{cursor_flag}"), "1", "the cursor is still hidden");
    assert_eq!(t.query("#{mouse_any_flag}"), "0", "mouse reporting is still on");
}

#[test]
fn an_alert_flood_shows_an_error_and_the_terminal_is_restored() {
    if !support::servers::have(support::servers::Need::Tmux) {
        return;
    }
    screen_survives(Mode::AlertFlood, "untagged responses");
}

#[test]
fn an_endless_line_shows_an_error_and_the_terminal_is_restored() {
    if !support::servers::have(support::servers::Need::Tmux) {
        return;
    }
    screen_survives(Mode::EndlessLine, "a response longer than");
}

/// The pid of the program tmux runs: the child of the pane's shell.
fn program_pid(t: &Tmux) -> i32 {
    let shell: i32 = t.query("#{pane_pid}").parse().expect("pane pid");
    let children = std::fs::read_to_string(format!("/proc/{shell}/task/{shell}/children"))
        .expect("children of the pane's shell");
    children.split_whitespace().next().expect("a child").parse().expect("pid")
}

#[test]
fn a_terminating_signal_gives_the_terminal_back() {
    if !support::servers::have(support::servers::Need::Tmux) {
        return;
    }
    for signal in [libc::SIGTERM, libc::SIGHUP] {
        let t = Tmux::start(100, 30, "--demo");
        t.wait_for("scan finished");
        assert_eq!(t.query("#{alternate_on}"), "1");
        // SAFETY: a signal to the rebound process this test started in its own tmux.
        assert_eq!(unsafe { libc::kill(program_pid(&t), signal) }, 0);
        let after = t.wait_for("EXITED:");
        assert_eq!(
            t.query("#{alternate_on}"),
            "0",
            "signal {signal}: still in the alternate screen"
        );
        assert_eq!(t.query("#{cursor_flag}"), "1", "signal {signal}: the cursor is still hidden");
        assert_eq!(t.query("#{mouse_any_flag}"), "0", "signal {signal}: mouse reporting still on");
        assert!(!after.contains("recipient"), "{after}");
    }
}
