//! The real binary in a real terminal: tmux runs `rebound`, we type keys and read
//! the screen with capture-pane. tmux must be installed (scripts/test.sh installs it).

use std::process::Command;
use std::thread::sleep;
use std::time::{Duration, Instant};

/// A private tmux server (own socket) with one session; killed on drop, even when a
/// check fails.
struct Tmux {
    socket: String,
    _serial: std::sync::MutexGuard<'static, ()>,
}

/// tmux servers started at the same moment trip over each other (and the machine is
/// small): one terminal at a time.
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

impl Tmux {
    fn start(width: u16, height: u16, args: &str) -> Tmux {
        // A fresh socket name per terminal: a server killed by the previous test may
        // still be tearing down its socket when the next one starts.
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let socket = format!("rebound-e2e-{}-{n}-{width}x{height}", std::process::id());
        let bin = env!("CARGO_BIN_EXE_rebound");
        // After the program ends, print its exit code and stay, so the test can see
        // that the terminal was given back.
        let script = format!("{bin} {args}; echo \"EXITED:$?\"; sleep 60");
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

    fn cmd(&self) -> Command {
        let mut c = Command::new("tmux");
        c.args(["-L", &self.socket, "-f", "/dev/null"]);
        c
    }

    fn screen(&self) -> String {
        let out = self.cmd().args(["capture-pane", "-p", "-t", "t"]).output().expect("capture");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn keys(&self, keys: &[&str]) {
        for k in keys {
            self.cmd().args(["send-keys", "-t", "t", k]).status().expect("send-keys");
            sleep(Duration::from_millis(80));
        }
    }

    /// Wait until the screen shows `needle`; the screen, or a panic showing it.
    fn wait_for(&self, needle: &str) -> String {
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

fn tour(width: u16, height: u16, args: &str) {
    let t = Tmux::start(width, height, args);
    let list = t.wait_for("scan finished");
    assert!(list.contains("reports") && list.contains("recipient"), "{list}");
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
    tour(100, 30, "--demo");
}

#[test]
fn demo_at_80x24() {
    tour(80, 24, "--demo");
}

#[test]
fn corpus_maildir_at_100x30() {
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
    assert!(text.contains("rebound --demo") && text.contains("config.toml"), "{text}");
}
