//! Messages on disk: single files, Maildirs, folders of `.eml` files, mbox files.
//!
//! Worker threads (one per core) take the walked files one at a time from a shared
//! counter, read them and analyse them; the calling thread puts the results back in
//! walk order and reports them, so the output is the same whatever the thread count.
//! There is no batch barrier: a worker that finishes a file takes the next one at once,
//! while the calling thread writes out what is done. Reading happens on the workers
//! too, so the kernel copy is spread over the cores.
//!
//! An mbox is noticed by its first bytes. A small one is split and analysed by the
//! worker that read it, like any other file; a big one is streamed by the calling
//! thread when its turn comes, its messages analysed in batches on every core.
//! Workers stay at most [`WINDOW`] files ahead of what has been reported, which bounds
//! the results held back behind one slow file. A file that cannot be read is reported
//! and skipped; the scan goes on.
//!
//! Reads are bounded: only regular files are read (a FIFO, a device or a link to one is
//! skipped with a notice and never opened, so a pipe cannot hang the scan nor
//! `/dev/zero` fill memory), and at most `max_message_bytes` of a message is kept (the
//! same setting as IMAP): a bigger one is analysed from its head, with a notice.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{self, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, mpsc};
use std::time::{Duration, Instant};

use super::mbox::{MboxReader, is_mbox};
use super::walk::message_files;
use super::{Analysed, Origin, Progress, RawMessage, Source, SourceEvent};
use crate::bounce::{Detail, Report, analyze_with};
use crate::config::DEFAULT_MAX_MESSAGE_BYTES;

/// Messages per reported batch (and per batch of a streamed mbox): enough to keep
/// every core busy, few enough for the UI to show results early.
const BATCH: usize = 256;
/// A streamed mbox batch is also cut at this many bytes (big attachments).
const BATCH_BYTES: usize = 32 << 20;
/// An mbox up to this size is read whole and analysed by one worker; a bigger one is
/// streamed and its messages spread over all workers.
const SMALL_MBOX: u64 = 1 << 20;
/// How many files workers may run ahead of the first file not yet reported.
const WINDOW: usize = 1024;
/// A slow scan still reports what it has at least this often.
const SEND_EVERY: Duration = Duration::from_millis(100);
/// How often the calling thread, waiting for a worker, looks at the cancel flag.
const CANCEL_CHECK: Duration = Duration::from_millis(50);

/// Files, directories and mbox files named on the command line.
pub struct OfflineSource {
    paths: Vec<PathBuf>,
    threads: usize,
    detail: Detail,
    limit: u64,
}

impl OfflineSource {
    pub fn new(paths: Vec<PathBuf>) -> Self {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
        OfflineSource { paths, threads, detail: Detail::Full, limit: DEFAULT_MAX_MESSAGE_BYTES }
    }

    /// Keep at most this many bytes of one message (default `max_message_bytes`'s).
    pub fn with_max_message_bytes(mut self, limit: u64) -> Self {
        self.limit = limit.max(1);
        self
    }

