//! Driving `update` with actions, as the keys and the worker would.

mod tui_support;

use rebound::bounce::Reason;
use rebound::session::SortKey;
use rebound::tui::app::{Effect, Overlay, Pane, Raw, View};
use rebound::tui::{Action, update};
use tui_support::*;

#[test]
fn selection_moves_clamps_and_pages() {
    let mut app = app_with(five(), 100, 30);
    assert_eq!(selected_rcpt(&app), "ann@example.org");
    update(&mut app, Action::SelectNext);
    update(&mut app, Action::SelectNext);
    assert_eq!(selected_rcpt(&app), "cy@example.org");
    update(&mut app, Action::SelectLast);
    assert_eq!(selected_rcpt(&app), "eve@example.org");
    update(&mut app, Action::SelectNext);
    assert_eq!(selected_rcpt(&app), "eve@example.org", "stays on the last row");
    update(&mut app, Action::PageUp);
    assert_eq!(selected_rcpt(&app), "ann@example.org");
    update(&mut app, Action::SelectPrevious);
    assert_eq!(app.selected, 0);
}

#[test]
fn list_scrolls_to_keep_the_selection_on_screen() {
    let many: Vec<_> = (1..=28)
        .map(|n| bounce(n, &format!("u{n:02}@example.org"), "5.1.1", Reason::UserUnknown, "s"))
        .collect();
    let mut app = app_with(many, 80, 10);
    // 10 rows: top bar, header, 7 list rows, bottom bar.
    update(&mut app, Action::SelectLast);
    assert_eq!(app.selected, 27);
    assert_eq!(app.list_offset, 21);
    update(&mut app, Action::SelectFirst);
    assert_eq!(app.list_offset, 0);
    update(&mut app, Action::HalfPageDown);
    assert_eq!(app.selected, 3);
}

#[test]
fn selection_follows_its_record_when_batches_arrive_and_sort_changes() {
    let mut app = app_with(five(), 100, 30);
    update(&mut app, Action::SelectRow(3));
    assert_eq!(selected_rcpt(&app), "dee@other.net");
    update(&mut app, Action::SortBy(SortKey::Recipient));
    update(&mut app, Action::ReverseSort);
    assert_eq!(shown(&app)[0], "eve@example.org");
    assert_eq!(selected_rcpt(&app), "dee@other.net");
    let late = vec![bounce(6, "aaron@example.org", "5.1.1", Reason::UserUnknown, "late")];
    update(&mut app, Action::BatchAnalysed { generation: 0, batch: late });
    assert_eq!(selected_rcpt(&app), "dee@other.net");
    assert_eq!(shown(&app).last().map(String::as_str), Some("aaron@example.org"));
}

#[test]
fn cycling_sort_visits_every_column() {
    let mut app = app_with(five(), 100, 30);
    let mut seen = vec![app.session.sort];
    for _ in 0..7 {
        update(&mut app, Action::CycleSort);
        seen.push(app.session.sort);
    }
    assert_eq!(seen.first(), seen.last(), "cycles back to the start");
    update(&mut app, Action::SortBy(SortKey::Code));
    assert_eq!(shown(&app)[0], "bob@example.com", "4.2.2 sorts first");
}

#[test]
fn filter_prompt_combines_and_one_key_clears() {
    let mut app = app_with(five(), 100, 30);
    update(&mut app, Action::StartFilter);
    type_text(&mut app, "5 @example.org");
    update(&mut app, Action::PromptSubmit);
    assert_eq!(shown(&app), ["ann@example.org", "cy@example.org", "eve@example.org"]);
    update(&mut app, Action::StartFilter);
    type_text(&mut app, "hard");
    update(&mut app, Action::PromptSubmit);
    assert_eq!(shown(&app), ["ann@example.org", "eve@example.org"]);
    update(&mut app, Action::StartFilter);
    type_text(&mut app, "x.7");
    update(&mut app, Action::PromptSubmit);
    assert!(shown(&app).is_empty(), "x.7 and hard userunknown exclude each other");
    update(&mut app, Action::ClearFilters);
    assert_eq!(shown(&app).len(), 5);
    assert!(app.session.filter.is_empty());
}

#[test]
fn a_bad_filter_word_is_reported_and_changes_nothing() {
    let mut app = app_with(five(), 100, 30);
    update(&mut app, Action::StartFilter);
    type_text(&mut app, "5.7 nonsense");
    update(&mut app, Action::PromptSubmit);
    assert_eq!(shown(&app).len(), 5);
    let status = app.status.as_ref().expect("a message");
    assert!(status.is_error && status.text.contains("nonsense"), "{status:?}");
}

