//! Messages on disk: single files, Maildirs, folders of `.eml` files, mbox files.
//!
//! Files are taken in walk order, a few hundred at a time; worker threads (one per
//! core) read and analyse them, and the results are reported in walk order, so the
//! output is the same whatever the thread count. Reading happens on the workers too:
//! with the kernel copy spread over the cores, neither side waits for the other. An
//! mbox is noticed by its first bytes and then streamed by the calling thread, its
//! messages analysed in batches on the same workers. A file that cannot be read is
//! reported and skipped; the scan goes on.

use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use super::mbox::{MboxReader, is_mbox};
use super::walk::message_files;
use super::{Analysed, Origin, Progress, RawMessage, Source, SourceEvent};
use crate::bounce::{Report, analyze};

/// Files or messages per batch: enough to keep every core busy, few enough for the UI
/// to show results early.
const BATCH: usize = 256;
/// An mbox batch is also cut at this many bytes (messages with big attachments).
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

    /// Use this many analysis threads (1 works on the calling thread).
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
        let mut files = Vec::new();
        for root in &self.paths {
            let (found, errors) = message_files(root);
            for e in errors {
                emit(failed(&e.path, &e.error));
            }
            files.extend(found);
        }
        let mut scan = Scan {
            threads: self.threads,
            progress: Progress { total: Some(files.len()), ..Progress::default() },
            found: Vec::new(),
        };
        emit(SourceEvent::Progress(scan.progress));
        for chunk in files.chunks(BATCH) {
            if cancel.load(Ordering::Relaxed) {
                break;
            }
            scan.files(chunk, emit, cancel);
        }
        emit(SourceEvent::Finished);
    }
}

fn failed(path: &Path, error: &io::Error) -> SourceEvent {
    SourceEvent::Failed {
        origin: Some(Origin::File { path: path.to_path_buf(), message: 1 }),
        error: format!("cannot read {}: {error}", path.display()),
    }
}

