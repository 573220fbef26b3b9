//! Faults and big messages against a real Dovecot: a session process killed in the
//! middle of a scan, resuming from the cache, and bounces too big to fetch whole.

#![cfg(feature = "imap")]

mod support;

use std::collections::{BTreeMap, BTreeSet};

use rebound::bounce::analyze;
use rebound::config::Tls;
use rebound::source::imap::{ImapOptions, ImapSource, ImapStats};
use rebound::source::{Origin, SourceEvent};
use support::compare::{by_file, offline, uid};
use support::dovecot::{Dovecot, Options};
use support::mail::{self, Stored};
use support::run::{run, run_with};
use support::servers::{self, Need};

fn small_server() -> (Dovecot, Vec<Stored>) {
    let server = Dovecot::start(Options::default());
    let mut stored = Vec::new();
    let corpus = mail::corpus_bounces();
    for (i, (label, bytes)) in corpus.into_iter().step_by(4).take(120).enumerate() {
        let base = format!("1700000000.M{i}P1.rebound{i:06}");
        mail::deliver(&server, &base, &bytes, i % 2 == 0);
        stored.push(Stored { base, bytes, seen: i % 2 == 0, label });
        let base = format!("1700000000.M{i}P2.rebound{i:06}o");
        let plain = mail::ordinary(i);
        mail::deliver(&server, &base, &plain, false);
        stored.push(Stored { base, bytes: plain, seen: false, label: "generated".into() });
    }
    (server, stored)
}

fn options(cache: &std::path::Path, max_reconnects: u32) -> ImapOptions {
    ImapOptions {
        cache_dir: Some(cache.to_path_buf()),
        header_batch: 40,
        max_reconnects,
        ..ImapOptions::default()
    }
}

/// Kill the server's session process after the second batch of progress.
fn killer(server: &Dovecot) -> impl FnMut(&SourceEvent) + '_ {
    let mut progress = 0;
    move |e| {
        if matches!(e, SourceEvent::Progress(_)) {
            progress += 1;
            if progress == 3 {
                assert!(server.kill_sessions() > 0, "no imap session process to kill");
            }
        }
    }
}

#[test]
fn killed_session_gives_a_clear_error_and_the_rerun_resumes() {
    if !servers::have(Need::Dovecot) {
        return;
    }
    let (server, stored) = small_server();
    let cache = tempfile::tempdir().unwrap();
    let mut first =
        ImapSource::with_options(server.account(Tls::Implicit), options(cache.path(), 0));
    let out1 = run_with(&mut first, killer(&server));
    assert!(out1.finished);
    assert_eq!(out1.failures.len(), 1, "{:?}", out1.failures);
    assert!(
        out1.failures[0].contains("connection") && out1.failures[0].contains("lost"),
        "{}",
        out1.failures[0]
    );
    let examined1 = out1.last_progress.expect("progress").examined;
    assert!(examined1 > 0 && examined1 < stored.len(), "stopped part-way: {examined1}");

    let mut second =
        ImapSource::with_options(server.account(Tls::Implicit), options(cache.path(), 0));
    let stats = second.stats();
    let out2 = run(&mut second);
    assert!(out2.failures.is_empty(), "{:?}", out2.failures);
    assert_eq!(
        ImapStats::get(&stats.headers_fetched) as usize,
        stored.len() - examined1,
        "the rerun reads only what the first run had not finished"
    );
    let uids: Vec<u32> = out2.reports.iter().map(|a| uid(&a.origin)).collect();
    let unique: BTreeSet<u32> = uids.iter().copied().collect();
    assert_eq!(uids.len(), unique.len(), "a bounce was listed twice");
    assert_eq!(by_file(&server, &out2.reports), offline(&stored));
}

#[test]
fn killed_session_is_replaced_within_the_run() {
    if !servers::have(Need::Dovecot) {
        return;
    }
    let (server, stored) = small_server();
    let cache = tempfile::tempdir().unwrap();
    let mut source =
        ImapSource::with_options(server.account(Tls::Starttls), options(cache.path(), 3));
    let stats = source.stats();
    let out = run_with(&mut source, killer(&server));
    // A reconnect that carries on loses nothing: a notice, not a failure.
    assert!(out.failures.is_empty(), "{:?}", out.failures);
    assert_eq!(out.notices.len(), 1, "{:?}", out.notices);
    assert!(out.notices[0].contains("lost"), "{:?}", out.notices);
    assert_eq!(ImapStats::get(&stats.connections), 2);
    let uids: Vec<u32> = out.reports.iter().map(|a| uid(&a.origin)).collect();
    assert_eq!(uids.len(), uids.iter().collect::<BTreeSet<_>>().len(), "a bounce was listed twice");
    assert_eq!(by_file(&server, &out.reports), offline(&stored));
    assert_eq!(out.last_progress.expect("progress").examined, stored.len());
}

