//! The state of the screen. Views read it; only `update` changes it.

use ratatui::layout::Rect;

use crate::session::{Group, Search, Session};
use crate::source::{Origin, Progress};

use super::edit::{History, Line};
use super::theme::Theme;

/// Which main view is showing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// The list fills the screen.
    List,
    /// The list on top, the selected bounce's panes below.
    Split,
    /// The failures grouped into incidents (see `session::incident`).
    Incidents,
}

/// The panes that can have the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    List,
    Hops,
    Diagnostic,
    Guidance,
}

impl Pane {
    pub const DETAIL: [Pane; 3] = [Pane::Hops, Pane::Diagnostic, Pane::Guidance];

    /// Index into `App::pane_scroll`.
    pub fn scroll_slot(self) -> usize {
        match self {
            Pane::List | Pane::Hops => 0,
            Pane::Diagnostic => 1,
            Pane::Guidance => 2,
        }
    }
}

/// A line of text being typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptKind {
    Search,
    Filter,
    /// The file name of an export.
    Export,
    /// The export's file exists: overwrite it? (y / n)
    Overwrite,
    /// A shell command the selected message is piped to (`|`).
    Pipe,
    /// The file the selected message is saved to as `.eml`.
    Save,
    /// The file an incident's ticket summary is written to.
    Ticket,
}

impl PromptKind {
    pub const ALL: [PromptKind; 7] = [
        PromptKind::Search,
        PromptKind::Filter,
        PromptKind::Export,
        PromptKind::Overwrite,
        PromptKind::Pipe,
        PromptKind::Save,
        PromptKind::Ticket,
    ];

    /// Index into `App::history`.
    pub fn slot(self) -> usize {
        PromptKind::ALL.iter().position(|k| *k == self).unwrap_or(0)
    }

    /// Prompts that take a path, where `~/` means the home directory.
    pub fn takes_path(self) -> bool {
        matches!(self, PromptKind::Export | PromptKind::Save | PromptKind::Ticket)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompt {
    pub kind: PromptKind,
    pub line: Line,
    /// How far back in the history Up has gone (0: the line being typed).
    pub back: usize,
    /// The line being typed, kept while the history is shown.
    pub draft: String,
}

impl Prompt {
    pub fn new(kind: PromptKind, text: impl Into<String>) -> Prompt {
        Prompt { kind, line: Line::new(text), back: 0, draft: String::new() }
    }

    pub fn input(&self) -> &str {
        &self.line.text
    }
}

/// The summary overlay: one section of the session's summary (code, reason, domain,
/// reporting MTA, ...) with counts, one group highlighted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// Index into `session::Summary::sections()`.
    pub section: usize,
    pub title: &'static str,
    /// Records and reports counted.
    pub records: usize,
    pub reports: usize,
    pub groups: Vec<Group>,
    pub selected: usize,
}

/// What floats above the main view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    Help,
    Prompt(Prompt),
    Summary(Summary),
}

/// The raw message shown in place of the detail panes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Raw {
    Loading { record: usize },
    Loaded { record: usize, text: String },
    Failed { record: usize, error: String },
}

impl Raw {
    pub fn record(&self) -> usize {
        match self {
            Raw::Loading { record } | Raw::Loaded { record, .. } | Raw::Failed { record, .. } => {
                *record
            }
        }
    }
}

/// How the scan is going.
#[derive(Debug, Clone, Default)]
pub struct Scan {
    /// Events from older scans (before a rescan) carry an older number and are ignored.
    pub generation: u64,
    pub running: bool,
    pub progress: Progress,
    /// Messages that could not be read.
    pub failures: usize,
    /// The last failure, for the status line.
    pub last_error: Option<String>,
    /// The whole source failed (cannot connect, cannot open): shown instead of the list.
    pub fatal: Option<String>,
    /// Records by what the list's verdict column says (hard, soft, wait, ok, fbl,
    /// auto), counted as batches arrive: counting them at every frame would touch
    /// 100,000 reports scattered over the heap.
    pub kinds: KindCounts,
}

/// Records counted by kind: the session's count, so the screen and the reports agree.
pub use crate::session::KindCounts;

/// A one-line message at the bottom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub text: String,
    pub is_error: bool,
}

