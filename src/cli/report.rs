//! `rebound report`: export a report of the bounces in a source, with the same
//! filters as the TUI, to stdout or to a file that is never overwritten unless
//! `--force` says so.

use std::io::Write;
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

use anyhow::{Context, bail};
use rebound::bounce::{Detail, Reason};
use rebound::report::{self, Format, ReportMeta};
use rebound::session::{Filter, Session, SortKey};
use rebound::source::{Source, SourceEvent};
use rebound::text::clean_line;

use super::open::open_checked;
use super::{FilterArgs, ReportArgs};

/// The filter and sort asked for on the command line.
pub fn session_view(args: &FilterArgs) -> anyhow::Result<(Filter, SortKey, bool)> {
    if let Some(c) = args.class
        && !matches!(c, 2 | 4 | 5)
    {
        bail!("--class {c}: a status class is 2, 4 or 5");
    }
    if let Some(s) = args.subject
        && !(1..=7).contains(&s)
    {
        bail!("--subject {s}: a status subject is 1 to 7 (1 addressing ... 7 security or policy)");
    }
    let reason = match &args.reason {
        Some(r) => Some(r.parse::<Reason>().map_err(|_| {
            let names: Vec<&str> = Reason::ALL.iter().map(|r| r.as_str()).collect();
            anyhow::anyhow!("--reason {r:?} is not a reason; use one of: {}", names.join(", "))
        })?),
        None => None,
    };
    let filter = Filter {
        class: args.class,
        subject: args.subject,
        code_prefix: args.code.clone(),
        reason,
        hard: if args.hard {
            Some(true)
        } else if args.soft {
            Some(false)
        } else {
            None
        },
        domain: args.domain.clone(),
        text: args.search.clone(),
        reporting_mta: args.mta.clone(),
        provider: args.provider.clone(),
        ..Filter::default()
    };
    // What can never match is refused, with the reason (`--code bogus`, `--subject 8`,
    // `--domain @example.org`), instead of an empty report.
    filter.validate().map_err(|e| anyhow::anyhow!("{e}"))?;
    let sort: SortKey = args.sort.parse().map_err(|e: String| anyhow::anyhow!("--sort: {e}"))?;
    Ok((filter, sort, args.descending))
}

/// Run every source to the end, collecting its reports and what could not be read.
/// Problems are reported on stderr as they come, and the scan goes on.
fn scan(sources: &mut [Box<dyn Source>]) -> (Session, String, Vec<String>) {
    let mut session = Session::new();
    let mut unread = Vec::new();
    let cancel = AtomicBool::new(false);
    let mut names = Vec::new();
    for source in sources.iter_mut() {
        names.push(source.describe());
        source.run(
            &mut |event| match event {
                SourceEvent::BatchAnalysed(batch) => session.extend(batch),
                // The error names its file or message itself.
                SourceEvent::Failed { error, .. } | SourceEvent::Fatal(error) => {
                    eprintln!("rebound: {}", clean_line(&error));
                    unread.push(error);
                }
                SourceEvent::Notice(text) => eprintln!("rebound: note: {}", clean_line(&text)),
                // The report is written at the end, so it can equal one clean read.
                SourceEvent::Withdrawn { scope, reason } => {
                    session.withdraw(|origin| scope.covers(origin));
                    eprintln!("rebound: note: {}", clean_line(&reason));
                }
                _ => {}
            },
            &cancel,
        );
    }
    (session, names.join(", "), unread)
}

pub fn run(args: ReportArgs) -> anyhow::Result<ExitCode> {
    let format: Format = args.format.parse()?;
    let (filter, sort, descending) = session_view(&args.filter)?;
    // The suppression list follows the config's policy, so the config is read even when
    // the messages come from files; without a config file the policy is off. A config
    // that cannot be read stops the report rather than silently dropping its policy.
    let policy = rebound::config::load(args.open.config())?.suppression.policy();
    let mut sources = open_checked(&args.open, Detail::Full)?;
    let (mut session, description, unread) = scan(&mut sources);
    session.filter = filter;
    session.sort = sort;
    session.descending = descending;
    session.refresh();
    // `--new`: leave out what an earlier `report --new` wrote, and remember this one.
    let mut book = None;
    if args.filter.new {
        let path = rebound::session::Book::default_path()
            .context("--new needs a data directory (set REBOUND_DATA_DIR or HOME)")?;
        let (b, problem) = rebound::session::Book::open(&path);
        if let Some(p) = problem {
            eprintln!("rebound: {p}");
        }
        let fresh: Vec<usize> = session
            .visible()
            .iter()
            .copied()
            .filter(|&i| !b.was_reported(&session.records()[i]))
            .collect();
        eprintln!(
            "rebound: {} of {} records are new since the last report{}",
            fresh.len(),
            session.visible().len(),
            b.last_report().map(|t| format!(" ({t})")).unwrap_or_default()
        );
        session.show_only(fresh);
        book = Some(b);
    }
    let mut meta = ReportMeta::now(description);
    meta.suppression = policy;
    // The report says what it is missing, not only stderr.
    meta.unread = unread;
    match args.output.as_deref() {
        Some(path) if path.as_os_str() != "-" => {
            report::save(format, &session, &meta, path, args.force)?;
            eprintln!(
                "rebound: wrote {} ({} of {} records) to {}",
                format,
                session.visible().len(),
                session.records().len(),
                path.display()
            );
        }
        _ => {
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            report::write(format, &session, &meta, &mut out).context("writing to stdout")?;
            out.flush().context("writing to stdout")?;
        }
    }
    if let Some(mut b) = book {
        b.note_reported(session.visible_records());
        b.save().context("remembering what this report included")?;
    }
    Ok(super::exit::finished(!meta.unread.is_empty()))
}
