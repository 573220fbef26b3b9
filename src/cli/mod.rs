//! Command-line interface: the arguments and the dispatch to each command.
//!
//! Each command takes only the options it uses: the options that say where to read
//! from ([`OpenArgs`]) belong to the screen, `scan` and `report`, never to `explain`.

mod completions;
mod config;
mod exit;
mod explain;
mod open;
mod report;
mod scan;
mod tui;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use rebound::catalog::Catalog;

pub use exit::CANNOT_START;

/// Browse and explain the bounce messages in a mailbox.
#[derive(Debug, Parser)]
#[command(
    name = "rebound",
    version,
    about,
    long_about = "Browse and explain the bounce messages (NDRs, DSNs) in a mailbox, from the \
                  terminal.\n\nWith no command, rebound opens the screen on SOURCE, on the \
                  account named by --account, or on the config's default account. \
                  `rebound --demo` opens a built-in demo mailbox: nothing to set up.",
    args_conflicts_with_subcommands = true,
    after_help = exit::screen_help(),
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub open: OpenArgs,
}

/// The config file option, for every command that reads the config.
#[derive(Debug, Args, Clone, Default)]
pub struct ConfigFileArg {
    /// Config file (default: $XDG_CONFIG_HOME/rebound/config.toml, else
    /// ~/.config/rebound/config.toml; `rebound config path` says which).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

/// Which configured account, and where its password comes from.
#[derive(Debug, Args, Clone, Default)]
pub struct AccountArgs {
    #[command(flatten)]
    pub file: ConfigFileArg,
    /// Use this account of the config file (default: its default_account).
    #[arg(long, value_name = "NAME")]
    pub account: Option<String>,
    /// Command whose first line of output is the IMAP password (overrides the config's).
    #[arg(long, value_name = "CMD")]
    pub password_command: Option<String>,
}

/// Where to read from: the screen, `scan` and `report`.
#[derive(Debug, Args, Clone, Default)]
pub struct OpenArgs {
    #[command(flatten)]
    pub account: AccountArgs,
    /// Read the demo mailbox built into rebound (no network, nothing to set up).
    #[arg(long)]
    pub demo: bool,
    /// Keep watching the source: new bounces appear as they arrive (IMAP IDLE, or
    /// polling at [ui] watch_poll_secs; Maildir and mbox through file notifications).
    #[arg(long)]
    pub watch: bool,
    /// Maildir, mbox, folder of .eml files, single message file, or
    /// imaps://user@host[:port]/FOLDER (imap:// for STARTTLS).
    #[arg(value_name = "SOURCE")]
    pub sources: Vec<String>,
}

impl OpenArgs {
    pub fn config(&self) -> Option<&std::path::Path> {
        self.account.file.config.as_deref()
    }
}

// Parsed once per run: the size of the report's arguments costs nothing worth a box.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print one record per recipient of every report found (JSON lines or CSV).
    #[command(long_about = scan::LONG_ABOUT, after_help = exit::source_help(), after_long_help = scan::after_long_help())]
    Scan(ScanArgs),
    /// Export a report of the bounces in a source (Markdown, HTML, JSON, CSV).
    #[command(after_help = exit::source_help())]
    Report(ReportArgs),
    /// Explain a status code, an SMTP reply line or a pasted diagnostic.
    #[command(after_help = exit::explain_help())]
    Explain(ExplainArgs),
    /// Find, print or check the config file: `config path`, `config example`,
    /// `config check`.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    #[command(after_help = completions::AFTER_HELP)]
    Completions(CompletionsArgs),
    /// Print the manual page (roff): `rebound man | man -l -`. With --dir, write a page
    /// for every command there (rebound.1, rebound-scan.1, ...), as packages install them.
    #[command(hide = true)]
    Man(ManArgs),
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Say which config file is used and why, and where else rebound looks.
    #[command(after_help = exit::help())]
    Path(ConfigFileArg),
    /// Print a commented example config (`rebound config example > FILE`).
    Example,
    /// Check the config file, then log in to an account step by step (DNS, TCP, TLS and
    /// its certificate, greeting, capabilities, login, folders) and say how to fix the
    /// step that fails.
    #[command(after_help = exit::check_help())]
    Check(AccountArgs),
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to write the completion script for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write every page into this directory instead of printing the main one.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum ScanFormat {
    /// One JSON object per line.
    #[default]
    Jsonl,
    /// CSV with a header row.
    Csv,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: ScanFormat,
    #[command(flatten)]
    pub open: OpenArgs,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// `5.7.1`, `550 5.7.1 Client was not authenticated`, or any diagnostic text.
    #[arg(required_unless_present = "providers", num_args = 1.., value_name = "CODE|TEXT")]
    pub query: Vec<String>,
    /// Provider or MTA that handled the failure (e.g. exchange-online, gmail, m365), for
    /// codes and wording that provider uses with its own meaning.
    #[arg(long, value_name = "NAME")]
    pub provider: Option<String>,
    /// List the provider names --provider takes.
    #[arg(long)]
    pub providers: bool,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Report format.
    #[arg(long, value_name = "md|html|json|csv")]
    pub format: String,
    /// Output file; `-` or none writes to stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Overwrite an existing output file.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub filter: FilterArgs,
    #[command(flatten)]
    pub open: OpenArgs,
}

/// Which records to keep and how to order them (the TUI's filters, for headless use).
#[derive(Debug, Args, Clone, Default)]
pub struct FilterArgs {
    /// Status class: 2, 4 or 5.
    #[arg(long, value_name = "2|4|5")]
    pub class: Option<u8>,
    /// Status subject digit (x.1 addressing ... x.7 security/policy).
    #[arg(long, value_name = "1-7")]
    pub subject: Option<u16>,
    /// Code prefix: 5.7, 5.7.1, 5.x.x, or a reply code prefix such as 550.
    #[arg(long, value_name = "PREFIX")]
    pub code: Option<String>,
    /// Reason, e.g. userunknown, mailboxfull, blocked, authfailure.
    #[arg(long, value_name = "REASON")]
    pub reason: Option<String>,
    /// Hard bounces only.
    #[arg(long, conflicts_with = "soft")]
    pub hard: bool,
    /// Soft bounces only.
    #[arg(long)]
    pub soft: bool,
    /// Recipient domain.
    #[arg(long, value_name = "DOMAIN")]
    pub domain: Option<String>,
    /// Free text (case-insensitive) in recipient, subject, diagnostic or MTA names.
    #[arg(long, value_name = "TEXT")]
    pub search: Option<String>,
    /// Reporting or remote MTA host, by domain suffix (outlook.com).
    #[arg(long, value_name = "HOST")]
    pub mta: Option<String>,
    /// Provider that handled the failure: gmail, exchange-online, outlook-com, yahoo, ...
    #[arg(long, value_name = "ID")]
    pub provider: Option<String>,
    /// Only records no earlier `report --new` included (remembered in the data
    /// directory with the screen's triage states).
    #[arg(long)]
    pub new: bool,
    /// Sort by: date, recipient, code, reason, hard, domain, subject.
    #[arg(long, value_name = "KEY", default_value = "date")]
    pub sort: String,
    /// Sort in descending order.
    #[arg(long)]
    pub descending: bool,
}

/// Run the parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Some(Command::Scan(args)) => scan::run(args),
        Some(Command::Explain(args)) => explain::run(args),
        Some(Command::Report(args)) => {
            warn_about_user_catalog(Catalog::install_user_config());
            report::run(args)
        }
        Some(Command::Config(command)) => config::run(command),
        Some(Command::Completions(args)) => completions::completions(args.shell),
        Some(Command::Man(args)) => completions::man(args.dir.as_deref()),
        None => {
            // The screen hides stderr while it runs, so say it again when it closes.
            let problem = Catalog::install_user_config();
            warn_about_user_catalog(problem.as_ref().map(ToString::to_string));
            let warning = problem
                .as_ref()
                .map(|e| format!("your catalog file is ignored ({e}); the built-in one is used"));
            let result = tui::run(cli.open, warning);
            warn_about_user_catalog(problem);
            result
        }
    }
}

/// A user catalog file that cannot be used is not fatal: the built-in catalog answers.
fn warn_about_user_catalog(problem: Option<impl std::fmt::Display>) {
    if let Some(err) = problem {
        eprintln!("rebound: warning: your catalog file is ignored: {err}");
        eprintln!("rebound: fix that line; meanwhile the built-in catalog is used.");
    }
}
