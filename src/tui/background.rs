//! Applying what the worker reports: batches, progress, failures, the end of a scan,
//! raw messages and exports. Results from an older scan (before a rescan) are dropped.

use super::action::Action;
use super::app::{App, Effect, KindCounts, Overlay, Prompt, PromptKind, Raw};
use super::update::{restore_selection, set_status};

pub fn update(app: &mut App, action: Action) {
    match action {
        Action::ScanStarted { generation, description } if generation == app.scan.generation => {
            app.scan.running = true;
            set_status(app, &format!("reading {}", crate::text::clean_line(&description)), false);
        }
        Action::ProgressReported { generation, progress } if generation == app.scan.generation => {
            app.scan.progress = progress;
        }
        Action::BatchAnalysed { generation, batch } if generation == app.scan.generation => {
            let before = app.selected_record();
            let first_new = app.session.records().len();
            let live = app.session.live;
            app.session.extend(batch);
            let added = app.session.records().len() - first_new;
            for r in &app.session.records()[first_new..] {
                app.scan.kinds.add(r);
            }
            restore_selection(app, before);
            super::incidents::records_added(app);
            if live && added > 0 {
                let text = format!("{added} new {} while watching", rows(added));
                set_status(app, &text, false);
            }
        }
        Action::ReadFailed { generation, error } if generation == app.scan.generation => {
            let error = crate::text::clean_line(&error).into_owned();
            app.scan.failures += 1;
            app.scan.last_error = Some(error.clone());
            set_status(app, &error, true);
        }
        Action::NoticeReported { generation, text } if generation == app.scan.generation => {
            set_status(app, &crate::text::clean_line(&text), false);
        }
        Action::SourceFatal { generation, error } if generation == app.scan.generation => {
            let error = crate::text::clean_line(&error).into_owned();
            app.scan.fatal = Some(error.clone());
            app.scan.last_error = Some(error.clone());
            set_status(app, &error, true);
        }
        Action::RecordsWithdrawn { generation, scope, reason }
            if generation == app.scan.generation =>
        {
            withdraw(app, &scope);
            set_status(app, &crate::text::clean_line(&reason), false);
        }
        Action::ScanFinished { generation } if generation == app.scan.generation => {
            app.scan.running = false;
            // From now on what arrives is new (while watching).
            app.session.live = true;
            let found = app.session.records().len();
            let mut text = format!("scan finished: {found} recipients in bounce reports");
            if app.scan.failures > 0 {
                text.push_str(&format!(", {} messages could not be read", app.scan.failures));
            }
            if app.scan.fatal.is_none() {
                match app.warning.clone() {
                    Some(warning) => set_status(app, &format!("{text}; {warning}"), true),
                    None => set_status(app, &text, false),
                }
            }
        }
        Action::RawLoaded { record, result } => {
            if app.raw.as_ref().map(Raw::record) != Some(record) {
                return;
            }
            app.raw = Some(match result {
                Ok(bytes) => Raw::Loaded { record, text: raw_text(&bytes) },
                Err(error) => Raw::Failed { record, error: crate::text::clean_line(&error).into() },
            });
        }
        Action::ExportExists(path) => {
            let shown = crate::text::clean_line(&path.display().to_string()).into_owned();
            set_status(app, &format!("{shown} already exists: overwrite it? y / n"), true);
            app.overlay = Some(Overlay::Prompt(Prompt::new(PromptKind::Overwrite, "")));
            app.pending_export = Some(path);
        }
        Action::ConfirmOverwrite => {
            if let Some(Overlay::Prompt(p)) = &app.overlay
                && p.kind == PromptKind::Overwrite
            {
                app.overlay = None;
            }
            if let Some(path) = app.pending_export.take() {
                app.effects.push(Effect::Export { path, overwrite: true });
            }
        }
        Action::ExportFinished(result) | Action::JobFinished(result) => match result {
            Ok(done) => set_status(app, &crate::text::clean_line(&done), false),
            Err(error) => set_status(app, &crate::text::clean_line(&error), true),
        },
        Action::MessageFetched { job, result } => match result {
            Ok(bytes) => app.effects.push(Effect::Deliver { job, bytes }),
            Err(error) => set_status(app, &crate::text::clean_line(&error), true),
        },
        Action::WatchReported(result) => match result {
            Ok(text) => {
                app.watching = !text.starts_with("stopped");
                set_status(app, &crate::text::clean_line(&text), false);
            }
            Err(error) => {
                app.watching = false;
                set_status(app, &crate::text::clean_line(&error), true);
            }
        },
        _ => {}
    }
}

/// Take the rows of `scope` off the list, keeping the selection on the same row when
/// it stays, and the hard count true.
fn withdraw(app: &mut App, scope: &crate::source::Scope) {
    let selected = app.selected_record().map(|i| {
        let r = &app.session.records()[i];
        (std::sync::Arc::clone(&r.origin), r.index)
    });
    app.session.withdraw(|origin| scope.covers(origin));
    let before = selected.and_then(|(origin, index)| {
        app.session
            .records()
            .iter()
            .position(|r| std::sync::Arc::ptr_eq(&r.origin, &origin) && r.index == index)
    });
    app.scan.kinds = KindCounts::of(app.session.records());
    if app.raw.as_ref().is_some_and(|raw| Some(raw.record()) != before) {
        // The raw view names a record by index, which has moved or gone.
        app.raw = None;
    }
    restore_selection(app, before);
}

/// Largest raw message shown; the rest is cut with a note (a 15 MB attachment would
/// only slow the screen down).
const RAW_LIMIT: usize = 512 * 1024;

/// The raw message as text for the screen: lossy UTF-8, cleaned, capped.
fn raw_text(bytes: &[u8]) -> String {
    let cut = bytes.len() > RAW_LIMIT;
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(RAW_LIMIT)]);
    let mut text = crate::text::clean(&text).into_owned();
    if cut {
        text.push_str(&format!("\n[... {} more bytes not shown]", bytes.len() - RAW_LIMIT));
    }
    text
}

fn rows(n: usize) -> &'static str {
    if n == 1 { "bounce" } else { "bounces" }
}
