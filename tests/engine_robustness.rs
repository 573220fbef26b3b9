//! The engine never panics and keeps bounded work whatever the bytes: every corpus
//! file in every line-ending flavour, empty and tiny files, garbage, NUL bytes, and a
//! report carrying a 50 MB attachment. Also checks that the header prefilter accepts
//! every message the engine reports (the IMAP source relies on it).

mod common;

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use rebound::bounce::{self, prefilter};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("corpus dir").flatten() {
        let p = entry.path();
        if p.is_dir() {
            out.extend(files_in(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

#[test]
fn every_corpus_file_is_analysed_without_panic() {
    let files = files_in(&corpus());
    assert!(files.len() > 700, "corpus looks incomplete: {}", files.len());
    for f in &files {
        let raw = std::fs::read(f).expect("read");
        let _ = bounce::analyze(&raw);
    }
}

#[test]
fn empty_and_tiny_inputs_are_not_reports() {
    for raw in [&b""[..], b"\n", b"x", b"\r\n\r\n", b"From:", b"\0\0\0"] {
        assert!(bounce::analyze(raw).is_none(), "{raw:?}");
    }
    for name in ["size-0", "size-1", "size-2"] {
        let raw = std::fs::read(corpus().join("mailbox").join(name)).expect("read");
        assert!(bounce::analyze(&raw).is_none(), "{name}");
    }
}

/// The same bounce with LF, CRLF and CR-only endings gives the same answers.
#[test]
fn line_endings_do_not_change_the_answer() {
    let mut compared = 0;
    for f in files_in(&corpus().join("maildir/dos")) {
        let name = f.file_name().expect("name").to_owned();
        let bsd = corpus().join("maildir/bsd").join(&name);
        let mac = corpus().join("maildir/mac").join(&name);
        let Ok(lf) = std::fs::read(&bsd) else { continue };
        let summary = |raw: &[u8]| {
            bounce::analyze(raw).map(|r| {
                r.recipients
                    .iter()
                    .map(|x| (x.recipient.clone(), x.status, x.reason))
                    .collect::<Vec<_>>()
            })
        };
        let want = summary(&lf);
        // The dos/mac copies are the same messages; compare only when they are
        // byte-identical to the LF one apart from line endings.
        let crlf = std::fs::read(&f).expect("read");
        if crlf.iter().filter(|&&b| b != b'\r').eq(lf.iter()) {
            assert_eq!(summary(&crlf), want, "CRLF {}", f.display());
            compared += 1;
        }
        if let Ok(cr) = std::fs::read(&mac) {
            let as_lf: Vec<u8> = cr.iter().map(|&b| if b == b'\r' { b'\n' } else { b }).collect();
            if as_lf == lf {
                assert_eq!(summary(&cr), want, "CR {}", mac.display());
                compared += 1;
            }
        }
    }
    assert!(compared > 20, "too few comparable pairs: {compared}");
}

/// A DSN followed by a 50 MB attachment: the report is found, and the attachment is
/// never decoded (only scanned for the closing boundary).
#[test]
fn huge_attachment_is_skipped() {
    let mut raw = b"From: MAILER-DAEMON@example.org\nSubject: Undelivered Mail\n\
Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\n\n\
--B\nContent-Type: text/plain\n\nThe mail system\n\n\
--B\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.org\n\n\
Final-Recipient: rfc822; user@example.net\nAction: failed\nStatus: 5.1.1\n\
Diagnostic-Code: smtp; 550 5.1.1 user unknown\n\n\
--B\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n"
        .to_vec();
    let line = b"QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB\n";
    while raw.len() < 50 * 1024 * 1024 {
        raw.extend_from_slice(line);
    }
    raw.extend_from_slice(b"--B--\n");
    let report = bounce::analyze(&raw).expect("the DSN is still read");
    assert_eq!(report.recipients.len(), 1);
    assert_eq!(report.recipients[0].status.map(|s| s.to_string()).as_deref(), Some("5.1.1"));
}

/// Crafted sizes that could make a reader quadratic: a huge header block and a
/// notice listing thousands of recipients. Both must finish (the cap keeps the work
/// bounded) and still be read.
#[test]
fn crafted_sizes_stay_bounded() {
    let mut raw = b"From: MAILER-DAEMON@example.org\nSubject: Undelivered Mail\n".to_vec();
    for i in 0..100_000 {
        raw.extend_from_slice(format!("X-Filler-{i}: value\n").as_bytes());
    }
    raw.extend_from_slice(
        b"\nThe following address(es) failed:\n\n  a@example.net\n    550 5.1.1 unknown\n",
    );
    let _ = bounce::analyze(&raw);

    let mut raw = b"From: MAILER-DAEMON@example.org\nSubject: Undelivered Mail\n\n\
This message was created automatically by mail delivery software.\n\n"
        .to_vec();
    for i in 0..20_000 {
        raw.extend_from_slice(
            format!("  user{i}@example.net\n    550 5.1.1 user unknown\n").as_bytes(),
        );
    }
    let report = bounce::analyze(&raw).expect("a report");
    assert!(!report.recipients.is_empty());
}

#[test]
fn nul_bytes_and_broken_mime_are_survived() {
    let raw = b"From: MAILER-DAEMON@x\0\nContent-Type: multipart/report; boundary=\n\n--\0\n\
Content-Type: message/delivery-status\n\nFinal-Recipient: rfc822; a@b.example\0\nStatus: 5.\0.1\n";
    let _ = bounce::analyze(raw);
    let raw = b"From: MAILER-DAEMON@x\nContent-Type: multipart/report; boundary=\"Q\"\n\n--Q\n\
Content-Type: message/delivery-status\nContent-Transfer-Encoding: base64\n\n!!!not base64!!!\n";
    let _ = bounce::analyze(raw);
}

/// The IMAP source fetches bodies only for messages the prefilter accepts, so it must
/// accept every message the engine reports.
#[test]
fn prefilter_accepts_every_reported_corpus_file() {
    let mut reported = 0;
    for f in files_in(&corpus()) {
        let raw = std::fs::read(&f).expect("read");
        let header = prefilter::header_block(&raw);
        if let Some(r) = bounce::analyze_unfiltered(&raw) {
            reported += 1;
            assert!(prefilter::could_be_report(header), "{} ({:?})", f.display(), r.kind);
        }
    }
    assert!(reported > 600, "only {reported} corpus files were reported");
}

proptest! {
    // 64 cases in the test run; PROPTEST_CASES=N asks for a longer hunt.
    #![proptest_config(ProptestConfig::with_cases(common::proptest_cases(64)))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = bounce::analyze(&bytes);
    }

    #[test]
    fn damaged_bounces_never_panic(cut in 0usize..4000, flip in 0usize..4000, byte in any::<u8>()) {
        let raw = std::fs::read(corpus().join("maildir/bsd/lhost-postfix-01.eml")).expect("read");
        let mut damaged = raw[..cut.min(raw.len())].to_vec();
        if !damaged.is_empty() {
            let i = flip % damaged.len();
            damaged[i] = byte;
        }
        let _ = bounce::analyze(&damaged);
    }
}
