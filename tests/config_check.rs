//! `rebound config path | example | check` on the real binary. `check` runs against the
//! private Dovecot of the IMAP tests, once when all is well and once for each way a
//! login can fail: wrong host, refused connection, TLS on a port that speaks plain
//! IMAP (and STARTTLS on a port that wants TLS), an untrusted certificate, a wrong
//! password and a missing folder. Each must name the failing step and its fix.

mod support;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use assert_cmd::Command;
use support::dovecot::{Dovecot, Options, PASS, USER};
use support::servers::{self, Need};

fn server() -> &'static Dovecot {
    static SERVER: OnceLock<&'static Dovecot> = OnceLock::new();
    SERVER.get_or_init(|| Dovecot::start(Options::default()).into_shared())
}

fn rebound(home: &Path) -> Command {
    let mut c = Command::cargo_bin("rebound").expect("binary builds");
    c.env("HOME", home).env("XDG_CONFIG_HOME", home.join("xdg")).env_remove("REBOUND_PASSWORD");
    c
}

/// A config holding one account `t` with `lines` (TOML keys), mode 600.
fn config(dir: &Path, lines: &str) -> PathBuf {
    let path = dir.join("config.toml");
    std::fs::write(&path, format!("[[account]]\nname = \"t\"\nuser = \"{USER}\"\n{lines}\n"))
        .expect("write config");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    path
}

/// A command that prints `secret` without containing it, so a test can tell the
/// command (which messages name) from its output (which they never show).
fn printing(secret: &str) -> String {
    let (a, b) = secret.split_at(secret.len() / 2);
    format!("printf '%s%s\\\\n' {a} {b}")
}

/// The account keys of a working setup on `port` with `tls`.
fn good(port: u16, tls: &str) -> String {
    format!(
        "host = \"localhost\"\nport = {port}\ntls = \"{tls}\"\nca_file = \"{}\"\n\
         password_command = \"{}\"\ntimeout_secs = 5",
        server().ca_file().display(),
        printing(PASS)
    )
}

