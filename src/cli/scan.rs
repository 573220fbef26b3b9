//! `rebound scan`: one record per recipient of every report found.
//!
//! Output goes through a buffered writer; a closed pipe (`rebound scan ... | head`)
//! stops the scan quietly. Every text field is cleaned to one safe line, and CSV cells
//! that a spreadsheet would run as a formula get a leading `'`.

use std::borrow::Cow;
use std::io::{self, BufWriter, Write};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

use rebound::bounce::{Detail, Reason};
use rebound::source::{Analysed, Origin, SourceEvent};
use rebound::text::clean_line;
use serde::Serialize;

use super::{ScanArgs, ScanFormat};

/// The output fields, in output order (CSV header and JSON key order), each with the
/// line that `scan --help` and `docs/scan-fields.md` give it. A new field goes here (one
/// line), in [`ScanRecord`] and in [`csv_row`]; the unit test below checks the record's
/// JSON keys against this list, and `tests/docs.rs` checks the docs list it.
pub const FIELDS: &[(&str, &str)] = &[
    ("file", "where the message was found: a path, imaps://ACCOUNT/FOLDER;UID=N, or demo"),
    ("message", "the message's position inside an mbox file (from 1), else 1"),
    ("index", "which recipient of the report this record is (from 1)"),
    ("kind", "bounce, delay, success, feedback, autoreply, challenge (unknown when unsure)"),
    ("recipient", "the address the report is about"),
    ("action", "the report's Action: failed, delayed, delivered, relayed, expanded"),
    ("status", "the enhanced status code, e.g. 5.1.1"),
    ("reply_code", "the SMTP reply code, e.g. 550"),
    ("reason", "the cause, one of the reasons listed below"),
    ("hard", "true when the address itself cannot receive mail: suppress it"),
    ("why", "one line saying how the reason and the verdict were decided"),
    ("remote_mta", "the server that refused the message, when the report names it"),
    ("reporting_mta", "the server that wrote the report"),
    ("diagnostic", "the server's own words, on one line"),
    ("format", "the kind of notice the engine read: rfc3464, exim, qmail, text, ..."),
    ("provider", "the provider or MTA whose notice this is, when recognised"),
    (
        "status_inferred",
        "when the report gave no enhanced code: the code the reason stands for (or the reply code's class); never in status",
    ),
    (
        "stage",
        "the SMTP stage the failure answered, where the report says it: connect, helo, mail-from, rcpt-to, data",
    ),
    (
        "rule",
        "the name of the engine rule that decided the reason (provider-code, phrase, status-code, ...)",
    ),
    ("provider_code", "a provider's own code in the reply, as scheme:code (yahoo-bracket:TSS04)"),
    (
        "retry",
        "the verdict's advice: do-not-retry (exactly when hard), fix-then-resend, retry-later, not-needed",
    ),
    ("entry", "the catalog entry that explains it: a code, reason:NAME, or provider/key"),
    (
        "because",
        "why that entry and verdict were chosen (provider code, provider wording, reason over a catch-all code, ...)",
    ),
    ("original_recipient", "the address the sender wrote, when an alias or a forward changed it"),
    ("cut", "what of the message was not read, when it went past the engine's limits"),
];

/// The columns, in output order.
const COLUMNS: [&str; FIELDS.len()] = {
    let mut out = [""; FIELDS.len()];
    let mut i = 0;
    while i < FIELDS.len() {
        out[i] = FIELDS[i].0;
        i += 1;
    }
    out
};

/// `scan --help`'s description.
pub const LONG_ABOUT: &str = "Print one record per recipient of every report found: \
    bounces, delay notices, success notices, abuse feedback reports and automatic replies. \
    JSON lines (one object per line) or CSV (with a header row). Reads files, Maildirs, \
    folders of .eml files, mbox files, IMAP folders and the demo mailbox; text from the \
    messages is cleaned to one safe line, and CSV cells a spreadsheet would run as a \
    formula get a leading '.";

