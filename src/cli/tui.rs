//! Opening the terminal UI: `rebound` (the config's default account), `rebound
//! imaps://…`, `rebound PATH…`, `rebound --demo`. With nothing to open, explain how
//! to write a config or try the demo; without the `tui` feature, say so.

use std::process::ExitCode;

use super::OpenArgs;

/// What to print when there is nothing to open.
const FIRST_RUN: &str = "\
rebound: nothing to open yet.

Try it on the built-in demo mailbox:
    rebound --demo

Open a mailbox directly:
    rebound ~/Maildir/.Bounces        (Maildir, mbox, a folder of .eml files, or one file)
    rebound imaps://me@imap.example.com/INBOX --password-command 'pass show mail'

Or keep your accounts in a config file:
    rebound config path               where rebound looks for it
    rebound config example            a commented example to start from
    rebound config check              check it and try a login, step by step

Then `rebound` opens the default account. `rebound --help` lists the commands.
";

/// True when a config file exists where `rebound` looks for one.
fn config_exists(open: &OpenArgs) -> bool {
    if let Some(path) = open.config() {
        return path.exists();
    }
    rebound::config::default_paths().iter().any(|p| p.is_file())
}

/// The commands, which an option before them turns into a source name.
const COMMANDS: [&str; 5] = ["scan", "report", "explain", "config", "completions"];

pub fn run(open: OpenArgs, warning: Option<String>) -> anyhow::Result<ExitCode> {
    // `rebound --demo scan` reads "scan" as a mailbox: say how to write it instead.
    if let Some(command) = open
        .sources
        .iter()
        .find(|s| COMMANDS.contains(&s.as_str()) && !std::path::Path::new(s).exists())
    {
        anyhow::bail!(
            "`{command}` is a command, not a mailbox: options go after it, as in \
             `rebound {command} --demo` or `rebound {command} --config FILE`"
        );
    }
    if !open.demo
        && open.sources.is_empty()
        && open.account.account.is_none()
        && !config_exists(&open)
    {
        eprint!("{FIRST_RUN}");
        return Ok(ExitCode::from(super::exit::CANNOT_START));
    }
    launch(open, warning)
}

#[cfg(not(feature = "tui"))]
fn launch(_open: OpenArgs, _warning: Option<String>) -> anyhow::Result<ExitCode> {
    anyhow::bail!(
        "this rebound was built without the terminal UI (cargo feature `tui`). \
         Use `rebound scan`, `rebound report` or `rebound explain`, or rebuild it with \
         the default features (`cargo install --locked --path .`)"
    )
}

#[cfg(feature = "tui")]
fn launch(open: OpenArgs, warning: Option<String>) -> anyhow::Result<ExitCode> {
    use std::io::IsTerminal;
    use std::sync::Arc;

    use rebound::tui::{Launch, Opener};

    if !std::io::stdout().is_terminal() {
        anyhow::bail!(
            "the screen needs a terminal; for pipes and scripts use `rebound scan` or `rebound report`"
        );
    }
    let describe = describe(&open);
    // The config is read on the worker, while the screen is up: check it now, so a
    // refusal or a warning is printed on the plain terminal, not over the screen.
    let mut warning = warning;
    if open.account.account.is_some() || (open.sources.is_empty() && !open.demo) {
        for w in super::open::config_warnings(&open)? {
            eprintln!("rebound: {w}");
            warning.get_or_insert(w);
        }
    }
    let for_worker = open.clone();
    let opener: Opener = Arc::new(move || {
        // open_sources covers --demo too, so the demo is never opened twice.
        super::open::open_sources(&for_worker, rebound::bounce::Detail::Full)
            .map_err(|e| format!("{e:#}"))
    });
    let for_raw = open.clone();
    let load_raw = Arc::new(move |origin: &rebound::source::Origin| raw::load(&for_raw, origin));
    let launch = Launch { describe, open: opener, load_raw, warning };
    rebound::tui::run(launch)?;
    Ok(ExitCode::SUCCESS)
}

/// The top bar's name for what is opened (never a secret: URLs lose any password).
#[cfg(feature = "tui")]
fn describe(open: &OpenArgs) -> String {
    if open.demo {
        return "demo mailbox".into();
    }
    if open.sources.is_empty() {
        return match &open.account.account {
            Some(name) => format!("account {name}"),
            None => "default account".into(),
        };
    }
    let names: Vec<String> =
        open.sources.iter().map(|s| rebound::config::Account::redact_url(s)).collect();
    names.join(", ")
}

#[cfg(feature = "tui")]
mod raw {
    //! Reading a message's raw bytes again, for the raw view.

    use std::fs::File;
    use std::io::{BufRead, BufReader, Read};
    use std::path::Path;

    use rebound::config::{self, Account};
    use rebound::source::Origin;

    use super::super::OpenArgs;
    use rebound::source::mbox::{MboxReader, is_mbox};

    /// Largest message read back for the raw view.
    const LIMIT: u64 = 16 * 1024 * 1024;

    pub fn load(open: &OpenArgs, origin: &Origin) -> Result<Vec<u8>, String> {
        match origin {
            Origin::File { path, message } => from_file(path, *message)
                .map_err(|e| format!("cannot read {}: {e}", path.display())),
            Origin::Demo { message } => rebound::source::demo::raw_message(*message)
                .map(<[u8]>::to_vec)
                .ok_or_else(|| format!("the demo mailbox has no message {message}")),
            Origin::Imap { account, folder, uidvalidity, uid } => {
                let account = imap_account(open, account)?;
                from_imap(&account, folder, *uidvalidity, *uid)
            }
        }
    }

    /// The account a message came from: an `imaps://` argument, else the config.
    fn imap_account(open: &OpenArgs, name: &str) -> Result<Account, String> {
        for spec in open.sources.iter().filter(|s| Account::is_url(s)) {
            let mut account = Account::from_url(spec).map_err(|e| e.to_string())?;
            if account.name == name {
                account.password_command = open.account.password_command.clone();
                return Ok(account);
            }
        }
        let config = config::load(open.config()).map_err(|e| e.to_string())?;
        let mut account = config.account(Some(name)).map_err(|e| e.to_string())?.clone();
        if let Some(cmd) = &open.account.password_command {
            account.password_command = Some(cmd.clone());
        }
        Ok(account)
    }

    #[cfg(feature = "imap")]
    fn from_imap(
        account: &Account,
        folder: &str,
        uidvalidity: u32,
        uid: u32,
    ) -> Result<Vec<u8>, String> {
        rebound::source::imap::fetch_message(account, folder, uidvalidity, uid)
            .map_err(|e| format!("cannot fetch UID {uid} again: {e}"))
    }

    #[cfg(not(feature = "imap"))]
    fn from_imap(_: &Account, _: &str, _: u32, uid: u32) -> Result<Vec<u8>, String> {
        Err(format!("UID {uid}: this rebound was built without IMAP support"))
    }

    /// The whole file, or the `message`-th message of an mbox (1-based), split the
    /// same way the scan split it.
    fn from_file(path: &Path, message: usize) -> std::io::Result<Vec<u8>> {
        let mut reader = BufReader::new(File::open(path)?);
        if !is_mbox(reader.fill_buf()?) {
            let mut out = Vec::new();
            reader.take(LIMIT).read_to_end(&mut out)?;
            return Ok(out);
        }
        let mut messages = MboxReader::new(reader);
        match messages.nth(message.saturating_sub(1)) {
            Some(bytes) => bytes,
            None => {
                Err(std::io::Error::other(format!("the mbox has fewer than {message} messages")))
            }
        }
    }
}
