//! Provider catalog data (`assets/catalog/providers/*.toml`): every file parses into
//! catalog entries, every entry is complete, and every provider text we cover (Gmail's
//! published error list and the provider/MTA reference table, copied into
//! `tests/fixtures/provider_texts.tsv`) resolves to its own specific entry.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use rebound::bounce::StatusCode;
use rebound::bounce::diagnostic::parse_reply;
use rebound::catalog::{Catalog, Entry, MatchKind, Query};
use serde::Deserialize;

/// The provider files this test owns. `exchange-online.toml` lives in the same folder
/// but has its own test; it is still required to parse here.
const OWNED: &[&str] =
    &["gmail", "yahoo", "outlook-com", "icloud", "postfix", "exim", "qmail", "sendmail"];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProviderFile {
    entry: Vec<Entry>,
}

fn providers_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/catalog/providers")
}

fn load(path: &Path) -> Vec<Entry> {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let file: ProviderFile =
        toml::from_str(&text).unwrap_or_else(|e| panic!("{} does not parse: {e}", path.display()));
    file.entry
}

fn owned_entries() -> Vec<Entry> {
    OWNED.iter().flat_map(|p| load(&providers_dir().join(format!("{p}.toml")))).collect()
}

/// One covered provider text: where it comes from, the code it is sent with, the title
/// of the entry it must resolve to, and a diagnostic containing it.
struct Row {
    source: String,
    provider: String,
    code: String,
    title: String,
    sample: String,
}

fn fixture_rows() -> Vec<Row> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/provider_texts.tsv");
    let text = std::fs::read_to_string(&path).expect("fixture provider_texts.tsv");
    text.lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            assert_eq!(f.len(), 5, "fixture line needs 5 tab-separated fields: {l}");
            Row {
                source: f[0].into(),
                provider: f[1].into(),
                code: f[2].into(),
                title: f[3].into(),
                sample: f[4].into(),
            }
        })
        .collect()
}

/// `key` is an exact code, a detail range, a subject or class wildcard, or a reply code.
fn key_is_well_formed(key: &str) -> bool {
    if key.len() == 3 && key.bytes().all(|b| b.is_ascii_digit()) {
        return (200..600).contains(&key.parse::<u16>().unwrap_or(0));
    }
    let parts: Vec<&str> = key.split('.').collect();
    if parts.len() != 3 || !matches!(parts[0], "2" | "4" | "5") {
        return false;
    }
    let num = |p: &str| !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit());
    match (parts[1], parts[2]) {
        ("x", "x") => true,
        (s, "x") => num(s),
        (s, d) => num(s) && (num(d) || d.split_once('-').is_some_and(|(a, b)| num(a) && num(b))),
    }
}

/// The key an entry for this code should carry: the enhanced code or the reply code
/// (MTA rejections are keyed by reply code so that only their wording finds them).
fn key_fits_code(key: &str, code: &str) -> bool {
    let (reply, status) = parse_reply(code);
    status.map(|s| s.to_string()).as_deref() == Some(key)
        || reply.map(|r| r.to_string()).as_deref() == Some(key)
}

#[test]
fn every_provider_file_parses() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(providers_dir())
        .expect("assets/catalog/providers exists")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    for owned in OWNED {
        assert!(
            files.iter().any(|f| f.file_stem().is_some_and(|s| s == *owned)),
            "missing {owned}.toml"
        );
    }
    for file in &files {
        assert!(!load(file).is_empty(), "{} has no entries", file.display());
    }
}

#[test]
fn owned_entries_are_complete() {
    for provider in OWNED {
        let entries = load(&providers_dir().join(format!("{provider}.toml")));
        let mut seen_texts = BTreeSet::new();
        let mut code_only = BTreeSet::new();
        for e in &entries {
            let at = format!("{provider}.toml {} {:?}", e.key, e.title);
            assert_eq!(e.provider.as_deref(), Some(*provider), "{at}: provider id");
            assert!(key_is_well_formed(&e.key), "{at}: malformed key");
            assert!(!e.title.trim().is_empty(), "{at}: empty title");
            assert!(e.title.len() <= 60, "{at}: title too long for a list row");
            assert!(!e.meaning.trim().is_empty(), "{at}: empty meaning");
            assert!(!e.fix_owner.is_empty(), "{at}: no fix owner");
            assert!(
                !e.sender_steps.is_empty() || !e.admin_steps.is_empty(),
                "{at}: no steps at all"
            );
            for step in e.sender_steps.iter().chain(&e.admin_steps).chain(&e.causes) {
                assert!(!step.trim().is_empty(), "{at}: empty step or cause");
            }
            if let Some(r) = &e.reference {
                assert!(r.starts_with("https://"), "{at}: reference must be an https URL");
            }
            if e.match_texts.is_empty() {
                assert!(code_only.insert(e.key.clone()), "{at}: two code-only entries");
            }
            for t in &e.match_texts {
                assert!(!t.trim().is_empty() && t.trim() == t, "{at}: blank or padded text");
                assert!(
                    seen_texts.insert((e.key.clone(), t.to_lowercase())),
                    "{at}: match text {t:?} used twice for the same key"
                );
            }
        }
    }
}

