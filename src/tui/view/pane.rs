//! The frame around a detail pane (border, title, focus colour) and `label  value`
//! lines whose value wraps under itself, not under the label.

use ratatui::style::Style;
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
    styled_field(label, &[(value, Style::new())], label_width, width, theme)
}

/// [`field`] for a value written in parts of different styles: the parts wrap as one
/// text, continuation lines under the value, and each part keeps its style.
pub fn styled_field<'a>(
    label: &str,
    parts: &[(&str, Style)],
    label_width: usize,
    width: usize,
    theme: &Theme,
) -> Vec<Line<'a>> {
    let indent = label_width + 1;
    let room = width.saturating_sub(indent).max(8);
    let text: String = parts.iter().map(|(s, _)| *s).collect();
    let styled: Vec<(char, Style)> =
        parts.iter().flat_map(|(s, style)| s.chars().map(move |c| (c, *style))).collect();
    // `wrap` keeps every character in order and drops only spaces at the breaks, so
    // each wrapped character is found again by skipping ahead to it.
    let mut at = 0;
    wrap(&text, room)
        .into_iter()
        .enumerate()
        .map(|(i, part)| {
            let head = if i == 0 { format!("{label:<label_width$} ") } else { " ".repeat(indent) };
            let mut spans = vec![Span::styled(head, theme.label)];
            let mut run = String::new();
            let mut run_style = Style::new();
            for c in part.chars() {
                while styled.get(at).is_some_and(|(s, _)| *s != c) {
                    at += 1;
                }
                let style = styled.get(at).map_or(Style::new(), |(_, s)| *s);
                at += 1;
                if style != run_style && !run.is_empty() {
                    spans.push(Span::styled(std::mem::take(&mut run), run_style));
                }
                run_style = style;
                run.push(c);
            }
            if !run.is_empty() || spans.len() == 1 {
                spans.push(Span::styled(run, run_style));
            }
            Line::from(spans)
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

    #[test]
    fn a_styled_value_wraps_under_itself_and_keeps_its_styles() {
        let t = Theme::monochrome();
        let bold = Style::new().add_modifier(ratatui::style::Modifier::BOLD);
        let parts = [("hard (hasmoved)", bold), ("  the recipient has moved away", Style::new())];
        let lines = styled_field("Verdict", &parts, 8, 30, &t);
        let text: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        assert_eq!(
            text,
            ["Verdict  hard (hasmoved)  the", "         recipient has moved", "         away"]
        );
        assert_eq!(lines[0].spans[1].content, "hard (hasmoved)");
        assert_eq!(lines[0].spans[1].style, bold);
        assert_eq!(lines[0].spans[2].content, "  the");
        assert_eq!(lines[1].spans[1].style, Style::new());
    }
}
