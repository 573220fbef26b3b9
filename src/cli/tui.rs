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

    // A path that does not exist is said as such, not shown as an empty mailbox.
    for spec in &open.sources {
        if !rebound::config::Account::is_url(spec) && !std::path::Path::new(spec).exists() {
            anyhow::bail!("{spec} does not exist");
        }
    }
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
    // A config that cannot be read leaves the defaults (and no suppression policy): said
    // once the first scan ends, as the screen hides stderr.
    let config = match rebound::config::load(open.config()) {
        Ok(c) => Some(c),
        Err(e) => {
            warning.get_or_insert(format!("{e}; using the default settings"));
            None
        }
    };
    let ui = config.as_ref().map(|c| c.ui.clone()).unwrap_or_default();
    let suppression = config.as_ref().map(|c| c.suppression.policy()).unwrap_or_default();
    let for_worker = open.clone();
    let opener: Opener = Arc::new(move || {
        // open_sources covers --demo too, so the demo is never opened twice.
        super::open::open_sources(&for_worker, rebound::bounce::Detail::Full)
            .map_err(|e| format!("{e:#}"))
    });
    // One reader for the whole run: it keeps the mbox offsets and the IMAP sessions.
    let for_raw = open.clone();
    let store = std::sync::Mutex::new(rebound::source::store::MessageStore::new(Box::new(
        move |name: &str| raw::imap_account(&for_raw, name),
    )));
    let load_raw = Arc::new(move |origin: &rebound::source::Origin| {
        store.lock().unwrap_or_else(|e| e.into_inner()).load(origin)
    });
    let watch = super::open::watchers(&open, ui.watch_poll_secs);
    let launch = Launch {
        describe,
        open: opener,
        load_raw,
        warning,
        watch,
        watch_at_start: open.watch,
        ui,
        suppression,
        triage_file: rebound::session::Book::default_path(),
    };
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
    //! The account of an IMAP message, for reading it again.

    use rebound::config::{self, Account};

    use super::super::OpenArgs;

    /// The account a message came from: an `imaps://` argument, else the config.
    pub fn imap_account(open: &OpenArgs, name: &str) -> Result<Account, String> {
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
}