    /// Build only this much of each report (`scan` prints no hops).
    pub fn with_detail(mut self, detail: Detail) -> Self {
        self.detail = detail;
        self
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
        // The walk below takes about as long as building the engine's tables.
        crate::bounce::warm_up_in_background();
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
            detail: self.detail,
            limit: self.limit,
            progress: Progress { total: Some(files.len()), ..Progress::default() },
            found: Vec::new(),
            unsent: 0,
            last_sent: Instant::now(),
        };
        emit(SourceEvent::Progress(scan.progress));
        scan.on_workers(&files, emit, cancel);
        if !cancel.load(Ordering::Relaxed) {
            scan.send(emit);
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

/// What a worker made of one file, and a notice about it (a file skipped or cut).
type Done = (FileOutcome, Option<String>);

/// What a worker made of one file.
enum FileOutcome {
    /// A one-message file.
    Message(Outcome),
    /// A small mbox: the outcome of each message, in order.
    Mbox(Vec<Outcome>),
    /// A big mbox: the calling thread streams it.
    BigMbox,
    /// Not a regular file: not read (the notice says what it is).
    Skipped,
    Failed(io::Error),
}

/// What the analysis made of one message.
enum Outcome {
    Analysed { report: Option<Box<Report>>, bytes: u64 },
    Failed(io::Error),
}

/// Read and analyse one file (on a worker).
fn read_file(path: &Path, detail: Detail, limit: u64) -> Done {
    match read_message_file(path, limit) {
        Ok(Contents::Message(bytes, size)) => {
            let note = (size > limit).then(|| cut_notice(path, size, limit));
            (FileOutcome::Message(guarded(&bytes, detail)), note)
        }
        Ok(Contents::Mbox(bytes)) => {
            // Reading from memory cannot fail.
            let mut reader = MboxReader::new(bytes.as_slice()).with_limit(limit);
            let outcomes = reader.by_ref().flatten().map(|m| guarded(&m, detail)).collect();
            let note =
                (reader.truncated > 0).then(|| mbox_cut_notice(path, reader.truncated, limit));
            (FileOutcome::Mbox(outcomes), note)
        }
        Ok(Contents::BigMbox) => (FileOutcome::BigMbox, None),
        Ok(Contents::Skipped(why)) => (FileOutcome::Skipped, Some(why)),
        Err(e) => (FileOutcome::Failed(e), None),
    }
}

fn cut_notice(path: &Path, size: u64, limit: u64) -> String {
    format!(
        "{} holds {size} bytes, more than max_message_bytes ({limit}): only its first {limit} \
         bytes were analysed",
        path.display()
    )
}

fn mbox_cut_notice(path: &Path, count: usize, limit: u64) -> String {
    format!(
        "{}: {count} messages are larger than max_message_bytes ({limit}) or hold a line \
         longer than 64 kB; only their beginning was analysed",
        path.display()
    )
}

/// Where workers and the calling thread meet: the next file to take, and how far the
/// calling thread has reported (workers wait when too far ahead of it).
struct Shared<'a> {
    files: &'a [PathBuf],
    next: AtomicUsize,
    /// Every file before this one has been reported.
    reported: Mutex<usize>,
    advanced: Condvar,
    stop: AtomicBool,
}

impl Shared<'_> {
    fn new(files: &[PathBuf]) -> Shared<'_> {
        Shared {
            files,
            next: AtomicUsize::new(0),
            reported: Mutex::new(0),
            advanced: Condvar::new(),
            stop: AtomicBool::new(false),
        }
    }

    /// The next file for a worker, once the window allows; `None` when all are taken
    /// or the scan stops.
    fn take(&self) -> Option<usize> {
        let i = self.take_now()?;
        let reported = self.reported.lock().unwrap_or_else(|e| e.into_inner());
        let _reported = self
            .advanced
            .wait_while(reported, |r| i >= *r + WINDOW && !self.stop.load(Ordering::Relaxed))
            .unwrap_or_else(|e| e.into_inner());
        (!self.stop.load(Ordering::Relaxed)).then_some(i)
    }

    /// The next file, whatever the window (for the calling thread, which must never
    /// wait on itself).
    fn take_now(&self) -> Option<usize> {
        let i = self.next.fetch_add(1, Ordering::Relaxed);
        (i < self.files.len()).then_some(i)
    }

    /// The calling thread has reported every file before `upto`.
    fn reported_upto(&self, upto: usize) {
        let mut reported = self.reported.lock().unwrap_or_else(|e| e.into_inner());
        if *reported < upto {
            *reported = upto;
            self.advanced.notify_all();
        }
    }

    fn halt(&self) {
        // Under the lock, so a worker between its check and its wait cannot miss it.
        let _reported = self.reported.lock().unwrap_or_else(|e| e.into_inner());
        self.stop.store(true, Ordering::Relaxed);
        self.advanced.notify_all();
    }
}

/// The state of one run: progress, and reports waiting to be sent in one batch.
struct Scan {
    threads: usize,
    detail: Detail,
    limit: u64,
    progress: Progress,
    found: Vec<Analysed>,
    /// Messages examined since the last send.
    unsent: usize,
    last_sent: Instant,
}

