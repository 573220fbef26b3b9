//! Connecting and logging in against a real Dovecot: TLS modes, certificates,
//! passwords, OAuth2, and the messages a person gets when something is wrong.

#![cfg(feature = "imap")]

mod support;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::process::Command;
use std::sync::OnceLock;

use rebound::config::{Account, Auth, Tls};
use rebound::source::imap::{ImapError, probe};
use support::dovecot::{Dovecot, Options};
use support::servers::{self, Need};

const GOOD_TOKEN: &str = "good-token-4711";

fn server() -> &'static Dovecot {
    static SERVER: OnceLock<&'static Dovecot> = OnceLock::new();
    SERVER.get_or_init(|| {
        Dovecot::start(Options { oauth_token: Some(GOOD_TOKEN.into()) }).into_shared()
    })
}

#[test]
fn implicit_tls_with_a_private_ca() {
    if !servers::have(Need::Dovecot) {
        return;
    }
    probe(&server().account(Tls::Implicit)).expect("implicit TLS login");
}

#[test]
fn starttls_with_a_private_ca() {
    if !servers::have(Need::Dovecot) {
        return;
    }
    probe(&server().account(Tls::Starttls)).expect("STARTTLS login");
}

#[test]
fn plaintext_only_when_allowed() {
    if !servers::have(Need::Dovecot) {
        return;
    }
    let mut a = server().account(Tls::None);
    probe(&a).expect("plaintext login on loopback with allow_plaintext");
    a.allow_plaintext = false;
    let e = a.validate().unwrap_err();
    assert!(e.contains("allow_plaintext"), "{e}");
}

#[test]
fn untrusted_certificate_is_refused_with_its_fingerprint() {
    if !servers::have(Need::Dovecot) {
        return;
    }
    let mut a = server().account(Tls::Implicit);
    a.ca_file = None;
    let err = probe(&a).unwrap_err();
    assert!(matches!(err, ImapError::UntrustedCertificate { .. }), "{err:?}");
    let out = Command::new("openssl")
        .args(["x509", "-noout", "-fingerprint", "-sha256", "-in"])
        .arg(server().dir.join("server.pem"))
        .output()
        .expect("openssl");
    let text = String::from_utf8_lossy(&out.stdout);
    let expected = text.trim().rsplit('=').next().expect("fingerprint").to_string();
    let msg = err.to_string();
    assert!(msg.contains(&expected), "fingerprint {expected} missing in: {msg}");
    assert!(msg.contains("CN=localhost") && msg.contains("CN=rebound-test CA"), "{msg}");
    assert!(msg.contains("ca_file"), "{msg}");
    // The same refusal over STARTTLS.
    let mut s = server().account(Tls::Starttls);
    s.ca_file = None;
    assert!(matches!(probe(&s), Err(ImapError::UntrustedCertificate { .. })));
}

