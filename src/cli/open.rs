//! Turning command-line source arguments (paths, imaps:// URLs, --account, --demo)
//! into [`Source`]s.

use std::path::PathBuf;

use rebound::bounce::Detail;
use rebound::source::{OfflineSource, Source};

use super::OpenArgs;

/// What one source argument names.
enum Spec<'a> {
    /// `imap://` or `imaps://`.
    ImapUrl(&'a str),
    /// Anything else: a file, directory or mbox on disk.
    Path(&'a str),
}

fn classify(spec: &str) -> Spec<'_> {
    if rebound::config::Account::is_url(spec) { Spec::ImapUrl(spec) } else { Spec::Path(spec) }
}

/// The sources named by `specs` (paths or URLs), or by `--account` / the config's
/// default account when `specs` is empty. All paths go into one offline source, so a
/// scan over several folders reads as one run. `detail` applies to files on disk; IMAP
/// sources always build whole reports, because they cache them for the screen.
pub fn open_sources(
    open: &OpenArgs,
    specs: &[String],
    detail: Detail,
) -> anyhow::Result<Vec<Box<dyn Source>>> {
    let mut sources: Vec<Box<dyn Source>> = Vec::new();
    if open.demo {
        sources.push(Box::new(rebound::source::demo::DemoSource::new()));
    }
    if open.account.is_some() {
        sources.push(imap::from_account(open)?);
    }
    let mut paths: Vec<PathBuf> = Vec::new();
    for spec in specs {
        match classify(spec) {
            Spec::ImapUrl(url) => sources.push(imap::from_url(open, url)?),
            Spec::Path(path) => paths.push(PathBuf::from(path)),
        }
    }
    if !paths.is_empty() {
        sources.insert(0, Box::new(OfflineSource::new(paths).with_detail(detail)));
    }
    // No source named: the config's default account.
    if sources.is_empty() && !open.demo {
        sources.push(imap::from_account(open)?);
    }
    Ok(sources)
}

/// Watchers of the same sources, for `--watch` and the `w` key: files through file
/// notifications, IMAP folders through IDLE (or polling every `poll_secs`). `None` when
/// nothing named can be watched (the demo alone).
#[cfg(feature = "tui")]
pub fn watchers(open: &OpenArgs, poll_secs: u64) -> Option<rebound::tui::Opener> {
    let paths: Vec<PathBuf> = open
        .sources
        .iter()
        .filter(|s| matches!(classify(s), Spec::Path(_)))
        .map(PathBuf::from)
        .collect();
    let imap = open.account.is_some()
        || open.sources.iter().any(|s| matches!(classify(s), Spec::ImapUrl(_)))
        || (open.sources.is_empty() && !open.demo);
    if paths.is_empty() && !imap {
        return None;
    }
    let open = open.clone();
    Some(std::sync::Arc::new(move || {
        let mut out: Vec<Box<dyn Source>> = Vec::new();
        if !paths.is_empty() {
            out.push(file_watch(paths.clone())?);
        }
        if imap {
            for account in imap::accounts(&open).map_err(|e| format!("{e:#}"))? {
                out.push(imap::watch(account, poll_secs)?);
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

/// IMAP sources from the config file or a URL.
mod imap {
    use rebound::config::{self, Account};
    use rebound::source::Source;

    use super::super::OpenArgs;

    /// The account named by `--account`, else the config's default account.
    pub fn from_account(open: &OpenArgs) -> anyhow::Result<Box<dyn Source>> {
        let config = config::load(open.config.as_deref())?;
        for w in &config.warnings {
            eprintln!("rebound: {w}");
        }
        let mut account = config.account(open.account.as_deref())?.clone();
        if let Some(cmd) = &open.password_command {
            account.password_command = Some(cmd.clone());
        }
        build(account)
    }

    /// A one-off account from `imaps://user@host[:port]/FOLDER`.
    pub fn from_url(open: &OpenArgs, url: &str) -> anyhow::Result<Box<dyn Source>> {
        let mut account = Account::from_url(url)?;
        account.password_command = open.password_command.clone();
        build(account)
    }

    /// The accounts the command line names (URLs, --account, else the default one).
    #[allow(dead_code)]
    pub fn accounts(open: &OpenArgs) -> anyhow::Result<Vec<Account>> {
        let mut out = Vec::new();
        for spec in open.sources.iter().filter(|s| Account::is_url(s)) {
            let mut account = Account::from_url(spec)?;
            account.password_command = open.password_command.clone();
            out.push(account);
        }
        if open.account.is_some() || (open.sources.is_empty() && !open.demo) {
            let config = config::load(open.config.as_deref())?;
            let mut account = config.account(open.account.as_deref())?.clone();
            if let Some(cmd) = &open.password_command {
                account.password_command = Some(cmd.clone());
            }
            out.push(account);
        }
        Ok(out)
    }

    #[cfg(feature = "imap")]
    #[allow(dead_code)]
    pub fn watch(account: Account, poll_secs: u64) -> Result<Box<dyn Source>, String> {
        let poll = std::time::Duration::from_secs(poll_secs);
        Ok(Box::new(rebound::source::imap::ImapWatch::new(account, poll)))
    }

    #[cfg(not(feature = "imap"))]
    #[allow(dead_code)]
    pub fn watch(account: Account, _: u64) -> Result<Box<dyn Source>, String> {
        Err(format!("account {}: this rebound was built without IMAP support", account.name))
    }

    #[cfg(feature = "imap")]
    fn build(account: Account) -> anyhow::Result<Box<dyn Source>> {
        Ok(Box::new(rebound::source::imap::ImapSource::new(account)))
    }

    #[cfg(not(feature = "imap"))]
    fn build(account: Account) -> anyhow::Result<Box<dyn Source>> {
        anyhow::bail!(
            "account {}: this rebound was built without IMAP support; rebuild with \
             --features imap",
            account.name
        )
    }
}
