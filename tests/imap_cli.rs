//! `rebound scan --account NAME` and `rebound scan imaps://...` on the real binary,
//! against a private Dovecot, with a config file and the cache in temp dirs.

#![cfg(feature = "imap")]

mod support;

use std::os::unix::fs::PermissionsExt;

use assert_cmd::Command;
use rebound::bounce::analyze;
use support::dovecot::{Dovecot, Options, PASS, USER};
use support::mail;
use support::servers::{self, Need};

fn config(server: &Dovecot, dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("config.toml");
    std::fs::write(
        &path,
        format!(
            "default_account = \"test\"\n\n[[account]]\nname = \"test\"\nhost = \"localhost\"\n\
             port = {}\nuser = \"{USER}\"\nca_file = \"{}\"\npassword_command = \"echo {PASS}\"\n",
            server.imaps_port,
            server.ca_file().display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    path
}

#[test]
fn scan_by_account_and_by_url() {
    if !servers::have(Need::Dovecot) {
        return;
    }
    let server = Dovecot::start(Options::default());
    let mut recipients = 0;
    for (i, (_, bytes)) in mail::corpus_bounces().iter().step_by(9).take(25).enumerate() {
        mail::deliver(&server, &format!("1700000000.M{i}P1.c{i}"), bytes, false);
        recipients += analyze(bytes).map_or(0, |r| r.recipients.len().max(1));
    }
    assert!(recipients > 0);
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(&server, dir.path());
    let run = |args: &[&str]| {
        Command::cargo_bin("rebound")
            .unwrap()
            .env("XDG_CACHE_HOME", dir.path().join("cache"))
            .env_remove("REBOUND_PASSWORD")
            .args(args)
            .output()
            .unwrap()
    };
    let out = run(&["scan", "--config", cfg.to_str().unwrap(), "--account", "test"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(stdout.lines().count(), recipients, "{stdout}");
    assert!(stdout.contains("imaps://test/INBOX;UID="), "{stdout}");
    assert!(dir.path().join("cache/rebound/imap").is_dir(), "the cache lives under XDG_CACHE_HOME");

    // The default account, served from the cache this time: same lines.
    let again = run(&["scan", "--config", cfg.to_str().unwrap()]);
    assert_eq!(String::from_utf8_lossy(&again.stdout), stdout);

    let wrong = run(&["scan", "--config", cfg.to_str().unwrap(), "--account", "nope"]);
    assert!(!wrong.status.success());
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("known accounts: test"));

    // A URL needs a CA the system trusts: ours is private, so it is refused with the
    // fingerprint, and the password command is never shown.
    let url = format!("imaps://{USER}@localhost:{}/INBOX", server.imaps_port);
    let refused = run(&["scan", &url, "--password-command", "echo hunter2"]);
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(err.contains("SHA-256") && err.contains("ca_file"), "{err}");
    assert!(!err.contains("hunter2"), "{err}");
}
