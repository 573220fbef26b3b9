//! `rebound explain`: guidance for a code, a reply line or a diagnostic.
//!
//! Output is wrapped to the terminal width. Styling (bold headings) is used only when
//! stdout is a terminal and NO_COLOR is unset, so piped output pastes cleanly into a
//! ticket.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use rebound::bounce::{Kind, Reason, RecipientStatus, Report, StatusCode, reading_of_reply};
use rebound::catalog::{Catalog, Entry, FixOwner, Key, Retry, providers};
use rebound::text::clean_line;
use rebound::verdict::{Level, Verdict, decide};

use super::ExplainArgs;

/// The widest we wrap to, even on a very wide terminal: long lines are hard to read.
const MAX_WIDTH: usize = 100;

/// What the user gave us: the text as pasted, and the engine's reading of it.
struct Input {
    text: String,
    /// The one-recipient report the verdict is decided on.
    report: Report,
}

impl Input {
    fn rcpt(&self) -> &RecipientStatus {
        &self.report.recipients[0]
    }
}

/// Read the arguments as the engine reads a reply: its codes, the reason its words
/// name, the rule that decided. A bare code stands alone (no words).
fn read_input(args: &[String], provider: Option<&str>) -> Input {
    let text = args.join(" ").trim().to_string();
    let rcpt = match text.parse::<StatusCode>() {
        Ok(status) => {
            let mut r = RecipientStatus::new("");
            r.status = Some(status);
            r.action = Some(if status.class == 2 { "delivered" } else { "failed" }.into());
            if status.class == 2 {
                r.reason = Reason::Delivered;
                r.why = format!("{status} is a success code");
                r.rule = "status-code".into();
            } else {
                let reading = reading_of_reply(&text);
                r.reason = reading.reason;
                r.rule = reading.rule;
                r.why = reading.why;
            }
            r
        }
        Err(_) => reading_of_reply(&text),
    };
    let kind = if rcpt.reason == Reason::Delivered { Kind::Success } else { Kind::Bounce };
    let report = Report {
        kind: Some(kind),
        provider: provider.map(str::to_string),
        recipients: vec![rcpt],
        ..Report::default()
    };
    Input { text, report }
}

/// A catalog key typed as such (`5.7.x`, `5.x.x`, `5.7.500-699`, `reason:userunknown`)
/// shows that entry: handy when writing your own catalog file.
fn by_key<'a>(catalog: &'a Catalog, args: &[String], provider: Option<&str>) -> Option<&'a Entry> {
    let [text] = args else { return None };
    match Key::parse(text).ok()? {
        Key::Range { .. } | Key::Subject { .. } | Key::Class(_) | Key::Reason(_) => {}
        Key::Exact(_) | Key::Reply(_) => return None,
    }
    provider.and_then(|p| catalog.get(text, Some(p))).or_else(|| catalog.get(text, None))
}

/// `explain --providers`: every provider name `--provider` takes.
fn list_providers(catalog: &Catalog) -> ExitCode {
    println!("Providers known to rebound (give one to --provider):");
    for id in providers::known(catalog) {
        println!("  {id}");
    }
    println!(
        "\nAlso accepted: m365, office365, o365 (exchange-online); hotmail, outlook (outlook-com);"
    );
    println!(
        "google, gsuite, workspace (gmail); aol (yahoo); charter (spectrum); ses (amazon-ses)."
    );
    ExitCode::SUCCESS
}