/// Run `config check --config FILE`; (exit code, stdout, stderr).
fn check(dir: &Path, cfg: &Path) -> (i32, String, String) {
    let out =
        rebound(dir).args(["config", "check", "--config"]).arg(cfg).output().expect("binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn assert_fails_at(out: &(i32, String, String), step: &str, words: &[&str]) {
    let (code, stdout, stderr) = out;
    assert_eq!(*code, 2, "a failed step exits 2:\n{stdout}{stderr}");
    let line = stdout
        .lines()
        .find(|l| l.starts_with("FAIL"))
        .unwrap_or_else(|| panic!("no FAIL line:\n{stdout}{stderr}"));
    assert!(line.contains(step), "expected the {step} step to fail:\n{stdout}");
    assert!(stdout.contains("fix:"), "no fix given:\n{stdout}");
    for w in words {
        assert!(stdout.contains(w), "missing {w:?}:\n{stdout}");
    }
    assert!(stdout.contains(&format!("Stopped at the {step} step")), "{stdout}");
}

#[test]
fn check_passes_every_step_with_implicit_tls_and_with_starttls() {
    if !servers::have(Need::Dovecot) {
        return;
    }
    let s = server();
    for (port, tls) in [(s.imaps_port, "implicit"), (s.imap_port, "starttls")] {
        let dir = tempfile::tempdir().expect("temp dir");
        let cfg = config(dir.path(), &good(port, tls));
        let (code, stdout, stderr) = check(dir.path(), &cfg);
        assert_eq!(code, 0, "{stdout}{stderr}");
        for step in ["DNS", "TCP", "TLS", "greeting", "capabilities", "password", "login", "folder"]
        {
            assert!(
                stdout.lines().any(|l| l.starts_with("ok") && l.contains(step)),
                "{tls}: no passed {step} step:\n{stdout}"
            );
        }
        assert!(stdout.contains("INBOX: 0 messages"), "{stdout}");
        assert!(stdout.contains("All steps passed"), "{stdout}");
        assert!(!stdout.contains(PASS), "the password is never printed:\n{stdout}");
    }
}

#[test]
fn wrong_host_fails_at_dns() {
    if !servers::have(Need::Dovecot) {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let keys = good(server().imaps_port, "implicit").replace("localhost", "no-such-host.invalid");
    let out = check(dir.path(), &config(dir.path(), &keys));
    assert_fails_at(&out, "DNS", &["no-such-host.invalid", "check `host`"]);
}

#[test]
fn refused_connection_fails_at_tcp() {
    if !servers::have(Need::Dovecot) {
        return;
    }
    // A port that was free a moment ago: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let dir = tempfile::tempdir().expect("temp dir");
    let keys = good(port, "implicit").replace("localhost", "127.0.0.1");
    let out = check(dir.path(), &config(dir.path(), &keys));
    assert_fails_at(&out, "TCP", &["refused", "check `port`"]);
}

#[test]
fn implicit_tls_on_the_starttls_port_is_a_tls_mismatch() {
    if !servers::have(Need::Dovecot) {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let keys = good(server().imap_port, "implicit");
    let out = check(dir.path(), &config(dir.path(), &keys));
    assert_fails_at(&out, "TLS", &["plain text", "tls = \"starttls\""]);
}

#[test]
fn starttls_on_the_implicit_tls_port_is_a_tls_mismatch() {
    if !servers::have(Need::Dovecot) {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let keys =
        good(server().imaps_port, "starttls").replace("timeout_secs = 5", "timeout_secs = 2");
    let out = check(dir.path(), &config(dir.path(), &keys));
    assert_fails_at(&out, "greeting", &["waits for TLS", "tls = \"implicit\""]);
}

#[test]
fn untrusted_certificate_fails_at_tls_with_its_fingerprint() {
    if !servers::have(Need::Dovecot) {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let keys = good(server().imaps_port, "implicit");
    let keys: String =
        keys.lines().filter(|l| !l.starts_with("ca_file")).collect::<Vec<_>>().join("\n");
    let out = check(dir.path(), &config(dir.path(), &keys));
    let pem = server().dir.join("server.pem");
    let openssl = std::process::Command::new("openssl")
        .args(["x509", "-noout", "-fingerprint", "-sha256", "-in"])
        .arg(&pem)
        .output()
        .expect("openssl runs");
    let text = String::from_utf8_lossy(&openssl.stdout);
    let fingerprint = text.trim().rsplit('=').next().expect("a fingerprint").to_string();
    assert_fails_at(
        &out,
        "TLS",
        &["not signed by a certificate authority", "ca_file", &fingerprint],
    );
}

#[test]
fn wrong_password_fails_at_login_and_is_never_printed() {
    if !servers::have(Need::Dovecot) {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let keys = good(server().imaps_port, "implicit")
        .replace(&printing(PASS), &printing("not-the-password-4711"));
    let out = check(dir.path(), &config(dir.path(), &keys));
    assert_fails_at(&out, "login", &["refused the password", "app password"]);
    assert!(!out.1.contains("not-the-password-4711") && !out.2.contains("not-the-password-4711"));
    // The steps before it passed.
    for step in ["DNS", "TCP", "TLS", "greeting", "capabilities", "password"] {
        assert!(out.1.lines().any(|l| l.starts_with("ok") && l.contains(step)), "{}", out.1);
    }
}

#[test]
fn missing_folder_fails_and_lists_the_folders_there_are() {
    if !servers::have(Need::Dovecot) {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let keys = format!(
        "{}\nfolders = [\"INBOX\", \"No Such Folder\"]",
        good(server().imaps_port, "implicit")
    );
    let (code, stdout, stderr) = check(dir.path(), &config(dir.path(), &keys));
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(stdout.lines().any(|l| l.starts_with("ok") && l.contains("INBOX")), "{stdout}");
    let fail = stdout.lines().find(|l| l.starts_with("FAIL")).unwrap_or_default();
    assert!(fail.contains("folder") && fail.contains("No Such Folder"), "{stdout}");
    assert!(stdout.contains("this account has: \"INBOX\""), "{stdout}");
}

#[test]
fn a_broken_file_fails_before_any_connection() {
    // No server needed: the file is checked first.
    let dir = tempfile::tempdir().expect("temp dir");
    let cfg = config(dir.path(), "host = \"localhost\"\npasword_command = \"echo typo\"");
    let (code, stdout, _) = check(dir.path(), &cfg);
    assert_eq!(code, 2, "{stdout}");
    assert!(
        stdout.contains("FAIL  read and parse") && stdout.contains("pasword_command"),
        "{stdout}"
    );
    assert!(!stdout.contains("DNS"), "{stdout}");
}

#[test]
fn path_explains_where_the_config_is_looked_for() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = rebound(dir.path()).args(["config", "path"]).output().expect("runs");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    let first = dir.path().join("xdg/rebound/config.toml");
    assert_eq!(text.lines().next(), Some(first.to_str().expect("UTF-8")), "{text}");
    assert!(
        text.contains("no config file yet") && text.contains("rebound config example >"),
        "{text}"
    );
    assert!(text.contains("$XDG_CONFIG_HOME") && text.contains("~/.config/rebound"), "{text}");

    // Once the second place has a file, that one is used, and the reason says why.
    let home_cfg = dir.path().join(".config/rebound/config.toml");
    std::fs::create_dir_all(home_cfg.parent().expect("parent")).expect("mkdir");
    std::fs::write(&home_cfg, "").expect("write");
    let out = rebound(dir.path()).args(["config", "path"]).output().expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(text.lines().next(), Some(home_cfg.to_str().expect("UTF-8")), "{text}");
    assert!(text.contains("first of the places below that exists"), "{text}");

    let out = rebound(dir.path())
        .args(["config", "path", "--config", "/elsewhere.toml"])
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("/elsewhere.toml\n") && text.contains("--config names it"), "{text}");
}

#[test]
fn example_is_the_commented_example_and_check_accepts_its_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = rebound(dir.path()).args(["config", "example"]).output().expect("runs");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    let shipped =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/config.example.toml"))
            .expect("example file");
    assert_eq!(text, shipped);
    assert!(text.lines().filter(|l| l.starts_with('#')).count() > 10, "it is commented");
    let parsed = rebound::config::parse(&text, Path::new("example.toml")).expect("it parses");
    assert!(parsed.account(None).is_ok());
}

#[test]
fn xoauth2_passes_with_a_good_token_and_fails_at_login_with_a_bad_one() {
    if !servers::have(Need::Dovecot) {
        return;
    }
    let server = Dovecot::start(Options { oauth_token: Some("good-token-0815".into()) });
    let dir = tempfile::tempdir().expect("temp dir");
    let keys = |token: &str| {
        format!(
            "host = \"localhost\"\nport = {}\nca_file = \"{}\"\nauth = \"xoauth2\"\n\
             oauth2_token_command = \"{}\"",
            server.imaps_port,
            server.ca_file().display(),
            printing(token)
        )
    };
    let (code, stdout, stderr) = check(dir.path(), &config(dir.path(), &keys("good-token-0815")));
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("a token from oauth2_token_command"), "{stdout}");
    assert!(!stdout.contains("good-token-0815"), "the token is never printed:\n{stdout}");

    let out = check(dir.path(), &config(dir.path(), &keys("stale-token")));
    assert_fails_at(&out, "login", &["refused the OAuth2 token", "scope"]);
}

#[test]
fn a_password_command_that_fails_stops_at_the_password_step() {
    if !servers::have(Need::Dovecot) {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let keys = good(server().imaps_port, "implicit")
        .replace(&printing(PASS), "sh -c 'echo no such entry >&2; exit 1'");
    let out = check(dir.path(), &config(dir.path(), &keys));
    assert_fails_at(&out, "password", &["no such entry", "run the command by hand"]);
    // The connection steps before it passed; no login was tried.
    assert!(out.1.lines().any(|l| l.starts_with("ok") && l.contains("capabilities")), "{}", out.1);
    assert!(!out.1.lines().any(|l| l.contains("  login ")), "no login was tried:\n{}", out.1);
}

#[test]
fn check_says_which_suppression_policy_the_reports_follow() {
    // Nothing listens on the port: the login fails at TCP, after the file was read.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let dir = tempfile::tempdir().expect("temp dir");
    let keys = format!(
        "host = \"127.0.0.1\"\nport = {port}\npassword_command = \"echo x\"\ntimeout_secs = 2\n\
         [suppression]\nsoft_failures = 3\nsoft_days = 30"
    );
    let (_, stdout, _) = check(dir.path(), &config(dir.path(), &keys));
    assert!(
        stdout.contains(
            "ok    suppression list: hard-bounced addresses and addresses that failed soft 3 \
             times within 30 days"
        ),
        "{stdout}"
    );
    // Off (no table): nothing is said, as before.
    let keys = format!("host = \"127.0.0.1\"\nport = {port}\npassword_command = \"echo x\"");
    let (_, stdout, _) = check(dir.path(), &config(dir.path(), &keys));
    assert!(!stdout.contains("suppression"), "{stdout}");
}
