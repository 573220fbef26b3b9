//! Who may change the files that decide what rebound runs and trusts, as ssh checks.
//!
//! The config file names `password_command`, which rebound runs; a CA file decides
//! which server certificates are trusted. Either one, writable by another user, lets
//! that user run commands as you or read your mail: refused. Owned by another user
//! (other than root): refused. A config readable by others only tells which commands
//! print your secrets: a warning, printed before the screen opens.

use std::path::Path;

/// What the file is, for the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Config,
    CaFile,
}

impl Role {
    fn name(self) -> &'static str {
        match self {
            Role::Config => "config file",
            Role::CaFile => "ca_file",
        }
    }
}

/// `Err` with what to do when `path` must not be used; `Ok(Some(warning))` when it may
/// be used but others can read it (config only).
#[cfg(unix)]
pub fn check(path: &Path, role: Role) -> Result<Option<String>, String> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(path)
        .map_err(|e| format!("cannot read {} {}: {e}", role.name(), path.display()))?;
    let mode = meta.mode() & 0o777;
    // SAFETY: geteuid has no preconditions and cannot fail.
    let me = unsafe { libc::geteuid() };
    let shown = path.display();
    if meta.uid() != me && meta.uid() != 0 {
        return Err(format!(
            "{} {shown} belongs to another user (uid {}), who could change it: rebound does not \
             use it. Make it yours: copy it to a file you own (cp {shown} NEW), or run chown \
             $(id -un) {shown} as root",
            role.name(),
            meta.uid()
        ));
    }
    if mode & 0o022 != 0 {
        return Err(format!(
            "{} {shown} can be changed by other users (mode {mode:o}), so they could make \
             rebound {}: rebound does not use it. Run chmod go-w {shown}",
            role.name(),
            match role {
                Role::Config => "run commands as you",
                Role::CaFile => "trust a server of their choice",
            }
        ));
    }
    if role == Role::Config && mode & 0o044 != 0 {
        return Ok(Some(format!(
            "warning: {shown} is readable by other users (mode {mode:o}); it names the commands \
             that print your secrets: run chmod 600 {shown}"
        )));
    }
    Ok(None)
}

#[cfg(not(unix))]
pub fn check(_path: &Path, _role: Role) -> Result<Option<String>, String> {
    Ok(None)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn file(mode: u32) -> tempfile::NamedTempFile {
        let f = tempfile::NamedTempFile::new().unwrap();
        std::fs::set_permissions(f.path(), std::fs::Permissions::from_mode(mode)).unwrap();
        f
    }

    #[test]
    fn writable_by_others_is_refused_readable_is_a_warning() {
        assert_eq!(check(file(0o600).path(), Role::Config), Ok(None));
        let warn = check(file(0o644).path(), Role::Config).unwrap().expect("a warning");
        assert!(warn.contains("chmod 600"), "{warn}");
        for mode in [0o664, 0o646, 0o666] {
            let err = check(file(mode).path(), Role::Config).unwrap_err();
            assert!(err.contains("chmod go-w") && err.contains("run commands as you"), "{err}");
        }
        assert_eq!(check(file(0o644).path(), Role::CaFile), Ok(None), "a CA may be public");
        assert!(check(file(0o666).path(), Role::CaFile).unwrap_err().contains("trust a server"));
    }

    #[test]
    fn owned_by_another_user_is_refused() {
        // SAFETY: geteuid has no preconditions.
        if unsafe { libc::geteuid() } != 0 {
            return; // only root can give a file away
        }
        let f = file(0o600);
        std::os::unix::fs::chown(f.path(), Some(65534), None).unwrap();
        let err = check(f.path(), Role::Config).unwrap_err();
        assert!(err.contains("another user (uid 65534)"), "{err}");
    }
}
