//! Whatever the bytes, the engine returns: real corpus messages damaged the ways mail
//! gets damaged (truncated, bit rot, broken MIME boundaries, mixed line endings) must
//! never make `analyze` or the header parsers panic.

mod common;

use std::path::PathBuf;
use std::sync::OnceLock;

use proptest::prelude::*;
use rebound::bounce::{analyze, auth::parse_auth, date::parse_date, hops::parse_chain};

/// Every message file of the corpus (mbox files included: they are bytes too).
fn corpus() -> &'static [Vec<u8>] {
    static FILES: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    FILES.get_or_init(|| {
        let mut paths = Vec::new();
        let mut stack = vec![PathBuf::from("tests/corpus")];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("corpus is readable").flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.file_name().is_some_and(|n| n != "expected.jsonl") {
                    paths.push(path);
                }
            }
        }
        paths.sort();
        paths.iter().map(|p| std::fs::read(p).expect("corpus file is readable")).collect()
    })
}

/// One way to damage a message.
#[derive(Debug, Clone)]
enum Damage {
    /// Keep this fraction (per mille) of the bytes.
    Truncate(u16),
    /// Overwrite bytes at these relative positions (per mille) with these values.
    Flip(Vec<(u16, u8)>),
    /// Corrupt the MIME boundaries: drop the closing `--`, change a character, or cut
    /// the boundary parameter's quote.
    BreakBoundaries(u8),
    /// Change line endings: to CRLF, to CR, to LF, or remove some entirely.
    LineEndings(u8),
    /// Insert a run of bytes (NULs, 8-bit, or a fake header) at a relative position.
    Insert(u16, Vec<u8>),
    /// Replace the bytes at these relative positions with a character of 2, 3 or 4
    /// bytes in UTF-8 (a misdecoded or foreign letter inside a keyword): any slice at a
    /// fixed byte offset then lands inside a character.
    Widen(Vec<(u16, u8)>),
    /// The same a few bytes into lines (line at this relative index, byte offset into
    /// it, which character): where line readers test fixed-length prefixes.
    WidenNearLineStart(Vec<(u16, u8, u8)>),
}

/// Characters `Widen` puts in: 2, 3 and 4 bytes long, and the replacement character a
/// lossy decode leaves.
const WIDE: [&str; 5] = ["é", "€", "\u{fffd}", "😀", "İ"];

fn damage() -> impl Strategy<Value = Damage> {
    prop_oneof![
        (0u16..=1000).prop_map(Damage::Truncate),
        prop::collection::vec((0u16..1000, any::<u8>()), 1..16).prop_map(Damage::Flip),
        (0u8..4).prop_map(Damage::BreakBoundaries),
        (0u8..4).prop_map(Damage::LineEndings),
        (0u16..1000, prop::collection::vec(any::<u8>(), 0..64))
            .prop_map(|(at, b)| Damage::Insert(at, b)),
        prop::collection::vec((0u16..1000, 0u8..5), 1..8).prop_map(Damage::Widen),
        prop::collection::vec((0u16..1000, 0u8..16, 0u8..5), 1..8)
            .prop_map(Damage::WidenNearLineStart),
    ]
}

fn at(len: usize, per_mille: u16) -> usize {
    len * usize::from(per_mille) / 1000
}

fn replace_all(bytes: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i..].starts_with(from) {
            out.extend_from_slice(to);
            i += from.len();
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

fn apply(mut bytes: Vec<u8>, damage: &Damage) -> Vec<u8> {
    match damage {
        Damage::Truncate(keep) => {
            bytes.truncate(at(bytes.len(), *keep));
            bytes
        }
        Damage::Flip(flips) => {
            for (pos, value) in flips {
                let i = at(bytes.len(), *pos);
                if let Some(b) = bytes.get_mut(i) {
                    *b = *value;
                }
            }
            bytes
        }
        Damage::BreakBoundaries(how) => match how {
            0 => replace_all(&bytes, b"--\n", b"\n"),
            1 => replace_all(&bytes, b"\n--", b"\n-x"),
            2 => replace_all(&bytes, b"boundary=\"", b"boundary="),
            _ => replace_all(&bytes, b"Content-Type: multipart", b"Content-Type: multipart/;"),
        },
        Damage::LineEndings(how) => {
            let lf = replace_all(&bytes, b"\r\n", b"\n");
            match how {
                0 => replace_all(&lf, b"\n", b"\r\n"),
                1 => replace_all(&lf, b"\n", b"\r"),
                2 => lf,
                _ => replace_all(&lf, b"\n\n", b"\n"),
            }
        }
        Damage::Widen(spots) => {
            for (pos, which) in spots {
                let i = at(bytes.len(), *pos);
                if i < bytes.len() {
                    let wide = WIDE[usize::from(*which) % WIDE.len()].as_bytes();
                    bytes.splice(i..=i, wide.iter().copied());
                }
            }
            bytes
        }
        Damage::WidenNearLineStart(spots) => {
            for (line, offset, which) in spots {
                let starts: Vec<usize> = std::iter::once(0)
                    .chain(
                        bytes.iter().enumerate().filter(|(_, b)| **b == b'\n').map(|(i, _)| i + 1),
                    )
                    .collect();
                let start = starts[at(starts.len(), *line).min(starts.len() - 1)];
                let i = start + usize::from(*offset);
                if i < bytes.len() {
                    let wide = WIDE[usize::from(*which) % WIDE.len()].as_bytes();
                    bytes.splice(i..=i, wide.iter().copied());
                }
            }
            bytes
        }
        Damage::Insert(pos, extra) => {
            let i = at(bytes.len(), *pos);
            bytes.splice(i..i, extra.iter().copied());
            bytes
        }
    }
}

proptest! {
    // 192 cases in the test run; PROPTEST_CASES=N asks for a longer hunt.
    #![proptest_config(ProptestConfig::with_cases(common::proptest_cases(192)))]

    #[test]
    fn damaged_corpus_messages_never_panic(
        index in any::<prop::sample::Index>(),
        damages in prop::collection::vec(damage(), 1..4),
    ) {
        let files = corpus();
        let original = &files[index.index(files.len())];
        let mut bytes = original.clone();
        for d in &damages {
            bytes = apply(bytes, d);
        }
        let report = analyze(&bytes);
        // The engine is pure: the same damaged bytes give the same answer again.
        prop_assert_eq!(&report, &analyze(&bytes));
        if let Some(report) = report {
            prop_assert!(serde_json::to_string(&report).is_ok());
        }
    }

    #[test]
    fn header_parsers_take_any_text(text in "\\PC{0,200}", semis in "[;() \\t\\r\\n]{0,8}") {
        let mixed = format!("{semis}{text}{semis}");
        let _ = parse_date(&mixed);
        let hops = parse_chain(&[mixed.as_str(), text.as_str()]);
        prop_assert_eq!(hops.len(), 2);
        let _ = parse_auth(&[mixed.as_str()], &[text.as_str()]);
    }
}

#[test]
fn every_corpus_message_and_its_prefixes_are_analysed_without_panic() {
    for bytes in corpus() {
        let _ = analyze(bytes);
        // Cut in the header, at the body, and mid-body.
        for per_mille in [37, 333, 777] {
            let _ = analyze(&bytes[..at(bytes.len(), per_mille)]);
        }
    }
}
