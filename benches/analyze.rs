//! Throughput of the bounce engine: the whole BSD corpus per iteration (mixed
//! bounces, DSNs, auto-replies, feedback reports), and one report carrying a 10 MB
//! attachment (the attachment must only be scanned, never decoded).

use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn corpus() -> Vec<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/maildir/bsd");
    let mut files: Vec<_> =
        std::fs::read_dir(dir).expect("corpus").flatten().map(|e| e.path()).collect();
    files.sort();
    files.iter().map(|p| std::fs::read(p).expect("read")).collect()
}

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

fn bench(c: &mut Criterion) {
    let messages = corpus();
    let mut group = c.benchmark_group("analyze");
    group.throughput(Throughput::Elements(messages.len() as u64));
    group.bench_function("bsd corpus", |b| {
        b.iter(|| messages.iter().filter(|m| rebound::bounce::analyze(m).is_some()).count())
    });
    group.finish();
    let big = big_report();
    let mut group = c.benchmark_group("analyze-large");
    group.throughput(Throughput::Bytes(big.len() as u64));
    group.sample_size(10);
    group.bench_function("10 MB attachment", |b| b.iter(|| rebound::bounce::analyze(&big)));
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
