//! `rebound config path | example | check`: find the config file, start one, check it.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use rebound::config;

use super::{ConfigCommand, ConfigFileArg, exit};

#[cfg(feature = "imap")]
mod check;

/// The commented example, built into the binary so an installed rebound can print it.
pub const EXAMPLE: &str = include_str!("../../assets/config.example.toml");

pub fn run(command: ConfigCommand) -> anyhow::Result<ExitCode> {
    match command {
        ConfigCommand::Path(file) => {
            print!("{}", describe_path(&file));
            Ok(ExitCode::from(exit::ALL_READ))
        }
        ConfigCommand::Example => {
            print!("{EXAMPLE}");
            Ok(ExitCode::from(exit::ALL_READ))
        }
        ConfigCommand::Check(args) => check_command(&args),
    }
}

/// One place rebound looks for the config file, with why it is on the list.
struct Candidate {
    path: PathBuf,
    why: &'static str,
}

/// The default places, in the order `config::load` tries them, with their reasons.
fn candidates() -> Vec<Candidate> {
    let xdg = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(|x| PathBuf::from(x).join("rebound").join("config.toml"));
    let home = std::env::var_os("HOME")
        .filter(|v| !v.is_empty())
        .map(|h| PathBuf::from(h).join(".config").join("rebound").join("config.toml"));
    config::default_paths()
        .into_iter()
        .map(|path| {
            let why = if Some(&path) == xdg.as_ref() {
                "$XDG_CONFIG_HOME/rebound/config.toml"
            } else if Some(&path) == home.as_ref() {
                "~/.config/rebound/config.toml"
            } else {
                "this system's config directory"
            };
            Candidate { path, why }
        })
        .collect()
}

/// The file `rebound` would read, and whether `--config` chose it.
pub fn chosen(file: &ConfigFileArg) -> Option<(PathBuf, bool)> {
    match &file.config {
        Some(p) => Some((p.clone(), true)),
        None => config::default_paths().into_iter().find(|p| p.is_file()).map(|p| (p, false)),
    }
}

/// `config path`: the file on the first line (for scripts), then why, then the list.
fn describe_path(file: &ConfigFileArg) -> String {
    let mut out = String::new();
    let list = candidates();
    match (&file.config, list.iter().find(|c| c.path.is_file())) {
        (Some(p), _) => {
            out.push_str(&format!("{}\n", p.display()));
            let state = if p.is_file() { "it exists" } else { "it does not exist yet" };
            out.push_str(&format!("  used because --config names it ({state})\n"));
        }
        (None, Some(found)) => {
            out.push_str(&format!("{}\n", found.path.display()));
            out.push_str(&format!(
                "  used because it is the first of the places below that exists ({})\n",
                found.why
            ));
        }
        (None, None) => {
            let first =
                list.first().map_or_else(|| PathBuf::from("config.toml"), |c| c.path.clone());
            out.push_str(&format!("{}\n", first.display()));
            out.push_str(
                "  no config file yet; this is where rebound would look first. Start one with:\n",
            );
            if let Some(dir) = first.parent() {
                out.push_str(&format!("    mkdir -p {}\n", shell_word(dir)));
            }
            out.push_str(&format!(
                "    rebound config example > {f}\n    chmod 600 {f}\n",
                f = shell_word(&first)
            ));
            out.push_str("  then edit it and run `rebound config check`.\n");
        }
    }
    if file.config.is_none() {
        out.push_str("Where rebound looks, in order (--config FILE overrides them all):\n");
        for c in &list {
            let state = if c.path.is_file() { "exists" } else { "not there" };
            out.push_str(&format!("  {}  [{}; {state}]\n", c.path.display(), c.why));
        }
    }
    out
}

/// A path as one shell word (quoted when it needs to be).
fn shell_word(path: &Path) -> String {
    let s = path.display().to_string();
    if s.chars().all(|c| c.is_ascii_alphanumeric() || "/._-+~".contains(c)) {
        s
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// `config check`: the file first, then the login, step by step.
fn check_command(args: &super::AccountArgs) -> anyhow::Result<ExitCode> {
    let Some((path, explicit)) = chosen(&args.file) else {
        print!("{}", describe_path(&args.file));
        println!("FAIL  config file: none found");
        return Ok(ExitCode::from(exit::CANNOT_START));
    };
    let how = if explicit { "named by --config" } else { "found in the default places" };
    println!("config file {} ({how})", path.display());
    let loaded = match config::load(Some(&path)) {
        Ok(c) => c,
        Err(e) => {
            println!("FAIL  read and parse: {e}");
            println!("      fix: correct that line; `rebound config example` shows every key");
            return Ok(ExitCode::from(exit::CANNOT_START));
        }
    };
    for w in &loaded.warnings {
        println!("warn  {w}");
    }
    let names: Vec<&str> = loaded.accounts.iter().map(|a| a.name.as_str()).collect();
    println!(
        "ok    read and parse: {} account{} ({}){}",
        names.len(),
        if names.len() == 1 { "" } else { "s" },
        names.join(", "),
        loaded
            .default_account
            .as_deref()
            .map(|d| format!("; default_account = {d}"))
            .unwrap_or_default()
    );
    let policy = loaded.suppression.policy();
    if policy.is_on() {
        println!("ok    suppression list: {}", policy.describe());
    }
    let mut account = match loaded.account(args.account.as_deref()) {
        Ok(a) => a.clone(),
        Err(e) => {
            println!("FAIL  choose the account: {e}");
            return Ok(ExitCode::from(exit::CANNOT_START));
        }
    };
    if let Some(cmd) = &args.password_command {
        account.password_command = Some(cmd.clone());
    }
    login_steps(&account)
}

#[cfg(feature = "imap")]
fn login_steps(account: &config::Account) -> anyhow::Result<ExitCode> {
    let ok = check::run(account, &mut std::io::stdout().lock())?;
    Ok(ExitCode::from(if ok { exit::ALL_READ } else { exit::CANNOT_START }))
}

#[cfg(not(feature = "imap"))]
fn login_steps(account: &config::Account) -> anyhow::Result<ExitCode> {
    println!(
        "skip  login to {}: this rebound was built without IMAP support",
        account.server_label()
    );
    Ok(ExitCode::from(exit::ALL_READ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_example_parses() {
        let config = config::parse(EXAMPLE, Path::new("example.toml")).expect("example parses");
        assert!(config.accounts.len() >= 2, "{config:?}");
        assert!(config.account(None).is_ok(), "the example names a default account");
    }

    #[test]
    fn shell_words_are_quoted_only_when_needed() {
        assert_eq!(shell_word(Path::new("/home/me/.config/rebound")), "/home/me/.config/rebound");
        assert_eq!(shell_word(Path::new("/tmp/it's here")), "'/tmp/it'\\''s here'");
    }
}
