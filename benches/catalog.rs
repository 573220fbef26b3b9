//! Catalog benchmarks: parsing and indexing the built-in data, and lookups.
//!
//! Run with `cargo bench --bench catalog`; the figures go in the README's Catalog section.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use rebound::bounce::StatusCode;
use rebound::catalog::{Catalog, Entry, FixOwner, Query, Retry};

/// 300 provider entries with match texts, so the text scan is measured with a realistic
/// automaton even before the provider data files are merged.
fn with_match_texts() -> Catalog {
    let extra = (0..300).map(|i| Entry {
        key: format!("5.7.{}", 500 + i % 200),
        provider: Some(format!("provider-{}", i % 10)),
        match_texts: vec![format!("provider {i} rejected this message because rule {i}")],
        title: "bench".into(),
        meaning: "bench".into(),
        causes: Vec::new(),
        fix_owner: vec![FixOwner::SenderAdmin],
        sender_steps: Vec::new(),
        admin_steps: vec!["bench".into()],
        retry: Retry::FixThenResend,
        reference: None,
    });
    Catalog::from_entries(Catalog::builtin().entries().iter().cloned().chain(extra))
}

fn bench(c: &mut Criterion) {
    c.bench_function("load_builtin (parse + index)", |b| {
        b.iter(|| black_box(Catalog::load_builtin().expect("built-in catalog parses")))
    });

    c.bench_function("load_builtin + build the match-text automaton", |b| {
        b.iter(|| {
            let catalog = Catalog::load_builtin().expect("built-in catalog parses");
            catalog.prepare_text_matching();
            black_box(catalog)
        })
    });

    let entries = Catalog::builtin().entries().to_vec();
    c.bench_function("index only (from_entries)", |b| {
        b.iter(|| black_box(Catalog::from_entries(entries.iter().cloned())))
    });

    let catalog = with_match_texts();
    catalog.prepare_text_matching();
    let exact = Query {
        status: Some(StatusCode::new(5, 1, 1)),
        reply_code: Some(550),
        diagnostic: "",
        provider: None,
        reason: None,
    };
    c.bench_function("guidance exact code", |b| b.iter(|| black_box(catalog.guidance(&exact))));

    let diagnostic = "host mx.example.org[192.0.2.7] said: 550 5.7.200 Message rejected by \
                      local policy, see https://example.org/help for details (in reply to \
                      end of DATA command)";
    let no_text = Query {
        status: Some(StatusCode::new(5, 7, 200)),
        reply_code: Some(550),
        diagnostic,
        provider: Some("postfix"),
        reason: None,
    };
    c.bench_function("guidance diagnostic, no text match (fallback to 5.7.x)", |b| {
        b.iter(|| black_box(catalog.guidance(&no_text)))
    });

    let hit = "550 5.7.650 Provider 123 REJECTED this message because rule 123; contact admin";
    let text = Query { diagnostic: hit, ..no_text };
    c.bench_function("guidance diagnostic, provider text match", |b| {
        b.iter(|| black_box(catalog.guidance(&text)))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