#[test]
fn uidvalidity_change_mid_scan_equals_one_clean_read() {
    let (server, stored) = small_server();
    let cache = tempfile::tempdir().unwrap();
    let mut source =
        ImapSource::with_options(server.account(Tls::Implicit), options(cache.path(), 3));
    // What `report` and the screen hold: a Session fed every event.
    let mut session = rebound::session::Session::new();
    let mut progress = 0;
    let mut new_validity = 0;
    let out = run_with(&mut source, |e| match e {
        SourceEvent::Progress(_) => {
            progress += 1;
            if progress == 3 {
                new_validity = server.renumber(1000);
            }
        }
        SourceEvent::BatchAnalysed(batch) => session.extend(batch.clone()),
        SourceEvent::Withdrawn { scope, .. } => {
            session.withdraw(|o| scope.covers(o));
        }
        _ => {}
    });
    assert!(out.failures.is_empty(), "{:?}", out.failures);
    assert_eq!(out.withdrawn.len(), 1, "{:?}", out.withdrawn);
    assert!(out.withdrawn[0].contains("renumbered"), "{}", out.withdrawn[0]);
    assert!(out.sent > out.reports.len(), "reports were sent before the renumbering");
    // Every report kept is numbered by the new UIDVALIDITY, once each.
    for a in &out.reports {
        assert!(
            matches!(&a.origin, Origin::Imap { uidvalidity, uid, .. }
                if *uidvalidity == new_validity && *uid > 1000),
            "{:?}",
            a.origin
        );
    }
    let uids: Vec<u32> = out.reports.iter().map(|a| uid(&a.origin)).collect();
    assert_eq!(uids.len(), uids.iter().collect::<BTreeSet<_>>().len(), "a bounce was listed twice");
    let clean = offline(&stored);
    assert_eq!(out.reports.len(), clean.len(), "not one clean read");
    assert_eq!(by_file(&server, &out.reports), clean);
    // The session (report, screen) equals the same clean read, row for row.
    let rows: usize = out.reports.iter().map(|a| a.report.recipients.len().max(1)).sum();
    assert_eq!(session.records().len(), rows);
    assert_eq!(out.last_progress.expect("progress").examined, stored.len());
}

/// A DSN returning a 6 MB message: only its report parts should travel.
fn huge_bounce() -> Vec<u8> {
    let blob: String = (0..6 * 1024 * 1024 / 77).map(|i| format!("{:076}\n", i)).collect();
    format!(
        "From: Mail Delivery System <MAILER-DAEMON@mx.example.net>\n\
To: sender@example.org\n\
Subject: Undelivered Mail Returned to Sender\n\
Date: Tue, 3 Mar 2026 09:00:00 +0000\n\
Message-ID: <dsn-huge@mx.example.net>\n\
Auto-Submitted: auto-replied\n\
MIME-Version: 1.0\n\
Content-Type: multipart/report; report-type=delivery-status; boundary=\"OUTER\"\n\
\n\
--OUTER\n\
Content-Type: text/plain; charset=us-ascii\n\
\n\
This is the mail system at host mx.example.net.\n\
I'm sorry to have to inform you that your message could not be delivered.\n\
\n\
<nobody@example.com>: host mx.example.com[192.0.2.1] said: 550 5.1.1\n\
    <nobody@example.com>: Recipient address rejected: User unknown\n\
\n\
--OUTER\n\
Content-Type: message/delivery-status\n\
\n\
Reporting-MTA: dns; mx.example.net\n\
Arrival-Date: Tue, 3 Mar 2026 08:59:58 +0000\n\
\n\
Final-Recipient: rfc822; nobody@example.com\n\
Original-Recipient: rfc822;nobody@example.com\n\
Action: failed\n\
Status: 5.1.1\n\
Remote-MTA: dns; mx.example.com\n\
Diagnostic-Code: smtp; 550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown\n\
\n\
--OUTER\n\
Content-Type: message/rfc822\n\
\n\
From: sender@example.org\n\
To: nobody@example.com\n\
Subject: the big file\n\
Message-ID: <orig-huge@example.org>\n\
MIME-Version: 1.0\n\
Content-Type: multipart/mixed; boundary=\"INNER\"\n\
\n\
--INNER\n\
Content-Type: text/plain\n\
\n\
Here it is.\n\
--INNER\n\
Content-Type: application/octet-stream\n\
\n\
{blob}\
--INNER--\n\
\n\
--OUTER--\n"
    )
    .into_bytes()
}

