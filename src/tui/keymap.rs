//! Keys and mouse to actions. The same key can mean different things when a prompt
//! is open (it types) or not (it commands), so the map looks at the App.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseEventKind};

use crate::session::State;

use super::action::Action;
use super::app::{App, Overlay, PromptKind};
use super::edit::Edit;

/// Every key the help overlay lists: (keys, what they do).
pub const HELP: &[(&str, &str)] = &[
    ("j k  ↓ ↑", "next / previous row (or scroll the focused pane)"),
    ("g G  Home End", "first / last row (top / bottom of the focused pane)"),
    ("PgDn PgUp", "one page down / up (a pane: its height)"),
    ("Ctrl-d Ctrl-u", "half a page down / up"),
    ("Enter", "open the split view; on an incident or summary group, filter by it"),
    ("Tab Shift-Tab", "next / previous pane"),
    ("Esc q", "back one level; q on the list quits"),
    ("?", "this help (j k scroll)"),
    ("v", "raw message in place of the panes (again: back)"),
    ("/", "search every column; n / N next / previous match"),
    ("f", "filter: 5 x.7 5.7.1 550 hard soft userunknown @domain mta:host"),
    ("", "  provider:gmail day:2026-11-03 unhandled text:… !word a|b"),
    ("c", "clear all filters and the search"),
    ("s  o", "sort by the next column / reverse the order"),
    ("t", "summary: code, reason, domain, organisation... (Tab: next)"),
    ("m  M", "mark or unmark the row / clear every mark"),
    ("e", "export marked (or shown) rows: .md .html .json .csv .txt"),
    ("r", "rescan the source"),
    ("i", "incidents: failures grouped by provider, code and reply"),
    ("W", "in the incidents: write a ticket summary (Markdown)"),
    ("H T U", "triage: handled / ticketed / back to new (marked rows or this one)"),
    ("p", "the raw message in $PAGER"),
    ("|", "pipe the raw message to a command"),
    ("S", "save the raw message as .eml (never overwrites)"),
    ("y  Y", "copy the recipient / the diagnostic (OSC 52, if enabled)"),
    ("w", "watch the source for new bounces (on / off)"),
    ("prompts", "← → Home End Ctrl-a Ctrl-e Ctrl-u Ctrl-w Ctrl-k, ↑ ↓ history"),
    ("mouse", "wheel scrolls; click selects a row or pane, a title sorts"),
];

pub fn action_for(app: &App, event: &Event) -> Option<Action> {
    match event {
        Event::Key(key) if key.kind != KeyEventKind::Release => key_action(app, key),
        Event::Mouse(m) => match m.kind {
            MouseEventKind::ScrollDown => {
                Some(Action::ScrollAt { column: m.column, row: m.row, down: true })
            }
            MouseEventKind::ScrollUp => {
                Some(Action::ScrollAt { column: m.column, row: m.row, down: false })
            }
            MouseEventKind::Down(_) => Some(Action::ClickAt { column: m.column, row: m.row }),
            _ => None,
        },
        Event::Resize(width, height) => Some(Action::Resize { width: *width, height: *height }),
        _ => None,
    }
}

