//! Command-line interface: the arguments and the dispatch to each command.

mod explain;
mod open;
mod report;
mod scan;
mod tui;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use rebound::catalog::Catalog;

/// Browse and explain the bounce messages in a mailbox.
#[derive(Debug, Parser)]
#[command(name = "rebound", version, about, args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub open: OpenArgs,
}

/// Where to read from, shared by the TUI and the headless commands.
#[derive(Debug, Args, Clone, Default)]
pub struct OpenArgs {
    /// Config file (default: $XDG_CONFIG_HOME/rebound/config.toml or ~/.config/rebound/config.toml).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Use this configured account.
    #[arg(long, global = true, value_name = "NAME")]
    pub account: Option<String>,
    /// Command whose first line of output is the IMAP password (for imaps:// URLs).
    #[arg(long, global = true, value_name = "CMD")]
    pub password_command: Option<String>,
    /// Open the embedded demo mailbox.
    #[arg(long)]
    pub demo: bool,
    /// Keep watching the source: new bounces appear as they arrive (IMAP IDLE, or
    /// polling at [ui] watch_poll_secs; Maildir and mbox through file notifications).
    #[arg(long)]
    pub watch: bool,
    /// Maildir, mbox, folder of .eml files, single file, or imaps://user@host/FOLDER.
    #[arg(value_name = "SOURCE")]
    pub sources: Vec<String>,
}

// Parsed once per run: the size of the report's arguments costs nothing worth a box.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print one record per recipient of every report found (JSON lines or CSV).
    #[command(after_help = "Exit status: 0 when every message was read, 1 when a file or \
                            message could not be read (each is reported on stderr and the \
                            scan goes on), 2 when the scan could not start.")]
    Scan(ScanArgs),
    /// Explain a status code, an SMTP reply line or a pasted diagnostic.
    Explain(ExplainArgs),
    /// Export a report of the bounces in a source (Markdown, HTML, JSON, CSV).
    Report(ReportArgs),
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum ScanFormat {
    #[default]
    Jsonl,
    Csv,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    #[arg(long, value_enum, default_value_t)]
    pub format: ScanFormat,
    /// Files, directories (Maildir or folders of .eml), mbox files, or an imaps:// URL.
    #[arg(value_name = "PATH")]
    pub paths: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// `5.7.1`, `550 5.7.1 Client was not authenticated`, or any diagnostic text.
    #[arg(required = true, num_args = 1.., value_name = "CODE|TEXT")]
    pub query: Vec<String>,
    /// Provider or MTA that sent the bounce (e.g. exchange-online, gmail), for codes that
    /// provider uses with its own meaning.
    #[arg(long, value_name = "NAME")]
    pub provider: Option<String>,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    #[arg(long, value_name = "md|html|json|csv")]
    pub format: String,
    /// Output file; `-` or none writes to stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Overwrite an existing output file.
    #[arg(long)]
    pub force: bool,
    /// Report on the embedded demo mailbox.
    #[arg(long)]
    pub demo: bool,
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Sources, as for `scan`.
    #[arg(value_name = "SOURCE")]
    pub sources: Vec<String>,
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
        Some(Command::Scan(args)) => scan::run(&cli.open, args),
        Some(Command::Explain(args)) => explain::run(args),
        Some(Command::Report(args)) => {
            warn_about_user_catalog(Catalog::install_user_config());
            report::run(&cli.open, args)
        }
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