#[test]
fn huge_bounces_are_read_from_their_report_parts() {
    if !servers::have(Need::Dovecot) {
        return;
    }
    let server = Dovecot::start(Options::default());
    let mut stored = Vec::new();
    let big = huge_bounce();
    assert!(big.len() > 6_000_000);
    mail::deliver(&server, "1700000000.M0P1.huge", &big, false);
    stored.push(Stored {
        base: "1700000000.M0P1.huge".into(),
        bytes: big,
        seen: false,
        label: "huge".into(),
    });
    // Every corpus bounce over 8 kB also goes the partial way under a small cap.
    for (i, (label, bytes)) in
        mail::corpus_bounces().into_iter().filter(|(_, b)| b.len() > 8000).take(60).enumerate()
    {
        let base = format!("1700000000.M{i}P2.rebound{i:06}");
        mail::deliver(&server, &base, &bytes, false);
        stored.push(Stored { base, bytes, seen: false, label });
    }
    let cache = tempfile::tempdir().unwrap();
    let mut account = server.account(Tls::Implicit);
    account.max_message_bytes = 8000;
    let mut source = ImapSource::with_options(account, options(cache.path(), 0));
    let stats = source.stats();
    let out = run(&mut source);
    assert!(out.failures.is_empty(), "{:?}", out.failures);
    let partial = ImapStats::get(&stats.partial_fetches);
    assert!(partial >= 30, "only {partial} partial fetches");
    assert!(ImapStats::get(&stats.bytes) < 2_000_000, "the 6 MB attachment travelled");
    let got = by_file(&server, &out.reports);
    let want = offline(&stored);
    assert_eq!(got.get("1700000000.M0P1.huge"), want.get("1700000000.M0P1.huge"));
    assert!(want.contains_key("1700000000.M0P1.huge"), "the engine should read the huge DSN");
    let differ: Vec<_> = want.keys().filter(|k| got.get(*k) != want.get(*k)).collect();
    assert!(differ.is_empty(), "partial reads disagree with full reads: {differ:?}");
}

#[test]
fn several_folders_are_read_in_order_and_a_missing_one_is_reported() {
    if !servers::have(Need::Dovecot) {
        return;
    }
    let server = Dovecot::start(Options::default());
    let corpus = mail::corpus_bounces();
    let mut expected = BTreeMap::new();
    for (i, (_, bytes)) in corpus.iter().take(12).enumerate() {
        let folder = if i % 2 == 0 { "INBOX" } else { "Bounces" };
        mail::deliver_to(&server, folder, &format!("1700000000.M{i}P1.f{i}"), bytes, false);
        if analyze(bytes).is_some() {
            *expected.entry(folder.to_string()).or_insert(0) += 1;
        }
    }
    let cache = tempfile::tempdir().unwrap();
    let mut account = server.account(Tls::Implicit);
    account.folders = vec!["INBOX".into(), "NoSuchFolder".into(), "Bounces".into()];
    let out = run(&mut ImapSource::with_options(account, options(cache.path(), 0)));
    assert_eq!(out.failures.len(), 1, "{:?}", out.failures);
    assert!(
        out.failures[0].contains("NoSuchFolder") && out.failures[0].contains("folders"),
        "{}",
        out.failures[0]
    );
    let mut got = BTreeMap::new();
    let mut order = Vec::new();
    for a in &out.reports {
        let Origin::Imap { folder, account, .. } = &a.origin else { panic!("not IMAP") };
        assert_eq!(account, "test");
        *got.entry(folder.clone()).or_insert(0) += 1;
        if order.last() != Some(folder) {
            order.push(folder.clone());
        }
    }
    assert_eq!(got, expected);
    assert_eq!(order, vec!["INBOX".to_string(), "Bounces".to_string()]);
}

