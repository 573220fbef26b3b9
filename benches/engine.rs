//! Engine throughput, single thread: `analyze` over every message of the corpus (MB/s
//! and messages/s; mixed bounces, DSNs, auto-replies, feedback reports), and over one
//! report carrying a 10 MB attachment (which must only be scanned, never decoded).
//!
//! Run with `cargo bench --bench engine`; the figures go into the README's
//! "Performance" section.

use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rebound::source::mbox::{MboxReader, is_mbox};

/// Every message of the corpus, mbox files split into their messages.
fn corpus_messages() -> Vec<Vec<u8>> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        paths.sort();
        for p in paths {
            if p.is_dir() {
                walk(&p, out);
            } else if p.file_name().is_some_and(|n| n != "expected.jsonl" && n != "LICENSE") {
                out.push(p);
            }
        }
    }
    let mut paths = Vec::new();
    walk(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus")), &mut paths);
    let mut messages = Vec::new();
    for path in paths {
        let Ok(bytes) = std::fs::read(&path) else { continue };
        if is_mbox(&bytes) {
            messages.extend(MboxReader::new(bytes.as_slice()).flatten());
        } else {
            messages.push(bytes);
        }
    }
    messages
}

/// A delivery-status report followed by a 10 MB base64 attachment.
fn big_report() -> Vec<u8> {
    let mut raw = b"From: MAILER-DAEMON@example.org\nSubject: Undelivered Mail\n\
Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\n\n\
--B\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.org\n\n\
Final-Recipient: rfc822; user@example.net\nAction: failed\nStatus: 5.1.1\n\n\
--B\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n"
        .to_vec();
    while raw.len() < 10 * 1024 * 1024 {
        raw.extend_from_slice(
            b"QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB\n",
        );
    }
    raw.extend_from_slice(b"--B--\n");
    raw
}

fn engine(c: &mut Criterion) {
    let messages = corpus_messages();
    let bytes: u64 = messages.iter().map(|m| m.len() as u64).sum();
    let run = |messages: &[Vec<u8>]| {
        let mut found = 0usize;
        for m in messages {
            found += usize::from(black_box(rebound::bounce::analyze(black_box(m))).is_some());
        }
        found
    };

    let mut group = c.benchmark_group("analyze_corpus");
    group.sample_size(20);
    group.throughput(Throughput::Bytes(bytes));
    group.bench_function("bytes", |b| b.iter(|| run(&messages)));
    group.throughput(Throughput::Elements(messages.len() as u64));
    group.bench_function("messages", |b| b.iter(|| run(&messages)));
    group.finish();

    let big = big_report();
    let mut group = c.benchmark_group("analyze_large");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(big.len() as u64));
    group.bench_function("10 MB attachment", |b| {
        b.iter(|| black_box(rebound::bounce::analyze(black_box(&big))).is_some())
    });
    group.finish();
}

criterion_group!(benches, engine);
criterion_main!(benches);
