//! Scanning a real Dovecot: the IMAP scan finds what the offline scan finds in the same
//! messages, never changes the mailbox, and a second start comes from the cache.

#![cfg(feature = "imap")]

mod support;

use std::collections::HashMap;
use std::sync::OnceLock;

use rebound::bounce::prefilter;
use rebound::config::Tls;
use rebound::source::Analysed;
use rebound::source::imap::{ImapOptions, ImapSource, ImapStats};
use support::compare::{by_file, offline, summary, uid};
use support::dovecot::{Dovecot, Options};
use support::mail::{self, Stored};
use support::run::run;
use support::servers::{self, Need};

struct Shared {
    server: &'static Dovecot,
    stored: Vec<Stored>,
}

/// One server for the read-only tests of this file: every corpus bounce plus ordinary mail.
fn shared() -> &'static Shared {
    static SHARED: OnceLock<Shared> = OnceLock::new();
    SHARED.get_or_init(|| {
        let server = Dovecot::start(Options::default());
        let stored = mail::fill(&server, 160);
        Shared { server: server.into_shared(), stored }
    })
}

fn options(cache: &std::path::Path) -> ImapOptions {
    ImapOptions {
        cache_dir: Some(cache.to_path_buf()),
        header_batch: 200,
        ..ImapOptions::default()
    }
}

#[test]
fn imap_finds_exactly_what_the_offline_scan_finds() {
    if !servers::have(Need::Dovecot) {
        return;
    }
    let s = shared();
    let cache = tempfile::tempdir().unwrap();
    let mut source =
        ImapSource::with_options(s.server.account(Tls::Implicit), options(cache.path()));
    let stats = source.stats();
    let out = run(&mut source);
    assert!(out.started && out.finished, "{out:?}");
    assert!(out.failures.is_empty(), "{:?}", out.failures);
    let expected = offline(&s.stored);
    assert!(expected.len() > 400, "the corpus should give hundreds of reports offline");
    let got = by_file(s.server, &out.reports);
    assert_eq!(got.len(), out.reports.len(), "a message was reported twice");
    let missing: Vec<_> = expected.keys().filter(|k| !got.contains_key(*k)).collect();
    let extra: Vec<_> = got.keys().filter(|k| !expected.contains_key(*k)).collect();
    assert!(missing.is_empty() && extra.is_empty(), "missing {missing:?}, extra {extra:?}");
    for (file, want) in &expected {
        assert_eq!(&got[file], want, "{file}: IMAP and offline analyses differ");
    }
    // Bodies were fetched for the prefilter's candidates only, headers for everything.
    let candidates = s
        .stored
        .iter()
        .filter(|m| prefilter::could_be_report(prefilter::header_block(&m.bytes)))
        .count();
    assert_eq!(ImapStats::get(&stats.headers_fetched), s.stored.len() as u64);
    assert_eq!(ImapStats::get(&stats.bodies_fetched), candidates as u64);
    assert!(candidates < s.stored.len(), "ordinary mail must not all be fetched");
    let p = out.last_progress.expect("progress");
    assert_eq!(
        (p.examined, p.total, p.found),
        (s.stored.len(), Some(s.stored.len()), expected.len())
    );
}

#[test]
fn scans_change_no_flag_and_no_file_name() {
    if !servers::have(Need::Dovecot) {
        return;
    }
    let s = shared();
    let before = mail::snapshot(s.server);
    let seen_before = before.iter().filter(|n| n.ends_with(":2,S")).count();
    assert!(seen_before > 0);
    let cache = tempfile::tempdir().unwrap();
    for tls in [Tls::Implicit, Tls::Starttls] {
        let mut source = ImapSource::with_options(s.server.account(tls), options(cache.path()));
        let out = run(&mut source);
        assert!(out.failures.is_empty(), "{:?}", out.failures);
    }
    assert_eq!(mail::snapshot(s.server), before, "the Maildir changed: a flag or file moved");
}

#[test]
fn warm_start_comes_from_the_cache_and_fetches_no_old_message() {
    if !servers::have(Need::Dovecot) {
        return;
    }
    let s = shared();
    let cache = tempfile::tempdir().unwrap();
    let first =
        run(&mut ImapSource::with_options(s.server.account(Tls::Implicit), options(cache.path())));
    let mut again =
        ImapSource::with_options(s.server.account(Tls::Implicit), options(cache.path()));
    let stats = again.stats();
    let second = run(&mut again);
    assert!(second.failures.is_empty(), "{:?}", second.failures);
    assert_eq!(ImapStats::get(&stats.headers_fetched), 0);
    assert_eq!(ImapStats::get(&stats.bodies_fetched), 0);
    assert_eq!(ImapStats::get(&stats.from_cache), first.reports.len() as u64);
    let key = |v: &[Analysed]| {
        let mut k: Vec<_> = v.iter().map(|a| (uid(&a.origin), summary(&a.report))).collect();
        k.sort();
        k
    };
    assert_eq!(key(&second.reports), key(&first.reports));
    // The cache holds no secret.
    for e in walk(cache.path()) {
        let text = std::fs::read_to_string(&e).unwrap();
        assert!(!text.contains(support::dovecot::PASS), "{} holds the password", e.display());
    }
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        if e.path().is_dir() {
            out.extend(walk(&e.path()));
        } else {
            out.push(e.path());
        }
    }
    out
}

