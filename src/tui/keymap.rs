//! Keys and mouse to actions. The same key can mean different things when a prompt
//! is open (it types) or not (it commands), so the map looks at the App.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseEventKind};

use super::action::Action;
use super::app::{App, Overlay, PromptKind};

/// Every key the help overlay lists: (keys, what they do).
pub const HELP: &[(&str, &str)] = &[
    ("j k  ↓ ↑", "next / previous row (or scroll the focused pane)"),
    ("g G  Home End", "first / last row"),
    ("PgDn PgUp", "one page down / up"),
    ("Ctrl-d Ctrl-u", "half a page down / up"),
    ("Enter", "open the split view; in the summary, filter by it"),
    ("Tab Shift-Tab", "next / previous pane"),
    ("v", "raw message in place of the panes (again: back)"),
    ("/", "search; n / N next / previous match"),
    ("f", "filter: 5 x.7 5.7.1 hard soft userunknown @domain text:…"),
    ("c", "clear all filters and the search"),
    ("s  o", "sort by the next column / reverse the order"),
    ("t", "summary: code, reason, domain, MTA... (Tab: next)"),
    ("m", "mark or unmark the row (export takes marked rows)"),
    ("e", "export marked (or shown) rows: .md .html .json .csv .txt"),
    ("r", "rescan the source"),
    ("?", "this help"),
    ("Esc", "close, go back, clear the search"),
    ("q", "quit"),
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
        return match key.code {
            KeyCode::Enter => Some(Action::PromptSubmit),
            KeyCode::Esc => Some(Action::Back),
            KeyCode::Backspace => Some(Action::PromptBackspace),
            KeyCode::Char(c) if !ctrl => Some(Action::PromptInput(c)),
            _ => None,
        };
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
        KeyCode::Char('e') => Action::Export,
        KeyCode::Char('r') => Action::Rescan,
        KeyCode::Char('?') => Action::ToggleHelp,
        KeyCode::Esc => Action::Back,
        KeyCode::Char('q') => Action::Quit,
        _ => return None,
    };
    Some(action)
}
