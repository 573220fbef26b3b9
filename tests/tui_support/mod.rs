//! Shared by the tui_* tests: Apps built from real corpus bounces (through the
//! engine) or from hand-made reports, and a TestBackend renderer.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

use rebound::bounce::{Kind, Reason, RecipientStatus, Report, StatusCode};
use rebound::source::{Analysed, Origin};
use rebound::tui::{Action, App, Theme, update};

pub fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

/// Analyse corpus files (paths relative to tests/corpus) with the real engine.
pub fn analysed(files: &[&str]) -> Vec<Analysed> {
    files
        .iter()
        .map(|f| {
            let path = corpus_dir().join(f);
            let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let report = rebound::bounce::analyze(&bytes)
                .unwrap_or_else(|| panic!("the engine found no report in {f}"));
            Analysed { origin: Origin::File { path: PathBuf::from(f), message: 1 }, report }
        })
        .collect()
}

/// A hand-made bounce, for tests about behaviour rather than parsing.
pub fn bounce(n: usize, rcpt: &str, code: &str, reason: Reason, subject: &str) -> Analysed {
    let mut r = RecipientStatus::new(rcpt);
    r.status = Some(code.parse::<StatusCode>().expect("test code"));
    r.reason = reason;
    r.hard = reason.is_hard();
    r.action = Some("failed".into());
    r.diagnostic = format!("smtp; 550 {code} {}", reason.summary());
    let report = Report {
        kind: Some(Kind::Bounce),
        format: "rfc3464".into(),
        date: chrono::DateTime::parse_from_rfc2822(&format!("{n} Nov 2026 10:00:00 +0000")).ok(),
        reporting_mta: Some(format!("mx{}.example.net", n % 3)),
        original: rebound::bounce::OriginalMessage {
            subject: Some(subject.into()),
            ..Default::default()
        },
        recipients: vec![r],
        ..Default::default()
    };
    Analysed { origin: Origin::File { path: format!("msg-{n}.eml").into(), message: 1 }, report }
}

/// Five bounces with different codes, reasons and domains (dated 1..5 Nov).
pub fn five() -> Vec<Analysed> {
    vec![
        bounce(1, "ann@example.org", "5.1.1", Reason::UserUnknown, "Invoice 1"),
        bounce(2, "bob@example.com", "4.2.2", Reason::MailboxFull, "Newsletter"),
        bounce(3, "cy@example.org", "5.7.1", Reason::Blocked, "Invoice 2"),
        bounce(4, "dee@other.net", "5.7.26", Reason::AuthFailure, "Welcome"),
        bounce(5, "eve@example.org", "5.1.1", Reason::UserUnknown, "Invoice 3"),
    ]
}

/// An App of the given size holding `batch`, as the worker would deliver it.
pub fn app_with(batch: Vec<Analysed>, width: u16, height: u16) -> App {
    let mut app = App::new("tests/corpus", Theme::monochrome());
    update(&mut app, Action::Resize { width, height });
    update(&mut app, Action::BatchAnalysed { generation: 0, batch });
    update(&mut app, Action::ScanFinished { generation: 0 });
    app
}

/// Draw the App on a TestBackend of its size.
pub fn draw(app: &App) -> Buffer {
    let backend = TestBackend::new(app.area.width, app.area.height);
    let mut terminal = Terminal::new(backend).expect("test terminal");
    terminal.draw(|f| rebound::tui::view::draw(f, app)).expect("draw");
    terminal.backend().buffer().clone()
}

/// The screen as plain text, one line per row, trailing spaces kept off.
pub fn screen(app: &App) -> String {
    let buf = draw(app);
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut line = String::new();
        for x in 0..buf.area.width {
            line.push_str(buf[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The recipients of the shown rows, in order.
pub fn shown(app: &App) -> Vec<String> {
    app.session.visible_records().map(|r| r.recipient().recipient.clone()).collect()
}

pub fn selected_rcpt(app: &App) -> String {
    app.selected().map(|r| r.recipient().recipient.clone()).unwrap_or_default()
}

pub fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        update(app, Action::PromptInput(c));
    }
}
