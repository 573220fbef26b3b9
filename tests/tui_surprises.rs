//! Issue #15's surprises, each driven through `update` (and drawn where the fix is
//! what the screen shows): marks, filters, search, the cursor, going back, the raw
//! view's keys, prompt editing, the 80x24 split view, scroll marks, the top bar, hops,
//! columns, the summary and the way back to the message.

mod tui_support;

use rebound::bounce::{Hop, Reason};
use rebound::session::SortKey;
use rebound::source::Origin;
use rebound::tui::app::{Effect, Job, Overlay, Pane, PromptKind, Raw, View};
use rebound::tui::edit::Edit;
use rebound::tui::{Action, App, Theme, update};
use tui_support::*;

fn status(app: &App) -> String {
    app.status.as_ref().map(|s| s.text.clone()).unwrap_or_default()
}

fn filter(app: &mut App, words: &str) {
    update(app, Action::StartFilter);
    type_text(app, words);
    update(app, Action::PromptSubmit);
}

/// Row `y` of the screen as text.
fn row(app: &App, y: u16) -> String {
    let buf = draw(app);
    (0..buf.area.width).map(|x| buf[(x, y)].symbol().to_string()).collect()
}

#[test]
fn marks_are_counted_said_at_export_kept_across_a_rescan_and_cleared() {
    let mut app = app_with(five(), 120, 30);
    update(&mut app, Action::ToggleMark); // ann
    update(&mut app, Action::ToggleMark); // bob
    assert!(screen(&app).lines().next().unwrap_or("").contains("2 marked"), "{}", screen(&app));
    // Filter to the three others: the export prompt says the marked rows are hidden.
    filter(&mut app, "@example.org !5.1.1|4.2.2");
    assert_eq!(shown(&app), ["cy@example.org"]);
    update(&mut app, Action::Export);
    let said = status(&app);
    assert!(said.contains("2 marked rows, 0 of them shown"), "{said}");
    assert!(screen(&app).contains("2 marked rows, 0 of them shown"), "the prompt line says it too");
    update(&mut app, Action::Back);
    // A rescan brings the same messages back: their marks come back with them.
    update(&mut app, Action::Rescan);
    assert!(app.session.marked.is_empty());
    update(&mut app, Action::BatchAnalysed { generation: 1, batch: five() });
    let marked: Vec<String> = app
        .session
        .marked
        .iter()
        .map(|&i| app.session.records()[i].recipient().recipient.clone())
        .collect();
    assert_eq!(marked, ["ann@example.org", "bob@example.com"]);
    update(&mut app, Action::ClearMarks);
    assert!(app.session.marked.is_empty());
    assert_eq!(status(&app), "2 marks cleared");
}

#[test]
fn reply_codes_mta_suffixes_providers_negation_and_alternatives_filter() {
    let mut batch = five();
    batch[0].report.recipients[0].reply_code = Some(550);
    batch[2].report.recipients[0].reply_code = Some(550);
    batch[2].report.recipients[0].remote_mta =
        Some("dns; am6pr01.mail.protection.outlook.com".into());
    batch[3].report.recipients[0].remote_mta = Some("gmail-smtp-in.l.google.com".into());
    let mut app = app_with(batch, 120, 30);
    filter(&mut app, "550");
    assert_eq!(
        shown(&app),
        ["ann@example.org", "cy@example.org"],
        "550 matches records with a status too"
    );
    update(&mut app, Action::ClearFilters);
    filter(&mut app, "mta:outlook.com");
    assert_eq!(shown(&app), ["cy@example.org"], "the remote MTA, by domain suffix");
    update(&mut app, Action::ClearFilters);
    filter(&mut app, "provider:gmail");
    assert_eq!(shown(&app), ["dee@other.net"]);
    update(&mut app, Action::ClearFilters);
    filter(&mut app, "!hard");
    assert!(shown(&app).iter().all(|r| r != "ann@example.org"));
    update(&mut app, Action::ClearFilters);
    filter(&mut app, "mailboxfull|authfailure");
    assert_eq!(shown(&app), ["bob@example.com", "dee@other.net"]);
    update(&mut app, Action::ClearFilters);
    filter(&mut app, "hard soft");
    let said = status(&app);
    assert!(
        said.contains("contradicts") && app.status.as_ref().is_some_and(|s| s.is_error),
        "{said}"
    );
    assert_eq!(shown(&app).len(), 5, "a refused filter changes nothing");
}

