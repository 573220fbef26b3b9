//! The one-line prompts: `/` search (jump with n/N, the list stays whole), `f` filter
//! (narrow the list; the language is `session::query`'s), and the names of files and
//! commands (export, save, pipe, ticket). Editing is `edit`'s.

use std::path::PathBuf;

use crate::session::Filter;

use super::app::{App, Effect, Job, Overlay, PromptKind};
use super::edit::{Edit, Line, expand_home};
use super::nav::{refresh_keeping_selection, select};
use super::update::set_status;

/// Type one character at the cursor.
pub fn input(app: &mut App, c: char) {
    let Some(Overlay::Prompt(prompt)) = &mut app.overlay else { return };
    prompt.line.insert(c);
}

/// Move the cursor, erase, or recall the history.
pub fn edit(app: &mut App, e: Edit) {
    let Some(Overlay::Prompt(prompt)) = &mut app.overlay else { return };
    let history = &app.history[prompt.kind.slot()];
    match e {
        Edit::HistoryPrevious | Edit::HistoryNext => {
            let back = if e == Edit::HistoryPrevious {
                prompt.back + 1
            } else {
                prompt.back.saturating_sub(1)
            };
            if prompt.back == 0 {
                prompt.draft = prompt.line.text.clone();
            }
            if back == 0 {
                prompt.back = 0;
                prompt.line = Line::new(prompt.draft.clone());
            } else if let Some(old) = history.get(back) {
                prompt.back = back;
                prompt.line = Line::new(old);
            }
        }
        other => prompt.line.apply(other),
    }
}

pub fn submit(app: &mut App) {
    let Some(Overlay::Prompt(prompt)) = app.overlay.take() else { return };
    let typed = prompt.line.text.trim().to_string();
    app.history[prompt.kind.slot()].push(&typed);
    let input = if prompt.kind.takes_path() { expand_home(&typed) } else { typed };
    match prompt.kind {
        PromptKind::Search if input.is_empty() => app.search = None,
        PromptKind::Search => {
            let search = app.session.search(&input);
            let hit = search
                .hits
                .iter()
                .copied()
                .find(|&p| p >= app.selected)
                .or(search.hits.first().copied());
            app.search = Some(search);
            jump(app, hit);
        }
        PromptKind::Export if input.is_empty() => set_status(app, "export cancelled", false),
        PromptKind::Export => match super::export::check_name(&input) {
            Ok(path) => app.effects.push(Effect::Export { path, overwrite: false }),
            Err(message) => set_status(app, &message, true),
        },
        // Enter without `y`: the answer is no.
        PromptKind::Overwrite => {
            app.pending_export = None;
            set_status(app, "export cancelled: the file was left as it was", false);
        }
        PromptKind::Filter => match crate::session::query::parse(&input, &app.session.filter) {
            Ok(parsed) => {
                app.session.filter = parsed.filter;
                refresh_keeping_selection(app);
                let shown = app.session.visible().len();
                let mut text = format!("{shown} shown");
                for note in parsed.notes {
                    text.push_str("; ");
                    text.push_str(&note);
                }
                set_status(app, &text, false);
            }
            Err(message) => set_status(app, &message, true),
        },
        PromptKind::Pipe | PromptKind::Save if input.is_empty() => {
            set_status(app, "cancelled", false)
        }
        PromptKind::Pipe => super::message::fetch(app, Job::Pipe(input)),
        PromptKind::Save => super::message::fetch(app, Job::Save(PathBuf::from(input))),
        PromptKind::Ticket if input.is_empty() => set_status(app, "ticket cancelled", false),
        PromptKind::Ticket => super::incidents::write_ticket(app, PathBuf::from(input)),
    }
}

/// n / N: the next or previous row matching the search, wrapping around.
pub fn search_step(app: &mut App, forward: bool) {
    let Some(search) = &app.search else {
        set_status(app, "no search yet: press / to search", true);
        return;
    };
    let hit = if forward { search.next_from(app.selected) } else { search.prev_from(app.selected) };
    jump(app, hit);
}

fn jump(app: &mut App, hit: Option<usize>) {
    let Some(search) = &app.search else { return };
    let query = crate::text::clean_line(&search.query).into_owned();
    match hit {
        Some(pos) => {
            select(app, pos);
            if let Some((n, total)) = app.search.as_ref().and_then(|s| s.rank(pos)) {
                set_status(
                    app,
                    &format!("/{query}: match {n} of {total} (n next, N previous)"),
                    false,
                );
            }
        }
        None => set_status(app, &format!("/{query}: no match"), true),
    }
}

/// Apply the words typed at the filter prompt on top of the current filter (see
/// `session::query` for the language). An empty input or `clear` removes every filter.
pub fn parse_filter(input: &str, current: &Filter) -> Result<Filter, String> {
    crate::session::query::parse(input, current).map(|p| p.filter)
}
