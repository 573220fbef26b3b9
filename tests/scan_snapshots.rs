//! A checked-in snapshot of what the engine makes of every corpus message, one file per
//! corpus folder (`tests/snapshots/scan/`), one line per record.
//!
//! Every engine or catalog change shows as a reviewable diff of records here, not only
//! as a moved percentage. When a change is meant, regenerate with
//! `UPDATE_SNAPSHOTS=1 cargo test --test scan_snapshots` and review `git diff` line by
//! line: each changed record should follow from a named rule about a family of mail.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use rebound::source::{Analysed, OfflineSource, Origin, Source, SourceEvent};
use serde::Serialize;

/// The folders snapshotted, relative to `tests/`, and the snapshot's name.
const FOLDERS: &[(&str, &str)] = &[
    ("corpus/maildir/bsd", "sisimai-bsd"),
    ("corpus/maildir/dos", "sisimai-dos"),
    ("corpus/maildir/mac", "sisimai-mac"),
    ("corpus/maildir/err", "sisimai-err"),
    ("corpus/maildir/not", "sisimai-not"),
    ("corpus/maildir/tmp", "sisimai-tmp"),
    ("corpus/mailbox", "sisimai-mailbox"),
    ("bounceparser", "bounceparser"),
];

/// One record as the snapshot keeps it: the engine's reading and the verdict.
#[derive(Serialize)]
struct Line<'a> {
    file: String,
    index: usize,
    kind: &'a str,
    format: &'a str,
    provider: Option<&'a str>,
    recipient: &'a str,
    action: Option<&'a str>,
    status: Option<String>,
    status_inferred: Option<String>,
    reply: Option<u16>,
    reason: &'a str,
    hard: bool,
    why: &'a str,
    rule: &'a str,
    stage: Option<rebound::bounce::notice_facts::Command>,
    provider_code: Option<String>,
    /// The verdict: its advice, the catalog entry and the level it came from.
    retry: rebound::catalog::Retry,
    entry: String,
    level: &'static str,
    /// The diagnostic's first 160 characters: enough to see a changed extraction.
    diagnostic: String,
}

fn read_folder(dir: &Path) -> Vec<Analysed> {
    let mut found = Vec::new();
    let mut source = OfflineSource::new(vec![dir.to_path_buf()]).with_threads(1);
    source.run(
        &mut |e| {
            if let SourceEvent::BatchAnalysed(batch) = e {
                found.extend(batch);
            }
        },
        &AtomicBool::new(false),
    );
    found
}

fn snapshot_of(dir: &Path) -> String {
    let mut lines = BTreeMap::new();
    for a in read_folder(dir) {
        let Origin::File { path, message } = &a.origin else { continue };
        let rel = path.strip_prefix(dir).unwrap_or(path).to_string_lossy().replace('\\', "/");
        let file = if *message > 1 { format!("{rel}#{message}") } else { rel };
        let report = &a.report;
        for (i, r) in report.recipients.iter().enumerate() {
            let verdict = rebound::verdict::decide(report, r, rebound::catalog::Catalog::builtin());
            let line = Line {
                file: file.clone(),
                index: i + 1,
                kind: report.kind.map_or("none", |k| k.as_str()),
                format: &report.format,
                provider: report.provider.as_deref(),
                recipient: &r.recipient,
                action: r.action.as_deref(),
                status: r.status.map(|s| s.to_string()),
                status_inferred: r.status_inferred.map(|s| s.to_string()),
                reply: r.reply_code,
                reason: r.reason.as_str(),
                hard: r.hard,
                why: &r.why,
                rule: &r.rule,
                stage: r.stage,
                provider_code: r.provider_code.as_ref().map(|c| format!("{}:{}", c.scheme, c.code)),
                retry: verdict.retry,
                entry: match &verdict.entry.provider {
                    Some(p) => format!("{p}/{}", verdict.entry.key),
                    None => verdict.entry.key.clone(),
                },
                level: verdict.level.as_str(),
                diagnostic: r.diagnostic.chars().take(160).collect(),
            };
            let key = (path.clone(), *message, i);
            lines.insert(key, serde_json::to_string(&line).expect("serialisable"));
        }
    }
    let mut out = lines.into_values().collect::<Vec<_>>().join("\n");
    out.push('\n');
    out
}

#[test]
fn corpus_scan_matches_the_snapshots() {
    let tests = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    let mut stale = Vec::new();
    for (folder, name) in FOLDERS {
        let got = snapshot_of(&tests.join(folder));
        let path: PathBuf = tests.join("snapshots/scan").join(format!("{name}.jsonl"));
        let want = std::fs::read_to_string(&path).unwrap_or_default();
        if got == want {
            continue;
        }
        if update {
            std::fs::create_dir_all(path.parent().expect("a folder")).expect("snapshot folder");
            std::fs::write(&path, &got).expect("snapshot written");
        } else {
            let changed = got.lines().filter(|l| !want.contains(l)).count();
            stale.push(format!("{name}: {changed} record(s) differ"));
        }
    }
    assert!(
        stale.is_empty(),
        "the scan no longer matches its snapshots ({}).\nIf the change is meant, run \
         UPDATE_SNAPSHOTS=1 cargo test --test scan_snapshots and review the git diff.",
        stale.join("; ")
    );
}
