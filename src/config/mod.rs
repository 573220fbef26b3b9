//! The user's configuration file: IMAP accounts and the default one, the screen
//! (`[ui]`) and the suppression list's soft-failure policy (`[suppression]`).
//!
//! TOML, strict (an unknown key is an error, so a typo never silently does nothing),
//! and free of secrets: passwords and OAuth2 tokens come from a command or an
//! environment variable, run or read when a connection is made.

pub mod perms;
mod secret;
pub mod suppression;
pub mod ui;
mod url;

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use thiserror::Error;

pub use secret::{Secret, SecretError};

/// Default seconds a socket read or connect may take before we give up.
pub const DEFAULT_TIMEOUT_SECS: u64 = 30;
/// Default size above which only a message's report parts are fetched.
pub const DEFAULT_MAX_MESSAGE_BYTES: u64 = 4 * 1024 * 1024;

/// How the connection is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Tls {
    /// TLS from the first byte (imaps, usually port 993).
    #[default]
    Implicit,
    /// Plain connection upgraded with STARTTLS before login (usually port 143).
    Starttls,
    /// No encryption at all: only with `allow_plaintext = true`, meant for local tests.
    None,
}

impl fmt::Display for Tls {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Tls::Implicit => "implicit",
            Tls::Starttls => "starttls",
            Tls::None => "none",
        })
    }
}

/// How we log in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Auth {
    /// IMAP LOGIN with a password (or an app password).
    #[default]
    Login,
    /// SASL XOAUTH2 with a bearer token from `oauth2_token_command`.
    Xoauth2,
}

/// One IMAP account.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Account {
    pub name: String,
    pub host: String,
    /// Defaults to 993 for implicit TLS, 143 otherwise.
    pub port: Option<u16>,
    #[serde(default)]
    pub tls: Tls,
    /// Must be true for `tls = "none"`.
    #[serde(default)]
    pub allow_plaintext: bool,
    pub user: String,
    /// Folders to read, in order. Defaults to INBOX.
    #[serde(default = "default_folders")]
    pub folders: Vec<String>,
    /// A PEM file with the CA (or the self-signed certificate) to trust for this server.
    pub ca_file: Option<PathBuf>,
    /// Shell command whose first line of output is the password.
    pub password_command: Option<String>,
    /// Name of an environment variable holding the password.
    pub password_env: Option<String>,
    #[serde(default)]
    pub auth: Auth,
    /// Shell command whose first line of output is a fresh OAuth2 access token.
    pub oauth2_token_command: Option<String>,
    #[serde(default = "default_timeout")]
    pub timeout_secs: u64,
    #[serde(default = "default_max_message_bytes")]
    pub max_message_bytes: u64,
}

fn default_folders() -> Vec<String> {
    vec!["INBOX".to_string()]
}
fn default_timeout() -> u64 {
    DEFAULT_TIMEOUT_SECS
}
fn default_max_message_bytes() -> u64 {
    DEFAULT_MAX_MESSAGE_BYTES
}

impl Account {
    /// A minimal account (implicit TLS, INBOX, password from `REBOUND_PASSWORD`).
    pub fn new(name: impl Into<String>, host: impl Into<String>, user: impl Into<String>) -> Self {
        Account {
            name: name.into(),
            host: host.into(),
            port: None,
            tls: Tls::Implicit,
            allow_plaintext: false,
            user: user.into(),
            folders: default_folders(),
            ca_file: None,
            password_command: None,
            password_env: None,
            auth: Auth::Login,
            oauth2_token_command: None,
            timeout_secs: DEFAULT_TIMEOUT_SECS,
            max_message_bytes: DEFAULT_MAX_MESSAGE_BYTES,
        }
    }

    /// The port to connect to.
    pub fn port(&self) -> u16 {
        self.port.unwrap_or(if self.tls == Tls::Implicit { 993 } else { 143 })
    }

    /// `user@host:port`, for messages and the cache key (never a secret).
    pub fn server_label(&self) -> String {
        format!("{}@{}:{}", self.user, self.host, self.port())
    }