impl Scan {
    /// Workers read and analyse the files; this thread reports them in walk order,
    /// and analyses files too whenever the next one to report is not ready, so it
    /// seldom sleeps and `threads` threads do the work.
    fn on_workers(
        &mut self,
        files: &[PathBuf],
        emit: &mut dyn FnMut(SourceEvent),
        cancel: &AtomicBool,
    ) {
        let shared = Shared::new(files);
        let (done, results) = mpsc::channel::<(usize, Done)>();
        let (detail, limit) = (self.detail, self.limit);
        std::thread::scope(|s| {
            for _ in 1..self.threads.min(files.len()) {
                let done = done.clone();
                let shared = &shared;
                s.spawn(move || {
                    while let Some(i) = shared.take() {
                        if cancel.load(Ordering::Relaxed) {
                            break;
                        }
                        // The receiver is gone only when the scan stopped early.
                        if done.send((i, read_file(&shared.files[i], detail, limit))).is_err() {
                            break;
                        }
                    }
                });
            }
            drop(done);
            // Outcomes that are in before an earlier file's.
            let mut early: HashMap<usize, Done> = HashMap::new();
            let mut next = 0;
            while next < files.len() && !cancel.load(Ordering::Relaxed) {
                if let Some(outcome) = early.remove(&next) {
                    self.file(&files[next], outcome, emit, cancel);
                    next += 1;
                    continue;
                }
                if let Ok((i, outcome)) = results.try_recv() {
                    early.insert(i, outcome);
                    continue;
                }
                shared.reported_upto(next);
                if let Some(i) = shared.take_now() {
                    early.insert(i, read_file(&files[i], detail, limit));
                    continue;
                }
                // With a timeout: a worker that sees the cancel drops the file it took,
                // and another may be waiting for the window to move, so the outcome
                // waited for may never come. The loop then sees the cancel and stops.
                match results.recv_timeout(CANCEL_CHECK) {
                    Ok((i, outcome)) => {
                        early.insert(i, outcome);
                    }
                    Err(mpsc::RecvTimeoutError::Timeout) => {}
                    // Every worker left early: the scan was cancelled.
                    Err(mpsc::RecvTimeoutError::Disconnected) => break,
                }
            }
            shared.halt();
        });
    }

    /// Count or report what became of one file, in walk order.
    fn file(
        &mut self,
        path: &Path,
        (outcome, note): Done,
        emit: &mut dyn FnMut(SourceEvent),
        cancel: &AtomicBool,
    ) {
        if let Some(note) = note {
            emit(SourceEvent::Notice(note));
        }
        match outcome {
            FileOutcome::Skipped => {}
            FileOutcome::Message(Outcome::Analysed { report, bytes }) => {
                let origin = Origin::File { path: path.to_path_buf(), message: 1 };
                self.count(origin, report.map(|r| *r), bytes);
            }
            FileOutcome::Message(Outcome::Failed(e)) | FileOutcome::Failed(e) => {
                emit(failed(path, &e));
            }
            FileOutcome::Mbox(outcomes) => {
                // Its message count is unknown until it has been read.
                self.progress.total = None;
                for (i, outcome) in outcomes.into_iter().enumerate() {
                    let origin = Origin::File { path: path.to_path_buf(), message: i + 1 };
                    self.message(origin, outcome, emit);
                }
            }
            FileOutcome::BigMbox => {
                // Reports so far go out first: the mbox sends its own batches.
                self.send(emit);
                self.mbox(path, emit, cancel);
            }
        }
        if self.unsent >= BATCH || self.last_sent.elapsed() >= SEND_EVERY {
            self.send(emit);
        }
    }

    /// One message of an mbox.
    fn message(&mut self, origin: Origin, outcome: Outcome, emit: &mut dyn FnMut(SourceEvent)) {
        match outcome {
            Outcome::Analysed { report, bytes } => self.count(origin, report.map(|r| *r), bytes),
            Outcome::Failed(e) => emit(SourceEvent::Failed {
                error: format!("cannot analyse {origin}: {e}"),
                origin: Some(origin),
            }),
        }
    }

