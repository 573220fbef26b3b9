//! The `[ui]` table of the config: how the screen looks and what it may do.
//!
//! ```toml
//! [ui]
//! theme = "solarized-dark"   # default, light, solarized-dark, high-contrast, 256, mono
//! copy_osc52 = true          # y / Y copy through the terminal (off by default)
//! watch_poll_secs = 60       # polling interval where IMAP IDLE is missing
//! ```

use serde::Deserialize;

/// Theme names the screen knows (see `tui::theme::Theme::NAMES`).
pub const THEMES: &[&str] = &["default", "light", "solarized-dark", "high-contrast", "256", "mono"];

/// Default seconds between two looks at a folder whose server has no IDLE.
pub const DEFAULT_POLL_SECS: u64 = 60;

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ui {
    /// A named colour preset; NO_COLOR overrides it.
    #[serde(default)]
    pub theme: Option<String>,
    /// Allow `y`/`Y` to copy with OSC 52. Off unless asked: the terminal, and anything
    /// reading its clipboard, then sees mail text.
    #[serde(default)]
    pub copy_osc52: bool,
    /// Polling interval of the live watch where the server has no IDLE.
    #[serde(default = "default_poll")]
    pub watch_poll_secs: u64,
}

fn default_poll() -> u64 {
    DEFAULT_POLL_SECS
}

impl Default for Ui {
    fn default() -> Self {
        Ui { theme: None, copy_osc52: false, watch_poll_secs: DEFAULT_POLL_SECS }
    }
}

impl Ui {
    /// Check the table; `Err` says what to change.
    pub fn validate(&self) -> Result<(), String> {
        if let Some(t) = &self.theme
            && !THEMES.contains(&t.as_str())
        {
            return Err(format!(
                "[ui] theme = {t:?} is not a theme; use one of: {}",
                THEMES.join(", ")
            ));
        }
        if self.watch_poll_secs < 5 {
            return Err(
                "[ui] watch_poll_secs must be at least 5 (a server is not a busy loop)".into()
            );
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    #[test]
    fn the_ui_table_is_read_and_checked() {
        let text = "[ui]\ntheme = \"solarized-dark\"\ncopy_osc52 = true\nwatch_poll_secs = 30\n";
        let c = super::super::parse(text, Path::new("c.toml")).expect("parses");
        assert_eq!(c.ui.theme.as_deref(), Some("solarized-dark"));
        assert!(c.ui.copy_osc52);
        assert_eq!(c.ui.watch_poll_secs, 30);
        let none = super::super::parse("", Path::new("c.toml")).expect("parses");
        assert!(!none.ui.copy_osc52, "copying is off unless asked for");
        let bad = super::super::parse("[ui]\ntheme = \"neon\"\n", Path::new("c.toml"));
        let e = bad.unwrap_err().to_string();
        assert!(e.contains("neon") && e.contains("solarized-dark") && e.contains("line 1"), "{e}");
        let typo = super::super::parse("[ui]\ncopy_osc = true\n", Path::new("c.toml"));
        assert!(typo.is_err(), "an unknown key is refused");
    }
}
