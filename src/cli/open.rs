//! Turning command-line source arguments (paths, imaps:// URLs, --account, --demo)
//! into [`Source`]s.

use std::path::PathBuf;

use rebound::bounce::Detail;
use rebound::config::{self, Account};
use rebound::source::{OfflineSource, Source};

use super::OpenArgs;

/// What to print when nothing names a source and there is no config file.
pub const NOTHING_TO_READ: &str = "nothing to read: no SOURCE given and no config file found.
  Try the demo:        rebound --demo   (or `rebound scan --demo`, `rebound report --demo ...`)
  Read from disk:      a Maildir, an mbox, a folder of .eml files or one message file
  Read over IMAP:      imaps://user@host/FOLDER with --password-command CMD
  Or write a config:   rebound config example > config.toml, move it where
                       `rebound config path` says, then run `rebound config check`";

/// One source to open, before it is opened.
pub enum Planned {
    Demo,
    /// Every path of the command line, read as one run.
    Files(Vec<PathBuf>),
    Imap(Box<Account>),
}

/// What `open` names, in order: files first, then the demo and IMAP accounts. With no
/// source named, the config's default account; with no config either, an error that
/// says what to do.
pub fn plan(open: &OpenArgs) -> anyhow::Result<Vec<Planned>> {
    plan_with(open, true)
}

/// [`plan`]; `warn` prints the config file's warnings on stderr (the screen prints them
/// itself, before it opens: see [`config_warnings`]).
fn plan_with(open: &OpenArgs, warn: bool) -> anyhow::Result<Vec<Planned>> {
    let mut planned = Vec::new();
    let mut paths: Vec<PathBuf> = Vec::new();
    let mut imap = Vec::new();
    if open.demo {
        planned.push(Planned::Demo);
    }
    if open.account.account.is_some() {
        imap.push(from_config(open, warn)?);
    }
    for spec in &open.sources {
        if Account::is_url(spec) {
            let mut account = Account::from_url(spec)?;
            account.password_command = open.account.password_command.clone();
            imap.push(account);
        } else {
            paths.push(PathBuf::from(spec));
        }
    }
    if !paths.is_empty() {
        planned.insert(0, Planned::Files(paths));
    }
    if planned.is_empty() && imap.is_empty() {
        if open.config().is_none() && !config::default_paths().iter().any(|p| p.is_file()) {
            anyhow::bail!(NOTHING_TO_READ);
        }
        imap.push(from_config(open, warn)?);
    }
    planned.extend(imap.into_iter().map(|a| Planned::Imap(Box::new(a))));
    Ok(planned)
}

/// The config file's warnings (a file others can read), for a caller that prints them
/// itself: the screen prints them before it opens, then opens its sources quietly.
#[cfg(feature = "tui")]
pub fn config_warnings(open: &OpenArgs) -> anyhow::Result<Vec<String>> {
    Ok(config::load(open.config())?.warnings)
}

/// The account named by `--account`, else the config's default account.
fn from_config(open: &OpenArgs, warn: bool) -> anyhow::Result<Account> {
    let config = config::load(open.config())?;
    for w in config.warnings.iter().filter(|_| warn) {
        eprintln!("rebound: {w}");
    }
    let mut account = config.account(open.account.account.as_deref())?.clone();
    if let Some(cmd) = &open.account.password_command {
        account.password_command = Some(cmd.clone());
    }
    Ok(account)
}

/// Open what was planned. `detail` applies to files on disk; IMAP sources always build
/// whole reports, because they cache them for the screen.
pub fn build(planned: Vec<Planned>, detail: Detail) -> anyhow::Result<Vec<Box<dyn Source>>> {
    planned
        .into_iter()
        .map(|p| -> anyhow::Result<Box<dyn Source>> {
            Ok(match p {
                Planned::Demo => Box::new(rebound::source::demo::DemoSource::new()),
                Planned::Files(paths) => Box::new(OfflineSource::new(paths).with_detail(detail)),
                Planned::Imap(account) => imap_source(*account)?,
            })
        })
        .collect()
}

