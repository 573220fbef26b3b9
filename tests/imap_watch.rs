//! Live watch against a real Dovecot (issue #15): bounces delivered while the watch
//! runs are reported within 2 s, through IDLE on a session of the watch's own; what
//! was there before is not reported; the mailbox is not changed. And the screen's
//! kept session fetches many messages on one connection.

#![cfg(feature = "imap")]

mod support;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use rebound::config::Tls;
use rebound::source::imap::{ImapWatch, KeptSession};
use rebound::source::{Origin, Source, SourceEvent};
use support::dovecot::{Dovecot, Options};
use support::mail;

#[test]
fn bounces_delivered_while_watching_arrive_within_two_seconds() {
    let server = Dovecot::start(Options::default());
    let stored = mail::fill(&server, 4);
    let before = mail::snapshot(&server);
    let bounces = mail::corpus_bounces();
    let (tx, rx) = mpsc::channel();
    let cancel = std::sync::Arc::new(AtomicBool::new(false));
    let account = server.account(Tls::Implicit);
    let stop = cancel.clone();
    let watcher = std::thread::spawn(move || {
        let mut watch = ImapWatch::new(account, Duration::from_secs(60));
        watch.run(
            &mut |ev| {
                let _ = tx.send((Instant::now(), ev));
            },
            &stop,
        );
    });
    // Started, then a moment for the first EXAMINE and the IDLE to begin.
    let (_, first) = rx.recv_timeout(Duration::from_secs(20)).expect("the watch starts");
    assert!(matches!(first, SourceEvent::Started { .. }), "{first:?}");
    std::thread::sleep(Duration::from_millis(1500));
    assert!(rx.try_recv().is_err(), "nothing already there is reported");

    let mut delays = Vec::new();
    for (n, (_, bytes)) in bounces.iter().take(2).enumerate() {
        let delivered = Instant::now();
        mail::deliver(&server, &format!("1800000000.M{n}P9.live"), bytes, false);
        let (at, ev) = loop {
            let got = rx.recv_timeout(Duration::from_secs(10)).expect("the new bounce is reported");
            if matches!(got.1, SourceEvent::BatchAnalysed(_)) {
                break got;
            }
        };
        let SourceEvent::BatchAnalysed(batch) = ev else { unreachable!() };
        assert_eq!(batch.len(), 1);
        let Origin::Imap { uid, .. } = batch[0].origin else { panic!("{:?}", batch[0].origin) };
        assert_eq!(uid as usize, stored.len() + n + 1, "the new message's UID");
        delays.push(at - delivered);
    }
    cancel.store(true, Ordering::Relaxed);
    watcher.join().expect("the watch stops when cancelled");
    eprintln!("delivery to report: {delays:?}");
    for d in &delays {
        assert!(*d < Duration::from_secs(2), "a bounce took {d:?} to appear: {delays:?}");
    }
    // Nothing changed but the two deliveries: no flag set, nothing expunged.
    let after = mail::snapshot(&server);
    assert_eq!(after.len(), before.len() + 2);
    assert!(before.iter().all(|f| after.contains(f)), "an old message changed");
}

#[test]
fn the_kept_session_fetches_many_messages_on_one_connection() {
    let server = Dovecot::start(Options::default());
    let stored = mail::fill(&server, 2);
    let mut kept = KeptSession::new(server.account(Tls::Implicit));
    // UIDVALIDITY as the server says it.
    let validity = {
        let mut probe = KeptSession::new(server.account(Tls::Implicit));
        let err = probe.fetch("INBOX", 0, 1).unwrap_err().to_string();
        let digits: String =
            err.split("is now").nth(1).unwrap_or("").chars().filter(char::is_ascii_digit).collect();
        digits.parse::<u32>().expect("UIDVALIDITY in the message")
    };
    for uid in 1..=5u32 {
        let bytes = kept.fetch("INBOX", validity, uid).expect("fetched");
        assert!(!bytes.is_empty());
    }
    assert_eq!(kept.connections, 1, "one session for every fetch");
    assert!(stored.len() >= 5);
    let gone = kept.fetch("INBOX", validity, 99_999).unwrap_err().to_string();
    assert!(gone.contains("no longer"), "{gone}");
}