#[test]
fn search_finds_every_shown_column_and_highlights_the_match() {
    let mut app = app_with(five(), 120, 30);
    for (query, who) in [
        ("4.2.2", "bob@example.com"),
        ("mailboxfull", "bob@example.com"),
        ("2026-11-04", "dee@other.net"),
    ] {
        update(&mut app, Action::StartSearch);
        type_text(&mut app, query);
        update(&mut app, Action::PromptSubmit);
        assert_eq!(selected_rcpt(&app), who, "/{query}: {}", status(&app));
    }
    // The matched text is drawn in the search style (underlined without colour).
    let buf = draw(&app);
    let y = 2 + app.selected as u16;
    let text = row(&app, y);
    let at = text.find("2026-11-04").expect("date on the row");
    let x = text[..at].chars().count() as u16;
    assert!(buf[(x, y)].modifier.contains(ratatui::style::Modifier::UNDERLINED), "{text}");
}

#[test]
fn the_cursor_shows_without_colour_and_in_every_preset() {
    let mut app = app_with(five(), 100, 12);
    update(&mut app, Action::SelectRow(2));
    assert!(row(&app, 4).starts_with('>'), "gutter marker: {}", row(&app, 4));
    assert!(!row(&app, 3).starts_with('>'));
    for name in Theme::NAMES {
        app.theme = Theme::named(name).expect("a preset");
        let buf = draw(&app);
        let cell = &buf[(20, 4)];
        let reversed = cell.modifier.contains(ratatui::style::Modifier::REVERSED);
        let banded =
            cell.bg != ratatui::style::Color::Reset && cell.bg != ratatui::style::Color::DarkGray;
        assert!(reversed || banded, "{name}: the selected row must stand out ({cell:?})");
    }
    assert!(Theme::named("nonsense").is_none());
}

#[test]
fn the_summary_bar_stays_visible_on_the_selected_row_in_every_preset() {
    use ratatui::style::{Color, Modifier};
    let mut app = app_with(five(), 100, 24);
    update(&mut app, Action::ToggleSummary);
    for name in Theme::NAMES {
        app.theme = Theme::named(name).expect("a preset");
        let bar = app.theme.delay_bar;
        let buf = draw(&app);
        // The first group is selected and the largest: its bar is the longest.
        let y = (0..buf.area.height)
            .find(|&y| (0..buf.area.width).any(|x| buf[(x, y)].symbol() == "█"))
            .expect("a bar");
        let cells: Vec<&ratatui::buffer::Cell> =
            (0..buf.area.width).map(|x| &buf[(x, y)]).collect();
        let blocks: Vec<_> = cells.iter().filter(|c| c.symbol() == "█").collect();
        for c in &blocks {
            // Reverse video draws a full block in the background colour: gone.
            assert!(!c.modifier.contains(Modifier::REVERSED), "{name}: bar reversed ({c:?})");
            assert_eq!(c.fg, bar.fg.unwrap_or(Color::Reset), "{name}: bar colour ({c:?})");
        }
        // The row still shows it is the selected one, on its name.
        let top = (0..buf.area.height).find(|&y| row(&app, y).contains("summary by")).expect("box");
        let left = (0..buf.area.width).find(|&x| buf[(x, top)].symbol() == "┌").expect("corner");
        let name_cell = cells[left as usize + 1];
        let reversed = name_cell.modifier.contains(Modifier::REVERSED);
        let banded = name_cell.bg != Color::Reset && name_cell.bg != Color::DarkGray;
        assert!(reversed || banded, "{name}: the selected group must stand out ({name_cell:?})");
    }
}

#[test]
fn q_and_esc_go_back_one_level_and_q_on_the_list_quits() {
    let mut app = app_with(five(), 100, 30);
    update(&mut app, Action::Open);
    update(&mut app, Action::ToggleRaw);
    assert!(app.raw.is_some());
    update(&mut app, Action::QuitOrBack);
    assert!(app.raw.is_none() && app.view == View::Split && !app.quit);
    update(&mut app, Action::QuitOrBack);
    assert!(app.view == View::List && !app.quit);
    update(&mut app, Action::ToggleHelp);
    update(&mut app, Action::QuitOrBack);
    assert!(app.overlay.is_none() && !app.quit);
    update(&mut app, Action::QuitOrBack);
    assert!(app.quit);
}