/// What to do with a message's raw bytes once they are fetched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Job {
    /// Show it in `$PAGER`.
    Pager,
    /// Pipe it to a shell command and show what it printed.
    Pipe(String),
    /// Write it to a new file (never over an existing one).
    Save(std::path::PathBuf),
}

/// Work the runtime must do for `update` (which itself does no I/O).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Cancel the running scan and start again with this generation.
    Rescan {
        generation: u64,
    },
    LoadRaw {
        record: usize,
        origin: Origin,
    },
    /// Write a report of the marked (or shown) records; the extension picks the format.
    /// An existing file is replaced only when `overwrite` (the user said yes).
    Export {
        path: std::path::PathBuf,
        overwrite: bool,
    },
    /// Fetch a message, then do `job` with it (see `Action::MessageFetched`).
    Fetch {
        origin: Origin,
        job: Job,
    },
    /// Hand fetched bytes to the pager, a command or a file.
    Deliver {
        job: Job,
        bytes: std::sync::Arc<Vec<u8>>,
    },
    /// Put text on the terminal's clipboard with OSC 52.
    Copy(String),
    /// Write a file that must not exist yet (an incident's ticket).
    WriteNew {
        path: std::path::PathBuf,
        text: String,
    },
    /// Save the triage book.
    SaveTriage,
    /// Start or stop watching the source for new messages.
    Watch(bool),
}

/// Characters of the file name the export prompt starts with.
pub const DEFAULT_EXPORT_NAME_LEN: usize = super::export::DEFAULT_NAME.len();

/// Everything the screen shows.
pub struct App {
    pub session: Session,
    pub source: String,
    pub scan: Scan,
    pub view: View,
    pub focus: Pane,
    pub overlay: Option<Overlay>,
    pub raw: Option<Raw>,
    /// Position of the selected row in `session.visible()`.
    pub selected: usize,
    /// First shown row of the list.
    pub list_offset: usize,
    /// Scroll of the hops, diagnostic and guidance panes (and the raw view in slot 0).
    pub pane_scroll: [u16; 3],
    pub raw_scroll: u16,
    /// The last search and its hits in the shown list, for n/N.
    pub search: Option<Search>,
    pub status: Option<Status>,
    /// A standing problem found before the screen opened (a user catalog file that
    /// cannot be used): repeated when a scan finishes, since stderr is hidden.
    /// The export waiting for the answer to "overwrite?".
    pub pending_export: Option<std::path::PathBuf>,
    pub warning: Option<String>,
    pub area: Rect,
    pub theme: Theme,
    pub effects: Vec<Effect>,
    pub quit: bool,
    /// First shown line of the help overlay.
    pub help_scroll: u16,
    /// Lines submitted at each prompt (see `PromptKind::slot`).
    pub history: [History; 7],
    /// Copying with OSC 52 is allowed (off unless the config turns it on).
    pub osc52: bool,
    /// The soft-failure policy of exported suppression lists (the config's
    /// `[suppression]`; off unless it is set).
    pub suppression: crate::report::Policy,
    /// The incident view: its incidents and the highlighted one.
    pub incidents: super::incidents::IncidentView,
    /// New messages are being watched for.
    pub watching: bool,
    /// The view to go back to from the incidents.
    pub before_incidents: View,
}

impl App {
    pub fn new(source: impl Into<String>, theme: Theme) -> Self {
        App {
            session: Session::default(),
            source: source.into(),
            scan: Scan::default(),
            view: View::List,
            focus: Pane::List,
            overlay: None,
            raw: None,
            selected: 0,
            list_offset: 0,
            pane_scroll: [0; 3],
            raw_scroll: 0,
            search: None,
            status: None,
            warning: None,
            pending_export: None,
            area: Rect::new(0, 0, 80, 24),
            theme,
            effects: Vec::new(),
            quit: false,
            help_scroll: 0,
            history: Default::default(),
            osc52: false,
            suppression: crate::report::Policy::OFF,
            incidents: Default::default(),
            watching: false,
            before_incidents: View::List,
        }
    }

    /// Index into `session.records()` of the selected row.
    pub fn selected_record(&self) -> Option<usize> {
        self.session.visible().get(self.selected).copied()
    }

    pub fn selected(&self) -> Option<&crate::session::Record> {
        self.selected_record().map(|i| &self.session.records()[i])
    }
}