/// Data-only check, independent of the lookup: each covered text names an existing,
/// unambiguous entry whose key fits the code and one of whose match texts is in it.
#[test]
fn fixture_rows_point_at_fitting_entries() {
    let entries = owned_entries();
    let rows = fixture_rows();
    for row in &rows {
        let found: Vec<&Entry> = entries
            .iter()
            .filter(|e| e.provider.as_deref() == Some(&row.provider) && e.title == row.title)
            .collect();
        assert_eq!(found.len(), 1, "{}: title {:?} must name one entry", row.source, row.title);
        let e = found[0];
        assert!(key_fits_code(&e.key, &row.code), "{}: key {} vs {}", row.source, e.key, row.code);
        let sample = row.sample.to_lowercase();
        // Found by one of its texts, or by its code when it is the provider's default
        // for that code (no texts, or the only entry with that key).
        let by_code = e.match_texts.is_empty()
            || entries.iter().filter(|o| o.provider == e.provider && o.key == e.key).count() == 1;
        assert!(
            by_code || e.match_texts.iter().any(|t| sample.contains(&t.to_lowercase())),
            "{}: no match text of {:?} occurs in {:?}",
            row.source,
            e.title,
            row.sample
        );
    }
    // Gmail's published list: lines 12-36 of the seed are Gmail texts, each covered once.
    let seed: BTreeSet<&str> = rows.iter().filter_map(|r| r.source.strip_prefix("seed:")).collect();
    let want: BTreeSet<String> = (12..=36).map(|n| n.to_string()).collect();
    assert_eq!(seed, want.iter().map(String::as_str).collect(), "Gmail seed lines covered");
    let csv_rows = rows.iter().filter(|r| r.source == "csv").count();
    assert!(csv_rows >= 183, "reference table rows covered: {csv_rows}");
}

/// No dead data: every entry that has match texts is exercised by the fixture.
#[test]
fn every_text_entry_is_exercised() {
    let rows = fixture_rows();
    let used: BTreeSet<(String, String)> =
        rows.iter().map(|r| (r.provider.clone(), r.title.clone())).collect();
    for e in owned_entries().iter().filter(|e| !e.match_texts.is_empty()) {
        let id = (e.provider.clone().unwrap_or_default(), e.title.clone());
        assert!(used.contains(&id), "entry {id:?} is not covered by the fixture");
    }
}

// Lookup tests: they rely on the loader keeping several entries per (key, provider)
// when their match texts differ (Gmail alone has a dozen 5.7.1 situations).
fn query<'a>(code: &str, diagnostic: &'a str, provider: &'a str) -> Query<'a> {
    let (reply_code, status) = parse_reply(code);
    Query { status, reply_code, diagnostic, provider: Some(provider), reason: None }
}

#[test]
fn covered_texts_resolve_to_their_own_entry() {
    let catalog = Catalog::builtin();
    let mut failures = BTreeMap::new();
    for row in fixture_rows() {
        let g = catalog.guidance(&query(&row.code, &row.sample, &row.provider));
        let ok = matches!(g.matched_by, MatchKind::ProviderText | MatchKind::ProviderCode)
            && g.entry.provider.as_deref() == Some(row.provider.as_str())
            && g.entry.title == row.title;
        if !ok {
            failures.insert(
                format!("{} {} {}", row.source, row.provider, row.code),
                format!("want {:?}, got {:?} via {:?}", row.title, g.entry.title, g.matched_by),
            );
        }
    }
    assert!(failures.is_empty(), "{} rows resolve wrongly: {failures:#?}", failures.len());
}

#[test]
fn gmail_reused_codes_keep_gmail_meaning() {
    let catalog = Catalog::builtin();
    let code = |s: &str| s.parse::<StatusCode>().ok();
    let cases = [
        ("5.7.27", "Gmail: rejected, SPF did not pass"),
        ("4.7.27", "Gmail: SPF did not pass (bulk-sender rule)"),
        ("5.7.29", "Gmail: rejected, not sent over TLS"),
        ("4.7.29", "Gmail: message not sent over TLS"),
        ("5.7.30", "Gmail: rejected, DKIM did not pass"),
        ("4.7.30", "Gmail: DKIM did not pass (bulk-sender rule)"),
        ("4.7.23", "Gmail: reverse DNS missing or mismatched"),
        ("4.7.32", "Gmail: From domain not aligned (DMARC)"),
    ];
    for (status, title) in cases {
        let q = Query { status: code(status), provider: Some("gmail"), ..Query::default() };
        let g = catalog.guidance(&q);
        assert_eq!(g.entry.title, title, "gmail {status} with no text");
        assert_eq!(g.matched_by, MatchKind::ProviderCode, "gmail {status}");
    }
    // Without the provider, 5.7.27 keeps its registry meaning (null MX), not Gmail's.
    let q = Query { status: code("5.7.27"), ..Query::default() };
    assert_ne!(catalog.guidance(&q).entry.provider.as_deref(), Some("gmail"));
    // Another provider's 5.7.27 is not Gmail's either.
    let q = Query { status: code("5.7.27"), provider: Some("postfix"), ..Query::default() };
    assert_ne!(catalog.guidance(&q).entry.provider.as_deref(), Some("gmail"));
}

