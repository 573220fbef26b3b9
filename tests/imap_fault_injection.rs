//! A 10,000-message scan against Dovecot, interrupted three ways: the session process
//! killed, the server restarted, the folder renumbered (UIDVALIDITY changed). Each time
//! the records must equal one clean read: none lost, none doubled.

#![cfg(feature = "imap")]

mod support;

use std::collections::BTreeSet;

use rebound::config::Tls;
use rebound::source::SourceEvent;
use rebound::source::imap::{ImapOptions, ImapSource};
use support::compare::{by_file, offline, uid};
use support::dovecot::{Dovecot, Options};
use support::mail;
use support::run::run_with;

#[test]
fn ten_thousand_messages_survive_three_interruptions() {
    if !support::servers::have(support::servers::Need::Dovecot) {
        return;
    }
    let mut server = Dovecot::start(Options::default());
    let bounces = mail::corpus_bounces().len();
    let stored = mail::fill(&server, 10_000 - bounces);
    assert_eq!(stored.len(), 10_000);
    let clean = offline(&stored);
    for interruption in ["session killed", "server restarted", "folder renumbered"] {
        let cache = tempfile::tempdir().unwrap();
        let options =
            // Batches of 250, so the interruption falls among the bounces (by UID they
            // sit in the first thousand messages of the filled folder).
            ImapOptions {
                cache_dir: Some(cache.path().to_path_buf()),
                header_batch: 250,
                ..ImapOptions::default()
            };
        let mut source = ImapSource::with_options(server.account(Tls::Implicit), options);
        let (mut progress, mut found, mut found_before) = (0, 0, 0);
        let out = run_with(&mut source, |e| {
            if let SourceEvent::BatchAnalysed(batch) = e {
                found += batch.len();
            }

            if matches!(e, SourceEvent::Progress(_)) {
                progress += 1;
                // Part-way: after the cache's progress and one header batch.
                if progress == 2 {
                    found_before = found;
                    match interruption {
                        "session killed" => assert!(server.kill_sessions() > 0),
                        "server restarted" => server.restart(),
                        _ => {
                            server.renumber(20_000);
                        }
                    }
                }
            }
        });
        assert!(progress > 2, "{interruption}: the scan ended before the interruption");
        assert!(
            found_before > 0 && found_before < clean.len(),
            "{interruption}: {found_before} of {} found when interrupted: not part-way",
            clean.len()
        );
        assert!(out.failures.is_empty(), "{interruption}: {:?}", out.failures);
        assert!(!out.notices.is_empty(), "{interruption}: the interruption went unnoticed");
        let uids: Vec<u32> = out.reports.iter().map(|a| uid(&a.origin)).collect();
        let unique: BTreeSet<u32> = uids.iter().copied().collect();
        assert_eq!(uids.len(), unique.len(), "{interruption}: a report came twice");
        assert_eq!(out.reports.len(), clean.len(), "{interruption}: not one clean read");
        assert_eq!(by_file(&server, &out.reports), clean, "{interruption}");
        assert_eq!(out.last_progress.expect("progress").examined, stored.len());
        if interruption == "folder renumbered" {
            assert!(out.sent > out.reports.len(), "reports found before were withdrawn");
        }
        eprintln!(
            "{interruption}: {} reports, {} sent in all, notices: {:?}",
            out.reports.len(),
            out.sent,
            out.notices
        );
    }
}