#[test]
fn search_jumps_with_n_and_capital_n_and_wraps() {
    let mut app = app_with(five(), 100, 30);
    update(&mut app, Action::StartSearch);
    type_text(&mut app, "invoice");
    update(&mut app, Action::PromptSubmit);
    assert!(app.overlay.is_none());
    assert_eq!(selected_rcpt(&app), "ann@example.org");
    update(&mut app, Action::SearchNext);
    assert_eq!(selected_rcpt(&app), "cy@example.org");
    update(&mut app, Action::SearchNext);
    assert_eq!(selected_rcpt(&app), "eve@example.org");
    update(&mut app, Action::SearchNext);
    assert_eq!(selected_rcpt(&app), "ann@example.org", "wraps to the first match");
    update(&mut app, Action::SearchPrevious);
    assert_eq!(selected_rcpt(&app), "eve@example.org");
    assert!(app.status.as_ref().is_some_and(|s| s.text.contains("match 3 of 3")));
    assert_eq!(shown(&app).len(), 5, "a search hides nothing");
}

#[test]
fn summary_group_becomes_a_filter() {
    let mut app = app_with(five(), 100, 30);
    update(&mut app, Action::ToggleSummary);
    let Some(Overlay::Summary(s)) = &app.overlay else { panic!("summary not open") };
    assert_eq!(s.title, "code");
    assert_eq!((s.groups[0].label().as_str(), s.groups[0].count), ("5.1.1", 2));
    update(&mut app, Action::Open);
    assert!(app.overlay.is_none());
    assert_eq!(shown(&app), ["ann@example.org", "eve@example.org"]);

    update(&mut app, Action::ClearFilters);
    update(&mut app, Action::ToggleSummary);
    update(&mut app, Action::FocusNext); // reason
    update(&mut app, Action::FocusNext); // domain
    let Some(Overlay::Summary(s)) = &app.overlay else { panic!("summary not open") };
    assert_eq!(s.title, "recipient domain");
    assert_eq!(s.groups[0].label(), "example.org");
    update(&mut app, Action::SelectNext);
    update(&mut app, Action::Open);
    assert_eq!(shown(&app).len(), 1, "the second-largest domain");
}

#[test]
fn enter_tab_and_esc_move_between_views_and_panes() {
    let mut app = app_with(five(), 100, 30);
    update(&mut app, Action::Open);
    assert_eq!(app.view, View::Split);
    update(&mut app, Action::FocusNext);
    assert_eq!(app.focus, Pane::Hops);
    update(&mut app, Action::FocusNext);
    assert_eq!(app.focus, Pane::Diagnostic);
    // j scrolls the focused pane instead of moving the selection.
    update(&mut app, Action::SelectNext);
    assert_eq!(app.selected, 0);
    assert_eq!(app.pane_scroll[1], 1);
    update(&mut app, Action::Back);
    assert_eq!(app.view, View::List);
    assert_eq!(app.focus, Pane::List);
}

#[test]
fn raw_view_asks_the_runtime_and_shows_the_cleaned_result() {
    let mut app = app_with(five(), 100, 30);
    update(&mut app, Action::ToggleRaw);
    let load = app.effects.iter().find_map(|e| match e {
        Effect::LoadRaw { record, .. } => Some(*record),
        _ => None,
    });
    let Some(record) = load else { panic!("no load asked") };
    assert_eq!(app.raw, Some(Raw::Loading { record }));
    let bytes = b"Subject: \x1b]52;c;ZXZpbA==\x07hi\r\n\r\nbody".to_vec();
    update(&mut app, Action::RawLoaded { record, result: Ok(bytes) });
    let Some(Raw::Loaded { text, .. }) = &app.raw else { panic!("not loaded") };
    assert!(!text.chars().any(|c| rebound::text::is_unsafe(c) && c != '\n'), "{text:?}");
    // The raw view has the keys; back on the list, moving on asks for the next
    // message's bytes.
    update(&mut app, Action::FocusNext);
    assert_eq!(app.focus, Pane::List);
    app.effects.clear();
    update(&mut app, Action::SelectNext);
    assert!(
        app.effects.iter().any(|e| matches!(e, Effect::LoadRaw { record: r, .. } if *r != record))
    );
    update(&mut app, Action::ToggleRaw);
    assert!(app.raw.is_none());
}

