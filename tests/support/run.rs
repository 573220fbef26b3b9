//! Running a source to the end and collecting what it said.

#![allow(dead_code)]

use std::sync::atomic::AtomicBool;

use rebound::source::{Analysed, Progress, Source, SourceEvent};

#[derive(Debug, Default)]
pub struct Outcome {
    /// The reports a consumer holds at the end: withdrawn ones are taken out.
    pub reports: Vec<Analysed>,
    /// What could not be read: `Failed` and `Fatal` events.
    pub failures: Vec<String>,
    /// `Notice` events: nothing lost.
    pub notices: Vec<String>,
    /// The reasons of `Withdrawn` events.
    pub withdrawn: Vec<String>,
    /// Reports sent in all, withdrawn ones included.
    pub sent: usize,
    pub last_progress: Option<Progress>,
    pub started: bool,
    pub finished: bool,
}

/// Run `source` on this thread; `hook` sees every event first (to inject faults).
pub fn run_with(source: &mut dyn Source, mut hook: impl FnMut(&SourceEvent)) -> Outcome {
    let cancel = AtomicBool::new(false);
    let mut out = Outcome::default();
    let t0 = std::time::Instant::now();
    source.run(
        &mut |event| {
            if std::env::var_os("REBOUND_TEST_TRACE").is_some() {
                eprintln!("{:>8.3}s {}", t0.elapsed().as_secs_f64(), trace(&event));
            }
            hook(&event);
            match event {
                SourceEvent::Started { .. } => out.started = true,
                SourceEvent::Progress(p) => out.last_progress = Some(p),
                SourceEvent::BatchAnalysed(batch) => {
                    out.sent += batch.len();
                    out.reports.extend(batch)
                }
                SourceEvent::Failed { error, .. } | SourceEvent::Fatal(error) => {
                    out.failures.push(error)
                }
                SourceEvent::Notice(text) => out.notices.push(text),
                SourceEvent::Withdrawn { scope, reason } => {
                    out.reports.retain(|a| !scope.covers(&a.origin));
                    out.withdrawn.push(reason);
                }
                SourceEvent::Finished => out.finished = true,
            }
        },
        &cancel,
    );
    out
}

pub fn run(source: &mut dyn Source) -> Outcome {
    run_with(source, |_| {})
}

fn trace(e: &SourceEvent) -> String {
    match e {
        SourceEvent::BatchAnalysed(b) => format!("batch of {}", b.len()),
        other => format!("{other:?}"),
    }
}