fn key_action(app: &App, key: &KeyEvent) -> Option<Action> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    if ctrl && key.code == KeyCode::Char('c') {
        return Some(Action::Quit);
    }
    if let Some(Overlay::Prompt(p)) = &app.overlay
        && p.kind == PromptKind::Overwrite
    {
        // y replaces the file; anything else keeps it.
        return match key.code {
            KeyCode::Char('y' | 'Y') => Some(Action::ConfirmOverwrite),
            _ => Some(Action::Back),
        };
    }
    if let Some(Overlay::Prompt(_)) = app.overlay {
        return prompt_key(key, ctrl);
    }
    if let Some(Overlay::Help) = app.overlay
        && matches!(key.code, KeyCode::Char('q') | KeyCode::Char('?'))
    {
        return Some(Action::Back);
    }
    let action = match key.code {
        KeyCode::Char('d') if ctrl => Action::HalfPageDown,
        KeyCode::Char('u') if ctrl => Action::HalfPageUp,
        KeyCode::Char('j') | KeyCode::Down => Action::SelectNext,
        KeyCode::Char('k') | KeyCode::Up => Action::SelectPrevious,
        KeyCode::Char('g') | KeyCode::Home => Action::SelectFirst,
        KeyCode::Char('G') | KeyCode::End => Action::SelectLast,
        KeyCode::PageDown => Action::PageDown,
        KeyCode::PageUp => Action::PageUp,
        KeyCode::Enter => Action::Open,
        KeyCode::Tab => Action::FocusNext,
        KeyCode::BackTab => Action::FocusPrevious,
        KeyCode::Char('v') => Action::ToggleRaw,
        KeyCode::Char('/') => Action::StartSearch,
        KeyCode::Char('n') => Action::SearchNext,
        KeyCode::Char('N') => Action::SearchPrevious,
        KeyCode::Char('f') => Action::StartFilter,
        KeyCode::Char('c') => Action::ClearFilters,
        KeyCode::Char('s') => Action::CycleSort,
        KeyCode::Char('o') => Action::ReverseSort,
        KeyCode::Char('t') => Action::ToggleSummary,
        KeyCode::Char('m') => Action::ToggleMark,
        KeyCode::Char('M') => Action::ClearMarks,
        KeyCode::Char('e') => Action::Export,
        KeyCode::Char('r') => Action::Rescan,
        KeyCode::Char('?') => Action::ToggleHelp,
        KeyCode::Char('i') => Action::ToggleIncidents,
        KeyCode::Char('W') => Action::StartTicket,
        KeyCode::Char('H') => Action::SetState(State::Handled),
        KeyCode::Char('T') => Action::SetState(State::Ticketed),
        KeyCode::Char('U') => Action::SetState(State::New),
        KeyCode::Char('p') => Action::OpenPager,
        KeyCode::Char('|') => Action::StartPipe,
        KeyCode::Char('S') => Action::StartSave,
        KeyCode::Char('y') => Action::Copy { diagnostic: false },
        KeyCode::Char('Y') => Action::Copy { diagnostic: true },
        KeyCode::Char('w') => Action::ToggleWatch,
        KeyCode::Esc => Action::Back,
        KeyCode::Char('q') => Action::QuitOrBack,
        _ => return None,
    };
    Some(action)
}

/// Keys while a prompt is open: they type or edit the line.
fn prompt_key(key: &KeyEvent, ctrl: bool) -> Option<Action> {
    let alt = key.modifiers.contains(KeyModifiers::ALT);
    let edit = match key.code {
        KeyCode::Enter => return Some(Action::PromptSubmit),
        KeyCode::Esc => return Some(Action::Back),
        KeyCode::Backspace => Edit::Backspace,
        KeyCode::Delete => Edit::Delete,
        KeyCode::Left if ctrl => Edit::WordLeft,
        KeyCode::Right if ctrl => Edit::WordRight,
        KeyCode::Left => Edit::Left,
        KeyCode::Right => Edit::Right,
        KeyCode::Home => Edit::Home,
        KeyCode::End => Edit::End,
        KeyCode::Up => Edit::HistoryPrevious,
        KeyCode::Down => Edit::HistoryNext,
        KeyCode::Char(c) if ctrl => match c {
            'a' => Edit::Home,
            'e' => Edit::End,
            'b' => Edit::Left,
            'f' => Edit::Right,
            'u' => Edit::KillToStart,
            'w' => Edit::KillWord,
            'h' => Edit::Backspace,
            'k' => Edit::KillToEnd,
            'd' => Edit::Delete,
            'p' => Edit::HistoryPrevious,
            'n' => Edit::HistoryNext,
            _ => return None,
        },
        KeyCode::Char('b') if alt => Edit::WordLeft,
        KeyCode::Char('f') if alt => Edit::WordRight,
        KeyCode::Char(c) => return Some(Action::PromptInput(c)),
        _ => return None,
    };
    Some(Action::PromptEdit(edit))
}