#[test]
fn wrong_password_says_so_and_never_prints_it() {
    if !servers::have(Need::Dovecot) {
        return;
    }
    let mut a = server().account(Tls::Implicit);
    a.password_command = Some("echo sekrit-xyz-123".into());
    let err = probe(&a).unwrap_err();
    assert!(matches!(err, ImapError::WrongPassword { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains("rejected the password") && msg.contains("testuser"), "{msg}");
    assert!(!msg.contains("sekrit") && !format!("{err:?}").contains("sekrit"), "{msg}");
}

#[test]
fn xoauth2_good_and_bad_tokens() {
    if !servers::have(Need::Dovecot) {
        return;
    }
    let mut a = server().account(Tls::Implicit);
    a.auth = Auth::Xoauth2;
    a.password_command = None;
    a.oauth2_token_command = Some(format!("echo {GOOD_TOKEN}"));
    probe(&a).expect("XOAUTH2 with a good token");
    a.oauth2_token_command = Some("echo expired-token".into());
    let err = probe(&a).unwrap_err();
    assert!(matches!(err, ImapError::OAuth2Rejected { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains("OAuth2 token") && msg.contains("oauth2_token_command"), "{msg}");
    assert!(!msg.contains("expired-token"), "{msg}");
}

#[test]
fn tls_on_the_plain_port_suggests_starttls() {
    if !servers::have(Need::Dovecot) {
        return;
    }
    let mut a = server().account(Tls::Implicit);
    a.port = Some(server().imap_port);
    let msg = probe(&a).unwrap_err().to_string();
    assert!(msg.contains("starttls"), "{msg}");
}

#[test]
fn refused_connection_and_unknown_host() {
    if !servers::have(Need::Dovecot) {
        return;
    }
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut a = server().account(Tls::Implicit);
    a.host = "127.0.0.1".into();
    a.port = Some(port);
    assert!(matches!(probe(&a), Err(ImapError::Refused { .. })));
    a.host = "no-such-host.invalid".into();
    let err = probe(&a).unwrap_err();
    assert!(matches!(err, ImapError::Dns { .. }), "{err:?}");
}

#[test]
fn failing_password_command_is_explained() {
    if !servers::have(Need::Dovecot) {
        return;
    }
    let mut a = server().account(Tls::Implicit);
    a.password_command = Some("echo 'vault locked' >&2; exit 1".into());
    let msg = probe(&a).unwrap_err().to_string();
    assert!(msg.contains("password_command") && msg.contains("vault locked"), "{msg}");
}

/// A scripted server for replies Dovecot does not give: one connection, then done.
fn scripted(lines: &'static [&'static str]) -> Account {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let Ok((conn, _)) = listener.accept() else { return };
        let mut reader = BufReader::new(conn.try_clone().unwrap());
        let mut w = conn;
        let _ = w.write_all(lines[0].as_bytes());
        for reply in &lines[1..] {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            let tag = line.split_whitespace().next().unwrap_or("*").to_string();
            let _ = w.write_all(reply.replace("TAG", &tag).as_bytes());
        }
    });
    let mut a = Account::new("scripted", "127.0.0.1", "me@example.org");
    a.tls = Tls::None;
    a.allow_plaintext = true;
    a.port = Some(port);
    a.password_command = Some("echo pw".into());
    a.timeout_secs = 5;
    a
}

#[test]
fn microsoft_style_login_failed_asks_for_oauth2() {
    let a = scripted(&[
        "* OK The Microsoft Exchange IMAP4 service is ready.\r\n",
        "* CAPABILITY IMAP4 IMAP4rev1 AUTH=PLAIN AUTH=XOAUTH2 SASL-IR UIDPLUS ID\r\nTAG OK CAPABILITY completed.\r\n",
        "TAG NO LOGIN failed.\r\n",
    ]);
    let err = probe(&a).unwrap_err();
    assert!(matches!(err, ImapError::NeedsOAuth2 { .. }), "{err:?}");
    assert!(err.to_string().contains("auth = \"xoauth2\" and oauth2_token_command"), "{err}");
}

#[test]
fn bye_greeting_is_reported() {
    let a = scripted(&["* BYE Too many connections from your IP\r\n"]);
    let err = probe(&a).unwrap_err();
    assert!(matches!(err, ImapError::Bye { .. }), "{err:?}");
    assert!(err.to_string().contains("Too many connections"), "{err}");
}

#[test]
fn silent_server_times_out() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let mut a = Account::new("silent", "127.0.0.1", "u");
    a.port = Some(listener.local_addr().unwrap().port());
    a.password_command = Some("echo pw".into());
    a.timeout_secs = 1;
    let err = probe(&a).unwrap_err();
    assert!(matches!(err, ImapError::Timeout { .. }), "{err:?}");
    drop(listener);
}

#[test]
fn a_tls_setting_that_does_not_match_the_port_is_named_at_once() {
    let started = std::time::Instant::now();
    let mut a = server().account(Tls::Starttls);
    a.port = Some(server().imaps_port);
    let err = probe(&a).unwrap_err();
    assert!(matches!(err, ImapError::TlsMismatch { .. }), "{err:?}");
    assert!(err.to_string().contains("tls = \"implicit\""), "{err}");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(a.timeout_secs),
        "{:?}",
        started.elapsed()
    );
    let mut a = server().account(Tls::Implicit);
    a.port = Some(server().imap_port);
    let err = probe(&a).unwrap_err();
    assert!(matches!(err, ImapError::TlsMismatch { .. }), "{err:?}");
    assert!(err.to_string().contains("set tls = \"starttls\""), "{err}");
}