/// After `scan --help`: every field and every reason, one line each.
pub fn after_long_help() -> String {
    let mut out = String::from("Fields, in output order:\n");
    for (name, meaning) in FIELDS.iter() {
        out.push_str(&format!("  {name:<14} {meaning}\n"));
    }
    out.push_str("\nReasons (the reason field):\n");
    for reason in Reason::ALL {
        out.push_str(&format!("  {:<16} {}\n", reason.as_str(), reason.summary()));
    }
    out.push('\n');
    out.push_str(&super::exit::source_help());
    out
}

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
    /// The code the reason stands for, when the report gave none (never in `status`).
    status_inferred: Option<String>,
    /// The SMTP stage the failure answered (connect, helo, mail-from, rcpt-to, data).
    stage: Option<&'static str>,
    /// The engine rule that decided the reason.
    rule: Cow<'a, str>,
    /// A provider's own code in the reply, as `scheme:code`.
    provider_code: Option<String>,
    /// The verdict's advice: retry-later, fix-then-resend, do-not-retry, not-needed.
    retry: &'static str,
    /// The catalog entry that explains it (`provider/key` for a provider's own).
    entry: String,
    /// Why that entry and verdict.
    because: Cow<'a, str>,
    /// The address as the sender wrote it, when the report gives one that differs.
    original_recipient: Option<Cow<'a, str>>,
    /// What of the message was not read, when it went past the engine's limits.
    cut: Option<Cow<'a, str>>,
}

pub fn run(args: ScanArgs) -> anyhow::Result<ExitCode> {
    let sources = super::open::open_checked(&args.open, Detail::Recipients)?;
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
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return Ok(super::exit::finished(false)),
        Err(e) => return Err(anyhow::Error::new(e).context("cannot write the scan output")),
    }
    Ok(super::exit::finished(anything_failed))
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
    report.recipients.iter().enumerate().map(move |(i, r)| {
        // The engine wrote the verdict's advice with `hard`; a report cached by an
        // older version without it is decided now.
        let decided;
        let advice = match &r.advice {
            Some(a) => a,
            None => {
                decided = rebound::verdict::decide(report, r, rebound::catalog::Catalog::active())
                    .advice();
                &decided
            }
        };
        ScanRecord {
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
            status_inferred: r.status_inferred.map(|s| s.to_string()),
            stage: r.stage.map(|s| s.as_str()),
            rule: line(&r.rule),
            provider_code: r
                .provider_code
                .as_ref()
                .map(|c| clean_line(&format!("{}:{}", c.scheme, c.code)).into_owned()),
            retry: retry_name(&advice.retry),
            entry: clean_line(&advice.entry).into_owned(),
            because: clean_line(&advice.because).into_owned().into(),
            original_recipient: r.original_recipient.as_deref().map(line),
            cut: report.cut.as_deref().map(line),
        }
    })
}

/// The advice's name as a static string (the record holds it as text).
fn retry_name(retry: &str) -> &'static str {
    ["retry-later", "fix-then-resend", "do-not-retry", "not-needed"]
        .into_iter()
        .find(|r| *r == retry)
        .unwrap_or("")
}

/// A cell a spreadsheet would treat as a formula gets a leading `'`.
fn neutralise(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\0') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

fn csv_row(r: &ScanRecord) -> [String; FIELDS.len()] {
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
        r.status_inferred.clone().unwrap_or_default(),
        r.stage.unwrap_or("").to_string(),
        neutralise(&r.rule),
        neutralise(r.provider_code.as_deref().unwrap_or("")),
        r.retry.to_string(),
        neutralise(&r.entry),
        neutralise(&r.because),
        opt(&r.original_recipient),
        opt(&r.cut),
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
            status_inferred: None,
            stage: None,
            rule: "".into(),
            provider_code: None,
            retry: "",
            entry: String::new(),
            because: "".into(),
            original_recipient: None,
            cut: None,
        };
        let json = serde_json::to_value(&rec).expect("serialisable");
        let keys: Vec<&str> =
            json.as_object().expect("object").keys().map(String::as_str).collect();
        let mut sorted_columns = COLUMNS.to_vec();
        sorted_columns.sort_unstable();
        assert_eq!(keys, sorted_columns);
    }
}
