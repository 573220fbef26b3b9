//! `rebound report` with the config's `[suppression]` policy: a Maildir holding one real
//! soft bounce (Outlook.com, mailbox full) received on several days, only its Date
//! header changed. Without a policy the address is not on the list; with one it is.

use std::path::Path;

use assert_cmd::Command;

const FULL: &str = "tests/corpus/maildir/bsd/lhost-outlook-01.eml";
const FULL_DATE: &str = "Date: Fri, 21 Nov 2014 14:17:35 -0800";
const ADDRESS: &str = "kijitora@example.jp";

/// The binary with a home of its own, so no config of the machine's user is read.
fn rebound(home: &Path) -> Command {
    let mut c = Command::cargo_bin("rebound").unwrap();
    c.env("HOME", home).env("XDG_CONFIG_HOME", home.join("xdg"));
    c.env("REBOUND_DATA_DIR", home.join("data"));
    c
}

/// A Maildir with the mailbox full bounce received on these days of December 2014.
fn maildir(root: &Path, days: &[u32]) -> std::path::PathBuf {
    let raw = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(FULL))
        .expect("corpus file");
    assert!(raw.contains(FULL_DATE), "the corpus file changed");
    let dir = root.join("Bounces");
    for sub in ["cur", "new", "tmp"] {
        std::fs::create_dir_all(dir.join(sub)).unwrap();
    }
    for day in days {
        let text = raw.replacen(FULL_DATE, &format!("Date: {day} Dec 2014 10:00:00 +0000"), 1);
        std::fs::write(dir.join("cur").join(format!("14178{day:02}.M1P1.host:2,S")), text).unwrap();
    }
    dir
}

fn write_config(path: &Path, text: &str) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
}

/// The JSON report of `dir`; `config` is passed with --config when given.
fn json(home: &Path, dir: &Path, config: Option<&Path>) -> serde_json::Value {
    let mut cmd = rebound(home);
    cmd.args(["report", "--format", "json"]);
    if let Some(c) = config {
        cmd.arg("--config").arg(c);
    }
    let out = cmd.arg(dir).output().expect("runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("JSON")
}

fn listed(v: &serde_json::Value) -> Vec<String> {
    v["suppression"].as_array().unwrap().iter().map(|a| a.as_str().unwrap().to_string()).collect()
}

#[test]
fn repeated_soft_failures_are_suppressed_only_under_the_policy() {
    let home = tempfile::tempdir().unwrap();
    let dir = maildir(home.path(), &[1, 8, 15]);

    // No config file: the list holds hard addresses only, as it always did.
    let v = json(home.path(), &dir, None);
    assert_eq!(v["shown"], 3);
    assert!(listed(&v).is_empty(), "{v}");
    assert!(v.get("suppression_policy").is_none(), "the schema is unchanged without a policy");

    // Three failures in 14 days, the policy asks for 3 within 30.
    let config = home.path().join("policy.toml");
    write_config(&config, "[suppression]\nsoft_failures = 3\nsoft_days = 30\n");
    let v = json(home.path(), &dir, Some(&config));
    assert_eq!(listed(&v), [ADDRESS]);
    assert_eq!(v["suppression_policy"]["soft_failures"], 3);
    assert_eq!(v["suppression_policy"]["soft_days"], 30);

    // The same three do not meet 3 within 10 days, nor 4 within 30.
    write_config(&config, "[suppression]\nsoft_failures = 3\nsoft_days = 10\n");
    assert!(listed(&json(home.path(), &dir, Some(&config))).is_empty());
    write_config(&config, "[suppression]\nsoft_failures = 4\n");
    assert!(listed(&json(home.path(), &dir, Some(&config))).is_empty());

    // A policy that is off lists nothing new.
    write_config(&config, "[suppression]\nsoft_failures = 0\n");
    assert!(listed(&json(home.path(), &dir, Some(&config))).is_empty());
}

#[test]
fn the_default_config_file_applies_and_every_format_says_so() {
    let home = tempfile::tempdir().unwrap();
    let dir = maildir(home.path(), &[1, 2]);
    let config = home.path().join("xdg/rebound/config.toml");
    write_config(&config, "[suppression]\nsoft_failures = 2\nsoft_days = 7\n");
    let md = rebound(home.path()).args(["report", "--format", "md"]).arg(&dir).output().unwrap();
    assert!(md.status.success(), "{}", String::from_utf8_lossy(&md.stderr));
    let md = String::from_utf8(md.stdout).unwrap();
    let section = &md[md.find("## Suppression list").expect("the section")..];
    assert!(
        section.contains(
            "Hard-bounced addresses and addresses that failed soft 2 times within 7 days, one \
             per line (1):"
        ) && section.contains(ADDRESS),
        "{section}"
    );
    let html = rebound(home.path()).args(["report", "--format", "html"]).arg(&dir).output();
    let html = String::from_utf8(html.unwrap().stdout).unwrap();
    assert!(html.contains("failed soft 2 times within 7 days") && html.contains(ADDRESS));

    // One failure only: the list is empty, and says under which policy.
    let one = maildir(&home.path().join("one"), &[1]);
    let md = rebound(home.path()).args(["report", "--format", "md"]).arg(&one).output().unwrap();
    let md = String::from_utf8(md.stdout).unwrap();
    assert!(
        md.contains("No hard bounces, and no address failed soft 2 times within 7 days."),
        "{md}"
    );
}

#[test]
fn a_bad_policy_stops_the_report_with_what_to_write() {
    let home = tempfile::tempdir().unwrap();
    let dir = maildir(home.path(), &[1]);
    let config = home.path().join("bad.toml");
    write_config(&config, "# policy\n[suppression]\nsoft_failures = 3\nsoft_days = 0\n");
    let out = rebound(home.path())
        .args(["report", "--format", "json", "--config"])
        .arg(&config)
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "could not start");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("line 2") && err.contains("soft_days = 0"), "{err}");
    assert!(out.stdout.is_empty(), "no report with a policy that cannot be read");
}
