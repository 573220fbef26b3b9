//! Running a source to the end and collecting what it said.

#![allow(dead_code)]

use std::sync::atomic::AtomicBool;

use rebound::source::{Analysed, Progress, Source, SourceEvent};

#[derive(Debug, Default)]
pub struct Outcome {
    pub reports: Vec<Analysed>,
    pub failures: Vec<String>,
    pub last_progress: Option<Progress>,
    pub started: bool,
    pub finished: bool,
}

/// Run `source` on this thread; `hook` sees every event first (to inject faults).
pub fn run_with(source: &mut dyn Source, mut hook: impl FnMut(&SourceEvent)) -> Outcome {
    let cancel = AtomicBool::new(false);
    let mut out = Outcome::default();
    source.run(
        &mut |event| {
            hook(&event);
            match event {
                SourceEvent::Started { .. } => out.started = true,
                SourceEvent::Progress(p) => out.last_progress = Some(p),
                SourceEvent::BatchAnalysed(batch) => out.reports.extend(batch),
                SourceEvent::Failed { error, .. } => out.failures.push(error),
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
