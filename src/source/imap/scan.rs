//! The worker loop: folders, cache, batches, reconnects.
//!
//! Progress is kept per folder as "every UID up to N has been examined" plus the list
//! of UIDs still to read, so after a lost connection (or in the next run, through the
//! cache) we carry on with the first unfinished batch. Results of a batch are emitted
//! only when the whole batch is done, so nothing is ever reported twice.

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use super::bounded::{Budget, HEADROOM};
use super::connect::{self, Conn, Session};
use super::error::{Ctx, ImapError};
use super::{ImapOptions, ImapStats, parts, uidset};
use crate::bounce::{analyze, prefilter};
use crate::cache::{self, CachedReport, FolderCache, Loaded};
use crate::config::Account;
use crate::source::{Analysed, Origin, Progress, Scope, SourceEvent};

/// Bytes of full bodies fetched in one command at most (keeps memory flat).
const BODY_BATCH_BYTES: u64 = 32 * 1024 * 1024;
const SAVE_EVERY: Duration = Duration::from_secs(2);
/// Cached reports per emitted batch.
const CACHED_BATCH: usize = 2000;
/// Bytes one header FETCH may answer with (with `header_batch` = 1000, 64 kB a header;
/// real headers are a few kB).
const HEADER_BATCH_BYTES: u64 = 64 * 1024 * 1024;
/// The slowest transfer rate a long answer is given time for, in bytes per second.
const SLOWEST_RATE: u64 = 256 * 1024;

/// The folder being read.
struct FolderState {
    cache: FolderCache,
    file: Option<PathBuf>,
    pending: Vec<u32>,
    pos: usize,
    last_save: Instant,
    /// The cache differs from its file (a warm start with nothing new writes nothing).
    dirty: bool,
    /// What this folder added to the progress counters, taken back if it is read again.
    counted: Progress,
}

pub struct Scan<'a> {
    account: &'a Account,
    options: &'a ImapOptions,
    stats: &'a ImapStats,
    emit: &'a mut dyn FnMut(SourceEvent),
    cancel: &'a AtomicBool,
    session: Option<Conn>,
    /// Cache files being read on another thread while we connect (warm starts).
    preload: Option<std::thread::JoinHandle<HashMap<String, Loaded>>>,
    preloaded: HashMap<String, Loaded>,
    progress: Progress,
    reconnects_in_row: u32,
}

/// The scan cannot go on (already reported).
struct Stop;

impl<'a> Scan<'a> {
    pub fn new(
        account: &'a Account,
        options: &'a ImapOptions,
        stats: &'a ImapStats,
        emit: &'a mut dyn FnMut(SourceEvent),
        cancel: &'a AtomicBool,
    ) -> Self {
        Scan {
            account,
            options,
            stats,
            emit,
            cancel,
            session: None,
            preload: None,
            preloaded: HashMap::new(),
            progress: Progress { total: Some(0), ..Progress::default() },
            reconnects_in_row: 0,
        }
    }

    pub fn run(mut self) {
        if let Some(dir) = self.options.cache_dir.clone() {
            let server = self.account.server_label();
            let folders = self.account.folders.clone();
            let limit = self.account.max_message_bytes;
            self.preload = Some(std::thread::spawn(move || {
                folders
                    .into_iter()
                    .map(|f| {
                        let file = cache::folder_file(&dir, &server, &f);
                        let loaded = cache::load(&file, &server, &f, limit);
                        (f, loaded)
                    })
                    .collect()
            }));
        }
        for folder in &self.account.folders {
            if self.cancelled() || self.folder(folder).is_err() {
                break;
            }
        }
        if let Some(mut c) = self.session.take() {
            let budget = self.small();
            let _ = catch_unwind(AssertUnwindSafe(|| c.run(budget, |s| s.logout())));
        }
    }

    /// Worth a new connection: a transient error, or a refused connection to a server
    /// this scan has already talked to (it is restarting).
    fn may_retry(&self, e: &ImapError) -> bool {
        e.is_transient()
            || (matches!(e, ImapError::Refused { .. })
                && self.stats.connections.load(Ordering::Relaxed) > 0)
    }

    fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }

    fn fail(&mut self, origin: Option<Origin>, error: String) {
        (self.emit)(SourceEvent::Failed { origin, error });
    }

    fn notice(&mut self, text: String) {
        (self.emit)(SourceEvent::Notice(text));
    }

    fn folder(&mut self, folder: &str) -> Result<(), Stop> {
        let mut state = None;
        loop {
            let result = self.folder_attempt(folder, &mut state);
            if let Some(st) = &mut state {
                self.save(st);
            }
            match result {
                Ok(()) => return Ok(()),
                Err(ImapError::Folder { host, folder: name, server, .. }) if state.is_none() => {
                    let hint = self.close_folders(folder);
                    self.fail(
                        None,
                        ImapError::Folder { host, folder: name, server, hint }.to_string(),
                    );
                    return Ok(());
                }
                Err(e)
                    if self.may_retry(&e)
                        && self.reconnects_in_row < self.options.max_reconnects =>
                {
                    // Nothing is lost: the next attempt carries on from the last batch,
                    // after a pause that doubles (0.25 s, 0.5 s, 1 s...) so a server
                    // that is restarting has the time to come back.
                    self.session = None;
                    self.notice(e.to_string());
                    let pause = Duration::from_millis(250 << self.reconnects_in_row.min(5));
                    self.reconnects_in_row += 1;
                    let until = Instant::now() + pause;
                    while Instant::now() < until && !self.cancelled() {
                        std::thread::sleep(Duration::from_millis(50));
                    }
                }
                Err(e) => {
                    self.session = None;
                    (self.emit)(SourceEvent::Fatal(e.to_string()));
                    if state.is_none() {
                        self.emit_stale_cache(folder);
                    }
                    return Err(Stop);
                }
            }
        }
    }

    /// "; did you mean ...?" with the server's folders whose name comes close to
    /// `wanted`: the same name in another case, or with or without a prefix such as
    /// Courier's `INBOX.` (every folder there lives under INBOX). Empty when the list
    /// cannot be had or nothing comes close.
    fn close_folders(&mut self, wanted: &str) -> String {
        let mut budget = self.small();
        budget.untagged = 100_000;
        budget.bytes = 16 << 20;
        let Ok(names) = self.call("listing the folders", budget, |s| {
            s.list(Some(""), Some("*"))
                .map(|names| names.iter().map(|n| n.name().to_string()).collect::<Vec<_>>())
        }) else {
            return String::new();
        };
        let close = close_names(wanted, &names);
        if close.is_empty() {
            return String::new();
        }
        let quoted: Vec<String> = close.iter().take(5).map(|n| format!("\"{n}\"")).collect();
        format!("; the server has {}: did you mean that?", quoted.join(", "))
    }

    /// The server cannot be read: show what the last scan found, saying it is old.
    fn emit_stale_cache(&mut self, folder: &str) {
        let server = self.account.server_label();
        let Some(file) =
            self.options.cache_dir.as_ref().map(|d| cache::folder_file(d, &server, folder))
        else {
            return;
        };
        if let Loaded::Found(c) =
            cache::load(&file, &server, folder, self.account.max_message_bytes)
            && !c.reports.is_empty()
        {
            let n = c.reports.len();
            let batch = c
                .reports
                .into_iter()
                .map(|r| Analysed {
                    origin: origin(self.account, folder, c.uidvalidity, r.uid),
                    report: r.report,
                })
                .collect();
            self.stats.from_cache.fetch_add(n as u64, Ordering::Relaxed);
            (self.emit)(SourceEvent::BatchAnalysed(batch));
            self.notice(format!(
                "{folder}: showing {n} reports from the last scan (cached); they may be out of date"
            ));
        }
    }

    fn ctx<'b>(&'b self, doing: &'b str) -> Ctx<'b> {
        Ctx {
            host: &self.account.host,
            port: self.account.port(),
            timeout: self.account.timeout_secs,
            doing,
        }
    }

    /// The budget of a command that reads at most one message.
    fn small(&self) -> Budget {
        connect::small_budget(self.account)
    }

    /// The budget of a command expected to read about `bytes`, in `responses` responses
    /// of at most `literal` bytes of literal each.
    fn sized(&self, bytes: u64, responses: usize, literal: u64) -> Budget {
        let small = self.small();
        let literal = literal.saturating_add(HEADROOM).min(small.literal);
        Budget {
            response: literal.saturating_add(HEADROOM),
            literal,
            untagged: small.untagged + 2 * responses as u64,
            bytes: bytes.saturating_add(HEADROOM * responses as u64).saturating_add(small.bytes),
            time: small.time + Duration::from_secs(bytes / SLOWEST_RATE),
        }
    }

    /// Run `f` on a live session (connecting first if needed), reading under `budget`.
    /// Any error or panic drops the session: after a failed read the conversation is
    /// out of step and must not be used again.
    fn call<T>(
        &mut self,
        doing: &str,
        budget: Budget,
        f: impl FnOnce(&mut Session) -> imap::error::Result<T>,
    ) -> Result<T, ImapError> {
        let started = Instant::now();
        let result = self.call_inner(doing, budget, f);
        let micros = started.elapsed().as_micros() as u64;
        self.stats.server_micros.fetch_add(micros, Ordering::Relaxed);
        result
    }

    fn call_inner<T>(
        &mut self,
        doing: &str,
        budget: Budget,
        f: impl FnOnce(&mut Session) -> imap::error::Result<T>,
    ) -> Result<T, ImapError> {
        if self.session.is_none() {
            self.session = Some(connect::open(self.account)?);
            self.stats.connections.fetch_add(1, Ordering::Relaxed);
        }
        let Some(conn) = self.session.as_mut() else { unreachable!("just connected") };
        match catch_unwind(AssertUnwindSafe(|| conn.run(budget, f))) {
            Ok(Ok(v)) => Ok(v),
            Ok(Err(e)) => {
                self.session = None;
                Err(self.ctx(doing).imap(e))
            }
            Err(_) => {
                self.session = None;
                Err(ImapError::Protocol {
                    host: self.account.host.clone(),
                    doing: doing.into(),
                    detail: "the IMAP library lost track of the conversation".into(),
                })
            }
        }
    }

    fn folder_attempt(
        &mut self,
        folder: &str,
        state: &mut Option<FolderState>,
    ) -> Result<(), ImapError> {
        let small = self.small();
        let mailbox =
            self.call("opening the folder", small, |s| s.examine(folder)).map_err(|e| match e {
                ImapError::Protocol { host, detail, .. } => ImapError::Folder {
                    host,
                    folder: folder.into(),
                    server: detail,
                    hint: String::new(),
                },
                other => other,
            })?;
        let uidvalidity = mailbox.uid_validity.unwrap_or(0);
        let restarted = state.as_ref().is_some_and(|s| s.cache.uidvalidity != uidvalidity);
        if let Some(old) = state.take_if(|s| s.cache.uidvalidity != uidvalidity) {
            // Every UID read so far now names another message, or none: take back what
            // this folder reported and counted, and read it again from the start.
            (self.emit)(SourceEvent::Withdrawn {
                scope: Scope::ImapFolder {
                    account: self.account.name.clone(),
                    folder: folder.to_string(),
                    uidvalidity: old.cache.uidvalidity,
                },
                reason: format!(
                    "{folder}: the server renumbered the folder during the scan (UIDVALIDITY \
                     {} is now {uidvalidity}); its {} reports so far are withdrawn and it is \
                     read again from the start",
                    old.cache.uidvalidity,
                    old.cache.reports.len()
                ),
            });
            self.progress.examined -= old.counted.examined;
            self.progress.found -= old.counted.found;
            if let Some(total) = self.progress.total.as_mut() {
                *total -= old.counted.total.unwrap_or(0);
            }
        }
        if state.is_none() {
            *state = Some(self.start_folder(folder, uidvalidity, mailbox.exists, restarted)?);
        }
        let Some(st) = state.as_mut() else { return Ok(()) };
        while st.pos < st.pending.len() {
            if self.cancelled() {
                return Ok(());
            }
            let end = (st.pos + self.options.header_batch).min(st.pending.len());
            let chunk = st.pending[st.pos..end].to_vec();
            let found = self.chunk(folder, uidvalidity, &chunk)?;
            self.reconnects_in_row = 0;
            st.pos = end;
            st.cache.examined_through = chunk.last().copied().unwrap_or(st.cache.examined_through);
            st.dirty = true;
            self.progress.examined += chunk.len();
            self.progress.found += found.len();
            st.counted.examined += chunk.len();
            st.counted.found += found.len();
            st.cache.reports.extend(
                found
                    .iter()
                    .map(|a| CachedReport { uid: uid_of(&a.origin), report: a.report.clone() }),
            );
            if !found.is_empty() {
                (self.emit)(SourceEvent::BatchAnalysed(found));
            }
            (self.emit)(SourceEvent::Progress(self.progress));
            if st.last_save.elapsed() >= SAVE_EVERY {
                self.save(st);
            }
        }
        Ok(())
    }

    /// List the folder, load and prune its cache, emit what the cache knows.
    fn start_folder(
        &mut self,
        folder: &str,
        uidvalidity: u32,
        exists: u32,
        restarted: bool,
    ) -> Result<FolderState, ImapError> {
        // One `* SEARCH` line of up to 11 bytes a message (" 4294967295"); room for
        // messages arriving meanwhile.
        let mut budget = self.small();
        let line = (u64::from(exists) + 1000) * 11 + HEADROOM;
        budget.response = budget.response.max(line);
        budget.bytes = budget.bytes.max(line + HEADROOM);
        let mut uids: Vec<u32> = self
            .call("listing the messages", budget, |s| s.uid_search("ALL"))?
            .into_iter()
            .collect();
        uids.sort_unstable();
        let server = self.account.server_label();
        let file = self.options.cache_dir.as_ref().map(|d| cache::folder_file(d, &server, folder));
        let limit = self.account.max_message_bytes;
        let fresh = || FolderCache::new(&server, &self.account.name, folder, uidvalidity, limit);
        if let Some(handle) = self.preload.take() {
            self.preloaded = handle.join().unwrap_or_default();
        }
        let loaded = match self.preloaded.remove(folder) {
            Some(l) => Some(l),
            None => file.as_deref().map(|f| cache::load(f, &server, folder, limit)),
        };
        let mut dirty = true;
        let mut cache = match loaded {
            Some(Loaded::Found(c)) if c.uidvalidity == uidvalidity => {
                dirty = false;
                c
            }
            // Read again after a renumbering mid-scan: the Withdrawn event said it all.
            Some(Loaded::Found(_)) if restarted => fresh(),
            Some(Loaded::Found(_)) => {
                self.notice(format!(
                    "{folder}: the server renumbered the folder since the last scan \
                     (UIDVALIDITY changed); reading it again"
                ));
                fresh()
            }
            Some(Loaded::Discarded(why)) => {
                self.notice(why);
                fresh()
            }
            Some(Loaded::Missing) | None => fresh(),
        };
        // Messages deleted since the last run take their reports with them.
        dirty |= cache.retain_existing(|uid| uids.binary_search(&uid).is_ok()) > 0;
        dirty |= cache.account != self.account.name;
        cache.account = self.account.name.clone();
        let known = cache.reports.len();
        // In slices, so a big cache is never held twice over in memory.
        for slice in cache.reports.chunks(CACHED_BATCH) {
            let batch: Vec<Analysed> = slice
                .iter()
                .map(|r| Analysed {
                    origin: origin(self.account, folder, uidvalidity, r.uid),
                    report: r.report.clone(),
                })
                .collect();
            self.stats.from_cache.fetch_add(batch.len() as u64, Ordering::Relaxed);
            (self.emit)(SourceEvent::BatchAnalysed(batch));
        }
        let split = uids.partition_point(|&u| u <= cache.examined_through);
        *self.progress.total.get_or_insert(0) += uids.len();
        self.progress.examined += split;
        self.progress.found += known;
        (self.emit)(SourceEvent::Progress(self.progress));
        let counted = Progress { examined: split, total: Some(uids.len()), bytes: 0, found: known };
        Ok(FolderState {
            cache,
            file,
            pending: uids.split_off(split),
            pos: 0,
            last_save: Instant::now(),
            dirty,
            counted,
        })
    }

    fn save(&mut self, st: &mut FolderState) {
        st.last_save = Instant::now();
        if !st.dirty {
            return;
        }
        st.dirty = false;
        if let Some(file) = &st.file
            && let Err(e) = cache::save(file, &st.cache)
        {
            let msg = format!(
                "could not write the cache {} ({e}); the scan goes on, and the next one will \
                 read this folder again",
                file.display()
            );
            self.notice(msg);
            st.file = None;
        }
    }

    /// Examine one batch of UIDs; the reports found.
    fn chunk(
        &mut self,
        folder: &str,
        uidvalidity: u32,
        uids: &[u32],
    ) -> Result<Vec<Analysed>, ImapError> {
        let set = uidset::compress(uids);
        let budget = self.sized(HEADER_BATCH_BYTES, uids.len(), self.account.max_message_bytes);
        let fetched = self.call("fetching headers", budget, |s| {
            s.uid_fetch(&set, "(UID RFC822.SIZE BODY.PEEK[HEADER])")
        })?;
        let mut small = Vec::new();
        let mut huge = Vec::new();
        let mut bytes = 0u64;
        for f in fetched.iter() {
            let (Some(uid), Some(header)) = (f.uid, f.header()) else { continue };
            bytes += header.len() as u64;
            if prefilter::could_be_report(prefilter::header_block(header)) {
                let size = u64::from(f.size.unwrap_or(0));
                if size > self.account.max_message_bytes {
                    huge.push(uid);
                } else {
                    small.push((uid, size));
                }
            }
        }
        self.stats.headers_fetched.fetch_add(fetched.len() as u64, Ordering::Relaxed);
        self.stats.bytes.fetch_add(bytes, Ordering::Relaxed);
        self.progress.bytes += bytes;
        drop(fetched);
        small.sort_unstable();
        let mut found = Vec::new();
        let mut i = 0;
        while i < small.len() {
            let mut j = i;
            let mut total = 0;
            while j < small.len()
                && j - i < self.options.body_batch
                && (j == i || total + small[j].1 <= BODY_BATCH_BYTES)
            {
                total += small[j].1;
                j += 1;
            }
            let largest = small[i..j].iter().map(|(_, size)| *size).max().unwrap_or(0);
            let batch: Vec<u32> = small[i..j].iter().map(|(u, _)| *u).collect();
            let budget = self.sized(total, batch.len(), largest);
            self.bodies(folder, uidvalidity, &batch, budget, &mut found)?;
            i = j;
        }
        for uid in huge {
            self.report_parts(folder, uidvalidity, uid, &mut found)?;
        }
        found.sort_by_key(|a| uid_of(&a.origin));
        Ok(found)
    }

    fn bodies(
        &mut self,
        folder: &str,
        uidvalidity: u32,
        uids: &[u32],
        budget: Budget,
        found: &mut Vec<Analysed>,
    ) -> Result<(), ImapError> {
        let set = uidset::compress(uids);
        let fetched =
            self.call("fetching messages", budget, |s| s.uid_fetch(&set, "(UID BODY.PEEK[])"))?;
        let mut bytes = 0u64;
        for f in fetched.iter() {
            let (Some(uid), Some(body)) = (f.uid, f.body()) else { continue };
            bytes += body.len() as u64;
            let started = Instant::now();
            let report = analyze(body);
            let micros = started.elapsed().as_micros() as u64;
            self.stats.analyse_micros.fetch_add(micros, Ordering::Relaxed);
            if let Some(report) = report {
                found.push(Analysed {
                    origin: origin(self.account, folder, uidvalidity, uid),
                    report,
                });
            }
        }
        self.stats.bodies_fetched.fetch_add(fetched.len() as u64, Ordering::Relaxed);
        self.stats.bytes.fetch_add(bytes, Ordering::Relaxed);
        self.progress.bytes += bytes;
        Ok(())
    }

    /// A candidate too big to fetch whole: read its structure, then only the parts
    /// that carry the report.
    fn report_parts(
        &mut self,
        folder: &str,
        uidvalidity: u32,
        uid: u32,
        found: &mut Vec<Analysed>,
    ) -> Result<(), ImapError> {
        let set = uid.to_string();
        let small = self.small();
        let structure = self.call("reading a message's structure", small, |s| {
            s.uid_fetch(&set, "(UID BODYSTRUCTURE)")
        });
        let plan = match &structure {
            Ok(f) => match f.iter().find_map(|f| f.bodystructure()) {
                Some(bs) => parts::plan(bs),
                None => return Ok(()), // gone meanwhile
            },
            // A structure the library cannot parse: the header and the start of the text.
            Err(ImapError::Protocol { .. }) => parts::fallback(),
            Err(_) => return structure.map(|_| ()),
        };
        drop(structure);
        let items = parts::fetch_items(&plan);
        let sections = plan.iter().filter(|p| matches!(p, parts::Piece::Section(_))).count();
        let mut budget = self.sized(
            u64::from(parts::TEXT_CAP) * sections as u64,
            sections,
            self.account.max_message_bytes,
        );
        // All the sections come in one FETCH response.
        budget.response = budget.bytes;
        let fetched = self.call("fetching report parts", budget, |s| s.uid_fetch(&set, &items))?;
        let Some(f) = fetched.iter().next() else { return Ok(()) };
        let get = |name: &str| parts::lookup(f, name);
        let mut raw = parts::assemble(&plan, get);
        if parts::needs_fallback(&plan, get) {
            // A part came back empty (a report described as one empty part): read the
            // raw start of the message instead.
            drop(fetched);
            let plan = parts::fallback();
            let items = parts::fetch_items(&plan);
            let mut budget =
                self.sized(u64::from(parts::TEXT_CAP), 2, self.account.max_message_bytes);
            budget.response = budget.bytes;
            let again = self
                .call("fetching the start of a message", budget, |s| s.uid_fetch(&set, &items))?;
            let Some(f) = again.iter().next() else { return Ok(()) };
            raw = parts::assemble(&plan, |name| parts::lookup(f, name));
        }
        self.stats.partial_fetches.fetch_add(1, Ordering::Relaxed);
        self.stats.bytes.fetch_add(raw.len() as u64, Ordering::Relaxed);
        self.progress.bytes += raw.len() as u64;
        if let Some(report) = analyze(&raw) {
            found.push(Analysed { origin: origin(self.account, folder, uidvalidity, uid), report });
        }
        Ok(())
    }
}

