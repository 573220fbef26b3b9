//! Turning command-line source arguments (paths, imaps:// URLs, --account, --demo)
//! into [`Source`]s.

use rebound::source::Source;

use super::OpenArgs;

/// The sources named by `specs` (paths or URLs), or by `--account` / the config's
/// default account when `specs` is empty.
pub fn open_sources(open: &OpenArgs, specs: &[String]) -> anyhow::Result<Vec<Box<dyn Source>>> {
    let mut sources: Vec<Box<dyn Source>> = Vec::new();
    // ---- IMAP: --account NAME (imap branch) ----
    if open.account.is_some() {
        sources.push(imap::from_account(open)?);
    }
    // ---- end IMAP ----
    for spec in specs {
        match spec.as_str() {
            // ---- IMAP: imaps://user@host[:port]/FOLDER, imap:// = STARTTLS (imap branch) ----
            url if rebound::config::Account::is_url(url) => {
                sources.push(imap::from_url(open, url)?)
            }
            // ---- end IMAP ----
            path => anyhow::bail!("cannot open {path} yet"),
        }
    }
    // ---- IMAP: no source named: the config's default account (imap branch) ----
    if sources.is_empty() && !open.demo {
        sources.push(imap::from_account(open)?);
    }
    // ---- end IMAP ----
    Ok(sources)
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