#[test]
fn damaged_or_renumbered_cache_is_rebuilt_with_a_notice() {
    if !servers::have(Need::Dovecot) {
        return;
    }
    let s = shared();
    let cache = tempfile::tempdir().unwrap();
    let first =
        run(&mut ImapSource::with_options(s.server.account(Tls::Implicit), options(cache.path())));
    let files = walk(cache.path());
    assert_eq!(files.len(), 1, "one cache file per folder: {files:?}");
    // Another UIDVALIDITY: as if the server had renumbered the folder.
    let text = std::fs::read_to_string(&files[0]).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut v2 = v.clone();
    v2["uidvalidity"] = serde_json::json!(v["uidvalidity"].as_u64().unwrap() + 1);
    std::fs::write(&files[0], v2.to_string()).unwrap();
    let mut src = ImapSource::with_options(s.server.account(Tls::Implicit), options(cache.path()));
    let stats = src.stats();
    let out = run(&mut src);
    // A cache to rebuild loses nothing: a notice, not a failure.
    assert!(out.failures.is_empty(), "{:?}", out.failures);
    assert!(out.notices.iter().any(|f| f.contains("UIDVALIDITY")), "{:?}", out.notices);
    assert_eq!(ImapStats::get(&stats.headers_fetched), s.stored.len() as u64);
    assert_eq!(out.reports.len(), first.reports.len());
    // Garbage: discarded with a notice, never a crash.
    std::fs::write(&files[0], b"\x00\x01 not json").unwrap();
    let out =
        run(&mut ImapSource::with_options(s.server.account(Tls::Implicit), options(cache.path())));
    assert!(out.notices.iter().any(|f| f.contains("damaged")), "{:?}", out.notices);
    assert!(out.failures.is_empty(), "{:?}", out.failures);
    assert_eq!(out.reports.len(), first.reports.len());
}

#[test]
fn new_messages_are_fetched_and_deleted_ones_dropped() {
    if !servers::have(Need::Dovecot) {
        return;
    }
    let server = Dovecot::start(Options::default());
    let corpus = mail::corpus_bounces();
    let mut stored = Vec::new();
    for (i, (label, bytes)) in corpus.iter().take(30).enumerate() {
        let base = format!("1700000000.M{i}P1.rebound{i:06}");
        mail::deliver(&server, &base, bytes, false);
        stored.push(Stored { base, bytes: bytes.clone(), seen: false, label: label.clone() });
    }
    let cache = tempfile::tempdir().unwrap();
    let first =
        run(&mut ImapSource::with_options(server.account(Tls::Implicit), options(cache.path())));
    assert!(first.failures.is_empty(), "{:?}", first.failures);
    // Delete three reported messages, add five new ones.
    let map: HashMap<u32, String> = mail::uid_map(&server);
    let doomed: Vec<String> =
        first.reports.iter().take(3).map(|a| map[&uid(&a.origin)].clone()).collect();
    for e in std::fs::read_dir(server.maildir().join("cur")).unwrap().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if doomed.iter().any(|d| name.starts_with(d.as_str())) {
            std::fs::remove_file(e.path()).unwrap();
        }
    }
    stored.retain(|s| !doomed.contains(&s.base));
    for (i, (label, bytes)) in corpus.iter().enumerate().skip(30).take(5) {
        let base = format!("1700000001.M{i}P1.rebound{i:06}");
        mail::deliver(&server, &base, bytes, true);
        stored.push(Stored { base, bytes: bytes.clone(), seen: true, label: label.clone() });
    }
    let mut src = ImapSource::with_options(server.account(Tls::Implicit), options(cache.path()));
    let stats = src.stats();
    let second = run(&mut src);
    assert!(second.failures.is_empty(), "{:?}", second.failures);
    assert_eq!(ImapStats::get(&stats.headers_fetched), 5, "only the new messages are read");
    assert_eq!(by_file(&server, &second.reports), offline(&stored));
}

#[test]
fn unreachable_server_shows_the_cached_reports_with_a_notice() {
    if !servers::have(Need::Dovecot) {
        return;
    }
    let s = shared();
    let cache = tempfile::tempdir().unwrap();
    let first =
        run(&mut ImapSource::with_options(s.server.account(Tls::Implicit), options(cache.path())));
    let mut account = s.server.account(Tls::Implicit);
    account.password_command = Some("echo wrong".into());
    let out = run(&mut ImapSource::with_options(account, options(cache.path())));
    assert!(out.failures.iter().any(|f| f.contains("rejected the password")), "{:?}", out.failures);
    assert!(out.notices.iter().any(|f| f.contains("from the last scan")), "{:?}", out.notices);
    assert_eq!(out.reports.len(), first.reports.len());
}

#[test]
fn another_max_message_bytes_reads_the_folder_again() {
    let s = shared();
    let cache = tempfile::tempdir().unwrap();
    run(&mut ImapSource::with_options(s.server.account(Tls::Implicit), options(cache.path())));
    let mut account = s.server.account(Tls::Implicit);
    account.max_message_bytes = 64 * 1024;
    let mut src = ImapSource::with_options(account, options(cache.path()));
    let stats = src.stats();
    let out = run(&mut src);
    assert!(out.notices.iter().any(|n| n.contains("max_message_bytes")), "{:?}", out.notices);
    assert_eq!(ImapStats::get(&stats.from_cache), 0, "old records came from the cache");
    assert_eq!(ImapStats::get(&stats.headers_fetched), s.stored.len() as u64);
}