    /// Check the rules a parsed account must follow; `Err` says what to change.
    pub fn validate(&self) -> Result<(), String> {
        if self.name.trim().is_empty() {
            return Err("an account needs a non-empty `name`".into());
        }
        if self.host.trim().is_empty() {
            return Err(format!("account `{}` needs a `host`", self.name));
        }
        if self.user.is_empty() {
            return Err(format!("account `{}` needs a `user`", self.name));
        }
        if self.tls == Tls::None && !self.allow_plaintext {
            return Err(format!(
                "account `{}` has tls = \"none\", which sends the password unencrypted; use \
                 tls = \"implicit\" or \"starttls\", or add allow_plaintext = true (local tests only)",
                self.name
            ));
        }
        if self.folders.is_empty() || self.folders.iter().any(|f| f.is_empty()) {
            return Err(format!("account `{}` has an empty folder name in `folders`", self.name));
        }
        if self.auth == Auth::Xoauth2 && self.oauth2_token_command.is_none() {
            return Err(format!(
                "account `{}` has auth = \"xoauth2\" but no oauth2_token_command: add the \
                 command that prints a fresh access token",
                self.name
            ));
        }
        if self.timeout_secs == 0 {
            return Err(format!("account `{}`: timeout_secs must be at least 1", self.name));
        }
        Ok(())
    }

    /// Parse a one-off `imaps://user@host[:port]/FOLDER` (or `imap://` for STARTTLS).
    pub fn from_url(spec: &str) -> Result<Account, ConfigError> {
        url::parse(spec)
    }

    /// `spec` with any password in its userinfo replaced by `***`, for messages.
    pub fn redact_url(spec: &str) -> String {
        url::redact(spec)
    }

    /// True when `spec` looks like an IMAP URL rather than a path.
    pub fn is_url(spec: &str) -> bool {
        url::is_imap_url(spec)
    }

    /// Get the password (run `password_command`, read `password_env`, else
    /// `REBOUND_PASSWORD`) or, for XOAUTH2, a fresh token. Called per connection.
    pub fn secret(&self) -> Result<Secret, SecretError> {
        secret::resolve(self)
    }

    /// Where [`Account::secret`] takes the secret from, in words for a message.
    pub fn secret_source(&self) -> String {
        secret::describe_source(self)
    }
}

/// The file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    default_account: Option<String>,
    #[serde(default)]
    account: Vec<toml::Spanned<Account>>,
    #[serde(default)]
    ui: ui::Ui,
    #[serde(default)]
    suppression: suppression::Suppression,
}

/// A loaded configuration.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The file it came from (None when there is no config file).
    pub path: Option<PathBuf>,
    pub default_account: Option<String>,
    pub accounts: Vec<Account>,
    /// The `[ui]` table (theme, copying, watch interval).
    pub ui: ui::Ui,
    /// The `[suppression]` table (the soft-failure policy of suppression lists).
    pub suppression: suppression::Suppression,
    /// Things the user should know but that do not stop us (printed to stderr).
    pub warnings: Vec<String>,
}

/// What can go wrong with the configuration.
#[derive(Debug, Error)]
pub enum ConfigError {
    // `error`, not `source`: the text holds it, and a source would print it twice.
    #[error("cannot read config file {path}: {error}")]
    Read { path: PathBuf, error: std::io::Error },
    #[error("{0}")]
    Unsafe(String),
    #[error("config file {path}: {message}")]
    Syntax { path: PathBuf, message: String },
    #[error("config file {path}, line {line}: {message}")]
    Invalid { path: PathBuf, line: usize, message: String },
    #[error(
        "no account named `{name}` in {where_}; known accounts: {known}",
        where_ = path_or_none(path)
    )]
    UnknownAccount { name: String, path: Option<PathBuf>, known: String },
    #[error(
        "no account chosen: pass --account NAME, set default_account in {where_}, or give an \
         imaps://user@host/FOLDER URL",
        where_ = path_or_none(path)
    )]
    NoAccount { path: Option<PathBuf> },
    #[error("not an IMAP URL: {spec}: {message} (expected imaps://user@host[:port]/FOLDER)")]
    BadUrl { spec: String, message: String },
}

fn path_or_none(path: &Option<PathBuf>) -> String {
    match path {
        Some(p) => p.display().to_string(),
        None => "the config file (none found: `rebound config path` says where it goes, \
                 `rebound config example` prints one to start from)"
            .to_string(),
    }
}

impl Config {
    /// Pick the account by name, else the default account, else the only one.
    pub fn account(&self, name: Option<&str>) -> Result<&Account, ConfigError> {
        let wanted = name.or(self.default_account.as_deref());
        match wanted {
            Some(n) => self.accounts.iter().find(|a| a.name == n).ok_or_else(|| {
                ConfigError::UnknownAccount {
                    name: n.to_string(),
                    path: self.path.clone(),
                    known: if self.accounts.is_empty() {
                        "none".to_string()
                    } else {
                        self.accounts.iter().map(|a| a.name.as_str()).collect::<Vec<_>>().join(", ")
                    },
                }
            }),
            None if self.accounts.len() == 1 => Ok(&self.accounts[0]),
            None => Err(ConfigError::NoAccount { path: self.path.clone() }),
        }
    }
}

