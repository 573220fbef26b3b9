//! Getting a password or OAuth2 token at connect time, from a command or the environment.
//!
//! Like aerc, meli, himalaya or mbsync, we run the user's command and take the first
//! line of its output. The secret lives in memory only for the login and is never
//! printed: its `Debug` is redacted and error messages name the command, not its output.

use std::fmt;
use std::process::{Command, Stdio};

use thiserror::Error;

use super::{Account, Auth};

/// The environment variable read when an account names no other source.
pub const PASSWORD_ENV: &str = "REBOUND_PASSWORD";

/// A password or an access token.
#[derive(Clone, PartialEq, Eq)]
pub enum Secret {
    Password(String),
    OAuth2Token(String),
}

impl Secret {
    pub fn expose(&self) -> &str {
        match self {
            Secret::Password(s) | Secret::OAuth2Token(s) => s,
        }
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Secret::Password(_) => f.write_str("Password(<redacted>)"),
            Secret::OAuth2Token(_) => f.write_str("OAuth2Token(<redacted>)"),
        }
    }
}

/// Why no secret could be had. Never contains the secret or the command's output.
#[derive(Debug, Error)]
pub enum SecretError {
    // `error`, not `source`: the text holds it, and a source would print it twice.
    #[error("could not run the {what} command `{command}`: {error}")]
    Spawn { what: &'static str, command: String, error: std::io::Error },
    #[error("the {what} command `{command}` failed ({status}); run it by hand to see why{stderr}")]
    Failed { what: &'static str, command: String, status: String, stderr: String },
    #[error("the {what} command `{command}` printed nothing on its first line")]
    Empty { what: &'static str, command: String },
    #[error("environment variable {var} is not set or empty")]
    MissingEnv { var: String },
    #[error(
        "no password for {account}: set password_command (or password_env) in the account, pass \
         --password-command CMD, or set REBOUND_PASSWORD"
    )]
    NoSource { account: String },
}

/// The secret for `account`, fetched now.
pub fn resolve(account: &Account) -> Result<Secret, SecretError> {
    if account.auth == Auth::Xoauth2 {
        let cmd = account
            .oauth2_token_command
            .as_deref()
            .ok_or_else(|| SecretError::NoSource { account: account.name.clone() })?;
        return run_first_line("oauth2_token_command", cmd).map(Secret::OAuth2Token);
    }
    if let Some(cmd) = &account.password_command {
        return run_first_line("password_command", cmd).map(Secret::Password);
    }
    let var = account.password_env.as_deref().unwrap_or(PASSWORD_ENV);
    match std::env::var(var) {
        Ok(v) if !v.is_empty() => Ok(Secret::Password(v)),
        _ if account.password_env.is_some() => Err(SecretError::MissingEnv { var: var.into() }),
        _ => Err(SecretError::NoSource { account: account.name.clone() }),
    }
}

/// Where `account`'s secret comes from, for messages ("that password_command prints"):
/// a hint must name the source actually used. Not the command itself, which may hold
/// the secret (`echo hunter2`).
pub fn describe_source(account: &Account) -> String {
    if account.auth == Auth::Xoauth2 {
        return "that oauth2_token_command prints".into();
    }
    match (&account.password_command, &account.password_env) {
        (Some(_), _) => "that password_command (or --password-command) prints".into(),
        (None, Some(var)) => format!("in the environment variable {var} (password_env)"),
        (None, None) => format!("in the environment variable {PASSWORD_ENV}"),
    }
}

/// Run `command` through the shell; its first output line, without the line ending.
pub fn run_first_line(what: &'static str, command: &str) -> Result<String, SecretError> {
    let output = shell(command)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .map_err(|error| SecretError::Spawn { what, command: command.into(), error })?;
    if !output.status.success() {
        // The command's stderr is its own diagnostics, not its secret output; show a line.
        let err = String::from_utf8_lossy(&output.stderr);
        let first = err.lines().next().unwrap_or("").trim();
        let stderr = if first.is_empty() {
            String::new()
        } else {
            format!(": {}", crate::text::clean_line(first))
        };
        return Err(SecretError::Failed {
            what,
            command: command.into(),
            status: output.status.to_string(),
            stderr,
        });
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let line = text.lines().next().unwrap_or("").trim_end_matches('\r').to_string();
    if line.is_empty() {
        return Err(SecretError::Empty { what, command: command.into() });
    }
    Ok(line)
}

#[cfg(unix)]
fn shell(command: &str) -> Command {
    // The absolute path: a `sh` found through PATH could be anything the environment
    // put first.
    let mut c = Command::new("/bin/sh");
    c.arg("-c").arg(command);
    c
}

#[cfg(windows)]
fn shell(command: &str) -> Command {
    let mut c = Command::new("cmd");
    c.arg("/C").arg(command);
    c
}
