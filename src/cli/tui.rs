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
    rebound imaps://me@imap.example.com/INBOX
                                      (password from --password-command CMD or REBOUND_PASSWORD)

Or write a config with your accounts to ~/.config/rebound/config.toml
($XDG_CONFIG_HOME/rebound/config.toml when set), mode 600:

    default_account = \"work\"

    [[account]]
    name = \"work\"
    host = \"imap.example.com\"
    user = \"postmaster@example.com\"
    folders = [\"INBOX\"]
    password_command = \"pass show mail/postmaster\"

Then `rebound` opens the default account. See `rebound --help` for more.
";

/// True when a config file exists where `rebound` looks for one.
fn config_exists(open: &OpenArgs) -> bool {
    if let Some(path) = &open.config {
        return path.exists();
    }
    let candidates = rebound::config::default_paths();
    candidates.iter().any(|p| p.exists())
}

pub fn run(open: OpenArgs, warning: Option<String>) -> anyhow::Result<ExitCode> {
    if !open.demo && open.sources.is_empty() && open.account.is_none() && !config_exists(&open) {
        eprint!("{FIRST_RUN}");
        return Ok(ExitCode::from(2));
    }
    launch(open, warning)
}

#[cfg(not(feature = "tui"))]
fn launch(_open: OpenArgs, _warning: Option<String>) -> anyhow::Result<ExitCode> {
    anyhow::bail!(
        "this rebound was built without the terminal UI (cargo feature `tui`). \
         Use `rebound scan`, `rebound report` or `rebound explain`, or rebuild with \
         `cargo install rebound` (the UI is a default feature)"
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
    let config = rebound::config::load(open.config.as_deref()).ok();
    let ui = config.as_ref().map(|c| c.ui.clone()).unwrap_or_default();
    let for_worker = open.clone();
    let opener: Opener = Arc::new(move || {
        // open_sources covers --demo too, so the demo is never opened twice.
        super::open::open_sources(&for_worker, &for_worker.sources, rebound::bounce::Detail::Full)
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
        return match &open.account {
            Some(name) => format!("account {name}"),
            None => "default account".into(),
        };
    }
    let names: Vec<String> = open.sources.iter().map(|s| without_password(s)).collect();
    names.join(", ")
}

/// `imaps://user:secret@host/` -> `imaps://user@host/`.
#[cfg(feature = "tui")]
fn without_password(spec: &str) -> String {
    let Some((scheme, rest)) = spec.split_once("://") else { return spec.to_string() };
    let (authority, path) = rest.split_once('/').map_or((rest, ""), |(a, p)| (a, p));
    let authority = match authority.rsplit_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{user}@{host}")
        }
        None => authority.to_string(),
    };
    if path.is_empty() {
        format!("{scheme}://{authority}")
    } else {
        format!("{scheme}://{authority}/{path}")
    }
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
                account.password_command = open.password_command.clone();
                return Ok(account);
            }
        }
        let config = config::load(open.config.as_deref()).map_err(|e| e.to_string())?;
        let mut account = config.account(Some(name)).map_err(|e| e.to_string())?.clone();
        if let Some(cmd) = &open.password_command {
            account.password_command = Some(cmd.clone());
        }
        Ok(account)
    }
}
