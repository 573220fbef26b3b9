//! `report -o` on real file systems: a full device, symlinks, devices. What was at the
//! target before must still be there after any failure, and nothing but a regular
//! file (or stdout) is written to.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn report(args: &[&str], target: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rebound"))
        .args(["report", "--demo", "--format", "html"])
        .args(args)
        .arg("-o")
        .arg(target)
        .env("HOME", "/nonexistent")
        .output()
        .expect("run rebound")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Files in `dir` other than those named in `keep`.
fn leftovers(dir: &Path, keep: &[&str]) -> Vec<String> {
    std::fs::read_dir(dir)
        .expect("read dir")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| !keep.contains(&n.as_str()))
        .collect()
}

/// A 256 kB tmpfs, unmounted on drop. `None` when this machine cannot mount one
/// (not root, or no permission in a container).
struct SmallFs {
    dir: tempfile::TempDir,
}

impl SmallFs {
    fn mount() -> Option<SmallFs> {
        let dir = tempfile::tempdir().ok()?;
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=256k", "tmpfs"])
            .arg(dir.path())
            .status()
            .is_ok_and(|s| s.success());
        ok.then_some(SmallFs { dir })
    }

    fn path(&self) -> PathBuf {
        self.dir.path().to_path_buf()
    }
}

impl Drop for SmallFs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.dir.path()).status();
    }
}

#[test]
fn a_full_device_keeps_the_old_report_and_says_why_once() {
    let Some(fs) = SmallFs::mount() else {
        // Without a mount the failure is still covered by /dev/full below, as a refusal.
        eprintln!("skipped: cannot mount a tmpfs here (needs root)");
        return;
    };
    let dir = fs.path();
    let target = dir.join("report.html");
    std::fs::write(&target, "the report of last week").unwrap();
    // Fill the file system, leaving less than the demo report needs (about 400 kB).
    let filler = vec![b'x'; 4096];
    let mut fill = std::fs::File::create(dir.join("filler")).unwrap();
    while std::io::Write::write_all(&mut fill, &filler).is_ok() {}
    drop(fill);
    let out = report(&["--force"], &target);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("No space left on device"), "{err}");
    assert_eq!(err.matches("No space left").count(), 1, "the OS error is printed twice: {err}");
    assert!(err.contains("nothing that was there before was changed"), "{err}");
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "the report of last week");
    assert!(leftovers(&dir, &["report.html", "filler"]).is_empty(), "temporary files left");
    // Room again: the same command replaces the report.
    std::fs::remove_file(dir.join("filler")).unwrap();
    let out = report(&["--force"], &target);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(std::fs::read_to_string(&target).unwrap().contains("<html"));
}

#[test]
fn devices_and_links_to_them_are_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let to_stdout = dir.path().join("out.html");
    std::os::unix::fs::symlink("/dev/stdout", &to_stdout).unwrap();
    let dangling = dir.path().join("dangling.html");
    std::os::unix::fs::symlink(dir.path().join("nowhere/x"), &dangling).unwrap();
    for target in [to_stdout.as_path(), Path::new("/dev/full"), &dangling, dir.path()] {
        let out = report(&["--force"], target);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{}: {err}", target.display());
        assert!(err.contains("is not a regular file") && err.contains("stdout"), "{err}");
    }
    assert!(std::fs::symlink_metadata(&to_stdout).unwrap().file_type().is_symlink());
    assert!(std::fs::symlink_metadata(&dangling).unwrap().file_type().is_symlink());
    assert!(leftovers(dir.path(), &["out.html", "dangling.html"]).is_empty());
}

#[test]
fn a_link_to_a_regular_file_is_kept_and_its_file_replaced() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real.html");
    std::fs::write(&real, "old").unwrap();
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o600)).unwrap();
    let link = dir.path().join("link.html");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let out = report(&[], &link);
    assert_eq!(out.status.code(), Some(2), "overwrote without --force");
    assert_eq!(std::fs::read_to_string(&real).unwrap(), "old");
    let out = report(&["--force"], &link);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
    assert!(std::fs::read_to_string(&real).unwrap().contains("<html"));
    let mode = std::fs::metadata(&real).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "the replaced report lost its permissions");
    assert!(leftovers(dir.path(), &["real.html", "link.html"]).is_empty());
}

#[test]
fn a_closed_stdout_is_not_a_reason_to_touch_files() {
    // `-o -` is stdout; with its reader gone the command fails, and no file appears.
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_rebound"))
        .current_dir(dir.path())
        .args(["report", "--demo", "--format", "html", "-o", "-"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let _ = child.wait().unwrap();
    assert!(leftovers(dir.path(), &[]).is_empty());
}