#[cfg(feature = "tui")]
/// The sources named by `open`, opened (the screen's way: connection problems show up
/// while it runs).
pub fn open_sources(open: &OpenArgs, detail: Detail) -> anyhow::Result<Vec<Box<dyn Source>>> {
    build(plan_with(open, false)?, detail)
}

/// The headless commands' way: log in to every IMAP account once before reading, so
/// a wrong host, certificate or password ends the command as "could not start" (exit
/// 2) instead of a scan that read nothing.
pub fn open_checked(open: &OpenArgs, detail: Detail) -> anyhow::Result<Vec<Box<dyn Source>>> {
    let planned = plan(open)?;
    for p in &planned {
        if let Planned::Imap(account) = p {
            login_once(account)?;
        }
    }
    build(planned, detail)
}

#[cfg(feature = "imap")]
fn login_once(account: &Account) -> anyhow::Result<()> {
    rebound::source::imap::probe(account).map_err(|e| {
        anyhow::anyhow!("{e}\n(`rebound config check` tries each step of the login in turn)")
    })
}

#[cfg(not(feature = "imap"))]
fn login_once(_account: &Account) -> anyhow::Result<()> {
    Ok(())
}

#[cfg(feature = "imap")]
fn imap_source(account: Account) -> anyhow::Result<Box<dyn Source>> {
    Ok(Box::new(rebound::source::imap::ImapSource::new(account)))
}

#[cfg(not(feature = "imap"))]
fn imap_source(account: Account) -> anyhow::Result<Box<dyn Source>> {
    anyhow::bail!(
        "account {}: this rebound was built without IMAP support; rebuild it with the \
         default features (cargo install --locked --path .)",
        account.name
    )
}

/// Watchers of the same sources, for `--watch` and the `w` key: files through file
/// notifications, IMAP folders through IDLE (or polling every `poll_secs`). `None` when
/// nothing named can be watched (the demo alone).
#[cfg(feature = "tui")]
pub fn watchers(open: &OpenArgs, poll_secs: u64) -> Option<rebound::tui::Opener> {
    let demo_only = open.demo && open.sources.is_empty() && open.account.account.is_none();
    if demo_only {
        return None;
    }
    let open = open.clone();
    Some(std::sync::Arc::new(move || {
        let mut out: Vec<Box<dyn Source>> = Vec::new();
        for p in plan_with(&open, false).map_err(|e| format!("{e:#}"))? {
            match p {
                Planned::Demo => {}
                Planned::Files(paths) => out.push(file_watch(paths)?),
                Planned::Imap(account) => out.push(imap_watch(*account, poll_secs)?),
            }
        }
        Ok(out)
    }))
}

#[cfg(all(feature = "tui", feature = "watch"))]
fn file_watch(paths: Vec<PathBuf>) -> Result<Box<dyn Source>, String> {
    Ok(Box::new(rebound::source::watch::FileWatch::new(paths)))
}

#[cfg(all(feature = "tui", not(feature = "watch")))]
fn file_watch(_: Vec<PathBuf>) -> Result<Box<dyn Source>, String> {
    Err("this rebound was built without the `watch` feature".into())
}

#[cfg(all(feature = "tui", feature = "imap"))]
fn imap_watch(account: Account, poll_secs: u64) -> Result<Box<dyn Source>, String> {
    let poll = std::time::Duration::from_secs(poll_secs);
    Ok(Box::new(rebound::source::imap::ImapWatch::new(account, poll)))
}

#[cfg(all(feature = "tui", not(feature = "imap")))]
fn imap_watch(account: Account, _: u64) -> Result<Box<dyn Source>, String> {
    Err(format!("account {}: this rebound was built without IMAP support", account.name))
}
