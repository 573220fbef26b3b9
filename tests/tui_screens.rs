//! Snapshots of the main screens, drawn on a TestBackend from real corpus bounces
//! analysed by the engine.

mod tui_support;

use rebound::tui::{Action, update};
use tui_support::*;

const FILES: &[&str] = &[
    "maildir/bsd/lhost-exchange2007-06.eml",
    "maildir/bsd/rfc3464-61.eml",
    "maildir/bsd/rhost-microsoft-04.eml",
    "maildir/bsd/lhost-yahoo-01.eml",
    "maildir/bsd/lhost-office365-12.eml",
    "maildir/bsd/lhost-postfix-31.eml",
    "maildir/bsd/lhost-exim-60.eml",
    "maildir/bsd/rhost-apple-01.eml",
    "maildir/bsd/lhost-qmail-09.eml",
    "maildir/bsd/lhost-exchange2007-05.eml",
    "maildir/bsd/arf-20.eml",
];

fn corpus_app(width: u16, height: u16) -> rebound::tui::App {
    app_with(analysed(FILES), width, height)
}

#[test]
fn list() {
    let app = corpus_app(120, 20);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn split_view() {
    let mut app = corpus_app(140, 40);
    update(&mut app, Action::SortBy(rebound::session::SortKey::Recipient));
    // The Exchange 2007 bounce with seven hops, three of them over TLS.
    let pos = app
        .session
        .visible_records()
        .position(|r| r.origin.to_string().contains("exchange2007-06"))
        .expect("in the list");
    update(&mut app, Action::SelectRow(pos));
    update(&mut app, Action::Open);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn split_view_at_80x24_stacks_the_panes() {
    let mut app = corpus_app(80, 24);
    update(&mut app, Action::Open);
    update(&mut app, Action::FocusNext);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn list_at_80x24() {
    let app = corpus_app(80, 24);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn help() {
    let mut app = corpus_app(100, 30);
    update(&mut app, Action::ToggleHelp);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn filter_prompt_and_result() {
    let mut app = corpus_app(100, 24);
    update(&mut app, Action::StartFilter);
    type_text(&mut app, "5 soft");
    insta::assert_snapshot!("filter_prompt", screen(&app));
    update(&mut app, Action::PromptSubmit);
    insta::assert_snapshot!("filter_result", screen(&app));
}

#[test]
fn summary() {
    let mut app = corpus_app(100, 24);
    update(&mut app, Action::ToggleSummary);
    update(&mut app, Action::NextSummaryGroup);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn empty_mailbox() {
    let app = app_with(vec![], 80, 12);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn error_state() {
    let mut app = app_with(vec![], 80, 12);
    update(
        &mut app,
        Action::SourceFatal {
            generation: 0,
            error: "cannot open /var/mail/nobody: No such file or directory (os error 2)".into(),
        },
    );
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn scanning_shows_progress() {
    let mut app = rebound::tui::App::new(
        "imaps://me@mail.example.com/INBOX",
        rebound::tui::Theme::monochrome(),
    );
    update(&mut app, Action::Resize { width: 100, height: 8 });
    update(&mut app, Action::ScanStarted { generation: 0, description: "INBOX".into() });
    update(
        &mut app,
        Action::ProgressReported {
            generation: 0,
            progress: rebound::source::Progress {
                examined: 620,
                total: Some(1000),
                bytes: 0,
                found: 2,
            },
        },
    );
    update(&mut app, Action::BatchAnalysed { generation: 0, batch: analysed(&FILES[..2]) });
    let text = screen(&app);
    assert!(text.contains("scanning 620/1,000 62%"), "{text}");
    insta::assert_snapshot!(text);
}

#[test]
fn the_raw_view_marks_the_lines_that_decided_the_verdict() {
    let file = "maildir/bsd/lhost-postfix-31.eml";
    let mut app = app_with(analysed(&[file]), 120, 160);
    update(&mut app, Action::Open);
    update(&mut app, Action::ToggleRaw);
    let Some(rebound::tui::app::Effect::LoadRaw { record, .. }) = app.effects.pop() else {
        panic!("no load asked")
    };
    let bytes = std::fs::read(corpus_dir().join(file)).expect("sample");
    update(&mut app, Action::RawLoaded { record, result: Ok(bytes) });
    assert!(app.raw.is_some(), "raw {:?} view {:?}", app.raw.is_some(), app.view);
    let shown = screen(&app);
    let status = app.selected().expect("a record").recipient().status.expect("a code").to_string();
    let marked: Vec<&str> = shown.lines().filter(|l| l.contains("│> ")).collect();
    assert!(!marked.is_empty(), "no line marked:\n{shown}");
    assert!(marked.iter().any(|l| l.contains(&status)), "{status} not marked: {marked:?}");
    assert!(shown.lines().any(|l| l.contains("│  ")), "other lines are not marked");
}