#[test]
fn the_raw_view_takes_g_and_pgdn_for_itself() {
    let mut app = app_with(five(), 100, 40);
    update(&mut app, Action::ToggleRaw);
    let Some(Raw::Loading { record }) = app.raw.clone() else { panic!("loading") };
    let text: String = (1..=300).map(|n| format!("line {n}\n")).collect();
    update(&mut app, Action::RawLoaded { record, result: Ok(text.into_bytes()) });
    assert_eq!(app.focus, Pane::Hops, "opening the raw view gives it the keys");
    let selected = app.selected;
    update(&mut app, Action::SelectLast);
    assert_eq!(app.selected, selected, "G does not move the list");
    assert!(app.raw_scroll > 250, "G goes to the end of the message: {}", app.raw_scroll);
    update(&mut app, Action::SelectFirst);
    assert_eq!(app.raw_scroll, 0);
    update(&mut app, Action::PageDown);
    assert!(app.raw_scroll > 10, "PgDn moves a screenful, not 10 lines: {}", app.raw_scroll);
    assert!(screen(&app).contains("▼ more"), "{}", screen(&app));
}

#[test]
fn prompts_edit_like_a_shell_and_remember() {
    let mut app = app_with(five(), 100, 30);
    update(&mut app, Action::Export);
    update(&mut app, Action::PromptEdit(Edit::KillToStart));
    type_text(&mut app, "~/out.csv");
    update(&mut app, Action::PromptEdit(Edit::Home));
    update(&mut app, Action::PromptEdit(Edit::Right));
    update(&mut app, Action::PromptEdit(Edit::Right));
    type_text(&mut app, "x");
    update(&mut app, Action::PromptEdit(Edit::Backspace));
    update(&mut app, Action::PromptSubmit);
    let home = std::env::var("HOME").unwrap_or_default();
    let path = app.effects.iter().find_map(|e| match e {
        Effect::Export { path, .. } => Some(path.display().to_string()),
        _ => None,
    });
    assert_eq!(path, Some(format!("{home}/out.csv")), "~ is the home directory");
    filter(&mut app, "hard");
    update(&mut app, Action::ClearFilters);
    update(&mut app, Action::StartFilter);
    update(&mut app, Action::PromptEdit(Edit::HistoryPrevious));
    let Some(Overlay::Prompt(p)) = &app.overlay else { panic!("prompt open") };
    assert_eq!(p.input(), "hard");
    update(&mut app, Action::PromptEdit(Edit::KillWord));
    let Some(Overlay::Prompt(p)) = &app.overlay else { panic!("prompt open") };
    assert_eq!(p.input(), "");
}

#[test]
fn split_view_at_80x24_shows_verdict_reply_and_advice_first() {
    let mut app = app_with(analysed(&["maildir/bsd/rfc3464-61.eml"]), 80, 24);
    update(&mut app, Action::Open);
    let text = screen(&app);
    for field in ["Verdict", "Remote reply", "Advice"] {
        assert!(text.contains(field), "{field} must be above the fold:\n{text}");
    }
    insta::assert_snapshot!(text);
}

#[test]
fn the_verdict_wraps_under_its_value_like_every_other_field() {
    let moved = bounce(1, "ann@example.org", "5.1.6", Reason::HasMoved, "Invoice 1");
    let mut app = app_with(vec![moved], 80, 24);
    update(&mut app, Action::Open);
    let text = screen(&app);
    let lines: Vec<&str> = text.lines().collect();
    let at = lines.iter().position(|l| l.contains("│Verdict ")).expect("the verdict line");
    let value = lines[at].chars().position(|c| c == 'h').expect("its value");
    let next = lines[at + 1];
    let starts = next.chars().skip(1).position(|c| c != ' ').map(|p| p + 1);
    assert!(next.contains("forwarding"), "the verdict wraps at 80 columns:\n{text}");
    assert_eq!(starts, Some(value), "continued under the value:\n{}\n{next}", lines[at]);
}

#[test]
fn help_scrolls_on_a_small_screen() {
    let mut app = app_with(five(), 60, 20);
    update(&mut app, Action::ToggleHelp);
    assert!(screen(&app).contains("▼ more"), "{}", screen(&app));
    update(&mut app, Action::SelectLast);
    let text = screen(&app);
    assert!(text.contains("mouse") && text.contains("▲"), "{text}");
    assert!(text.contains("a title sorts") && !text.contains("▼ more"), "the end: {text}");
    update(&mut app, Action::Back);
    assert!(app.overlay.is_none());
}

