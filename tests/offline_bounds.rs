//! Offline reads are bounded, on real files: a huge message, a huge header line in an
//! mbox, a symlink to /dev/zero and FIFOs in a Maildir or on the command line. The scan
//! ends quickly, below 150 MB of RSS, with a notice for each, and still finds the
//! bounces beside them.

mod support;

use std::ffi::CString;
use std::io::Write;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use support::child::{Ended, run_bounded};

const BOUNCE: &str = "tests/corpus/maildir/bsd/rfc3464-01.eml";

fn scan(args: &[&Path]) -> Ended {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rebound"));
    cmd.arg("scan").args(args).env("HOME", "/nonexistent");
    run_bounded(cmd, Duration::from_secs(30))
}

fn mkfifo(path: &Path) {
    let c = CString::new(path.as_os_str().as_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0, "mkfifo");
}

fn assert_quick_and_small(ended: &Ended, what: &str) {
    assert_eq!(ended.code, Some(0), "{what}: {}", ended.stderr);
    assert!(ended.elapsed < Duration::from_secs(10), "{what}: took {:?}", ended.elapsed);
    assert!(ended.max_rss_mb < 150, "{what}: peak RSS {} MB", ended.max_rss_mb);
}

#[test]
fn a_huge_message_is_read_from_its_head_only() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.eml");
    let mut head = std::fs::read(BOUNCE).unwrap();
    head.extend_from_slice(b"\n");
    std::fs::write(&big, &head).unwrap();
    // 1 GiB, sparse: reading it all would take 1 GiB of memory.
    std::fs::OpenOptions::new().write(true).open(&big).unwrap().set_len(1 << 30).unwrap();
    let ended = scan(&[&big]);
    assert_quick_and_small(&ended, "1 GiB file");
    assert!(ended.stderr.contains("more than max_message_bytes"), "{}", ended.stderr);
    assert!(ended.stdout.lines().count() >= 1, "the bounce in its head was lost");
}

#[test]
fn a_huge_header_line_in_an_mbox_is_cut() {
    let dir = tempfile::tempdir().unwrap();
    let mbox = dir.path().join("mbox");
    // Written in chunks: a child forked while this process held 200 MB would count
    // them in its own peak RSS.
    let mut out = std::io::BufWriter::new(std::fs::File::create(&mbox).unwrap());
    out.write_all(b"From MAILER-DAEMON Thu Sep 18 17:54:04 2008\nX-Long: ").unwrap();
    for _ in 0..200 {
        out.write_all(&[b'a'; 1 << 20]).unwrap();
    }
    out.write_all(b"\nSubject: x\n\nbody\n\nFrom MAILER-DAEMON Thu Sep 18 17:54:05 2008\n")
        .unwrap();
    out.write_all(&std::fs::read(BOUNCE).unwrap()).unwrap();
    out.flush().unwrap();
    drop(out);
    let ended = scan(&[&mbox]);
    assert_quick_and_small(&ended, "200 MB header line");
    assert!(ended.stderr.contains("longer than 64 kB"), "{}", ended.stderr);
    assert!(
        ended.stdout.contains("\"message\":2"),
        "the bounce after it was lost: {} / {}",
        ended.stdout,
        ended.stderr
    );
}

#[test]
fn devices_and_fifos_are_skipped_with_a_notice_and_never_opened() {
    let dir = tempfile::tempdir().unwrap();
    let cur = dir.path().join("Maildir/cur");
    std::fs::create_dir_all(&cur).unwrap();
    std::fs::copy(BOUNCE, cur.join("1.eml")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", cur.join("2.eml")).unwrap();
    mkfifo(&cur.join("3.eml"));
    let named = dir.path().join("named-fifo");
    mkfifo(&named);
    let ended = scan(&[&dir.path().join("Maildir"), &named]);
    assert_quick_and_small(&ended, "devices and FIFOs");
    let err = &ended.stderr;
    assert!(err.contains("2.eml: a device (through a symlink)"), "{err}");
    assert!(err.contains("3.eml: a FIFO"), "{err}");
    assert!(err.contains("named-fifo: a FIFO"), "{err}");
    assert_eq!(err.matches("skipped").count(), 3, "{err}");
    assert!(ended.stdout.contains("1.eml"), "the real bounce was lost: {}", ended.stdout);
}
