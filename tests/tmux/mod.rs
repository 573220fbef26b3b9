//! Driving the real binary in a real terminal: tmux runs `rebound`, keys are typed
//! with send-keys and the screen read with capture-pane. Shared by the e2e tests.

#![allow(dead_code)]

use std::process::Command;
use std::thread::sleep;
use std::time::{Duration, Instant};

/// A private tmux server (own socket) with one session; killed on drop, even when a
/// check fails.
pub struct Tmux {
    socket: String,
    _serial: std::sync::MutexGuard<'static, ()>,
}

/// tmux servers started at the same moment trip over each other (and the machine is
/// small): one terminal at a time.
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

impl Tmux {
    pub fn start(width: u16, height: u16, args: &str) -> Tmux {
        Tmux::start_with(width, height, "", args)
    }

    /// Like [`Tmux::start`]; `prefix` goes before the command in the shell script
    /// (`VAR=value`, `ulimit -v N;`).
    pub fn start_with(width: u16, height: u16, prefix: &str, args: &str) -> Tmux {
        // A fresh socket name per terminal: a server killed by the previous test may
        // still be tearing down its socket when the next one starts.
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let socket = format!("rebound-e2e-{}-{n}-{width}x{height}", std::process::id());
        let bin = env!("CARGO_BIN_EXE_rebound");
        // After the program ends, print its exit code and stay, so the test can see
        // that the terminal was given back.
        let script = format!("{prefix} {bin} {args}; echo \"EXITED:$?\"; sleep 60");
        let serial = SERIAL.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let tmux = Tmux { socket, _serial: serial };
        let status = tmux
            .cmd()
            .args(["new-session", "-d", "-s", "t", "-x", &width.to_string(), "-y"])
            .arg(height.to_string())
            .args(["env", "NO_COLOR=1", "HOME=/nonexistent", "sh", "-c", &script])
            .status()
            .expect("tmux is installed (scripts/test.sh installs it)");
        assert!(status.success(), "tmux new-session failed");
        tmux
    }

    pub fn cmd(&self) -> Command {
        let mut c = Command::new("tmux");
        c.args(["-L", &self.socket, "-f", "/dev/null"]);
        c
    }

    /// A tmux format about the pane, e.g. `#{alternate_on}` (1 while the program's
    /// alternate screen is shown), `#{cursor_flag}`, `#{mouse_any_flag}`.
    pub fn query(&self, format: &str) -> String {
        let out = self
            .cmd()
            .args(["display-message", "-p", "-t", "t", format])
            .output()
            .expect("display-message");
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    pub fn screen(&self) -> String {
        let out = self.cmd().args(["capture-pane", "-p", "-t", "t"]).output().expect("capture");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    pub fn keys(&self, keys: &[&str]) {
        for k in keys {
            self.cmd().args(["send-keys", "-t", "t", k]).status().expect("send-keys");
            sleep(Duration::from_millis(80));
        }
    }

    /// Wait until the screen shows `needle`; the screen, or a panic showing it.
    pub fn wait_for(&self, needle: &str) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(needle) {
                return screen;
            }
            if start.elapsed() > Duration::from_secs(15) {
                panic!("waited 15s for {needle:?}; the screen shows:\n{screen}");
            }
            sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.cmd().arg("kill-server").status();
    }
}