/// The help at `width` x `height`, scrolled through to its end: every row it showed.
fn whole_help(width: u16, height: u16) -> String {
    let mut app = app_with(five(), width, height);
    update(&mut app, Action::ToggleHelp);
    let mut seen = screen(&app);
    for _ in 0..60 {
        update(&mut app, Action::SelectNext);
        seen.push_str(&screen(&app));
    }
    seen
}

#[test]
fn help_entries_are_never_cut() {
    // Wide enough: one row per entry. 80 columns: long entries wrap under their
    // description. 60x20: wrapped and scrolled.
    for (width, height) in [(120, 40), (80, 40), (60, 20)] {
        let help = whole_help(width, height);
        let flat = help.replace('│', " ").split_whitespace().collect::<Vec<_>>().join(" ");
        for end in [
            "filter by it",
            "(marked rows or this one)",
            "a title sorts",
            "↑ ↓ history",
            "(OSC 52, if enabled)",
        ] {
            assert!(flat.contains(end), "{width}x{height}: help lacks '{end}':\n{help}");
        }
    }
    // On 120 columns nothing wraps: the triage entry is one line.
    let help = whole_help(120, 40);
    assert!(help.contains("back to new (marked rows or this one)"), "{help}");
    // On 80 a wrapped entry continues under its description, not under the keys.
    let help = whole_help(80, 40);
    let desc = help.lines().find(|l| l.contains("H T U")).expect("triage entry");
    let column = desc.replace("triage", "\0").chars().position(|c| c == '\0');
    let next = help.lines().skip_while(|l| !l.contains("H T U")).nth(1).expect("continuation");
    let text = next.chars().position(|c| c.is_alphanumeric() || c == '(');
    assert_eq!(text, column, "continuation under the description:\n{desc}\n{next}");
}

#[test]
fn the_top_bar_counts_by_kind_cuts_the_path_from_the_left_and_keeps_the_chips() {
    let mut batch = five();
    batch[1].report.kind = Some(rebound::bounce::Kind::Delay);
    batch[1].report.recipients[0].action = Some("delayed".into());
    let mut app = App::new("/home/postmaster/Maildir/.Bounces.2026", Theme::monochrome());
    update(&mut app, Action::Resize { width: 80, height: 24 });
    update(&mut app, Action::BatchAnalysed { generation: 0, batch });
    filter(&mut app, "@example.org 5");
    let top = screen(&app).lines().next().unwrap_or("").to_string();
    assert!(top.contains(" 5 records ") && !top.contains("reports"), "records: {top}");
    assert!(top.contains("1 delay"), "{top}");
    assert!(!top.contains("4 soft"), "a delay is not a soft bounce: {top}");
    assert!(top.contains("[@example.org]") && top.contains("[5.x.x]"), "chips fit at 80: {top}");
    assert!(top.contains("….Bounces.2026") || !top.contains("/home"), "cut from the left: {top}");
}

fn hop(by: &str, secs: i64, with: &str) -> Hop {
    let time = chrono::DateTime::parse_from_rfc3339("2026-11-01T10:00:00+00:00").expect("time")
        + chrono::Duration::seconds(secs);
    Hop {
        from: Some("a.example".into()),
        by: Some(by.into()),
        with: Some(with.into()),
        time: Some(time),
        raw: format!("from a.example by {by}"),
        ..Hop::default()
    }
}

#[test]
fn hops_show_zone_skew_as_skew_and_unreadable_lines_as_written() {
    let mut batch = five();
    let mut hops = vec![hop("one.example", 0, "ESMTPSA"), hop("two.example", 2, "ESMTPSA")];
    let mut skewed = hop("three.example", 9 * 3600 + 2, "ESMTPS");
    skewed.delay_secs = Some(9 * 3600);
    hops[1].delay_secs = Some(2);
    hops.push(skewed);
    hops.push(Hop { raw: "from [garbled] weird header".into(), ..Hop::default() });
    batch[0].report.hops = hops;
    let mut app = app_with(batch, 200, 50);
    update(&mut app, Action::Open);
    let text = screen(&app);
    assert!(text.contains("skew"), "{text}");
    assert!(text.contains("total transit +2s"), "the skew is left out of the total:\n{text}");
    assert!(text.contains("from [garbled] weird header"), "{text}");
    assert!(text.contains("ESMTPSA"), "with is not cut at 200 columns:\n{text}");
}

