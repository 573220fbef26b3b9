//! Messages on disk: single files, Maildirs, folders of `.eml` files, mbox files.
//!
//! Files are read in walk order, messages are gathered into batches and each batch is
//! analysed on all cores (the engine is pure, so this is safe and keeps the output
//! order). A file that cannot be read is reported and skipped; the scan goes on.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use super::mbox::{MboxReader, is_mbox};
use super::walk::message_files;
use super::{Analysed, Origin, Progress, RawMessage, Source, SourceEvent};

/// Messages per batch: large enough to keep both cores busy, small enough for the UI
/// to show results early.
const BATCH_MESSAGES: usize = 256;
/// Flush earlier when a batch holds this many bytes (big attachments).
const BATCH_BYTES: usize = 32 << 20;

/// Files, directories and mbox files named on the command line.
pub struct OfflineSource {
    paths: Vec<PathBuf>,
    threads: usize,
}

impl OfflineSource {
    pub fn new(paths: Vec<PathBuf>) -> Self {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
        OfflineSource { paths, threads }
    }

    /// Use this many analysis threads (1 analyses on the calling thread).
    pub fn with_threads(mut self, threads: usize) -> Self {
        self.threads = threads.max(1);
        self
    }
}

impl Source for OfflineSource {
    fn describe(&self) -> String {
        match self.paths.as_slice() {
            [one] => one.display().to_string(),
            many => format!("{} paths", many.len()),
        }
    }

    fn run(&mut self, emit: &mut dyn FnMut(SourceEvent), cancel: &AtomicBool) {
        emit(SourceEvent::Started { description: self.describe() });
        let mut scan = Scan {
            threads: self.threads,
            progress: Progress::default(),
            pending: Vec::new(),
            pending_bytes: 0,
        };
        let mut files = Vec::new();
        for root in &self.paths {
            let (found, errors) = message_files(root);
            for e in errors {
                emit(failed(&e.path, &e.error));
            }
            files.extend(found);
        }
        scan.progress.total = Some(files.len());
        emit(SourceEvent::Progress(scan.progress));
        for path in &files {
            if cancel.load(Ordering::Relaxed) {
                break;
            }
            scan.read_file(path, emit, cancel);
        }
        if !cancel.load(Ordering::Relaxed) {
            scan.flush(emit);
        }
        emit(SourceEvent::Finished);
    }
}

fn failed(path: &Path, error: &std::io::Error) -> SourceEvent {
    SourceEvent::Failed {
        origin: Some(Origin::File { path: path.to_path_buf(), message: 1 }),
        error: format!("cannot read {}: {error}", path.display()),
    }
}

/// The state of one run: progress and the batch being filled.
struct Scan {
    threads: usize,
    progress: Progress,
    pending: Vec<RawMessage>,
    pending_bytes: usize,
}

impl Scan {
    fn read_file(&mut self, path: &Path, emit: &mut dyn FnMut(SourceEvent), cancel: &AtomicBool) {
        let mut file = match File::open(path) {
            Ok(f) => f,
            Err(e) => return emit(failed(path, &e)),
        };
        let mut head = [0u8; 5];
        let head_len = match read_up_to(&mut file, &mut head) {
            Ok(n) => n,
            Err(e) => return emit(failed(path, &e)),
        };
        if !is_mbox(&head[..head_len]) {
            let mut bytes = head[..head_len].to_vec();
            if let Err(e) = file.read_to_end(&mut bytes) {
                return emit(failed(path, &e));
            }
            self.push(
                RawMessage { origin: Origin::File { path: path.to_path_buf(), message: 1 }, bytes },
                emit,
            );
            return;
        }
        // An mbox: its message count is not known until it is read.
        self.progress.total = None;
        let reader = BufReader::with_capacity(256 << 10, (&head[..head_len]).chain(file));
        for (i, message) in MboxReader::new(reader).enumerate() {
            if cancel.load(Ordering::Relaxed) {
                return;
            }
            match message {
                Ok(bytes) => {
                    let origin = Origin::File { path: path.to_path_buf(), message: i + 1 };
                    self.push(RawMessage { origin, bytes }, emit);
                }
                Err(e) => return emit(failed(path, &e)),
            }
        }
    }

    fn push(&mut self, message: RawMessage, emit: &mut dyn FnMut(SourceEvent)) {
        self.pending_bytes += message.bytes.len();
        self.pending.push(message);
        if self.pending.len() >= BATCH_MESSAGES || self.pending_bytes >= BATCH_BYTES {
            self.flush(emit);
        }
    }

    /// Analyse the pending batch and report it.
    fn flush(&mut self, emit: &mut dyn FnMut(SourceEvent)) {
        if self.pending.is_empty() {
            return;
        }
        let batch = std::mem::take(&mut self.pending);
        self.progress.examined += batch.len();
        self.progress.bytes += self.pending_bytes as u64;
        self.pending_bytes = 0;
        let found = analyse_all(batch, self.threads);
        self.progress.found += found.len();
        if !found.is_empty() {
            emit(SourceEvent::BatchAnalysed(found));
        }
        emit(SourceEvent::Progress(self.progress));
    }
}

/// Analyse messages on up to `threads` threads, keeping their order.
pub fn analyse_all(batch: Vec<RawMessage>, threads: usize) -> Vec<Analysed> {
    let threads = threads.min(batch.len()).max(1);
    let reports: Vec<Option<crate::bounce::Report>> = if threads == 1 {
        batch.iter().map(|m| crate::bounce::analyze(&m.bytes)).collect()
    } else {
        let next = AtomicUsize::new(0);
        let mut results: Vec<(usize, Option<crate::bounce::Report>)> = std::thread::scope(|s| {
            let workers: Vec<_> = (0..threads)
                .map(|_| {
                    s.spawn(|| {
                        let mut mine = Vec::new();
                        loop {
                            let i = next.fetch_add(1, Ordering::Relaxed);
                            let Some(m) = batch.get(i) else { break };
                            mine.push((i, crate::bounce::analyze(&m.bytes)));
                        }
                        mine
                    })
                })
                .collect();
            // A panic in the engine is a bug; losing that batch beats losing the scan.
            workers.into_iter().flat_map(|w| w.join().unwrap_or_default()).collect()
        });
        results.sort_unstable_by_key(|(i, _)| *i);
        let mut reports: Vec<Option<crate::bounce::Report>> = vec![None; batch.len()];
        for (i, r) in results {
            reports[i] = r;
        }
        reports
    };
    batch
        .into_iter()
        .zip(reports)
        .filter_map(|(m, r)| r.map(|report| Analysed { origin: m.origin, report }))
        .collect()
}

/// Read until `buf` is full or the file ends; returns how many bytes were read.
fn read_up_to(file: &mut File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match file.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}
