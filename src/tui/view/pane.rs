//! The frame around a detail pane: a border, a title, and the focus colour.

use ratatui::text::{Line, Span};
use ratatui::widgets::Block;

use crate::tui::theme::Theme;

pub fn block<'a>(title: String, focused: bool, theme: &Theme) -> Block<'a> {
    let border = if focused { theme.border_focus } else { theme.border };
    Block::bordered()
        .border_style(border)
        .title(Line::from(Span::styled(format!(" {title} "), theme.title)))
}

/// `label  value` with the label padded to `width` columns.
pub fn field<'a>(label: &str, value: String, width: usize, theme: &Theme) -> Line<'a> {
    Line::from(vec![Span::styled(format!("{label:<width$} "), theme.label), Span::raw(value)])
}