pub fn run(args: ExplainArgs) -> anyhow::Result<ExitCode> {
    let (catalog, problem) = Catalog::with_user_config();
    if let Some(err) = problem {
        eprintln!("rebound: warning: your catalog file is ignored: {err}");
        eprintln!("rebound: fix that line; meanwhile the built-in catalog is used.");
    }
    if args.providers {
        return Ok(list_providers(&catalog));
    }
    let provider = match args.provider.as_deref().map(|p| providers::resolve(&catalog, p)) {
        Some(Err(err)) => {
            eprintln!("rebound: {err}");
            return Ok(ExitCode::from(super::exit::CANNOT_START));
        }
        Some(Ok(id)) => Some(id),
        None => None,
    };
    let stdout = std::io::stdout();
    let terminal = stdout.is_terminal();
    let width = if terminal {
        terminal_size::terminal_size().map_or(80, |(w, _)| usize::from(w.0))
    } else {
        80
    };
    let width = width.clamp(40, MAX_WIDTH);
    let style = Style { bold: terminal && std::env::var_os("NO_COLOR").is_none() };
    let text = if let Some(entry) = by_key(&catalog, &args.query, provider.as_deref()) {
        let mut out =
            style.heading(&format!("{}  {}", clean_line(&entry.key), clean_line(&entry.title)));
        out.push_str("\n\n");
        entry_text(&mut out, entry, entry.retry, width, style);
        out
    } else {
        let input = read_input(&args.query, provider.as_deref());
        let r = input.rcpt();
        let nothing = r.status.is_none() && r.reply_code.is_none() && r.reason.is_vague();
        if nothing {
            eprintln!(
                "rebound: no status code (like 5.7.1), SMTP reply code (like 550) or wording we \
                 recognise found in {:?}. Give a code, or paste the whole diagnostic line.",
                shortened(&clean_line(&args.query.join(" ")), 120)
            );
            return Ok(ExitCode::from(super::exit::NOT_RECOGNISED));
        }
        let verdict = decide(&input.report, r, &catalog);
        render(&input, &verdict, &catalog, provider.is_some(), width, style)
    };
    let mut out = stdout.lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// `text` cut to `max` characters, with `...` when cut: an error message quotes what
/// it could not read, not a pasted page.
fn shortened(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text.to_string(),
    }
}

#[derive(Clone, Copy)]
struct Style {
    bold: bool,
}

impl Style {
    fn heading(self, s: &str) -> String {
        if self.bold { format!("\x1b[1m{s}\x1b[0m") } else { s.to_string() }
    }
}

fn owner_name(owner: FixOwner) -> &'static str {
    match owner {
        FixOwner::Sender => "sender",
        FixOwner::SenderAdmin => "sender's mail admin",
        FixOwner::Recipient => "recipient",
        FixOwner::RecipientAdmin => "recipient's mail admin",
        FixOwner::Provider => "mail provider",
    }
}

fn retry_advice(retry: Retry) -> &'static str {
    match retry {
        Retry::RetryLater => "wait: temporary, the sending server retries by itself",
        Retry::FixThenResend => "fix the cause first, then resend",
        Retry::DoNotRetry => "do not resend to this address: correct or remove it",
        Retry::NotNeeded => "nothing to resend: the message arrived",
    }
}

/// Wrap `text` with the given first-line and following-line indents.
fn wrapped(out: &mut String, text: &str, width: usize, first: &str, rest: &str) {
    let options = textwrap::Options::new(width).initial_indent(first).subsequent_indent(rest);
    for line in textwrap::wrap(&clean_line(text), options) {
        out.push_str(&line);
        out.push('\n');
    }
}

fn list(out: &mut String, style: Style, heading: &str, items: &[String], width: usize) {
    if items.is_empty() {
        return;
    }
    out.push('\n');
    out.push_str(&style.heading(heading));
    out.push('\n');
    for item in items {
        wrapped(out, item, width, "  - ", "    ");
    }
}

/// The engine's reading and the verdict's chain, one line each.
fn chain(input: &Input, v: &Verdict<'_>) -> Vec<String> {
    let r = input.rcpt();
    let mut lines = Vec::new();
    let mut found = Vec::new();
    if let Some(reply) = r.reply_code {
        found.push(format!("reply {reply}"));
    }
    if let Some(status) = r.status {
        found.push(format!("status {status}"));
    }
    if let Some(code) = &r.provider_code {
        found.push(format!("provider code {}", code.code));
    }
    if !found.is_empty() {
        lines.push(format!("Read:      {}", found.join(", ")));
    }
    let rule = if r.rule.is_empty() { String::new() } else { format!(" [rule {}]", r.rule) };
    lines.push(format!("Reason:    {} - {}{rule}", r.reason, r.why));
    if let Some(stage) = r.stage {
        lines.push(format!("Stage:     {}", stage.as_str()));
    }
    if input.report.kind == Some(Kind::Bounce) {
        let verdict = if v.hard {
            "hard: the address is dead, do not send to it again"
        } else {
            "soft: the address can receive mail once the cause is gone"
        };
        lines.push(format!("Verdict:   {verdict}"));
    }
    let entry = match &v.entry.provider {
        Some(p) => format!("{p} entry {}", v.entry.key),
        None => format!("entry {}", v.entry.key),
    };
    lines.push(format!("Chosen by: {} -> {entry}", v.because));
    lines
}

