//! The terminal UI (feature `tui`). The only module that knows ratatui and crossterm.
//!
//! Shape: one [`Action`] enum and one [`update`] that changes the [`App`]; views only
//! read it. A worker thread runs the source; an input thread reads the terminal; both
//! send on one channel, so the screen never waits on the network.

pub mod action;
pub mod app;
mod background;
mod deliver;
pub mod edit;
mod export;
mod fetcher;
pub mod incidents;
pub mod keymap;
pub mod layout;
pub(crate) mod message;
mod nav;
mod prompt;
mod runtime;
mod signals;
mod summary;
pub mod theme;
pub mod update;
pub mod view;
mod watch;
mod worker;

pub use action::Action;
pub use app::App;
pub use prompt::parse_filter;
pub use runtime::{Launch, Opener, RawLoader, run};
pub use theme::Theme;
pub use update::update;
