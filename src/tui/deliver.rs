//! Handing a fetched message on: to `$PAGER`, to a shell command (`|`), or to a new
//! file. Nothing here touches the mailbox; a file is never written over.

use std::io::{BufRead, Write};
use std::path::Path;
use std::process::{Command, Stdio};

/// Write `bytes` to `path`, which must not exist yet (mode 600: bounces name people).
pub fn save(path: &Path, bytes: &[u8]) -> Result<String, String> {
    let shown = crate::text::clean_line(&path.display().to_string()).into_owned();
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    let mut file = opts.open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => format!("{shown} already exists; choose another name"),
        _ => format!("cannot create {shown}: {e}"),
    })?;
    file.write_all(bytes).map_err(|e| format!("cannot write {shown}: {e}"))?;
    Ok(format!("saved {} bytes to {shown}", bytes.len()))
}

/// Run `command` through the shell with `bytes` on its standard input.
fn run_with_input(command: &str, bytes: &[u8]) -> Result<std::process::ExitStatus, String> {
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(command)
        .stdin(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {command}: {e}"))?;
    if let Some(mut stdin) = child.stdin.take() {
        let data = bytes.to_vec();
        // A command that stops reading early (a pager quit at once) is not an error.
        let writer = std::thread::spawn(move || {
            let _ = stdin.write_all(&data);
        });
        let status = child.wait().map_err(|e| format!("{command}: {e}"));
        let _ = writer.join();
        return status;
    }
    child.wait().map_err(|e| format!("{command}: {e}"))
}

/// Show the message in `$PAGER` (else `less`).
pub fn pager(bytes: &[u8]) -> Result<String, String> {
    let pager = std::env::var("PAGER").ok().filter(|p| !p.trim().is_empty());
    let pager = pager.unwrap_or_else(|| "less".into());
    run_with_input(&pager, bytes)?;
    Ok("back from the pager".into())
}

/// Pipe the message to `command`, show what it printed, wait for Enter.
pub fn pipe(command: &str, bytes: &[u8]) -> Result<String, String> {
    let status = run_with_input(command, bytes)?;
    let mut out = std::io::stdout();
    let _ = write!(out, "\r\n[{command}: {status}] press Enter to go back to rebound ");
    let _ = out.flush();
    let mut line = String::new();
    let _ = std::io::stdin().lock().read_line(&mut line);
    let said = format!("{command}: {status}");
    if status.success() { Ok(said) } else { Err(said) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saving_never_overwrites() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("m.eml");
        assert!(save(&path, b"Subject: x\r\n\r\nbody").expect("saved").contains("saved 18 bytes"));
        let again = save(&path, b"other").unwrap_err();
        assert!(again.contains("already exists"), "{again}");
        assert_eq!(std::fs::read(&path).expect("read back"), b"Subject: x\r\n\r\nbody");
    }

    #[test]
    fn a_command_gets_the_message_on_stdin() {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("out");
        let cmd = format!("cat > {}", out.display());
        assert!(run_with_input(&cmd, b"raw bytes").expect("ran").success());
        assert_eq!(std::fs::read(&out).expect("written"), b"raw bytes");
    }
}
