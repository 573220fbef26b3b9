//! Every colour the screen uses, in one place, so NO_COLOR and future themes change
//! one struct instead of every view.

use ratatui::style::{Color, Modifier, Style};

/// The styles of the screen. Views never build colours themselves.
#[derive(Debug, Clone)]
pub struct Theme {
    pub base: Style,
    pub bar: Style,
    pub bar_accent: Style,
    pub filter_tag: Style,
    pub header: Style,
    pub selected: Style,
    pub marked: Style,
    pub hard: Style,
    pub soft: Style,
    pub delayed: Style,
    pub other: Style,
    pub border: Style,
    pub border_focus: Style,
    pub title: Style,
    pub label: Style,
    pub dim: Style,
    pub warn: Style,
    pub error: Style,
    pub good: Style,
    pub gauge: Style,
    pub delay_bar: Style,
    pub key: Style,
    pub search_hit: Style,
}

impl Theme {
    /// Colours unless the user set NO_COLOR (https://no-color.org: any non-empty value).
    pub fn from_env() -> Self {
        match std::env::var_os("NO_COLOR") {
            Some(v) if !v.is_empty() => Theme::monochrome(),
            _ => Theme::colour(),
        }
    }

    pub fn colour() -> Self {
        let bold = Modifier::BOLD;
        Theme {
            base: Style::new(),
            bar: Style::new().fg(Color::White).bg(Color::Blue),
            bar_accent: Style::new().fg(Color::Yellow).bg(Color::Blue).add_modifier(bold),
            filter_tag: Style::new().fg(Color::Black).bg(Color::Cyan),
            header: Style::new().fg(Color::Cyan).add_modifier(bold),
            selected: Style::new().bg(Color::DarkGray).add_modifier(bold),
            marked: Style::new().fg(Color::Magenta).add_modifier(bold),
            hard: Style::new().fg(Color::Red),
            soft: Style::new().fg(Color::Yellow),
            delayed: Style::new().fg(Color::Blue),
            other: Style::new().fg(Color::Green),
            border: Style::new().fg(Color::DarkGray),
            border_focus: Style::new().fg(Color::Cyan),
            title: Style::new().fg(Color::Cyan).add_modifier(bold),
            label: Style::new().fg(Color::Gray).add_modifier(bold),
            dim: Style::new().fg(Color::DarkGray),
            warn: Style::new().fg(Color::Yellow).add_modifier(bold),
            error: Style::new().fg(Color::White).bg(Color::Red).add_modifier(bold),
            good: Style::new().fg(Color::Green),
            gauge: Style::new().fg(Color::Green).bg(Color::Blue),
            delay_bar: Style::new().fg(Color::Magenta),
            key: Style::new().fg(Color::Yellow).add_modifier(bold),
            search_hit: Style::new().fg(Color::Black).bg(Color::Yellow),
        }
    }

    /// No colours at all: emphasis only through bold, reverse and underline.
    pub fn monochrome() -> Self {
        let plain = Style::new();
        let bold = Style::new().add_modifier(Modifier::BOLD);
        let reverse = Style::new().add_modifier(Modifier::REVERSED);
        Theme {
            base: plain,
            bar: reverse,
            bar_accent: reverse.add_modifier(Modifier::BOLD),
            filter_tag: plain,
            header: bold.add_modifier(Modifier::UNDERLINED),
            selected: reverse,
            marked: bold,
            hard: bold,
            soft: plain,
            delayed: plain,
            other: plain,
            border: plain,
            border_focus: bold,
            title: bold,
            label: bold,
            dim: plain,
            warn: bold,
            error: reverse.add_modifier(Modifier::BOLD),
            good: plain,
            gauge: reverse,
            delay_bar: plain,
            key: bold,
            search_hit: Style::new().add_modifier(Modifier::UNDERLINED),
        }
    }
}