/// Parse config text; `path` is only used in messages.
pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
    let raw: RawConfig = toml::from_str(text).map_err(|e| ConfigError::Syntax {
        path: path.to_path_buf(),
        message: e.to_string().trim_end().to_string(),
    })?;
    let mut accounts = Vec::new();
    for spanned in raw.account {
        let line = line_of(text, spanned.span().start);
        let mut account = spanned.into_inner();
        account.ca_file = account.ca_file.map(|f| expand_path(&f, path));
        account.validate().map_err(|message| ConfigError::Invalid {
            path: path.to_path_buf(),
            line,
            message,
        })?;
        if accounts.iter().any(|a: &Account| a.name == account.name) {
            return Err(ConfigError::Invalid {
                path: path.to_path_buf(),
                line,
                message: format!("two accounts are named `{}`; names must differ", account.name),
            });
        }
        accounts.push(account);
    }
    if let Some(d) = &raw.default_account
        && !accounts.iter().any(|a| &a.name == d)
    {
        return Err(ConfigError::Invalid {
            path: path.to_path_buf(),
            line: text
                .lines()
                .position(|l| l.trim_start().starts_with("default_account"))
                .unwrap_or(0)
                + 1,
            message: format!("default_account = \"{d}\" names no [[account]] in this file"),
        });
    }
    raw.ui.validate().map_err(|message| ConfigError::Invalid {
        path: path.to_path_buf(),
        line: text.lines().position(|l| l.trim() == "[ui]").unwrap_or(0) + 1,
        message,
    })?;
    raw.suppression.validate().map_err(|message| ConfigError::Invalid {
        path: path.to_path_buf(),
        line: text.lines().position(|l| l.trim() == "[suppression]").unwrap_or(0) + 1,
        message,
    })?;
    Ok(Config {
        path: Some(path.to_path_buf()),
        default_account: raw.default_account,
        accounts,
        ui: raw.ui,
        suppression: raw.suppression,
        warnings: Vec::new(),
    })
}

/// `~/x` is under the home directory; a relative path is next to the config file.
fn expand_path(file: &Path, config_path: &Path) -> PathBuf {
    if let (Ok(rest), Some(home)) = (file.strip_prefix("~"), std::env::var_os("HOME")) {
        return PathBuf::from(home).join(rest);
    }
    match config_path.parent() {
        Some(dir) if file.is_relative() => dir.join(file),
        _ => file.to_path_buf(),
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())].iter().filter(|&&b| b == b'\n').count() + 1
}

/// Where we look for the config file when `--config` is not given, in order.
pub fn default_paths() -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Some(x) = std::env::var_os("XDG_CONFIG_HOME").filter(|v| !v.is_empty()) {
        out.push(PathBuf::from(x).join("rebound").join("config.toml"));
    }
    if let Some(home) = std::env::var_os("HOME").filter(|v| !v.is_empty()) {
        out.push(PathBuf::from(home).join(".config").join("rebound").join("config.toml"));
    }
    if let Some(p) = directories::ProjectDirs::from("", "", "rebound") {
        let candidate = p.config_dir().join("config.toml");
        if !out.contains(&candidate) {
            out.push(candidate);
        }
    }
    out
}

/// Load `explicit` (which must exist), else the first default path that exists, else an
/// empty configuration.
pub fn load(explicit: Option<&Path>) -> Result<Config, ConfigError> {
    let path = match explicit {
        Some(p) => p.to_path_buf(),
        None => match default_paths().into_iter().find(|p| p.is_file()) {
            Some(p) => p,
            None => return Ok(Config::default()),
        },
    };
    let text = std::fs::read_to_string(&path)
        .map_err(|error| ConfigError::Read { path: path.clone(), error })?;
    let warning = perms::check(&path, perms::Role::Config).map_err(ConfigError::Unsafe)?;
    let mut config = parse(&text, &path)?;
    config.warnings.extend(warning);
    for account in &config.accounts {
        if let Some(ca) = &account.ca_file
            && ca.exists()
        {
            perms::check(ca, perms::Role::CaFile).map_err(ConfigError::Unsafe)?;
        }
    }
    Ok(config)
}

#[cfg(test)]
mod tests;