    /// Stream one big mbox, analysing its messages batch by batch on every core.
    fn mbox(&mut self, path: &Path, emit: &mut dyn FnMut(SourceEvent), cancel: &AtomicBool) {
        // Its message count is unknown until it has been read.
        self.progress.total = None;
        let file = match open_regular(path) {
            Ok(Ok((f, _))) => f,
            Ok(Err(why)) => return emit(SourceEvent::Notice(why)),
            Err(e) => return emit(failed(path, &e)),
        };
        let mut batch: Vec<RawMessage> = Vec::new();
        let mut batch_bytes = 0;
        let mut messages =
            MboxReader::new(BufReader::with_capacity(256 << 10, file)).with_limit(self.limit);
        let mut i = 0;
        loop {
            let next = messages.next().map(|m| {
                i += 1;
                (i - 1, m)
            });
            if next.is_none() && messages.truncated > 0 {
                emit(SourceEvent::Notice(mbox_cut_notice(path, messages.truncated, self.limit)));
            }
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
                let outcomes = run_jobs(&batch, self.threads, self.detail);
                for (message, outcome) in std::mem::take(&mut batch).into_iter().zip(outcomes) {
                    self.message(message.origin, outcome, emit);
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
        self.unsent += 1;
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
        self.unsent = 0;
        self.last_sent = Instant::now();
    }
}

/// Analyse messages on up to `threads` threads; outcomes come back in message order.
fn run_jobs(messages: &[RawMessage], threads: usize, detail: Detail) -> Vec<Outcome> {
    let threads = threads.min(messages.len()).max(1);
    if threads == 1 {
        return messages.iter().map(|m| guarded(&m.bytes, detail)).collect();
    }
    let next = AtomicUsize::new(0);
    let mut done: Vec<(usize, Outcome)> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(m) = messages.get(i) else { break };
                        mine.push((i, guarded(&m.bytes, detail)));
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

/// `analyze` promises never to panic; should it break that promise, the message is
/// reported as failed and the scan goes on instead of dying with all its results.
fn guarded(bytes: &[u8], detail: Detail) -> Outcome {
    match std::panic::catch_unwind(|| analyze_with(bytes, detail)) {
        Ok(report) => Outcome::Analysed { report: report.map(Box::new), bytes: bytes.len() as u64 },
        Err(_) => Outcome::Failed(io::Error::other(
            "the analysis crashed on this message; this is a bug in rebound, please report it",
        )),
    }
}

/// What a file holds, as far as deciding who analyses it goes.
enum Contents {
    /// A message's bytes (at most the limit) and the file's size.
    Message(Vec<u8>, u64),
    Mbox(Vec<u8>),
    BigMbox,
    /// Not a regular file; why, for the notice.
    Skipped(String),
}

/// What kind of node a non-regular file is, in words.
fn kind_of(meta: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if meta.is_dir() { "a directory" } else { "not a regular file" }
}

/// Open `path` for reading only if it is (or links to) a regular file. The kind is
/// checked before opening: opening a FIFO would wait for a writer, and opening some
/// devices does things. It is checked again on the open file (opened non-blocking),
/// in case the name was replaced meanwhile. `Ok(Err(notice))` for anything else.
fn open_regular(path: &Path) -> io::Result<Result<(File, u64), String>> {
    let skipped = |meta: &std::fs::Metadata| {
        format!(
            "skipped {}: {} ({}), not a regular file; rebound reads only regular files",
            path.display(),
            kind_of(meta),
            if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
                "through a symlink"
            } else {
                "named directly"
            }
        )
    };
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Ok(Err(skipped(&meta)));
    }
    let mut opts = OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.custom_flags(libc::O_NONBLOCK);
    }
    let file = opts.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Ok(Err(skipped(&meta)));
    }
    Ok(Ok((file, meta.len())))
}

/// The bytes of a one-message file (at most `limit` of them) or small mbox; a big
/// mbox is left for streaming.
fn read_message_file(path: &Path, limit: u64) -> io::Result<Contents> {
    let (mut file, size) = match open_regular(path)? {
        Ok(opened) => opened,
        Err(why) => return Ok(Contents::Skipped(why)),
    };
    // Size the buffer once: growing it by doubling costs copies and page faults.
    let keep = size.min(limit);
    let mut bytes = Vec::with_capacity(usize::try_from(keep).unwrap_or(0).saturating_add(1));
    if size > SMALL_MBOX {
        (&mut file).take(5).read_to_end(&mut bytes)?;
        if is_mbox(&bytes) {
            return Ok(Contents::BigMbox);
        }
    }
    read_rest(&mut file, &mut bytes, keep)?;
    Ok(if is_mbox(&bytes) { Contents::Mbox(bytes) } else { Contents::Message(bytes, size) })
}

