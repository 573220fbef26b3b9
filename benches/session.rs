//! Filtering, sorting, summarising and grouping into incidents 100,000 records
//! (targets: filtering < 50 ms, incidents < 200 ms).
//! The records are made up but shaped like real ones: mixed codes, reasons, domains.

#[path = "synthetic.rs"]
mod synthetic;

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use rebound::session::{Filter, Incidents, Session, SortKey};

fn bench(c: &mut Criterion) {
    let all = synthetic::records(100_000);
    c.bench_function("extend 100k in batches of 500", |b| {
        b.iter(|| {
            let mut s = Session::new();
            s.set_sort(SortKey::Recipient, false);
            for chunk in all.chunks(500) {
                s.extend(chunk.to_vec());
            }
            black_box(s.visible().len())
        })
    });
    let mut session = Session::new();
    session.extend(all);
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
    // Issue #15: grouping 100,000 failures into incidents (target < 200 ms). Every
    // synthetic diagnostic differs (a message number), so no template is reused.
    c.bench_function("incidents: group 100k", |b| {
        b.iter(|| {
            let mut incidents = Incidents::default();
            incidents.catch_up(session.records(), |i| session.provider_of(i), |_| false);
            black_box(incidents.all().len())
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = bench
}
criterion_main!(benches);
