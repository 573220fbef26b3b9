//! A user's own catalog file reaches the exports (not only `rebound explain`), and a
//! broken one is reported with its line while the built-in catalog keeps working.

use assert_cmd::Command;

fn rebound_with_config_home(dir: &std::path::Path) -> Command {
    let mut cmd = Command::cargo_bin("rebound").expect("binary");
    cmd.env("XDG_CONFIG_HOME", dir).env_remove("NO_COLOR");
    cmd
}

fn write_user_catalog(dir: &std::path::Path, text: &str) {
    let folder = dir.join("rebound");
    std::fs::create_dir_all(&folder).expect("config folder");
    std::fs::write(folder.join("catalog.toml"), text).expect("catalog file");
}

#[test]
fn user_entry_overrides_the_builtin_one_in_a_report() {
    let dir = tempfile::tempdir().expect("temp dir");
    write_user_catalog(
        dir.path(),
        r#"
[[entry]]
key = "5.1.1"
title = "Our runbook: drop the address from the CRM"
meaning = "The mailbox does not exist."
fix_owner = ["sender"]
retry = "do-not-retry"
"#,
    );
    let out = rebound_with_config_home(dir.path())
        .args(["report", "--format", "md", "--demo", "--code", "5.1.1"])
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let md = String::from_utf8_lossy(&out.stdout);
    assert!(md.contains("Our runbook: drop the address from the CRM"), "{md}");
}

#[test]
fn broken_user_file_warns_with_its_line_and_the_report_still_comes() {
    let dir = tempfile::tempdir().expect("temp dir");
    write_user_catalog(dir.path(), "[[entry]]\nkey = \"5.1.1\"\ntitle = 42\n");
    let out = rebound_with_config_home(dir.path())
        .args(["report", "--format", "md", "--demo"])
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("catalog.toml:3:"), "{stderr}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("Bad destination mailbox"));
}
