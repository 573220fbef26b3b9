//! The embedded demo mailbox through the real engine: enough reports, and the mix the
//! demo promises (formats, classes, subjects, hard and soft, delay, auto-reply,
//! feedback, hops with skew and without TLS, one hostile message).

use std::collections::BTreeSet;
use std::sync::atomic::AtomicBool;

use rebound::bounce::{Kind, analyze};
use rebound::session::Session;
use rebound::source::demo::{self, DemoSource};
use rebound::source::{Source, SourceEvent};

fn demo_session() -> (Session, usize) {
    let mut session = Session::new();
    let mut finished = 0;
    let cancel = AtomicBool::new(false);
    DemoSource::new().run(
        &mut |e| match e {
            SourceEvent::BatchAnalysed(batch) => session.extend(batch),
            SourceEvent::Finished => finished += 1,
            _ => {}
        },
        &cancel,
    );
    (session, finished)
}

#[test]
fn the_source_reports_every_message_once_and_finishes() {
    let mut examined = 0;
    let mut finished = 0;
    DemoSource::new().run(
        &mut |e| match e {
            SourceEvent::Progress(p) => examined = p.examined,
            SourceEvent::Finished => finished += 1,
            _ => {}
        },
        &AtomicBool::new(false),
    );
    assert_eq!(examined, demo::len());
    assert_eq!(finished, 1);
}

#[test]
fn cancelling_stops_the_scan() {
    let mut examined = 0;
    DemoSource::new().run(
        &mut |e| {
            if let SourceEvent::Progress(p) = e {
                examined = p.examined
            }
        },
        &AtomicBool::new(true),
    );
    assert_eq!(examined, 0);
}

#[test]
fn the_demo_holds_the_promised_mix() {
    let (session, finished) = demo_session();
    assert_eq!(finished, 1);
    let reports: BTreeSet<_> =
        session.records().iter().map(|r| std::sync::Arc::as_ptr(&r.report)).collect();
    assert!(reports.len() >= 40, "only {} reports", reports.len());

    let kinds: BTreeSet<Kind> = session.records().iter().map(|r| r.kind()).collect();
    for k in [Kind::Bounce, Kind::Delay, Kind::AutoReply, Kind::Feedback] {
        assert!(kinds.contains(&k), "no {k:?} in {kinds:?}");
    }
    let classes: BTreeSet<u8> = session.records().iter().filter_map(|r| r.class()).collect();
    assert!(classes.contains(&4) && classes.contains(&5), "{classes:?}");
    let subjects: BTreeSet<u16> = session
        .records()
        .iter()
        .filter_map(|r| r.status())
        .filter(|s| s.class == 5)
        .map(|s| s.subject)
        .collect();
    for s in 1..=7 {
        assert!(subjects.contains(&s), "no 5.{s}.x in {subjects:?}");
    }
    let hard = session.records().iter().filter(|r| r.recipient().hard).count();
    assert!(hard >= 5 && hard < session.records().len(), "{hard} hard");

    let formats: BTreeSet<&str> =
        session.records().iter().map(|r| r.report.format.as_str()).collect();
    for f in ["rfc3464", "arf", "rfc3834"] {
        assert!(formats.contains(f), "no {f} report in {formats:?}");
    }
    // Plain-text bounces (Exim, qmail, Yahoo) are read by other readers.
    assert!(formats.len() >= 5, "too few readers used: {formats:?}");
    let providers: BTreeSet<&str> =
        session.records().iter().filter_map(|r| r.report.provider.as_deref()).collect();
    for p in ["postfix", "exim", "qmail", "gmail", "yahoo", "amazon-ses", "exchange-online"] {
        assert!(providers.contains(p), "no {p} bounce in {providers:?}");
    }

    assert!(session.records().iter().any(|r| r.report.hops.iter().any(|h| h.skew)));
    assert!(
        session.records().iter().any(|r| r.report.hops.iter().any(|h| h.by.is_some() && !h.tls))
    );
    assert!(
        session.records().iter().any(|r| r.recipient().diagnostic.contains('\x1b')),
        "the hostile diagnostic should reach the session raw (cleaned at the edge)"
    );
}

#[test]
fn ordinary_mail_in_the_demo_is_not_a_report() {
    let ordinary: Vec<usize> =
        (1..=demo::len()).filter(|&n| analyze(demo::raw_message(n).unwrap()).is_none()).collect();
    assert_eq!(ordinary.len(), 3, "messages {ordinary:?}");
}
