//! `rebound scan`: one record per recipient of every report found.
//!
//! Output goes through a buffered writer; a closed pipe (`rebound scan ... | head`)
//! stops the scan quietly. Every text field is cleaned to one safe line, and CSV cells
//! that a spreadsheet would run as a formula get a leading `'`.

use std::borrow::Cow;
use std::io::{self, BufWriter, Write};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

use rebound::bounce::Detail;
use rebound::source::{Analysed, Origin, SourceEvent};
use rebound::text::clean_line;
use serde::Serialize;

use super::{OpenArgs, ScanArgs, ScanFormat};

/// The columns, in output order (CSV header and JSON key order).
const COLUMNS: [&str; 16] = [
    "file",
    "message",
    "index",
    "kind",
    "recipient",
    "action",
    "status",
    "reply_code",
    "reason",
    "hard",
    "why",
    "remote_mta",
    "reporting_mta",
    "diagnostic",
    "format",
    "provider",
];

/// One output record: one recipient of one report. Fields borrow from the report
/// (cleaning copies only text that needs it), so a record costs no allocation.
#[derive(Debug, Serialize)]
struct ScanRecord<'a> {
    file: &'a str,
    message: usize,
    index: usize,
    kind: &'static str,
    recipient: Cow<'a, str>,
    action: Option<Cow<'a, str>>,
    status: Option<String>,
    reply_code: Option<String>,
    reason: &'static str,
    hard: bool,
    why: Cow<'a, str>,
    remote_mta: Option<Cow<'a, str>>,
    reporting_mta: Option<Cow<'a, str>>,
    diagnostic: Cow<'a, str>,
    format: Cow<'a, str>,
    provider: Option<Cow<'a, str>>,
}

