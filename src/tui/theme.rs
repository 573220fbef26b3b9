//! Every colour the screen uses, in one place: named presets (`theme = "..."` under
//! `[ui]` in the config), NO_COLOR, and the selected row shown by reverse video (or the
//! 256-colour preset's band) plus a `>` in the gutter, so it never disappears.

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
    /// The names `theme = "..."` accepts under `[ui]` in the config.
    pub const NAMES: &'static [&'static str] =
        &["default", "light", "solarized-dark", "high-contrast", "256", "mono"];

    /// Colours unless the user set NO_COLOR (https://no-color.org: any non-empty value).
    pub fn from_env() -> Self {
        Theme::pick(None)
    }

    /// The named preset, unless NO_COLOR is set (it always wins); an unknown name
    /// gives the default (the config check reports it).
    pub fn pick(name: Option<&str>) -> Self {
        match std::env::var_os("NO_COLOR") {
            Some(v) if !v.is_empty() => Theme::monochrome(),
            _ => name.and_then(Theme::named).unwrap_or_else(Theme::colour),
        }
    }

    pub fn named(name: &str) -> Option<Self> {
        Some(match name {
            "default" => Theme::colour(),
            "light" => Theme::light(),
            "solarized-dark" => Theme::solarized_dark(),
            "high-contrast" => Theme::high_contrast(),
            "256" => Theme::indexed(),
            "mono" | "monochrome" => Theme::monochrome(),
            _ => return None,
        })
    }

    /// The 16 ANSI colours only, so it reads the same on any terminal; the selected
    /// row is reverse video (never a background colour that a palette may make the
    /// terminal's own background, as colour 8 is in Solarized Dark).
    pub fn colour() -> Self {
        let bold = Modifier::BOLD;
        Theme {
            base: Style::new(),
            bar: Style::new().fg(Color::White).bg(Color::Blue),
            bar_accent: Style::new().fg(Color::Yellow).bg(Color::Blue).add_modifier(bold),
            filter_tag: Style::new().fg(Color::Black).bg(Color::Cyan),
            header: Style::new().fg(Color::Cyan).add_modifier(bold),
            selected: Style::new().add_modifier(Modifier::REVERSED | bold),
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

    /// For light backgrounds: dark text colours, no grey labels.
    pub fn light() -> Self {
        Theme {
            label: Style::new().fg(Color::Black).add_modifier(Modifier::BOLD),
            dim: Style::new().fg(Color::Blue),
            border: Style::new().fg(Color::Gray),
            soft: Style::new().fg(Color::Magenta),
            warn: Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
            key: Style::new().fg(Color::Blue).add_modifier(Modifier::BOLD),
            ..Theme::colour()
        }
    }

    /// Solarized Dark maps colour 8 (dark grey) to its background: nothing here uses it.
    pub fn solarized_dark() -> Self {
        Theme {
            border: Style::new().fg(Color::Blue),
            dim: Style::new().fg(Color::Gray),
            label: Style::new().fg(Color::White).add_modifier(Modifier::BOLD),
            ..Theme::colour()
        }
    }

    /// Bold everywhere it helps, bright colours only.
    pub fn high_contrast() -> Self {
        let bold = Modifier::BOLD;
        Theme {
            hard: Style::new().fg(Color::LightRed).add_modifier(bold),
            soft: Style::new().fg(Color::LightYellow).add_modifier(bold),
            other: Style::new().fg(Color::LightGreen).add_modifier(bold),
            dim: Style::new().fg(Color::White),
            border: Style::new().fg(Color::White),
            label: Style::new().fg(Color::White).add_modifier(bold),
            ..Theme::colour()
        }
    }

    /// For 256-colour terminals: softer indexed colours, the selection a blue band.
    pub fn indexed() -> Self {
        Theme {
            selected: Style::new()
                .fg(Color::Indexed(231))
                .bg(Color::Indexed(25))
                .add_modifier(Modifier::BOLD),
            hard: Style::new().fg(Color::Indexed(203)),
            soft: Style::new().fg(Color::Indexed(214)),
            delayed: Style::new().fg(Color::Indexed(75)),
            other: Style::new().fg(Color::Indexed(114)),
            dim: Style::new().fg(Color::Indexed(245)),
            border: Style::new().fg(Color::Indexed(240)),
            ..Theme::colour()
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