/// Bounces whose structure servers describe badly (seen on Dovecot, Cyrus, Courier):
/// a multipart/report without boundary lines, an unparseable Content-Type, an inner
/// multipart without a boundary. Each is padded past the 1 kB cap of the test below.
fn awkward_bounces() -> Vec<(&'static str, Vec<u8>)> {
    let pad: String =
        (0..60).map(|i| format!("padding line {i:04} of the returned text\n")).collect();
    let head = "From: Mail Delivery System <MAILER-DAEMON@mx.example.net>\n\
        To: sender@example.org\nSubject: Undelivered Mail Returned to Sender\n\
        Date: Tue, 3 Mar 2026 09:00:00 +0000\nMIME-Version: 1.0\n";
    let dsn = "This is the mail system at host mx.example.net.\n\n\
        <nobody@example.com>: host mx.example.com[192.0.2.1] said: 550 5.1.1\n    \
        <nobody@example.com>: Recipient address rejected: User unknown\n\n\
        Reporting-MTA: dns; mx.example.net\n\n\
        Final-Recipient: rfc822; nobody@example.com\nAction: failed\nStatus: 5.1.1\n\
        Diagnostic-Code: smtp; 550 5.1.1 User unknown\n\n";
    vec![
        (
            "no-boundary-lines",
            format!(
                "{head}Content-Type: multipart/report; report-type=delivery-status; \
                 boundary=\"NEVER\"\n\n{dsn}{pad}"
            ),
        ),
        ("unparseable-type", format!("{head}Content-Type: multipart/report;; ;; =\n\n{dsn}{pad}")),
        (
            "inner-without-boundary",
            format!(
                "{head}Content-Type: multipart/mixed; boundary=\"OUT\"\n\n--OUT\n\
                 Content-Type: multipart/report; report-type=delivery-status\n\n{dsn}\
                 --OUT\nContent-Type: text/plain\n\n{pad}--OUT--\n"
            ),
        ),
        ("empty-type", format!("{head}Content-Type: \n\n{dsn}{pad}")),
    ]
    .into_iter()
    .map(|(name, text)| (name, text.into_bytes()))
    .collect()
}

#[test]
fn badly_described_structures_still_give_their_record() {
    if !support::servers::have(support::servers::Need::Dovecot) {
        return;
    }
    let server = Dovecot::start(Options::default());
    let mut stored = Vec::new();
    for (i, (label, bytes)) in awkward_bounces().into_iter().enumerate() {
        assert!(bytes.len() > 1024, "{label} is too small to go the partial way");
        let base = format!("1700000000.M{i}P3.{label}");
        mail::deliver(&server, &base, &bytes, false);
        stored.push(Stored { base, bytes, seen: false, label: label.into() });
    }
    let want = offline(&stored);
    assert_eq!(want.len(), stored.len(), "the engine reads each of them whole");
    let cache = tempfile::tempdir().unwrap();
    let mut account = server.account(Tls::Implicit);
    account.max_message_bytes = 1024;
    let mut source = ImapSource::with_options(account, options(cache.path(), 0));
    let stats = source.stats();
    let out = run(&mut source);
    assert!(out.failures.is_empty(), "{:?}", out.failures);
    assert_eq!(ImapStats::get(&stats.partial_fetches), stored.len() as u64);
    let got = by_file(&server, &out.reports);
    let lost: Vec<&String> = want.keys().filter(|k| got.get(*k) != want.get(*k)).collect();
    assert!(lost.is_empty(), "records lost or changed by the partial fetch: {lost:?}");
}

#[test]
fn a_folder_named_with_the_wrong_prefix_gets_the_close_names() {
    if !support::servers::have(support::servers::Need::Dovecot) {
        return;
    }
    let server = Dovecot::start(Options::default());
    let (_, bytes) = mail::corpus_bounces().into_iter().next().expect("a bounce");
    mail::deliver_to(&server, "Bounces", "1700000000.M1P1.b", &bytes, false);
    let cache = tempfile::tempdir().unwrap();
    let mut account = server.account(Tls::Implicit);
    // As on Courier, where every folder lives under INBOX.: here it does not.
    account.folders = vec!["INBOX.Bounces".into()];
    let out = run(&mut ImapSource::with_options(account, options(cache.path(), 0)));
    assert_eq!(out.failures.len(), 1, "{:?}", out.failures);
    let msg = &out.failures[0];
    assert!(msg.contains("\"INBOX.Bounces\" cannot be opened"), "{msg}");
    assert!(msg.contains("the server has \"Bounces\": did you mean that?"), "{msg}");
}
