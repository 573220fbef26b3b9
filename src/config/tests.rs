//! Config parsing: accepted shapes, rejected keys, messages with file and line.

use std::path::Path;

use super::*;

const EXAMPLE: &str = include_str!("../../assets/config.example.toml");

#[test]
fn the_example_file_parses() {
    let c = parse(EXAMPLE, Path::new("config.example.toml")).expect("example parses");
    assert!(c.accounts.len() >= 2);
    let d = c.account(None).expect("default account");
    assert_eq!(Some(d.name.as_str()), c.default_account.as_deref());
}

#[test]
fn defaults_fill_port_tls_and_folders() {
    let c = parse("[[account]]\nname = \"a\"\nhost = \"h\"\nuser = \"u\"\n", Path::new("c.toml"))
        .unwrap();
    let a = c.account(None).unwrap();
    assert_eq!(a.port(), 993);
    assert_eq!(a.tls, Tls::Implicit);
    assert_eq!(a.folders, vec!["INBOX"]);
}

#[test]
fn unknown_key_is_rejected_with_its_line() {
    let text = "[[account]]\nname = \"a\"\nhost = \"h\"\nuser = \"u\"\npassword = \"x\"\n";
    let e = parse(text, Path::new("/x/c.toml")).unwrap_err().to_string();
    assert!(e.contains("/x/c.toml"), "{e}");
    assert!(e.contains("line 5"), "{e}");
    assert!(e.contains("password"), "{e}");
}

#[test]
fn plaintext_needs_allow_plaintext() {
    let text =
        "\n\n[[account]]\nname = \"t\"\nhost = \"127.0.0.1\"\nuser = \"u\"\ntls = \"none\"\n";
    let e = parse(text, Path::new("c.toml")).unwrap_err().to_string();
    assert!(e.contains("line 3") && e.contains("allow_plaintext"), "{e}");
    let ok = format!("{text}allow_plaintext = true\n");
    assert_eq!(parse(&ok, Path::new("c.toml")).unwrap().accounts[0].port(), 143);
}

#[test]
fn xoauth2_needs_a_token_command() {
    let text = "[[account]]\nname = \"m\"\nhost = \"h\"\nuser = \"u\"\nauth = \"xoauth2\"\n";
    let e = parse(text, Path::new("c.toml")).unwrap_err().to_string();
    assert!(e.contains("oauth2_token_command"), "{e}");
}

#[test]
fn unknown_default_and_unknown_account_are_explained() {
    let text =
        "default_account = \"nope\"\n[[account]]\nname = \"a\"\nhost = \"h\"\nuser = \"u\"\n";
    let e = parse(text, Path::new("c.toml")).unwrap_err().to_string();
    assert!(e.contains("line 1") && e.contains("nope"), "{e}");
    let c = parse("[[account]]\nname = \"a\"\nhost = \"h\"\nuser = \"u\"\n", Path::new("c.toml"))
        .unwrap();
    let e = c.account(Some("work")).unwrap_err().to_string();
    assert!(e.contains("work") && e.contains("known accounts: a"), "{e}");
}

#[test]
fn urls_give_one_off_accounts() {
    let a = Account::from_url("imaps://me%40ex.org@mail.ex.org/Bounces").unwrap();
    assert_eq!((a.user.as_str(), a.host.as_str(), a.port()), ("me@ex.org", "mail.ex.org", 993));
    assert_eq!(a.folders, vec!["Bounces"]);
    let b = Account::from_url("imap://u@[::1]:1143").unwrap();
    assert_eq!(
        (b.tls, b.host.as_str(), b.port(), b.folders[0].as_str()),
        (Tls::Starttls, "::1", 1143, "INBOX")
    );
    assert!(Account::from_url("imaps://u:secret@h/").unwrap_err().to_string().contains("never"));
    assert!(Account::from_url("imaps://h/INBOX").is_err());
    assert!(Account::from_url("imaps://u@h:99999/").is_err());
    assert!(Account::is_url("IMAPS://u@h") && !Account::is_url("/tmp/imaps"));
}

#[test]
fn secrets_come_from_the_first_line_of_a_command() {
    let mut a = Account::new("a", "h", "u");
    a.password_command = Some("printf 'pw1\\nsecond\\n'".into());
    assert_eq!(a.secret().unwrap().expose(), "pw1");
    assert_eq!(format!("{:?}", a.secret().unwrap()), "Password(<redacted>)");
    a.password_command = Some("echo oops >&2; exit 3".into());
    let e = a.secret().unwrap_err().to_string();
    assert!(e.contains("oops") && e.contains("failed"), "{e}");
    a.password_command = Some("true".into());
    assert!(a.secret().unwrap_err().to_string().contains("printed nothing"));
}