#[test]
fn marks_export_and_stale_scan_results() {
    let mut app = app_with(five(), 100, 30);
    update(&mut app, Action::ToggleMark);
    update(&mut app, Action::ToggleMark);
    assert_eq!(app.selected, 2, "marking moves down");
    update(&mut app, Action::Export);
    assert!(
        app.status
            .as_ref()
            .is_some_and(|s| s.text.contains("export 2 marked rows, 2 of them shown"))
    );
    for _ in 0..rebound::tui::app::DEFAULT_EXPORT_NAME_LEN {
        update(&mut app, Action::PromptBackspace);
    }
    type_text(&mut app, "out.pdf");
    update(&mut app, Action::PromptSubmit);
    assert!(app.effects.is_empty(), "an unknown extension writes nothing");
    update(&mut app, Action::Export);
    update(&mut app, Action::PromptSubmit);
    assert_eq!(
        app.effects.pop(),
        Some(Effect::Export { path: "rebound-report.md".into(), overwrite: false })
    );

    update(&mut app, Action::Rescan);
    assert_eq!(app.effects.pop(), Some(Effect::Rescan { generation: 1 }));
    assert!(app.session.records().is_empty() && app.scan.running);
    // A batch from the cancelled scan is dropped; the new scan's is kept.
    update(&mut app, Action::BatchAnalysed { generation: 0, batch: five() });
    assert!(app.session.records().is_empty());
    update(&mut app, Action::BatchAnalysed { generation: 1, batch: five() });
    assert_eq!(app.session.records().len(), 5);
}

#[test]
fn clicks_select_rows_and_the_wheel_scrolls() {
    let mut app = app_with(five(), 100, 30);
    // Row 0 is the top bar, row 1 the header: row 4 is the third record.
    update(&mut app, Action::ClickAt { column: 10, row: 4 });
    assert_eq!(selected_rcpt(&app), "cy@example.org");
    update(&mut app, Action::ScrollAt { column: 10, row: 4, down: true });
    assert_eq!(selected_rcpt(&app), "eve@example.org");
    // A click on the "recipient" title sorts by it; a second click reverses.
    update(&mut app, Action::ClickAt { column: 14, row: 1 });
    assert_eq!(app.session.sort, SortKey::Recipient);
    assert!(!app.session.descending);
    update(&mut app, Action::ClickAt { column: 14, row: 1 });
    assert!(app.session.descending);
    assert_eq!(shown(&app)[0], "eve@example.org");
}

#[test]
fn a_failing_source_is_an_error_state_not_a_crash() {
    let mut app = app_with(vec![], 80, 24);
    update(
        &mut app,
        Action::SourceFatal { generation: 0, error: "cannot open x: gone\x1b[2J".into() },
    );
    let fatal = app.scan.fatal.clone().expect("fatal error kept");
    assert!(!fatal.contains('\x1b'));
    update(&mut app, Action::SelectNext);
    update(&mut app, Action::Open);
    assert_eq!(app.view, View::List, "nothing to open");
}

#[test]
fn a_standing_warning_is_repeated_when_the_scan_ends() {
    let mut app = app_with(five(), 100, 30);
    update(&mut app, Action::ScanFinished { generation: 0 });
    let plain = app.status.clone().expect("status");
    assert!(!plain.is_error && plain.text.starts_with("scan finished"), "{}", plain.text);

    app.warning = Some("your catalog file is ignored (x.toml line 3)".into());
    update(&mut app, Action::ScanFinished { generation: 0 });
    let warned = app.status.clone().expect("status");
    assert!(warned.is_error, "a warning is shown as one");
    assert!(warned.text.contains("scan finished") && warned.text.contains("x.toml line 3"));
}

/// An IMAP-found copy of a hand-made bounce, in folder INBOX under `uidvalidity`.
fn imap_bounce(n: usize, rcpt: &str, uidvalidity: u32) -> rebound::source::Analysed {
    let mut a = bounce(n, rcpt, "5.1.1", Reason::UserUnknown, "s");
    a.origin = rebound::source::Origin::Imap {
        account: "work".into(),
        folder: "INBOX".into(),
        uidvalidity,
        uid: n as u32,
    };
    a
}

