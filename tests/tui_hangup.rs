//! The screen ends when its terminal goes away, even when no SIGHUP reaches it.
//!
//! A terminal window closed or a tmux session killed hangs up the terminal. The kernel
//! signals only the session leader; when that is a shell or a script that started
//! rebound, rebound gets no signal, and every read gives end of file. crossterm retries
//! such reads forever, so rebound used to spin at full CPU for as long as the machine ran.
//! This test plays it on a real pseudo-terminal: `sh` leads the session and runs rebound,
//! the test closes the terminal's master side, and rebound must be gone within seconds.
#![cfg(all(unix, feature = "tui"))]

use std::fs::File;
use std::io::Read;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A pseudo-terminal pair of 100x30 cells.
fn open_pty() -> (OwnedFd, OwnedFd) {
    let (mut master, mut slave) = (-1, -1);
    let size = libc::winsize { ws_row: 30, ws_col: 100, ws_xpixel: 0, ws_ypixel: 0 };
    // SAFETY: openpty writes two descriptors; the name buffer and termios may be null.
    let r = unsafe {
        libc::openpty(&mut master, &mut slave, std::ptr::null_mut(), std::ptr::null(), &size)
    };
    assert_eq!(r, 0, "openpty: {}", std::io::Error::last_os_error());
    // openpty does not set close-on-exec: without it the child would inherit the master
    // side and keep its own terminal alive.
    for fd in [master, slave] {
        // SAFETY: fcntl on descriptors we own.
        unsafe { libc::fcntl(fd, libc::F_SETFD, libc::FD_CLOEXEC) };
    }
    // SAFETY: both descriptors were just opened and are owned by nobody else.
    unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) }
}

/// The single child process of `pid`, once it exists.
fn only_child(pid: u32, within: Duration) -> u32 {
    let start = Instant::now();
    loop {
        let path = format!("/proc/{pid}/task/{pid}/children");
        let children = std::fs::read_to_string(&path).unwrap_or_default();
        if let Some(c) = children.split_whitespace().next() {
            return c.parse().expect("a pid");
        }
        assert!(start.elapsed() < within, "sh started no child within {within:?}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Running, or stopped but not yet dead: anything but gone or a zombie.
fn alive(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => {
            let state = stat.rsplit_once(") ").and_then(|(_, rest)| rest.chars().next());
            !matches!(state, Some('Z' | 'X'))
        }
        Err(_) => false,
    }
}

#[test]
fn the_screen_ends_when_its_terminal_hangs_up_without_a_signal() {
    let home = tempfile_dir();
    let (master, slave) = open_pty();
    let stdio = |fd: &OwnedFd| Stdio::from(fd.try_clone().expect("dup"));
    let script = format!("'{}' --demo; sleep 60", env!("CARGO_BIN_EXE_rebound"));
    let mut cmd = Command::new("sh");
    cmd.args(["-c", &script])
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("HOME", &home)
        .env("TERM", "xterm-256color")
        .stdin(stdio(&slave))
        .stdout(stdio(&slave))
        .stderr(stdio(&slave));
    // SAFETY: only async-signal-safe calls between fork and exec: a new session with the
    // terminal as its controlling terminal, as a terminal emulator or tmux sets it up.
    unsafe {
        cmd.pre_exec(|| {
            if libc::setsid() == -1 || libc::ioctl(0, libc::TIOCSCTTY, 0) == -1 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let mut sh = cmd.spawn().expect("start sh");
    drop(slave);
    let rebound = only_child(sh.id(), Duration::from_secs(10));

    // Let the screen come up for three seconds, reading what it draws so its writes
    // never block; then hang up by closing the master side, which only this thread holds.
    let drawn = std::thread::spawn(move || {
        let mut master = File::from(master);
        let (mut seen, mut buf) = (0usize, [0u8; 4096]);
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(3) {
            let mut pfd = libc::pollfd { fd: master.as_raw_fd(), events: libc::POLLIN, revents: 0 };
            // SAFETY: one pollfd that lives across the call.
            if unsafe { libc::poll(&mut pfd, 1, 100) } == 1 {
                match master.read(&mut buf) {
                    Ok(n @ 1..) => seen += n,
                    _ => break,
                }
            }
        }
        (seen, alive(rebound))
    });
    let (seen, alive_before) = drawn.join().expect("reader");
    assert!(seen > 0, "the screen drew nothing");
    assert!(alive_before, "rebound ended before the terminal hung up");
    let _ = sh.wait();
    let start = Instant::now();
    while alive(rebound) && start.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(50));
    }
    let still = alive(rebound);
    if still {
        // Do not leave a spinning process behind the test.
        // SAFETY: signalling a pid we started.
        unsafe { libc::kill(rebound as i32, libc::SIGKILL) };
    }
    assert!(!still, "rebound still runs 10 s after its terminal hung up");
}

/// A scratch HOME, so no config or triage state of the machine's user is read or written.
fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("rebound-hangup-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch home");
    dir
}
