//! Drawing the screen with 100,000 bounces loaded (target: one frame < 5 ms), and the
//! work a key press or an arriving batch costs on top. The records are the demo
//! mailbox's real analysed bounces, repeated with varied recipients.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use rebound::session::Filter;
use rebound::source::{Analysed, Origin, demo};
use rebound::tui::{Action, App, Theme, update};

fn demo_reports() -> Vec<Analysed> {
    (1..=demo::len())
        .filter_map(|n| {
            let report = rebound::bounce::analyze(demo::raw_message(n)?)?;
            Some(Analysed { origin: Origin::Demo { message: n }, report })
        })
        .collect()
}

fn records(n: usize) -> Vec<Analysed> {
    let base = demo_reports();
    (0..n)
        .map(|i| {
            let mut a = base[i % base.len()].clone();
            for r in &mut a.report.recipients {
                r.recipient = format!("user{i}@domain{}.example.org", i % 97);
            }
            a
        })
        .collect()
}

fn app(width: u16, height: u16, n: usize) -> App {
    let mut app = App::new("demo mailbox x 2,000", Theme::colour());
    update(&mut app, Action::Resize { width, height });
    update(&mut app, Action::BatchAnalysed { generation: 0, batch: records(n) });
    update(&mut app, Action::ScanFinished { generation: 0 });
    app
}

fn frame(app: &App) -> usize {
    let area = Rect::new(0, 0, app.area.width, app.area.height);
    let mut buf = Buffer::empty(area);
    rebound::tui::view::render(app, area, &mut buf);
    buf.content.len()
}

fn bench(c: &mut Criterion) {
    let mut list = app(200, 50, 100_000);
    update(&mut list, Action::SelectRow(50_000));
    c.bench_function("frame 200x50, list, 100k", |b| b.iter(|| black_box(frame(&list))));

    let mut split = app(200, 50, 100_000);
    update(&mut split, Action::SelectRow(50_000));
    update(&mut split, Action::Open);
    c.bench_function("frame 200x50, split view, 100k", |b| b.iter(|| black_box(frame(&split))));

    let mut small = app(80, 24, 100_000);
    update(&mut small, Action::Open);
    c.bench_function("frame 80x24, split view, 100k", |b| b.iter(|| black_box(frame(&small))));

    c.bench_function("key j + frame, 100k", |b| {
        b.iter(|| {
            update(&mut list, Action::SelectNext);
            black_box(frame(&list))
        })
    });

    let narrowing = Filter { class: Some(5), hard: Some(false), ..Filter::default() };
    c.bench_function("filter 100k (class 5, soft) + frame", |b| {
        b.iter(|| {
            list.session.set_filter(narrowing.clone());
            let n = frame(&list);
            list.session.set_filter(Filter::default());
            black_box(n)
        })
    });

    // Issue #15: the incident view of 100,000 records: grouping them (< 200 ms), then
    // one frame (< 5 ms).
    c.bench_function("incidents: group 100k demo records", |b| {
        b.iter(|| {
            let mut incidents = rebound::session::Incidents::default();
            let s = &list.session;
            incidents.catch_up(s.records(), |i| s.provider_of(i), |_| false);
            black_box(incidents.all().len())
        })
    });
    let mut incidents = app(200, 50, 100_000);
    update(&mut incidents, Action::ToggleIncidents);
    c.bench_function("frame 200x50, incident view, 100k", |b| {
        b.iter(|| black_box(frame(&incidents)))
    });
    let mut small_incidents = app(80, 24, 100_000);
    update(&mut small_incidents, Action::ToggleIncidents);
    c.bench_function("frame 80x24, incident view, 100k", |b| {
        b.iter(|| black_box(frame(&small_incidents)))
    });

    // Every batch re-filters and re-sorts the whole list; one record on top of 100k
    // measures that cost (the runtime merges batches waiting together into one).
    let one = records(1);
    c.bench_function("batch arriving at 100k (refresh)", |b| {
        b.iter(|| {
            update(&mut list, Action::BatchAnalysed { generation: 0, batch: one.clone() });
            black_box(list.session.visible().len())
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