#[test]
fn notices_are_not_failures_and_do_not_hide_the_end_of_the_scan() {
    let mut app = app_with(vec![], 100, 20);
    update(&mut app, Action::Rescan);
    let g = app.scan.generation;
    update(
        &mut app,
        Action::NoticeReported {
            generation: g,
            text: "the connection was lost; reconnecting".into(),
        },
    );
    update(&mut app, Action::ScanFinished { generation: g });
    assert!(app.scan.fatal.is_none() && app.scan.failures == 0);
    let status = app.status.clone().expect("a status line");
    assert!(status.text.starts_with("scan finished") && !status.is_error, "{status:?}");
    let text = screen(&app);
    assert!(!text.contains("Could not read the source"), "{text}");
    assert!(text.contains("No bounce messages"), "{text}");
}

#[test]
fn a_read_failure_is_counted_and_a_fatal_error_replaces_the_empty_list() {
    let mut app = app_with(vec![], 100, 20);
    update(&mut app, Action::Rescan);
    let g = app.scan.generation;
    update(&mut app, Action::ReadFailed { generation: g, error: "cannot read x: gone".into() });
    update(&mut app, Action::ScanFinished { generation: g });
    assert_eq!(app.scan.failures, 1);
    assert!(app.status.clone().unwrap().text.contains("1 messages could not be read"));
    update(&mut app, Action::Rescan);
    let g = app.scan.generation;
    update(&mut app, Action::SourceFatal { generation: g, error: "cannot connect".into() });
    update(&mut app, Action::ScanFinished { generation: g });
    assert!(screen(&app).contains("Could not read the source"));
}

#[test]
fn withdrawn_rows_leave_and_their_replacements_come_once() {
    let mut app = app_with(vec![], 100, 20);
    update(&mut app, Action::Rescan);
    let g = app.scan.generation;
    let old: Vec<_> = (1..=3).map(|n| imap_bounce(n, &format!("old{n}@example.org"), 7)).collect();
    let mut on_disk = bounce(9, "disk@example.org", "5.1.1", Reason::UserUnknown, "s");
    on_disk.report.recipients[0].hard = true;
    update(&mut app, Action::BatchAnalysed { generation: g, batch: old });
    update(&mut app, Action::BatchAnalysed { generation: g, batch: vec![on_disk] });
    update(&mut app, Action::SelectLast);
    let kept = selected_rcpt(&app);
    update(
        &mut app,
        Action::RecordsWithdrawn {
            generation: g,
            scope: rebound::source::Scope::ImapFolder {
                account: "work".into(),
                folder: "INBOX".into(),
                uidvalidity: 7,
            },
            reason: "INBOX: the server renumbered the folder".into(),
        },
    );
    assert_eq!(shown(&app), vec!["disk@example.org".to_string()]);
    assert_eq!(selected_rcpt(&app), kept, "the selection stays on a row that stays");
    assert_eq!(app.scan.kinds.hard, 1, "the hard count follows the rows");
    let new: Vec<_> = (1..=2).map(|n| imap_bounce(n, &format!("new{n}@example.org"), 8)).collect();
    update(&mut app, Action::BatchAnalysed { generation: g, batch: new });
    update(&mut app, Action::ScanFinished { generation: g });
    let mut rows = shown(&app);
    rows.sort();
    assert_eq!(rows, ["disk@example.org", "new1@example.org", "new2@example.org"]);
}

#[test]
fn an_existing_export_file_is_replaced_only_after_yes() {
    use rebound::tui::app::PromptKind;
    let mut app = app_with(five(), 100, 20);
    let path = std::path::PathBuf::from("out.md");
    update(&mut app, Action::ExportExists(path.clone()));
    let status = app.status.clone().unwrap();
    assert!(status.text.contains("overwrite it? y / n"), "{status:?}");
    assert!(!status.text.contains("--force"), "the screen has no --force: {status:?}");
    assert!(matches!(&app.overlay, Some(Overlay::Prompt(p)) if p.kind == PromptKind::Overwrite));
    // n (or Esc) keeps the file.
    update(&mut app, Action::Back);
    assert!(app.effects.is_empty() && app.overlay.is_none());
    assert!(app.status.clone().unwrap().text.contains("cancelled"));
    // y replaces it.
    update(&mut app, Action::ExportExists(path.clone()));
    update(&mut app, Action::ConfirmOverwrite);
    assert_eq!(app.effects.pop(), Some(Effect::Export { path, overwrite: true }));
    assert!(app.overlay.is_none());
}