/// Read the rest of `file`, `size` bytes in all as it was when opened, into `bytes`,
/// whose capacity already fits them. Not `File::read_to_end`: it asks for the size and
/// position again (two more system calls per message, a tenth of a corpus scan's system
/// time). Stopping at `size` also saves the empty read that would find the end: a file
/// still being appended to is read as far as it went when it was opened.
fn read_rest(file: &mut File, bytes: &mut Vec<u8>, size: u64) -> io::Result<()> {
    // `size` is never above the message limit, so the read is bounded either way.
    file.take(size.saturating_sub(bytes.len() as u64)).read_to_end(bytes).map(drop)
}

/// Analyse messages on up to `threads` threads, keeping their order; ordinary mail is
/// left out. For callers that already hold the bytes (IMAP, the demo).
pub fn analyse_all(batch: Vec<RawMessage>, threads: usize) -> Vec<Analysed> {
    let outcomes = run_jobs(&batch, threads, Detail::Full);
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
    fn a_big_mbox_is_streamed_and_numbered_like_a_small_one() {
        let small = std::fs::read(corpus("mailbox/mbox-0")).expect("corpus mbox");
        let copies = usize::try_from(SMALL_MBOX).expect("fits") / small.len() + 2;
        let dir = tempfile::tempdir().expect("temp dir");
        let big = dir.path().join("big.mbox");
        std::fs::write(&big, small.repeat(copies)).expect("write");
        let per_copy =
            origins(&run(&mut OfflineSource::new(vec![corpus("mailbox/mbox-0")]), false));
        for threads in [1, 2] {
            let mut source = OfflineSource::new(vec![big.clone()]).with_threads(threads);
            let found = origins(&run(&mut source, false));
            assert_eq!(found.len(), per_copy.len() * copies, "{threads} threads");
            let numbers: Vec<usize> = found
                .iter()
                .map(|o| match o {
                    Origin::File { message, .. } => *message,
                    other => panic!("{other:?}"),
                })
                .collect();
            assert!(numbers.windows(2).all(|w| w[0] < w[1]), "{threads} threads");
        }
    }

    #[test]
    fn more_files_than_the_window_keep_their_order() {
        let dir = tempfile::tempdir().expect("temp dir");
        let bounce = std::fs::read(corpus("maildir/bsd/rfc3464-38.eml")).expect("corpus file");
        for i in 0..WINDOW + 200 {
            std::fs::write(dir.path().join(format!("{i:05}.eml")), &bounce).expect("write");
        }
        let one =
            origins(&run(&mut OfflineSource::new(vec![dir.path().into()]).with_threads(1), false));
        let three =
            origins(&run(&mut OfflineSource::new(vec![dir.path().into()]).with_threads(3), false));
        assert_eq!(one.len(), WINDOW + 200);
        assert_eq!(one, three);
    }

    #[test]
    fn a_cancel_in_the_middle_of_a_scan_stops_it() {
        let dir = tempfile::tempdir().expect("temp dir");
        let bounce = std::fs::read(corpus("maildir/bsd/rfc3464-38.eml")).expect("corpus file");
        for i in 0..WINDOW * 2 {
            std::fs::write(dir.path().join(format!("{i:05}.eml")), &bounce).expect("write");
        }
        for threads in [1, 2, 4] {
            let cancel = AtomicBool::new(false);
            let mut found = 0;
            let mut finished = false;
            let mut source = OfflineSource::new(vec![dir.path().into()]).with_threads(threads);
            source.run(
                &mut |e| match e {
                    SourceEvent::BatchAnalysed(batch) => {
                        found += batch.len();
                        cancel.store(true, Ordering::Relaxed);
                    }
                    SourceEvent::Finished => finished = true,
                    _ => {}
                },
                &cancel,
            );
            assert!(finished, "{threads} threads");
            assert!(found > 0 && found < WINDOW * 2, "{threads} threads: {found}");
        }
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
