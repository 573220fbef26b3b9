//! Turning command-line source arguments (paths, imaps:// URLs, --account, --demo)
//! into [`Source`]s.

use std::path::PathBuf;

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
    let lower = spec.get(..8).unwrap_or(spec).to_ascii_lowercase();
    if lower.starts_with("imaps://") || lower.starts_with("imap://") {
        Spec::ImapUrl(spec)
    } else {
        Spec::Path(spec)
    }
}

/// The sources named by `specs` (paths or URLs), or by `--account` / the config's
/// default account when `specs` is empty. All paths go into one offline source, so a
/// scan over several folders reads as one run.
pub fn open_sources(open: &OpenArgs, specs: &[String]) -> anyhow::Result<Vec<Box<dyn Source>>> {
    let mut sources: Vec<Box<dyn Source>> = Vec::new();
    if open.demo {
        sources.push(Box::new(rebound::source::demo::DemoSource::new()));
    }
    let mut paths: Vec<PathBuf> = Vec::new();
    for spec in specs {
        match classify(spec) {
            Spec::ImapUrl(url) => sources.push(open_imap_url(open, url)?),
            Spec::Path(path) => paths.push(PathBuf::from(path)),
        }
    }
    if !paths.is_empty() {
        sources.insert(0, Box::new(OfflineSource::new(paths)));
    }
    if sources.is_empty() {
        match &open.account {
            Some(account) => sources.push(open_account(open, account)?),
            None => anyhow::bail!(
                "no source given: name a Maildir, mbox file, folder of .eml files or \
                 imaps:// URL, or use --account NAME"
            ),
        }
    }
    Ok(sources)
}

/// An `imaps://user@host/FOLDER` URL.
fn open_imap_url(open: &OpenArgs, url: &str) -> anyhow::Result<Box<dyn Source>> {
    let _ = open;
    anyhow::bail!(
        "cannot open {url}: IMAP is not available in this build yet; \
         export the folder to a Maildir or mbox and scan that"
    )
}

/// A configured account (`--account NAME`).
fn open_account(open: &OpenArgs, account: &str) -> anyhow::Result<Box<dyn Source>> {
    let _ = open;
    anyhow::bail!(
        "cannot open account {account:?}: IMAP accounts are not available in this build yet; \
         name a Maildir or mbox path instead"
    )
}