/// Other providers' meanings of the same code, when the user named none: a code such
/// as 5.1.10 means a null MX to the registry and "recipient not found" to Microsoft.
fn other_meanings(catalog: &Catalog, input: &Input, v: &Verdict<'_>) -> Vec<String> {
    let Some(code) = input.rcpt().status else { return Vec::new() };
    let mut seen = Vec::new();
    for e in catalog.entries() {
        let Some(p) = &e.provider else { continue };
        if Key::parse(&e.key) != Ok(Key::Exact(code)) || std::ptr::eq(e, v.entry) {
            continue;
        }
        let line = format!("{p}: {}", e.title);
        if !seen.contains(&line) {
            seen.push(line);
        }
    }
    seen
}

/// A provider's wording found in the text, when none was named: a hint, not evidence.
fn wording_hint(catalog: &Catalog, input: &Input) -> Option<String> {
    let r = input.rcpt();
    providers::known(catalog).into_iter().find_map(|p| {
        let (e, text) = catalog.provider_text(&p, r.status, r.reply_code, &input.text)?;
        Some(format!(
            "\"{text}\" is {p}'s wording ({}). If {p} sent this bounce, run again with --provider {p}.",
            e.title
        ))
    })
}

fn render(
    input: &Input,
    v: &Verdict<'_>,
    catalog: &Catalog,
    named: bool,
    width: usize,
    style: Style,
) -> String {
    let e = v.entry;
    let mut out = String::new();
    let title = format!("{}  {}", clean_line(&e.key), clean_line(&e.title));
    out.push_str(&style.heading(&title));
    out.push('\n');
    for line in chain(input, v) {
        wrapped(&mut out, &line, width, "", "           ");
    }
    if let Some(row) = v.provider_code {
        wrapped(&mut out, &format!("Provider:  {}", row.meaning), width, "", "           ");
    }
    out.push('\n');
    entry_text(&mut out, e, v.retry, width, style);
    if !named {
        let others = other_meanings(catalog, input, v);
        if !others.is_empty() {
            out.push('\n');
            out.push_str(
                &style.heading(
                    "Providers that use this code with their own meaning (--provider NAME):",
                ),
            );
            out.push('\n');
            for o in others {
                wrapped(&mut out, &o, width, "  - ", "    ");
            }
        }
        if v.level != Level::Provider
            && let Some(hint) = wording_hint(catalog, input)
        {
            out.push('\n');
            wrapped(&mut out, &hint, width, "", "");
        }
    }
    out
}

/// An entry's words: meaning, causes, who acts, the advice on resending, the steps.
fn entry_text(out: &mut String, e: &Entry, retry: Retry, width: usize, style: Style) {
    wrapped(out, &e.meaning, width, "", "");
    list(out, style, "Likely causes", &e.causes, width);
    out.push('\n');
    let owners: Vec<&str> = e.fix_owner.iter().map(|&o| owner_name(o)).collect();
    wrapped(out, &owners.join(", "), width, &style.heading("Who must act: "), "  ");
    wrapped(out, retry_advice(retry), width, &style.heading("Retry:        "), "  ");
    list(out, style, "What the sender can do", &e.sender_steps, width);
    list(out, style, "What a mail admin can do", &e.admin_steps, width);
    if let Some(reference) = &e.reference {
        out.push('\n');
        out.push_str(&format!("Reference: {}\n", clean_line(reference)));
    }
}
