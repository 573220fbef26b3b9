//! Filtering, sorting and summarising 100,000 records (target: filtering < 50 ms).
//! The records are made up but shaped like real ones: mixed codes, reasons, domains.

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};
use rebound::bounce::{Kind, Reason, RecipientStatus, Report};
use rebound::session::{Filter, Session, SortKey};
use rebound::source::{Analysed, Origin};

const CODES: &[(&str, Reason)] = &[
    ("5.1.1", Reason::UserUnknown),
    ("4.2.2", Reason::MailboxFull),
    ("5.7.1", Reason::Blocked),
    ("5.7.26", Reason::AuthFailure),
    ("4.4.7", Reason::Expired),
    ("5.4.4", Reason::HostUnknown),
];

fn records(n: usize) -> Vec<Analysed> {
    let base = chrono::DateTime::parse_from_rfc3339("2026-10-01T00:00:00+00:00").unwrap();
    (0..n)
        .map(|i| {
            let (code, reason) = CODES[i % CODES.len()];
            let mut r = RecipientStatus::new(format!("user{i}@domain{}.example.org", i % 97));
            r.status = code.parse().ok();
            r.reason = reason;
            r.hard = reason.is_hard();
            r.diagnostic = format!("smtp; 550 {code} message {i} refused by remote host");
            r.remote_mta = Some(format!("mx{}.example.net", i % 13));
            let report = Report {
                kind: Some(Kind::Bounce),
                reporting_mta: Some(format!("mta{}.example.com", i % 7)),
                date: Some(base + chrono::Duration::seconds(i as i64 * 37)),
                subject: Some(format!("Undeliverable: newsletter {}", i % 50)),
                recipients: vec![r],
                ..Report::default()
            };
            Analysed { origin: Origin::File { path: PathBuf::from("x"), message: i + 1 }, report }
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let mut session = Session::new();
    session.extend(records(100_000));
    let text = Filter { text: Some("mx7.EXAMPLE".into()), ..Filter::default() };
    let combined = Filter {
        class: Some(5),
        code_prefix: Some("5.7".into()),
        hard: Some(false),
        ..Filter::default()
    };
    c.bench_function("filter 100k: free text", |b| {
        b.iter(|| {
            session.set_filter(black_box(text.clone()));
            black_box(session.visible().len())
        })
    });
    c.bench_function("filter 100k: class+code+soft", |b| {
        b.iter(|| {
            session.set_filter(black_box(combined.clone()));
            black_box(session.visible().len())
        })
    });
    session.set_filter(Filter::default());
    c.bench_function("sort 100k by recipient", |b| {
        b.iter(|| {
            session.set_sort(SortKey::Recipient, true);
            black_box(session.visible().len())
        })
    });
    session.set_sort(SortKey::Date, false);
    c.bench_function("search 100k", |b| {
        b.iter(|| black_box(session.search("domain42.").hits.len()))
    });
    c.bench_function("summary 100k", |b| b.iter(|| black_box(session.summary().records)));
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = bench
}
criterion_main!(benches);
