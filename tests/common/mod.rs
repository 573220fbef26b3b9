//! Shared test helpers: a fixed report header and a small hand-built session that
//! exercises every part of a report (several formats and kinds, hops with clock skew
//! and without TLS, authentication verdicts, multi-recipient reports), and the case
//! count of the property tests.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use rebound::bounce::{AuthVerdict, Hop, Kind, Reason, RecipientStatus, Report};
use rebound::report::ReportMeta;
use rebound::session::Session;
use rebound::source::demo::DemoSource;
use rebound::source::{Analysed, Origin, Source, SourceEvent};

/// How many cases a property test runs: `PROPTEST_CASES` when set (for a longer hunt),
/// else `default`. A count fixed in the config would override the variable.
pub fn proptest_cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// A report header with a fixed scan time, so golden files do not change by the hour.
pub fn meta(source: &str) -> ReportMeta {
    ReportMeta {
        source: source.into(),
        scanned_at: chrono::DateTime::parse_from_rfc3339("2026-11-20T12:00:00+01:00").unwrap(),
        generator: "rebound (test)".into(),
        unread: Vec::new(),
        suppression: Default::default(),
    }
}

pub fn demo_session() -> Session {
    let mut session = Session::new();
    DemoSource::new().run(
        &mut |e| {
            if let SourceEvent::BatchAnalysed(batch) = e {
                session.extend(batch)
            }
        },
        &AtomicBool::new(false),
    );
    session
}

fn ts(s: &str) -> Option<rebound::bounce::Timestamp> {
    chrono::DateTime::parse_from_rfc3339(s).ok()
}

fn rcpt(to: &str, status: &str, reply: Option<u16>, reason: Reason, diag: &str) -> RecipientStatus {
    let mut r = RecipientStatus::new(to);
    r.status = status.parse().ok();
    r.reply_code = reply;
    r.reason = reason;
    r.hard = reason.is_hard();
    r.action = Some("failed".into());
    r.diagnostic = diag.into();
    r.diagnostic_type = Some("smtp".into());
    r.why = format!("Status {status} with \"{}\" in the diagnostic", reason.as_str());
    r
}

fn hop(from: &str, by: &str, with: &str, time: &str, delay: Option<i64>, tls: bool) -> Hop {
    Hop {
        from: Some(from.into()),
        by: Some(by.into()),
        with: Some(with.into()),
        time: ts(time),
        delay_secs: delay,
        skew: delay.is_some_and(|d| d < 0),
        tls,
        ..Hop::default()
    }
}

/// Five reports, seven records.
pub fn sample_session() -> Session {
    let hops = vec![
        hop(
            "app1.example.com",
            "relay.example.com",
            "ESMTPS",
            "2026-10-05T09:00:00+00:00",
            None,
            true,
        ),
        hop(
            "relay.example.com",
            "mx.example.org",
            "SMTP",
            "2026-10-05T09:00:02+00:00",
            Some(2),
            false,
        ),
        hop(
            "mx.example.org",
            "store.example.org",
            "LMTP",
            "2026-10-05T08:59:10+00:00",
            Some(-52),
            true,
        ),
    ];
    let mut first = Report {
        kind: Some(Kind::Bounce),
        format: "rfc3464".into(),
        provider: Some("postfix".into()),
        subject: Some("Undelivered Mail Returned to Sender".into()),
        date: ts("2026-10-05T09:00:09+00:00"),
        reporting_mta: Some("relay.example.com".into()),
        hops,
        recipients: vec![
            rcpt(
                "ann@example.org",
                "5.1.1",
                Some(550),
                Reason::UserUnknown,
                "550 5.1.1 <ann@example.org>: Recipient address rejected: User unknown",
            ),
            rcpt(
                "bo@example.org",
                "5.2.2",
                Some(552),
                Reason::MailboxFull,
                "552 5.2.2 Mailbox full\nquota exceeded (2048 MB)",
            ),
        ],
        ..Report::default()
    };
    first.original.subject = Some("October picks | five novels".into());
    first.original.message_id = Some("<news-1@example.com>".into());
    first.auth.spf =
        Some(AuthVerdict { result: "pass".into(), domain: Some("example.com".into()) });
    first.auth.dmarc =
        Some(AuthVerdict { result: "fail".into(), domain: Some("example.com".into()) });
    first.recipients[0].remote_mta = Some("mx.example.org".into());

    let mut delay = Report {
        kind: Some(Kind::Delay),
        format: "rfc3464".into(),
        subject: Some("Delayed Mail (still being retried)".into()),
        date: ts("2026-10-08T13:32:00+02:00"),
        reporting_mta: Some("relay.example.com".into()),
        recipients: vec![rcpt(
            "cy@example.net",
            "4.4.1",
            None,
            Reason::NetworkError,
            "connect to mx.example.net[203.0.113.25]:25: Connection timed out",
        )],
        ..Report::default()
    };
    delay.recipients[0].action = Some("delayed".into());

    let gmail = Report {
        kind: Some(Kind::Bounce),
        format: "gmail".into(),
        provider: Some("gmail".into()),
        subject: Some("Delivery Status Notification (Failure)".into()),
        date: ts("2026-10-17T07:30:03+00:00"),
        reporting_mta: Some("googlemail.com".into()),
        recipients: vec![rcpt(
            "Dee@Example.COM",
            "5.7.26",
            Some(550),
            Reason::AuthFailure,
            "550 5.7.26 Unauthenticated email from example.com is not accepted due to domain's DMARC policy.",
        )],
        ..Report::default()
    };
    let qmail = Report {
        kind: Some(Kind::Bounce),
        format: "qmail".into(),
        subject: Some("failure notice".into()),
        date: ts("2026-10-17T09:00:00+00:00"),
        reporting_mta: Some("mail.example.org".into()),
        recipients: vec![
            rcpt(
                "eve@example.org",
                "5.1.1",
                None,
                Reason::UserUnknown,
                "Sorry, no mailbox here by that name. (#5.1.1)",
            ),
            rcpt(
                "ann@EXAMPLE.org",
                "5.1.1",
                None,
                Reason::UserUnknown,
                "Sorry, no mailbox here by that name. (#5.1.1)",
            ),
        ],
        ..Report::default()
    };
    let auto = Report {
        kind: Some(Kind::AutoReply),
        format: "rfc3834".into(),
        subject: Some("Out of office".into()),
        from: Some("fay@example.org".into()),
        date: ts("2026-10-20T10:00:00+00:00"),
        ..Report::default()
    };
    let origin = |n| Origin::File { path: PathBuf::from("sample.mbox"), message: n };
    let mut s = Session::new();
    s.extend(
        [first, delay, gmail, qmail, auto]
            .into_iter()
            .enumerate()
            .map(|(i, report)| Analysed { origin: origin(i + 1), report }),
    );
    s
}

/// Compare `actual` with the golden file, or rewrite it when UPDATE_GOLDEN=1.
pub fn golden(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden").join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1") {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!("{}: {e}; run with UPDATE_GOLDEN=1 to create it", path.display())
    });
    if expected != actual {
        let line = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()));
        panic!(
            "{name} differs from the golden file at line {}:\n  golden: {:?}\n  actual: {:?}\n\
             If the change is intended, rerun with UPDATE_GOLDEN=1 and review the diff.",
            line + 1,
            expected.lines().nth(line),
            actual.lines().nth(line)
        );
    }
}
