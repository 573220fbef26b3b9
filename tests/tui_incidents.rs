//! Issue #15's workflow: incidents (grouping, the view, Enter, the ticket), live
//! arrivals marked new in their incidents, and triage states that last.

mod tui_support;

use rebound::bounce::Reason;
use rebound::session::{Book, State};
use rebound::source::{Analysed, Origin};
use rebound::tui::app::{Effect, Overlay, View};
use rebound::tui::{Action, App, update};
use tui_support::*;

/// `n` copies of one blocklist refusal from Gmail, each for another recipient and
/// naming another of our IPs, over three days; and two mailbox-full delays.
fn blocklisted(n: usize) -> Vec<Analysed> {
    let mut out = Vec::new();
    for i in 0..n {
        let mut a = bounce(
            i % 3 + 1,
            &format!("user{i}@dest{}.example", i % 4),
            "5.7.1",
            Reason::Blocked,
            "News",
        );
        let r = &mut a.report.recipients[0];
        r.reply_code = Some(550);
        r.diagnostic = format!(
            "smtp; 550 5.7.1 Service unavailable; client [192.0.2.{}] blocked using Spamhaus; \
             id {}AB{}",
            i % 2 + 1,
            1000 + i,
            i
        );
        r.remote_mta = Some("gmail-smtp-in.l.google.com".into());
        r.hard = false;
        a.origin = Origin::File { path: format!("block-{i}.eml").into(), message: 1 };
        out.push(a);
    }
    for i in 0..2 {
        let mut a =
            bounce(5, &format!("full{i}@other.example"), "4.2.2", Reason::MailboxFull, "News");
        a.origin = Origin::File { path: format!("full-{i}.eml").into(), message: 1 };
        out.push(a);
    }
    out
}

#[test]
fn copies_of_one_refusal_are_one_incident_with_its_facts() {
    let mut app = app_with(blocklisted(30), 120, 40);
    update(&mut app, Action::ToggleIncidents);
    assert_eq!(app.view, View::Incidents);
    let incidents = app.session.incidents_now();
    let first = incidents.get(app.incidents.order[0]).expect("an incident");
    assert_eq!(first.count(), 30, "{:?}", first.key);
    assert_eq!(first.key.org, "gmail");
    assert_eq!(first.key.code, "5.7.1");
    assert!(
        first.key.template.contains("client [<ip>] blocked using Spamhaus"),
        "{}",
        first.key.template
    );
    assert_eq!(first.recipients(), 30);
    assert_eq!(first.domains.len(), 4);
    let ips: Vec<&str> = first.ips.keys().map(String::as_str).collect();
    assert_eq!(ips, ["192.0.2.1", "192.0.2.2"], "our sending IPs named in the replies");
    assert_eq!(first.day_counts(14), [10, 10, 10], "a count per day");
    let text = screen(&app);
    assert!(
        text.contains("gmail") && text.contains("30 rcpt") && text.contains("Our IPs"),
        "{text}"
    );
    insta::assert_snapshot!(text);
}

#[test]
fn enter_filters_the_list_to_the_incident_and_w_writes_a_ticket() {
    let mut app = app_with(blocklisted(12), 120, 40);
    update(&mut app, Action::ToggleIncidents);
    update(&mut app, Action::StartTicket);
    let Some(Overlay::Prompt(p)) = &app.overlay else { panic!("ticket prompt") };
    assert_eq!(p.input(), "incident-gmail-5_7_1.md");
    update(&mut app, Action::PromptSubmit);
    let ticket = app.effects.iter().find_map(|e| match e {
        Effect::WriteNew { text, .. } => Some(text.clone()),
        _ => None,
    });
    let ticket = ticket.expect("a ticket to write");
    for part in [
        "# Bounce incident: gmail 5.7.1 (12 failures)",
        "client [<ip>] blocked using Spamhaus",
        "Sample reply",
        "distinct recipients: 12",
        "192.0.2.1",
        "## Verdict and advice",
    ] {
        assert!(ticket.contains(part), "{part} missing from:\n{ticket}");
    }
    update(&mut app, Action::Open);
    assert_eq!(app.view, View::List);
    assert_eq!(shown(&app).len(), 12);
    assert!(shown(&app).iter().all(|r| r.starts_with("user")));
    assert!(screen(&app).contains("[incident gmail 5.7.1]"), "{}", screen(&app));
}

#[test]
fn bounces_arriving_while_watching_are_new_and_join_their_incident() {
    let mut app = app_with(blocklisted(5), 120, 40);
    update(&mut app, Action::ToggleIncidents);
    let mut late = blocklisted(7);
    late.drain(..5);
    late.truncate(2);
    for (i, a) in late.iter_mut().enumerate() {
        a.origin = Origin::File { path: format!("late-{i}.eml").into(), message: 1 };
    }
    update(&mut app, Action::BatchAnalysed { generation: 0, batch: late });
    let first = app.session.incidents_now().get(app.incidents.order[0]).expect("incident");
    assert_eq!((first.count(), first.live), (7, 2));
    assert!(screen(&app).contains("+2 new"), "{}", screen(&app));
    assert!(app.status.as_ref().is_some_and(|s| s.text.contains("2 new bounces while watching")));
    update(&mut app, Action::Back);
    let text = screen(&app);
    assert_eq!(text.matches("\n +").count() + text.matches("\n>+").count(), 2, "{text}");
}

fn imap_bounce(uidvalidity: u32, uid: u32, who: &str) -> Analysed {
    let mut a = bounce(1, who, "5.1.1", Reason::UserUnknown, "s");
    a.origin = Origin::Imap { account: "work".into(), folder: "INBOX".into(), uidvalidity, uid };
    a
}

#[test]
fn triage_states_last_across_restarts_and_renumbered_folders() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("triage.json");
    let open = |batch: Vec<Analysed>| {
        let mut app = App::new("imap", rebound::tui::Theme::monochrome());
        app.session.book = Book::open(&path).0;
        update(&mut app, Action::Resize { width: 100, height: 30 });
        update(&mut app, Action::BatchAnalysed { generation: 0, batch });
        update(&mut app, Action::ScanFinished { generation: 0 });
        app
    };
    let batch = || {
        vec![
            imap_bounce(7, 1, "ann@example.org"),
            imap_bounce(7, 2, "bob@example.org"),
            imap_bounce(7, 3, "cy@example.org"),
        ]
    };
    let mut app = open(batch());
    update(&mut app, Action::SetState(State::Handled));
    update(&mut app, Action::SelectNext);
    update(&mut app, Action::SetState(State::Ticketed));
    assert!(app.effects.contains(&Effect::SaveTriage));
    app.session.book.save().expect("saved");
    // Only the unhandled are left when asked.
    update(&mut app, Action::StartFilter);
    type_text(&mut app, "unhandled");
    update(&mut app, Action::PromptSubmit);
    assert_eq!(shown(&app), ["cy@example.org"]);

    // A restart: the same messages, the same states.
    let app = open(batch());
    let states: Vec<State> = (0..3).map(|i| app.session.state(i)).collect();
    assert_eq!(states, [State::Handled, State::Ticketed, State::New]);
    // The server renumbered the folder: new UIDVALIDITY and UIDs, same messages.
    let renumbered =
        vec![imap_bounce(9, 11, "ann@example.org"), imap_bounce(9, 12, "bob@example.org")];
    let app = open(renumbered);
    assert_eq!(app.session.state(0), State::Handled);
    assert_eq!(app.session.state(1), State::Ticketed);
    assert!(screen(&app).contains('✓'), "handled rows say so");
}
