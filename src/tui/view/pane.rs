//! The frame around a detail pane (border, title, focus colour) and `label  value`
//! lines whose value wraps under itself, not under the label.

use ratatui::text::{Line, Span};
use ratatui::widgets::Block;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::tui::theme::Theme;

use super::text::fit;

/// A bordered block; the title is cut with `…` to fit `width` (the pane's width).
pub fn block<'a>(title: String, focused: bool, theme: &Theme, width: u16) -> Block<'a> {
    let border = if focused { theme.border_focus } else { theme.border };
    let title = fit(&title, (width as usize).saturating_sub(4));
    Block::bordered()
        .border_style(border)
        .title(Line::from(Span::styled(format!(" {title} "), theme.title)))
}

/// `label  value`, the label padded to `label_width`, the value wrapped at word
/// boundaries to fit `width` columns with continuation lines indented under it.
pub fn field<'a>(
    label: &str,
    value: &str,
    label_width: usize,
    width: usize,
    theme: &Theme,
) -> Vec<Line<'a>> {
    let indent = label_width + 1;
    let room = width.saturating_sub(indent).max(8);
    wrap(value, room)
        .into_iter()
        .enumerate()
        .map(|(i, part)| {
            let head = if i == 0 { format!("{label:<label_width$} ") } else { " ".repeat(indent) };
            Line::from(vec![Span::styled(head, theme.label), Span::raw(part)])
        })
        .collect()
}

/// Split `text` into lines of at most `width` columns, at spaces when it can, inside
/// a word when a word alone is too long.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let gap = usize::from(!line.is_empty());
        if line.width() + gap + word.width() <= width {
            if gap == 1 {
                line.push(' ');
            }
            line.push_str(word);
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        for c in word.chars() {
            if line.width() + c.width().unwrap_or(0) > width {
                lines.push(std::mem::take(&mut line));
            }
            line.push(c);
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_at_spaces_and_splits_long_words() {
        assert_eq!(wrap("one two three", 7), ["one two", "three"]);
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap("", 5), [""]);
    }
}
