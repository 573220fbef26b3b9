//! The status-code catalog: built-in data, lookup order, user files.

use std::collections::HashSet;
use std::path::Path;

use rebound::bounce::StatusCode;
use rebound::catalog::{Catalog, Entry, Key, MatchKind, Query, builtin_files, parse_file};

fn code(s: &str) -> StatusCode {
    s.parse().unwrap()
}

fn by_status<'a>(catalog: &'a Catalog, s: &str) -> (&'a Entry, MatchKind) {
    let q = Query { status: Some(code(s)), ..Query::default() };
    let g = catalog.guidance(&q);
    (g.entry, g.matched_by)
}

#[test]
fn builtin_catalog_loads_and_every_entry_is_complete() {
    let catalog = Catalog::load_builtin().expect("built-in catalog files parse");
    assert!(catalog.entries().len() > 10, "{}", catalog.entries().len());
    for e in catalog.entries() {
        assert!(Key::parse(&e.key).is_ok(), "{}", e.key);
        assert!(!e.title.trim().is_empty(), "{}: title", e.key);
        assert!(!e.meaning.trim().is_empty(), "{}: meaning", e.key);
        assert!(!e.fix_owner.is_empty(), "{}: fix_owner", e.key);
        assert!(
            !e.sender_steps.is_empty() || !e.admin_steps.is_empty(),
            "{} ({:?}): no steps at all",
            e.key,
            e.provider
        );
    }
}

#[test]
fn no_two_builtin_entries_share_key_and_provider() {
    let mut seen = HashSet::new();
    for (name, text) in builtin_files() {
        for e in parse_file(Path::new(name), text).unwrap() {
            let id =
                (Key::parse(&e.key).unwrap(), e.provider.as_deref().map(str::to_ascii_lowercase));
            assert!(seen.insert(id), "{name}: duplicate {} {:?}", e.key, e.provider);
        }
    }
}

#[test]
fn unregistered_codes_fall_back_to_subject_then_class() {
    let catalog = Catalog::builtin();
    let (e, how) = by_status(catalog, "5.7.200");
    assert_eq!((e.key.as_str(), how), ("5.7.x", MatchKind::SubjectClass));
    let (e, how) = by_status(catalog, "4.4.999");
    assert_eq!((e.key.as_str(), how), ("4.4.x", MatchKind::SubjectClass));
    let (e, how) = by_status(catalog, "5.9.1");
    assert_eq!((e.key.as_str(), how), ("5.x.x", MatchKind::Class));
    let g = catalog.guidance(&Query::default());
    assert_eq!(g.matched_by, MatchKind::Fallback);
}