/// Work for one worker: a file to read and analyse, or an mbox message to analyse.
enum Job<'a> {
    File(&'a Path),
    Message(&'a RawMessage),
}

/// What a worker made of a job.
enum Outcome {
    Analysed {
        report: Option<Box<Report>>,
        bytes: u64,
    },
    /// The file is an mbox: the calling thread streams it.
    Mbox,
    Failed(io::Error),
}

/// The state of one run: progress, and reports waiting to be sent in one batch.
struct Scan {
    threads: usize,
    progress: Progress,
    found: Vec<Analysed>,
}

impl Scan {
    /// Read and analyse a chunk of files; mbox files among them are streamed in place.
    fn files(&mut self, chunk: &[PathBuf], emit: &mut dyn FnMut(SourceEvent), cancel: &AtomicBool) {
        let jobs: Vec<Job> = chunk.iter().map(|p| Job::File(p)).collect();
        for (path, outcome) in chunk.iter().zip(run_jobs(&jobs, self.threads)) {
            match outcome {
                Outcome::Analysed { report, bytes } => {
                    let origin = Origin::File { path: path.clone(), message: 1 };
                    self.count(origin, report.map(|r| *r), bytes);
                }
                Outcome::Failed(e) => emit(failed(path, &e)),
                Outcome::Mbox => {
                    if cancel.load(Ordering::Relaxed) {
                        return;
                    }
                    // Reports so far go out first, to keep the walk order.
                    self.send(emit);
                    self.mbox(path, emit, cancel);
                }
            }
        }
        self.send(emit);
    }

    /// Stream one mbox, analysing its messages batch by batch.
    fn mbox(&mut self, path: &Path, emit: &mut dyn FnMut(SourceEvent), cancel: &AtomicBool) {
        // Its message count is unknown until it has been read.
        self.progress.total = None;
        let file = match File::open(path) {
            Ok(f) => f,
            Err(e) => return emit(failed(path, &e)),
        };
        let mut batch: Vec<RawMessage> = Vec::new();
        let mut batch_bytes = 0;
        let mut messages = MboxReader::new(BufReader::with_capacity(256 << 10, file)).enumerate();
        loop {
            let next = messages.next();
            let end = next.is_none();
            match next {
                Some((i, Ok(bytes))) => {
                    batch_bytes += bytes.len();
                    let origin = Origin::File { path: path.to_path_buf(), message: i + 1 };
                    batch.push(RawMessage { origin, bytes });
                }
                Some((_, Err(e))) => emit(failed(path, &e)),
                None => {}
            }
            if batch.len() >= BATCH || batch_bytes >= BATCH_BYTES || (end && !batch.is_empty()) {
                if cancel.load(Ordering::Relaxed) {
                    return;
                }
                let jobs: Vec<Job> = batch.iter().map(Job::Message).collect();
                let outcomes = run_jobs(&jobs, self.threads);
                for (message, outcome) in std::mem::take(&mut batch).into_iter().zip(outcomes) {
                    match outcome {
                        Outcome::Analysed { report, bytes } => {
                            self.count(message.origin, report.map(|r| *r), bytes);
                        }
                        Outcome::Failed(e) => emit(SourceEvent::Failed {
                            error: format!("cannot analyse {}: {e}", message.origin),
                            origin: Some(message.origin),
                        }),
                        Outcome::Mbox => {}
                    }
                }
                batch_bytes = 0;
                self.send(emit);
            }
            if end {
                return;
            }
        }
    }

    fn count(&mut self, origin: Origin, report: Option<Report>, bytes: u64) {
        self.progress.examined += 1;
        self.progress.bytes += bytes;
        if let Some(report) = report {
            self.progress.found += 1;
            self.found.push(Analysed { origin, report });
        }
    }

    /// Report what was found so far, and the progress.
    fn send(&mut self, emit: &mut dyn FnMut(SourceEvent)) {
        if !self.found.is_empty() {
            emit(SourceEvent::BatchAnalysed(std::mem::take(&mut self.found)));
        }
        emit(SourceEvent::Progress(self.progress));
    }
}

/// Run jobs on up to `threads` threads; outcomes come back in job order.
fn run_jobs(jobs: &[Job], threads: usize) -> Vec<Outcome> {
    let threads = threads.min(jobs.len()).max(1);
    if threads == 1 {
        return jobs.iter().map(run_job).collect();
    }
    let next = AtomicUsize::new(0);
    let mut done: Vec<(usize, Outcome)> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(job) = jobs.get(i) else { break };
                        mine.push((i, run_job(job)));
                    }
                    mine
                })
            })
            .collect();
        // Workers catch the engine's panics (see `guarded`), so a join cannot fail.
        workers.into_iter().flat_map(|w| w.join().unwrap_or_default()).collect()
    });
    done.sort_unstable_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, o)| o).collect()
}

fn run_job(job: &Job) -> Outcome {
    match job {
        Job::Message(m) => guarded(&m.bytes),
        Job::File(path) => match read_message_file(path) {
            Ok(Some(bytes)) => guarded(&bytes),
            Ok(None) => Outcome::Mbox,
            Err(e) => Outcome::Failed(e),
        },
    }
}

/// `analyze` promises never to panic; should it break that promise, the message is
/// reported as failed and the scan goes on instead of dying with all its results.
fn guarded(bytes: &[u8]) -> Outcome {
    match std::panic::catch_unwind(|| analyze(bytes)) {
        Ok(report) => Outcome::Analysed { report: report.map(Box::new), bytes: bytes.len() as u64 },
        Err(_) => Outcome::Failed(io::Error::other(
            "the analysis crashed on this message; this is a bug in rebound, please report it",
        )),
    }
}