/// A bare provider code (no wording we know) gets the provider's default for that
/// code: the entry without match texts. Files put that entry last among the entries
/// sharing the code, so it also wins where the loader lets the later entry answer.
#[test]
fn bare_provider_codes_get_the_providers_default() {
    let catalog = Catalog::builtin();
    for e in owned_entries().iter().filter(|e| e.match_texts.is_empty()) {
        let provider = e.provider.as_deref().unwrap_or_default();
        let Ok(status) = e.key.parse::<StatusCode>() else { continue };
        let q = Query {
            status: Some(status),
            diagnostic: "wording nobody has catalogued",
            provider: Some(provider),
            ..Query::default()
        };
        let g = catalog.guidance(&q);
        assert_eq!(g.entry.title, e.title, "{provider} {}", e.key);
        assert_eq!(g.matched_by, MatchKind::ProviderCode, "{provider} {}", e.key);
    }
    let g = catalog.guidance(&query("5.4.4", "", "postfix"));
    assert_eq!(g.entry.title, "Postfix: destination not found in DNS");
    assert_eq!(g.matched_by, MatchKind::ProviderCode);
}
/// Generic wording seen from other servers (lines from the sisimai corpus) must not be
/// dressed up as one of our providers.
#[test]
fn generic_wording_from_other_servers_keeps_its_own_brand() {
    let catalog = Catalog::builtin();
    let cases: [(&str, &str, Option<&str>, &str); 5] = [
        (
            "550 5.1.1",
            "550 5.1.1 User does not exist - <kijitora@zoho.example.com>",
            None,
            "icloud",
        ),
        (
            "4.4.1",
            "unable to connect to remote server [192.0.2.222:25]: Operation timed out",
            None,
            "postfix",
        ),
        (
            "552 5.2.2",
            "The recipient's mailbox is full and can't accept messages now.",
            Some("exchange-online"),
            "exim",
        ),
        (
            "550 5.1.1",
            "550 5.1.1 Requested action not taken: mailbox unavailable",
            Some("sendmail"),
            "outlook-com",
        ),
        ("550", "550 relay not permitted", None, "icloud"),
    ];
    for (code, diagnostic, provider, not_brand) in cases {
        let (reply_code, status) = parse_reply(code);
        let q = Query { status, reply_code, diagnostic, provider, reason: None };
        let g = catalog.guidance(&q);
        assert_ne!(
            g.entry.provider.as_deref(),
            Some(not_brand),
            "{diagnostic:?} -> {:?}",
            g.entry.title
        );
    }
}

/// Gmail writes long replies over several lines, each starting `421-4.7.28 `, and a
/// DSN keeps those markers inside the diagnostic. The seed texts must still find their
/// entry when wrapped like that (widths as seen in real Gmail bounces).
fn wrap_like_gmail(code: &str, text: &str, width: usize) -> String {
    let (reply, status) = code.split_once(' ').unwrap_or((code, ""));
    let mut lines: Vec<String> = vec![String::new()];
    for word in text.split_whitespace() {
        let line = lines.last_mut().expect("one line at least");
        if !line.is_empty() && line.len() + 1 + word.len() > width {
            lines.push(word.to_string());
        } else {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
    }
    let last = lines.len() - 1;
    let mut out = String::new();
    for (i, line) in lines.iter().enumerate() {
        let sep = if i == last { ' ' } else { '-' };
        out.push_str(&format!("{reply}{sep}{status} {line} "));
    }
    out.trim_end().to_string()
}

#[test]
fn gmail_texts_survive_line_wrapping() {
    let catalog = Catalog::builtin();
    let mut failures = Vec::new();
    for row in fixture_rows().iter().filter(|r| r.source.starts_with("seed:")) {
        let text = row.sample.splitn(3, ' ').nth(2).unwrap_or(&row.sample);
        for width in [55, 60, 65, 70] {
            let wrapped = wrap_like_gmail(&row.code, text, width);
            let g = catalog.guidance(&query(&row.code, &wrapped, "gmail"));
            if g.entry.title != row.title {
                failures.push(format!("{} width {width}: got {:?}", row.source, g.entry.title));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
