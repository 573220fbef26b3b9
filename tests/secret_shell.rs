//! password_command runs under /bin/sh, never a `sh` found through PATH. Alone in
//! its test binary, because it changes this process's PATH.

use std::os::unix::fs::PermissionsExt;

use rebound::config::Account;

#[test]
fn password_command_ignores_a_sh_planted_in_path() {
    let dir = tempfile::tempdir().unwrap();
    let fake = dir.path().join("sh");
    std::fs::write(&fake, "#!/bin/sh\necho planted\n").unwrap();
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!("{}:{}", dir.path().display(), std::env::var("PATH").unwrap_or_default());
    // SAFETY: the only test in this binary; no other thread reads the environment.
    unsafe { std::env::set_var("PATH", path) };
    let mut account = Account::new("a", "h", "u");
    account.password_command = Some("echo genuine".into());
    assert_eq!(account.secret().expect("secret").expose(), "genuine");
}
