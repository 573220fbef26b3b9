//! Everything that can change the App: what the user asks (verbs) and what the
//! background work reports (past tense). `update` is the only consumer.

use std::sync::Arc;

use crate::session::{SortKey, State};
use crate::source::{Analysed, Progress, Scope};

use super::app::Job;
use super::edit::Edit;

/// One change to the App.
#[derive(Debug, Clone)]
pub enum Action {
    // Moving around.
    SelectNext,
    SelectPrevious,
    SelectFirst,
    SelectLast,
    PageDown,
    PageUp,
    HalfPageDown,
    HalfPageUp,
    /// Select the n-th shown row (mouse click).
    SelectRow(usize),
    /// Mouse click at a screen position.
    ClickAt {
        column: u16,
        row: u16,
    },
    /// Mouse wheel over a screen position; `down` scrolls towards the end.
    ScrollAt {
        column: u16,
        row: u16,
        down: bool,
    },
    /// Enter: open the split view, or choose the highlighted summary group.
    Open,
    /// Esc: close what is open, one level at a time.
    Back,
    FocusNext,
    FocusPrevious,
    ToggleRaw,
    ToggleHelp,
    ToggleSummary,
    /// In the summary: look at the next grouping (code, reason, domain, reporting MTA).
    NextSummaryGroup,
    ToggleMark,
    /// Unmark every record.
    ClearMarks,
    CycleSort,
    SortBy(SortKey),
    ReverseSort,
    // Prompts (filter and search).
    StartSearch,
    StartFilter,
    PromptInput(char),
    PromptBackspace,
    /// Cursor movement, Ctrl-U/W/K, history.
    PromptEdit(Edit),
    PromptSubmit,
    SearchNext,
    SearchPrevious,
    ClearFilters,
    Export,
    Rescan,
    /// `q`: back one level, or quit from the list.
    QuitOrBack,
    Quit,
    /// The selected message in `$PAGER`.
    OpenPager,
    /// Ask for a command to pipe the selected message to.
    StartPipe,
    /// Ask for a file to save the selected message to.
    StartSave,
    /// Copy the recipient (false) or the diagnostic (true) with OSC 52.
    Copy {
        diagnostic: bool,
    },
    /// The incident view (again: back).
    ToggleIncidents,
    /// Write the highlighted incident's ticket summary.
    StartTicket,
    /// Set the triage state of the marked rows, else the selected row (or, in the
    /// incident view, of the incident's records).
    SetState(State),
    /// Start or stop watching for new messages.
    ToggleWatch,
    Resize {
        width: u16,
        height: u16,
    },
    // Background results.
    ScanStarted {
        generation: u64,
        description: String,
    },
    ProgressReported {
        generation: u64,
        progress: Progress,
    },
    BatchAnalysed {
        generation: u64,
        batch: Vec<Analysed>,
    },
    /// A message, file or folder could not be read; the scan goes on.
    ReadFailed {
        generation: u64,
        error: String,
    },
    /// Something to know that loses nothing (a reconnect, a cache discarded).
    NoticeReported {
        generation: u64,
        text: String,
    },
    /// The source stopped early (cannot connect, cannot go on).
    SourceFatal {
        generation: u64,
        error: String,
    },
    /// The rows found so far in `scope` are void (a folder was renumbered); its rows
    /// come again.
    RecordsWithdrawn {
        generation: u64,
        scope: Scope,
        reason: String,
    },
    ScanFinished {
        generation: u64,
    },
    RawLoaded {
        record: usize,
        result: Result<Vec<u8>, String>,
    },
    /// A message fetched for a job (pager, pipe, save).
    MessageFetched {
        job: Job,
        result: Result<Arc<Vec<u8>>, String>,
    },
    /// The pager, pipe or save finished; the text says what happened.
    JobFinished(Result<String, String>),
    /// Watching started, stopped or failed (`Err`), said in words.
    WatchReported(Result<String, String>),
    ExportFinished(Result<String, String>),
    /// The export's file exists: ask before replacing it.
    ExportExists(std::path::PathBuf),
    /// The answer to "overwrite?": yes.
    ConfirmOverwrite,
}
