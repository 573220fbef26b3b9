//! Editing one line of a prompt as a shell does: a cursor, Ctrl-A/E to the ends,
//! Ctrl-U to erase before the cursor, Ctrl-W the word before it, Ctrl-K after it, and
//! a history per prompt recalled with Up and Down. `~/` expands to the home directory
//! where a prompt takes a path.

/// One editing command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    Left,
    Right,
    WordLeft,
    WordRight,
    Home,
    End,
    Backspace,
    Delete,
    /// Ctrl-U: erase from the start to the cursor.
    KillToStart,
    /// Ctrl-K: erase from the cursor to the end.
    KillToEnd,
    /// Ctrl-W: erase the word before the cursor.
    KillWord,
    HistoryPrevious,
    HistoryNext,
}

/// A line being typed: the text and the cursor (a byte offset on a char boundary).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Line {
    pub text: String,
    pub cursor: usize,
}

impl Line {
    pub fn new(text: impl Into<String>) -> Line {
        let text = text.into();
        Line { cursor: text.len(), text }
    }

    pub fn insert(&mut self, c: char) {
        // Pasted or typed text is one line of printable characters.
        if crate::text::is_unsafe(c) {
            return;
        }
        self.text.insert(self.cursor, c);
        self.cursor += c.len_utf8();
    }

    fn prev(&self, i: usize) -> usize {
        self.text[..i].char_indices().next_back().map_or(0, |(p, _)| p)
    }

    fn next(&self, i: usize) -> usize {
        self.text[i..].chars().next().map_or(i, |c| i + c.len_utf8())
    }

    fn word_start(&self) -> usize {
        let before = &self.text[..self.cursor];
        let trimmed = before.trim_end();
        trimmed.rfind(|c: char| c.is_whitespace() || c == '/').map_or(0, |p| p + 1)
    }

    fn word_end(&self) -> usize {
        let after = &self.text[self.cursor..];
        let skip = after.len() - after.trim_start().len();
        let rest = &after[skip..];
        self.cursor + skip + rest.find(char::is_whitespace).unwrap_or(rest.len())
    }

    /// Apply an editing command other than history.
    pub fn apply(&mut self, edit: Edit) {
        let c = self.cursor;
        match edit {
            Edit::Left => self.cursor = self.prev(c),
            Edit::Right => self.cursor = self.next(c),
            Edit::WordLeft => self.cursor = self.word_start(),
            Edit::WordRight => self.cursor = self.word_end(),
            Edit::Home => self.cursor = 0,
            Edit::End => self.cursor = self.text.len(),
            Edit::Backspace if c > 0 => {
                let p = self.prev(c);
                self.text.replace_range(p..c, "");
                self.cursor = p;
            }
            Edit::Delete if c < self.text.len() => {
                let n = self.next(c);
                self.text.replace_range(c..n, "");
            }
            Edit::KillToStart => {
                self.text.replace_range(..c, "");
                self.cursor = 0;
            }
            Edit::KillToEnd => self.text.truncate(c),
            Edit::KillWord => {
                let start = self.word_start();
                self.text.replace_range(start..c, "");
                self.cursor = start;
            }
            _ => {}
        }
    }

    /// The text before and after the cursor, for drawing it.
    pub fn split(&self) -> (&str, &str) {
        self.text.split_at(self.cursor)
    }
}

/// Lines submitted at one prompt, oldest first, and where Up/Down is.
#[derive(Debug, Clone, Default)]
pub struct History {
    pub lines: Vec<String>,
}

const KEEP: usize = 100;

impl History {
    /// Remember a submitted line (not twice in a row, never empty).
    pub fn push(&mut self, line: &str) {
        let line = line.trim();
        if line.is_empty() || self.lines.last().is_some_and(|l| l == line) {
            return;
        }
        self.lines.push(line.to_string());
        if self.lines.len() > KEEP {
            self.lines.remove(0);
        }
    }

    /// The entry `back` steps back from the newest (1 = newest), if there is one.
    pub fn get(&self, back: usize) -> Option<&str> {
        back.checked_sub(1)
            .and_then(|b| self.lines.len().checked_sub(b + 1))
            .map(|i| self.lines[i].as_str())
    }
}

/// `~` or `~/x` with the home directory put in; other text unchanged.
pub fn expand_home(path: &str) -> String {
    let home = std::env::var("HOME").ok().filter(|h| !h.is_empty());
    match (path, home) {
        ("~", Some(h)) => h,
        (p, Some(h)) if p.starts_with("~/") => format!("{h}{}", &p[1..]),
        (p, _) => p.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cursor_moves_and_kills_like_a_shell() {
        let mut l = Line::new("rebound-report.md");
        l.apply(Edit::KillToStart);
        assert_eq!((l.text.as_str(), l.cursor), ("", 0));
        for c in "mta:a.example hard".chars() {
            l.insert(c);
        }
        l.apply(Edit::KillWord);
        assert_eq!(l.text, "mta:a.example ");
        l.apply(Edit::Home);
        l.insert('!');
        assert_eq!(l.text, "!mta:a.example ");
        l.apply(Edit::End);
        l.apply(Edit::Left);
        l.apply(Edit::Backspace);
        assert_eq!(l.text, "!mta:a.exampl ");
        l.apply(Edit::Home);
        l.apply(Edit::Delete);
        assert_eq!(l.split(), ("", "mta:a.exampl "));
        let mut w = Line::new("日本 語");
        w.apply(Edit::Left);
        w.apply(Edit::Left);
        w.apply(Edit::Backspace);
        assert_eq!(w.text, "日 語");
    }

    #[test]
    fn history_recalls_newest_first() {
        let mut h = History::default();
        h.push("hard");
        h.push("hard");
        h.push("  ");
        h.push("5.7.1");
        assert_eq!(h.get(1), Some("5.7.1"));
        assert_eq!(h.get(2), Some("hard"));
        assert_eq!(h.get(3), None);
        assert_eq!(h.get(0), None);
    }

    #[test]
    fn tilde_is_home() {
        let home = std::env::var("HOME").unwrap_or_default();
        if !home.is_empty() {
            assert_eq!(expand_home("~/r.md"), format!("{home}/r.md"));
        }
        assert_eq!(expand_home("a/~b"), "a/~b");
    }
}