/// The bytes of a one-message file, or `None` when the file is an mbox.
fn read_message_file(path: &Path) -> io::Result<Option<Vec<u8>>> {
    let mut file = File::open(path)?;
    // Size the buffer once: growing it by doubling costs copies and page faults.
    let size = file.metadata().map_or(0, |m| m.len());
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0).saturating_add(1));
    (&mut file).take(5).read_to_end(&mut bytes)?;
    if is_mbox(&bytes) {
        return Ok(None);
    }
    file.read_to_end(&mut bytes)?;
    Ok(Some(bytes))
}

/// Analyse messages on up to `threads` threads, keeping their order; ordinary mail is
/// left out. For callers that already hold the bytes (IMAP, the demo).
pub fn analyse_all(batch: Vec<RawMessage>, threads: usize) -> Vec<Analysed> {
    let jobs: Vec<Job> = batch.iter().map(Job::Message).collect();
    let outcomes = run_jobs(&jobs, threads);
    batch
        .into_iter()
        .zip(outcomes)
        .filter_map(|(m, o)| match o {
            Outcome::Analysed { report: Some(report), .. } => {
                Some(Analysed { origin: m.origin, report: *report })
            }
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn corpus(path: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus").join(path)
    }

    fn run(source: &mut OfflineSource, cancel: bool) -> Vec<SourceEvent> {
        let mut events = Vec::new();
        source.run(&mut |e| events.push(e), &AtomicBool::new(cancel));
        events
    }

    fn origins(events: &[SourceEvent]) -> Vec<Origin> {
        events
            .iter()
            .filter_map(|e| match e {
                SourceEvent::BatchAnalysed(batch) => Some(batch.iter().map(|a| a.origin.clone())),
                _ => None,
            })
            .flatten()
            .collect()
    }

    #[test]
    fn reports_in_walk_order_whatever_the_thread_count() {
        let paths = vec![corpus("maildir/bsd"), corpus("mailbox/mbox-0"), corpus("maildir/dos")];
        let one = run(&mut OfflineSource::new(paths.clone()).with_threads(1), false);
        let two = run(&mut OfflineSource::new(paths).with_threads(2), false);
        assert!(matches!(one.first(), Some(SourceEvent::Started { .. })));
        assert!(matches!(one.last(), Some(SourceEvent::Finished)));
        assert_eq!(origins(&one), origins(&two));
        let found = origins(&one);
        assert!(found.len() > 300, "{}", found.len());
        // mbox messages sit between the two folders and count up from 1.
        let mbox: Vec<usize> = found
            .iter()
            .filter_map(|o| match o {
                Origin::File { path, message } if path.ends_with("mbox-0") => Some(*message),
                _ => None,
            })
            .collect();
        assert_eq!(mbox.first(), Some(&1));
        assert!(mbox.windows(2).all(|w| w[0] < w[1]));
        let last = one.iter().rev().find_map(|e| match e {
            SourceEvent::Progress(p) => Some(*p),
            _ => None,
        });
        let last = last.expect("progress reported");
        assert_eq!(last.found, found.len());
        // Every corpus sample is some kind of report, so all can be found.
        assert!(last.examined >= last.found && last.bytes > 1_000_000);
    }

    #[test]
    fn a_missing_path_fails_alone_and_cancel_stops_early() {
        let missing = corpus("no/such/dir");
        let events = run(&mut OfflineSource::new(vec![missing, corpus("maildir/bsd")]), false);
        let failures: Vec<&String> = events
            .iter()
            .filter_map(|e| match e {
                SourceEvent::Failed { error, .. } => Some(error),
                _ => None,
            })
            .collect();
        assert_eq!(failures.len(), 1);
        assert!(failures[0].contains("no/such/dir"), "{}", failures[0]);
        assert!(!origins(&events).is_empty());

        let cancelled = run(&mut OfflineSource::new(vec![corpus("maildir/bsd")]), true);
        assert!(origins(&cancelled).is_empty());
        assert!(matches!(cancelled.last(), Some(SourceEvent::Finished)));
    }
}
