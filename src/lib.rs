//! rebound: find the bounce messages in a mailbox and explain them.
//!
//! Layers (see the README): `bounce` (the engine, pure), `catalog` (guidance),
//! `source` (files, mbox, Maildir, IMAP, demo), `session` (list, filters, sort),
//! `report` (exports), `tui` (the screen). Only `tui` knows ratatui/crossterm and only
//! `source::imap` knows imap; both sit behind cargo features.

pub mod bounce;
pub mod cache;
pub mod catalog;
pub mod config;
pub mod report;
pub mod session;
pub mod source;
pub mod text;
#[cfg(feature = "tui")]
pub mod tui;
pub mod verdict;
