//! `rebound explain`: guidance for a code, a reply line or a diagnostic.
//!
//! Output is wrapped to the terminal width. Styling (bold headings) is used only when
//! stdout is a terminal and NO_COLOR is unset, so piped output pastes cleanly into a
//! ticket.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use rebound::bounce::diagnostic::parse_reply;
use rebound::bounce::phrases::match_phrase;
use rebound::bounce::{Reason, StatusCode};
use rebound::catalog::{Catalog, FixOwner, Guidance, Key, MatchKind, Query, Retry};
use rebound::text::clean_line;

use super::ExplainArgs;

/// The widest we wrap to, even on a very wide terminal: long lines are hard to read.
const MAX_WIDTH: usize = 100;

/// What the user gave us, read as codes and text.
struct Input {
    text: String,
    status: Option<StatusCode>,
    reply: Option<u16>,
    /// Without any code: the reason the engine reads in the words, and the phrase that
    /// says it (the catalog then answers with the code that reason stands for).
    phrase: Option<(Reason, &'static str)>,
}

fn read_input(args: &[String]) -> Input {
    let text = args.join(" ").trim().to_string();
    if let Ok(status) = text.parse::<StatusCode>() {
        return Input { text: String::new(), status: Some(status), reply: None, phrase: None };
    }
    let (reply, status) = parse_reply(&text);
    let phrase = if reply.is_none() && status.is_none() { match_phrase(&text) } else { None };
    Input { text, status, reply, phrase }
}

/// A catalog key typed as such (`5.7.x`, `5.x.x`, `5.7.500-699`) shows that entry:
/// handy when writing your own catalog file.
fn by_key<'a>(
    catalog: &'a Catalog,
    args: &[String],
    provider: Option<&str>,
) -> Option<Guidance<'a>> {
    let [text] = args else { return None };
    let matched_by = match Key::parse(text).ok()? {
        Key::Range { .. } => MatchKind::Range,
        Key::Subject { .. } => MatchKind::SubjectClass,
        Key::Class(_) => MatchKind::Class,
        Key::Exact(_) | Key::Reply(_) => return None,
    };
    let entry =
        provider.and_then(|p| catalog.get(text, Some(p))).or_else(|| catalog.get(text, None))?;
    Some(Guidance { entry, matched_by, matched_text: None })
}

pub fn run(args: ExplainArgs) -> anyhow::Result<ExitCode> {
    let input = read_input(&args.query);
    let (catalog, problem) = Catalog::with_user_config();
    if let Some(err) = problem {
        eprintln!("rebound: warning: your catalog file is ignored: {err}");
        eprintln!("rebound: fix that line; meanwhile the built-in catalog is used.");
    }
    let query = Query {
        status: input.status,
        reply_code: input.reply,
        diagnostic: &input.text,
        provider: args.provider.as_deref(),
        reason: input.phrase.map(|(reason, _)| reason),
    };
    let guidance = by_key(&catalog, &args.query, args.provider.as_deref())
        .unwrap_or_else(|| catalog.guidance(&query));
    if guidance.matched_by == MatchKind::Fallback {
        eprintln!(
            "rebound: no status code (like 5.7.1), SMTP reply code (like 550) or wording we \
             recognise found in {:?}. Give a code, or paste the whole diagnostic line.",
            shortened(&clean_line(&args.query.join(" ")), 120)
        );
        return Ok(ExitCode::from(super::exit::NOT_RECOGNISED));
    }
    let stdout = std::io::stdout();
    let terminal = stdout.is_terminal();
    let width = if terminal {
        terminal_size::terminal_size().map_or(80, |(w, _)| usize::from(w.0))
    } else {
        80
    };
    let style = Style { bold: terminal && std::env::var_os("NO_COLOR").is_none() };
    let text = render(&input, &guidance, width.clamp(40, MAX_WIDTH), style);
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

fn how_matched(input: &Input, g: &Guidance<'_>) -> String {
    let entry = match &g.entry.provider {
        Some(p) => format!("{} entry {}", clean_line(p), clean_line(&g.entry.key)),
        None => format!("entry {}", clean_line(&g.entry.key)),
    };
    let what = match (g.matched_by, g.matched_text, input.phrase) {
        (MatchKind::ProviderText, Some(t), _) => format!("provider text \"{}\"", clean_line(t)),
        (MatchKind::Reason | MatchKind::ReportKind, _, Some((reason, phrase))) => {
            format!("the words \"{phrase}\" ({}, no code given)", reason.as_str())
        }
        (kind, _, _) => kind.describe().to_string(),
    };
    let mut found = Vec::new();
    if let Some(reply) = input.reply {
        found.push(format!("reply {reply}"));
    }
    if let Some(status) = input.status {
        found.push(format!("status {status}"));
    }
    let found =
        if found.is_empty() { String::new() } else { format!(" (read {})", found.join(", ")) };
    format!("Matched by {what} -> {entry}{found}")
}

fn render(input: &Input, g: &Guidance<'_>, width: usize, style: Style) -> String {
    let e = g.entry;
    let mut out = String::new();
    let title = format!("{}  {}", clean_line(&e.key), clean_line(&e.title));
    out.push_str(&style.heading(&title));
    out.push('\n');
    wrapped(&mut out, &how_matched(input, g), width, "", "  ");
    out.push('\n');
    wrapped(&mut out, &e.meaning, width, "", "");
    list(&mut out, style, "Likely causes", &e.causes, width);
    out.push('\n');
    let owners: Vec<&str> = e.fix_owner.iter().map(|&o| owner_name(o)).collect();
    wrapped(&mut out, &owners.join(", "), width, &style.heading("Who must act: "), "  ");
    wrapped(&mut out, retry_advice(e.retry), width, &style.heading("Retry:        "), "  ");
    list(&mut out, style, "What the sender can do", &e.sender_steps, width);
    list(&mut out, style, "What a mail admin can do", &e.admin_steps, width);
    if let Some(reference) = &e.reference {
        out.push('\n');
        out.push_str(&format!("Reference: {}\n", clean_line(reference)));
    }
    out
}