pub fn run(open: &OpenArgs, args: ScanArgs) -> anyhow::Result<ExitCode> {
    let sources = super::open::open_sources(open, &args.paths, Detail::Recipients)?;
    let stdout = io::stdout().lock();
    let mut out = Output::new(args.format, BufWriter::with_capacity(64 << 10, stdout));
    let cancel = AtomicBool::new(false);
    let mut anything_failed = false;
    let mut write_error: Option<io::Error> = None;
    for mut source in sources {
        source.run(
            &mut |event| match event {
                SourceEvent::BatchAnalysed(batch) if write_error.is_none() => {
                    if let Err(e) = batch.iter().try_for_each(|a| out.write_report(a)) {
                        cancel.store(true, Ordering::Relaxed);
                        write_error = Some(e);
                    }
                }
                // The error names its file or message itself.
                SourceEvent::Failed { error, .. } => {
                    anything_failed = true;
                    eprintln!("rebound: {}", clean_line(&error));
                }
                SourceEvent::Fatal(error) => {
                    anything_failed = true;
                    eprintln!("rebound: {}", clean_line(&error));
                }
                SourceEvent::Notice(text) => eprintln!("rebound: note: {}", clean_line(&text)),
                // Records already printed cannot be taken back: say that they are void
                // and that the folder is printed again, and do not exit 0.
                SourceEvent::Withdrawn { reason, .. } => {
                    anything_failed = true;
                    eprintln!(
                        "rebound: {}; the records already printed for it are void and the \
                         scan restarts it (exit status 1)",
                        clean_line(&reason)
                    );
                }
                _ => {}
            },
            &cancel,
        );
        if cancel.load(Ordering::Relaxed) {
            break;
        }
    }
    let result = match write_error {
        Some(e) => Err(e),
        None => out.finish(),
    };
    match result {
        Ok(()) => {}
        // The reader went away (`| head`): what it wanted was written.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return Ok(ExitCode::SUCCESS),
        Err(e) => return Err(anyhow::Error::new(e).context("cannot write the scan output")),
    }
    Ok(if anything_failed { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

/// JSON lines or CSV over a buffered stdout.
enum Output<W: Write> {
    Jsonl(W),
    Csv(Box<csv::Writer<W>>, bool),
}

impl<W: Write> Output<W> {
    fn new(format: ScanFormat, writer: W) -> Self {
        match format {
            ScanFormat::Jsonl => Output::Jsonl(writer),
            ScanFormat::Csv => Output::Csv(Box::new(csv::Writer::from_writer(writer)), false),
        }
    }

    fn write_report(&mut self, analysed: &Analysed) -> io::Result<()> {
        let (file, message) = file_of(&analysed.origin);
        let file = clean_line(&file);
        for record in records(analysed, &file, message) {
            match self {
                Output::Jsonl(w) => {
                    serde_json::to_writer(&mut *w, &record)?;
                    w.write_all(b"\n")?;
                }
                Output::Csv(w, header_written) => {
                    if !*header_written {
                        w.write_record(COLUMNS).map_err(csv_error)?;
                        *header_written = true;
                    }
                    w.write_record(csv_row(&record)).map_err(csv_error)?;
                }
            }
        }
        Ok(())
    }

    fn finish(self) -> io::Result<()> {
        match self {
            Output::Jsonl(mut w) => w.flush(),
            Output::Csv(mut w, header_written) => {
                // An empty scan still gets its header, so the file opens as a table.
                if !header_written {
                    w.write_record(COLUMNS).map_err(csv_error)?;
                }
                w.flush()
            }
        }
    }
}

fn csv_error(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

/// Where a message came from, as the `file` column shows it.
fn file_of(origin: &Origin) -> (String, usize) {
    match origin {
        Origin::File { path, message } => (path.display().to_string(), *message),
        Origin::Imap { account, folder, uid, .. } => {
            (format!("imaps://{account}/{folder};UID={uid}"), 1)
        }
        Origin::Demo { message } => ("demo".to_string(), *message),
    }
}

fn records<'a>(
    analysed: &'a Analysed,
    file: &'a str,
    message: usize,
) -> impl Iterator<Item = ScanRecord<'a>> + 'a {
    let report = &analysed.report;
    let line = |s: &'a str| clean_line(s);
    report.recipients.iter().enumerate().map(move |(i, r)| ScanRecord {
        file,
        message,
        index: i + 1,
        kind: report.kind.map_or("unknown", |k| k.as_str()),
        recipient: line(&r.recipient),
        action: r.action.as_deref().map(line),
        status: r.status.map(|s| s.to_string()),
        reply_code: r.reply_code.map(|c| c.to_string()),
        reason: r.reason.as_str(),
        hard: r.hard,
        why: line(&r.why),
        remote_mta: r.remote_mta.as_deref().map(line),
        reporting_mta: report.reporting_mta.as_deref().map(line),
        diagnostic: line(&r.diagnostic),
        format: line(&report.format),
        provider: report.provider.as_deref().map(line),
    })
}

/// A cell a spreadsheet would treat as a formula gets a leading `'`.
fn neutralise(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\0') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

fn csv_row(r: &ScanRecord) -> [String; 16] {
    let opt = |v: &Option<Cow<str>>| neutralise(v.as_deref().unwrap_or(""));
    [
        neutralise(r.file),
        r.message.to_string(),
        r.index.to_string(),
        r.kind.to_string(),
        // A real address is not a formula, even `-2+3@example.org`.
        if rebound::text::is_plain_address(&r.recipient) {
            r.recipient.to_string()
        } else {
            neutralise(&r.recipient)
        },
        opt(&r.action),
        neutralise(r.status.as_deref().unwrap_or("")),
        neutralise(r.reply_code.as_deref().unwrap_or("")),
        r.reason.to_string(),
        r.hard.to_string(),
        neutralise(&r.why),
        opt(&r.remote_mta),
        opt(&r.reporting_mta),
        neutralise(&r.diagnostic),
        neutralise(&r.format),
        opt(&r.provider),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neutralises_formula_cells_only() {
        assert_eq!(neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralise("+1"), "'+1");
        assert_eq!(neutralise("-2"), "'-2");
        assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise("\tx"), "'\tx");
        assert_eq!(neutralise("user@example.com"), "user@example.com");
        assert_eq!(neutralise(""), "");
    }

    #[test]
    fn columns_match_the_json_keys() {
        let rec = ScanRecord {
            file: "f",
            message: 1,
            index: 1,
            kind: "bounce",
            recipient: "a@b".into(),
            action: None,
            status: None,
            reply_code: None,
            reason: "undefined",
            hard: false,
            why: "".into(),
            remote_mta: None,
            reporting_mta: None,
            diagnostic: "".into(),
            format: "".into(),
            provider: None,
        };
        let json = serde_json::to_value(&rec).expect("serialisable");
        let keys: Vec<&str> =
            json.as_object().expect("object").keys().map(String::as_str).collect();
        let mut sorted_columns = COLUMNS.to_vec();
        sorted_columns.sort_unstable();
        assert_eq!(keys, sorted_columns);
    }
}
