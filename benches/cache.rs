//! Loading the IMAP report cache: what a warm start reads before the list appears.
//! 20,000 cached reports (the corpus's reports repeated with other UIDs), about what
//! a 100,000-message mailbox with one bounce in five leaves behind.
//!
//!     cargo bench --bench cache

use std::path::Path;
use std::time::Instant;

use rebound::bounce::analyze;
use rebound::cache::{self, CachedReport, FolderCache, Loaded};

const REPORTS: usize = 20_000;

fn corpus_reports() -> Vec<rebound::bounce::Report> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/maildir/bsd");
    let mut files: Vec<_> =
        std::fs::read_dir(dir).expect("corpus").filter_map(|e| e.ok().map(|e| e.path())).collect();
    files.sort();
    files.iter().filter_map(|p| analyze(&std::fs::read(p).ok()?)).collect()
}

fn main() {
    let reports = corpus_reports();
    let mut folder = FolderCache::new("me@localhost:993", "bench", "INBOX", 1, 4 << 20);
    for uid in 0..REPORTS {
        let report = reports[uid % reports.len()].clone();
        folder.reports.push(CachedReport { uid: uid as u32 + 1, report });
    }
    folder.examined_through = (REPORTS * 5) as u32;
    let dir = std::env::temp_dir().join(format!("rebound-cache-bench-{}", std::process::id()));
    let path = dir.join("folder.cache");

    let mut saves = Vec::new();
    let mut loads = Vec::new();
    for _ in 0..7 {
        let start = Instant::now();
        cache::save(&path, &folder).expect("save");
        saves.push(start.elapsed());
        let start = Instant::now();
        let loaded = cache::load(&path, "me@localhost:993", "INBOX", 4 << 20);
        loads.push(start.elapsed());
        match loaded {
            Loaded::Found(c) => assert_eq!(c.reports.len(), REPORTS),
            _ => panic!("the cache just written did not load"),
        }
    }
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    let _ = std::fs::remove_dir_all(&dir);
    saves.sort();
    loads.sort();
    println!("cache of {REPORTS} reports: {:.1} MB", size as f64 / 1e6);
    println!("save: median {:.0} ms", saves[saves.len() / 2].as_secs_f64() * 1e3);
    println!("load: median {:.0} ms", loads[loads.len() / 2].as_secs_f64() * 1e3);
}
