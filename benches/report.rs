//! Exporting 100,000 records to each format (target: under 2 s each). Output goes to
//! a sink so the figure is the formatting work, not the disk.

#[path = "synthetic.rs"]
mod synthetic;

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use rebound::report::{self, Format, ReportMeta};
use rebound::session::Session;

fn bench(c: &mut Criterion) {
    let mut session = Session::new();
    session.extend(synthetic::records(100_000));
    let meta = ReportMeta::now("bench");
    for format in Format::ALL {
        c.bench_function(&format!("export 100k: {format}"), |b| {
            b.iter(|| {
                let mut out = CountingSink(0);
                report::write(*format, black_box(&session), &meta, &mut out).unwrap();
                black_box(out.0)
            })
        });
    }
}

/// Counts bytes so the optimiser cannot skip the writing.
struct CountingSink(usize);

impl std::io::Write for CountingSink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = bench
}
criterion_main!(benches);
