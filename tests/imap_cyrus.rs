//! Cyrus IMAP next to Dovecot: the read-only check, a scan equal to the disk scan of the
//! same messages, and the partial-fetch structures Cyrus describes its own way.

#![cfg(feature = "imap")]

mod support;

use std::collections::BTreeMap;

use rebound::bounce::analyze;
use rebound::config::Tls;
use rebound::source::imap::{ImapOptions, ImapSource, ImapStats};
use support::compare::{Summary, summary, uid};
use support::cyrus::{Cyrus, crlf};
use support::mail;
use support::run::run;

fn options(cache: &std::path::Path) -> ImapOptions {
    ImapOptions { cache_dir: Some(cache.to_path_buf()), header_batch: 50, ..ImapOptions::default() }
}

/// What the engine says of each message read whole, keyed by its UID (append order).
fn expected(messages: &[(Vec<u8>, bool)]) -> BTreeMap<u32, Summary> {
    messages
        .iter()
        .enumerate()
        .filter_map(|(i, (bytes, _))| analyze(bytes).map(|r| (i as u32 + 1, summary(&r))))
        .collect()
}

fn got(reports: &[rebound::source::Analysed]) -> BTreeMap<u32, Summary> {
    let map: BTreeMap<u32, Summary> =
        reports.iter().map(|a| (uid(&a.origin), summary(&a.report))).collect();
    assert_eq!(map.len(), reports.len(), "a UID was reported twice");
    map
}

#[test]
fn cyrus_scan_equals_the_disk_scan_and_changes_no_flag() {
    if !support::servers::have(support::servers::Need::Cyrus) {
        return;
    }
    let server = Cyrus::start();
    // Cyrus refuses messages holding NUL bytes; those are left out.
    let mut messages: Vec<(Vec<u8>, bool)> = Vec::new();
    for (i, (_, bytes)) in mail::corpus_bounces().into_iter().step_by(3).enumerate() {
        if !bytes.contains(&0) {
            messages.push((crlf(&bytes), i % 2 == 0));
            messages.push((crlf(&mail::ordinary(i)), i % 3 == 0));
        }
    }
    server.append(&messages);
    let before = server.flags();
    let cache = tempfile::tempdir().unwrap();
    for tls in [Tls::Implicit, Tls::Starttls] {
        let out = run(&mut ImapSource::with_options(server.account(tls), options(cache.path())));
        assert!(out.failures.is_empty(), "{tls:?}: {:?}", out.failures);
        assert_eq!(got(&out.reports), expected(&messages), "{tls:?}");
    }
    assert_eq!(server.flags(), before, "a flag changed");
}

#[test]
fn cyrus_partial_fetches_keep_every_record() {
    if !support::servers::have(support::servers::Need::Cyrus) {
        return;
    }
    let server = Cyrus::start();
    let pad: String =
        (0..60).map(|i| format!("padding line {i:04} of the returned text\r\n")).collect();
    let head = "From: Mail Delivery System <MAILER-DAEMON@mx.example.net>\r\n\
        To: sender@example.org\r\nSubject: Undelivered Mail Returned to Sender\r\n\
        Date: Tue, 3 Mar 2026 09:00:00 +0000\r\nMIME-Version: 1.0\r\n";
    let dsn = "This is the mail system at host mx.example.net.\r\n\r\n\
        <nobody@example.com>: host mx.example.com[192.0.2.1] said: 550 5.1.1\r\n    \
        <nobody@example.com>: Recipient address rejected: User unknown\r\n\r\n\
        Reporting-MTA: dns; mx.example.net\r\n\r\n\
        Final-Recipient: rfc822; nobody@example.com\r\nAction: failed\r\nStatus: 5.1.1\r\n\
        Diagnostic-Code: smtp; 550 5.1.1 User unknown\r\n\r\n";
    let mut messages: Vec<(Vec<u8>, bool)> = [
        format!(
            "{head}Content-Type: multipart/report; report-type=delivery-status; \
             boundary=\"NEVER\"\r\n\r\n{dsn}{pad}"
        ),
        format!("{head}Content-Type: multipart/report;; ;; =\r\n\r\n{dsn}{pad}"),
        format!(
            "{head}Content-Type: multipart/mixed; boundary=\"OUT\"\r\n\r\n--OUT\r\n\
             Content-Type: multipart/report; report-type=delivery-status\r\n\r\n{dsn}\
             --OUT\r\nContent-Type: text/plain\r\n\r\n{pad}--OUT--\r\n"
        ),
    ]
    .into_iter()
    .map(|m| (m.into_bytes(), false))
    .collect();
    // And every corpus bounce over 2 kB, the partial way too.
    messages.extend(
        mail::corpus_bounces()
            .into_iter()
            .filter(|(_, b)| b.len() > 2048 && !b.contains(&0))
            .take(40)
            .map(|(_, b)| (crlf(&b), false)),
    );
    server.append(&messages);
    let cache = tempfile::tempdir().unwrap();
    let mut account = server.account(Tls::Implicit);
    account.max_message_bytes = 1024;
    let mut source = ImapSource::with_options(account, options(cache.path()));
    let stats = source.stats();
    let out = run(&mut source);
    assert!(out.failures.is_empty(), "{:?}", out.failures);
    assert!(ImapStats::get(&stats.partial_fetches) >= 40);
    let want = expected(&messages);
    let got = got(&out.reports);
    let differ: Vec<u32> = want.keys().filter(|k| got.get(*k) != want.get(*k)).copied().collect();
    assert!(differ.is_empty(), "UIDs whose partial read differs from the full read: {differ:?}");
}