#[test]
fn columns_keep_the_recipient_domain_and_wide_screens_add_the_diagnostic() {
    let long = bounce(
        1,
        "a.very.long.local.part.indeed@customer-domain.example",
        "5.1.1",
        Reason::UserUnknown,
        "s",
    );
    let app = app_with(vec![long.clone()], 80, 10);
    assert!(screen(&app).contains("@customer-domain.example"), "{}", screen(&app));
    let wide = app_with(vec![long], 200, 10);
    let text = screen(&wide);
    assert!(text.contains("diagnostic") && text.contains("550 5.1.1"), "{text}");
}

#[test]
fn the_summary_titles_codes_and_groups_by_organisation() {
    let mut batch = five();
    for (i, host) in ["am6pr01.mail.protection.outlook.com", "db9pr02.mail.protection.outlook.com"]
        .iter()
        .enumerate()
    {
        batch[i].report.recipients[0].remote_mta = Some(host.to_string());
    }
    let mut app = app_with(batch, 120, 30);
    update(&mut app, Action::ToggleSummary);
    let codes = screen(&app);
    assert!(codes.to_lowercase().contains("5.1.1 bad destination mailbox"), "{codes}");
    for _ in 0..3 {
        update(&mut app, Action::NextSummaryGroup);
    }
    let Some(Overlay::Summary(s)) = &app.overlay else { panic!("summary open") };
    assert_eq!(s.title, "organisation");
    let groups: Vec<(String, usize)> = s.groups.iter().map(|g| (g.label(), g.count)).collect();
    // Two Exchange Online servers are one provider; mx0..mx2.example.net one organisation.
    assert_eq!(groups, [("example.net".to_string(), 3), ("exchange-online".to_string(), 2)]);
}

#[test]
fn the_message_is_found_again_and_nothing_writes_to_the_mailbox() {
    let mut app = app_with(five(), 120, 40);
    update(&mut app, Action::Open);
    assert!(screen(&app).contains("msg-1.eml"), "the split view says where the message is");
    update(&mut app, Action::OpenPager);
    let origin = Origin::File { path: "msg-1.eml".into(), message: 1 };
    assert!(app.effects.contains(&Effect::Fetch { origin: origin.clone(), job: Job::Pager }));
    update(&mut app, Action::StartPipe);
    type_text(&mut app, "grep -c Received");
    update(&mut app, Action::PromptSubmit);
    assert!(app.effects.contains(&Effect::Fetch {
        origin: origin.clone(),
        job: Job::Pipe("grep -c Received".into())
    }));
    update(&mut app, Action::StartSave);
    let Some(Overlay::Prompt(p)) = &app.overlay else { panic!("save prompt") };
    assert_eq!((p.kind, p.input()), (PromptKind::Save, "bounce-msg-1.eml"));
    update(&mut app, Action::Back);
    app.effects.clear();
    update(&mut app, Action::Copy { diagnostic: false });
    assert!(app.effects.is_empty() && status(&app).contains("copy_osc52"), "off by default");
    app.osc52 = true;
    update(&mut app, Action::Copy { diagnostic: false });
    assert_eq!(app.effects, [Effect::Copy("ann@example.org".into())]);
    let bytes = std::sync::Arc::new(b"raw".to_vec());
    update(&mut app, Action::MessageFetched { job: Job::Pager, result: Ok(bytes.clone()) });
    assert!(app.effects.contains(&Effect::Deliver { job: Job::Pager, bytes }));
}

#[test]
fn nothing_read_is_not_called_an_empty_mailbox() {
    let mut app = app_with(vec![], 80, 12);
    update(
        &mut app,
        Action::ReadFailed {
            generation: 0,
            error: "cannot read /no/such: No such file or directory (os error 2)".into(),
        },
    );
    update(&mut app, Action::ScanFinished { generation: 0 });
    let text = screen(&app);
    assert!(
        text.contains("Nothing could be read") && !text.contains("No bounce messages"),
        "{text}"
    );
}

#[test]
fn sorting_still_keys_on_the_columns() {
    let mut app = app_with(five(), 100, 30);
    update(&mut app, Action::SortBy(SortKey::Domain));
    assert_eq!(shown(&app)[0], "bob@example.com");
}
