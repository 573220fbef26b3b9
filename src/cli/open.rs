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
    open_sources_with(open, specs, detail, true)
}

/// The config file's warnings (a file others can read), for a caller that prints them
/// itself: the screen prints them before it opens, then opens its sources quietly.
pub fn config_warnings(open: &OpenArgs) -> anyhow::Result<Vec<String>> {
    Ok(rebound::config::load(open.config.as_deref())?.warnings)
}

/// [`open_sources`]; `warn` prints the config file's warnings on stderr.
pub fn open_sources_with(
    open: &OpenArgs,
    specs: &[String],
    detail: Detail,
    warn: bool,
) -> anyhow::Result<Vec<Box<dyn Source>>> {
    let mut sources: Vec<Box<dyn Source>> = Vec::new();
    if open.demo {
        sources.push(Box::new(rebound::source::demo::DemoSource::new()));
    }
    if open.account.is_some() {
        sources.push(imap::from_account(open, warn)?);
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
        sources.push(imap::from_account(open, warn)?);
    }
    Ok(sources)
}

/// IMAP sources from the config file or a URL.
mod imap {
    use rebound::config::{self, Account};
    use rebound::source::Source;

    use super::super::OpenArgs;

    /// The account named by `--account`, else the config's default account.
    pub fn from_account(open: &OpenArgs, warn: bool) -> anyhow::Result<Box<dyn Source>> {
        let config = config::load(open.config.as_deref())?;
        for w in config.warnings.iter().filter(|_| warn) {
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