fn origin(account: &Account, folder: &str, uidvalidity: u32, uid: u32) -> Origin {
    Origin::Imap { account: account.name.clone(), folder: folder.to_string(), uidvalidity, uid }
}

fn uid_of(origin: &Origin) -> u32 {
    match origin {
        Origin::Imap { uid, .. } => *uid,
        _ => 0,
    }
}

/// Folder names from `names` that come close to `wanted`: equal ignoring case, or
/// equal once a prefix ending in `.` or `/` is added or taken away on either side.
fn close_names<'n>(wanted: &str, names: &'n [String]) -> Vec<&'n str> {
    let w = wanted.to_lowercase();
    let last = |s: &str| -> String { s.rsplit(['.', '/']).next().unwrap_or(s).to_lowercase() };
    names
        .iter()
        .map(String::as_str)
        .filter(|n| {
            let l = n.to_lowercase();
            l == w || last(n) == w || last(&w) == l || last(n) == last(&w)
        })
        .filter(|n| *n != wanted)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::close_names;

    #[test]
    fn close_folder_names_are_found() {
        let names: Vec<String> =
            ["INBOX", "INBOX.Bounces", "INBOX.Sent", "Archive/bounces"].map(String::from).to_vec();
        assert_eq!(close_names("Bounces", &names), ["INBOX.Bounces", "Archive/bounces"]);
        assert_eq!(close_names("inbox", &names), ["INBOX"]);
        assert_eq!(close_names("INBOX.Sent", &names), Vec::<&str>::new());
        assert!(close_names("Nothing", &names).is_empty());
    }
}
