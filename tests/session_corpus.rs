//! The session over real bounces: the sisimai corpus through the engine. Whatever the
//! data, every summary group must filter to exactly its own count, filters must agree
//! with the record fields they test, and sorting must keep every record.

use std::path::{Path, PathBuf};

use rebound::bounce::analyze;
use rebound::session::{Filter, Session, SortKey};
use rebound::source::{Analysed, Origin};

/// The corpus analysed once for all tests of this file.
fn corpus_reports() -> Vec<Analysed> {
    static CORPUS: std::sync::OnceLock<Vec<Analysed>> = std::sync::OnceLock::new();
    CORPUS.get_or_init(analyse_corpus).clone()
}

fn analyse_corpus() -> Vec<Analysed> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/maildir/bsd");
    let mut paths: Vec<PathBuf> =
        std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    paths.sort();
    let batch: Vec<Analysed> = paths
        .iter()
        .filter_map(|p| {
            let report = analyze(&std::fs::read(p).ok()?)?;
            Some(Analysed { origin: Origin::File { path: p.clone(), message: 1 }, report })
        })
        .collect();
    batch
}

fn corpus_session() -> Session {
    let mut s = Session::new();
    s.extend(corpus_reports());
    s
}

#[test]
fn records_arriving_in_batches_land_where_a_full_sort_puts_them() {
    let all = corpus_reports();
    for (key, desc) in [(SortKey::Date, false), (SortKey::Code, true), (SortKey::Recipient, false)]
    {
        let filter = Filter { class: Some(5), ..Filter::default() };
        let mut batched = Session::new();
        batched.set_filter(filter.clone());
        batched.set_sort(key, desc);
        for chunk in all.chunks(7) {
            batched.extend(chunk.to_vec());
        }
        let mut whole = Session::new();
        whole.extend(all.clone());
        whole.set_filter(filter);
        whole.set_sort(key, desc);
        assert_eq!(batched.visible(), whole.visible(), "{key:?} desc={desc}");
    }
}

#[test]
fn summary_groups_filter_to_their_counts_on_real_bounces() {
    let mut s = corpus_session();
    assert!(s.records().len() > 400, "{} records", s.records().len());
    let summary = s.summary();
    assert_eq!(summary.records, s.records().len());
    for (title, groups) in summary.sections() {
        if title == "class" || title == "hard/soft" || title == "kind" || title == "reason" {
            let total: usize = groups.iter().map(|g| g.count).sum();
            let expected = if title == "class" {
                s.records().iter().filter(|r| r.class().is_some()).count()
            } else {
                s.records().len()
            };
            assert_eq!(total, expected, "{title} counts add up");
        }
        for g in groups {
            s.set_filter(g.key.apply(&Filter::default()));
            assert_eq!(s.visible().len(), g.count, "{title} {}", g.label());
        }
    }
}

#[test]
fn filters_agree_with_the_fields_they_test() {
    let mut s = corpus_session();
    s.set_filter(Filter { code_prefix: Some("5.7".into()), ..Filter::default() });
    assert!(!s.visible().is_empty());
    for r in s.visible_records() {
        let c = r.status().expect("a 5.7 prefix needs a status");
        assert_eq!((c.class, c.subject), (5, 7));
    }
    s.set_filter(Filter { text: Some("USER UNKNOWN".into()), ..Filter::default() });
    assert!(!s.visible().is_empty());
    for r in s.visible_records() {
        assert!(r.search_text().contains("user unknown"));
    }
    let before = s.visible().len();
    s.set_filter(Filter {
        text: Some("user unknown".into()),
        hard: Some(true),
        ..Filter::default()
    });
    assert!(s.visible().len() <= before);
    assert!(s.visible_records().all(|r| r.recipient().hard));
}

#[test]
fn every_sort_keeps_every_record_and_orders_dates() {
    let mut s = corpus_session();
    let n = s.visible().len();
    for key in SortKey::ALL {
        for desc in [false, true] {
            s.set_sort(*key, desc);
            let mut v = s.visible().to_vec();
            v.sort_unstable();
            v.dedup();
            assert_eq!(v.len(), n, "{key:?} desc={desc}");
        }
    }
    s.set_sort(SortKey::Date, true);
    let dates: Vec<_> = s.visible_records().map(|r| r.date()).collect();
    let with: Vec<_> = dates.iter().take_while(|d| d.is_some()).flatten().collect();
    assert!(with.windows(2).all(|w| w[0] >= w[1]), "descending dates");
    assert!(dates[with.len()..].iter().all(Option::is_none), "records without a date last");
}
