//! The event loop: draw, wait for one message, apply it (and any others already
//! waiting), carry out the effects `update` asked for, draw again.

use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::thread;

use crossterm::cursor::Show;
use crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use crossterm::execute;
use crossterm::terminal::LeaveAlternateScreen;

use crate::source::{Origin, Source};

use super::action::Action;
use super::app::{App, Effect};
use super::keymap::action_for;
use super::theme::Theme;
use super::update::update;
use super::view;
use super::worker::{Msg, spawn_input, spawn_scan};

/// Opens the sources; called on the worker thread (it may touch the network).
pub type Opener = Arc<dyn Fn() -> Result<Vec<Box<dyn Source>>, String> + Send + Sync>;
/// Reads a message's raw bytes again from where it was found.
pub type RawLoader = Arc<dyn Fn(&Origin) -> Result<Vec<u8>, String> + Send + Sync>;

/// What the UI needs from the command line.
pub struct Launch {
    /// Shown in the top bar before the source says more.
    pub describe: String,
    pub open: Opener,
    pub load_raw: RawLoader,
    /// A problem to show once the first scan ends (see [`App::warning`]).
    pub warning: Option<String>,
}

/// Run the UI until the user quits.
pub fn run(launch: Launch) -> io::Result<()> {
    let mut terminal = ratatui::try_init()?;
    let _ = execute!(io::stdout(), EnableMouseCapture);
    install_panic_hook();
    super::signals::install();
    let result = event_loop(&mut terminal, launch);
    restore_terminal();
    result
}

/// Give the terminal back as it was: mouse reporting off, the main screen, the
/// cursor shown, cooked mode. Safe to call twice.
fn restore_terminal() {
    let _ = execute!(io::stdout(), DisableMouseCapture, LeaveAlternateScreen, Show);
    let _ = crossterm::terminal::disable_raw_mode();
}

/// Restore the terminal before a panic is reported.
///
/// With unwinding, only a panic on the UI thread ends the program: the workers catch
/// theirs (a broken message, a crate bug in the IMAP stack) and report them in the
/// status line, so restoring the terminal there would ruin a session that goes on.
/// Built with `panic = "abort"`, any panic on any thread ends the process right after
/// the hook, so the hook restores the terminal whatever thread it runs on.
fn install_panic_hook() {
    let ui_thread = std::thread::current().id();
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !cfg!(panic = "abort") && std::thread::current().id() != ui_thread {
            // Caught and reported by the worker; nothing to print over the screen.
            return;
        }
        restore_terminal();
        // ratatui's hook (restoring again is harmless), then the standard report.
        previous(info);
    }));
}

fn event_loop(terminal: &mut ratatui::DefaultTerminal, launch: Launch) -> io::Result<()> {
    let mut app = App::new(launch.describe.clone(), Theme::from_env());
    app.warning = launch.warning.clone();
    let size = terminal.size()?;
    update(&mut app, Action::Resize { width: size.width, height: size.height });
    app.scan.running = true;
    app.status =
        Some(super::app::Status { text: format!("opening {}...", app.source), is_error: false });
    // Draw before the first blocking step, so the user sees something at once.
    terminal.draw(|f| view::draw(f, &app))?;

    let (tx, rx) = channel();
    let stop = Arc::new(AtomicBool::new(false));
    spawn_input(tx.clone(), stop.clone());
    let mut cancel = Arc::new(AtomicBool::new(false));
    spawn_scan(launch.open.clone(), 0, tx.clone(), cancel.clone());

    while !app.quit {
        let Ok(first) = rx.recv() else { break };
        for action in coalesce(&app, first, &rx) {
            update(&mut app, action);
        }
        for effect in std::mem::take(&mut app.effects) {
            cancel = perform(&launch, &app, effect, &tx, cancel);
        }
        terminal.draw(|f| view::draw(f, &app))?;
    }
    stop.store(true, Ordering::Relaxed);
    cancel.store(true, Ordering::Relaxed);
    Ok(())
}

/// The first message and all others already waiting, as actions, with consecutive
/// batches merged so a fast source costs one refresh per frame, not one per batch.
fn coalesce(app: &App, first: Msg, rx: &Receiver<Msg>) -> Vec<Action> {
    let mut out: Vec<Action> = Vec::new();
    let push = |msg: Msg, out: &mut Vec<Action>| {
        let action = match msg {
            Msg::Terminal(ev) => action_for(app, &ev),
            Msg::Background(a) => Some(a),
        };
        let Some(action) = action else { return };
        if let (
            Some(Action::BatchAnalysed { generation: g1, batch: b1 }),
            Action::BatchAnalysed { generation: g2, batch: b2 },
        ) = (out.last_mut(), &action)
            && g1 == g2
        {
            b1.extend(b2.iter().cloned());
            return;
        }
        out.push(action);
    };
    push(first, &mut out);
    // Keys typed while we were busy must see the App as their own predecessors left
    // it (a prompt opened by one key makes the next key type), so stop at a key.
    while out.iter().all(|a| !is_user(a)) {
        match rx.try_recv() {
            Ok(msg) => push(msg, &mut out),
            Err(_) => break,
        }
    }
    out
}

fn is_user(a: &Action) -> bool {
    !matches!(
        a,
        Action::ScanStarted { .. }
            | Action::ProgressReported { .. }
            | Action::BatchAnalysed { .. }
            | Action::ReadFailed { .. }
            | Action::NoticeReported { .. }
            | Action::SourceFatal { .. }
            | Action::RecordsWithdrawn { .. }
            | Action::ScanFinished { .. }
            | Action::RawLoaded { .. }
            | Action::ExportFinished(_)
            | Action::ExportExists(_)
    )
}

/// Carry out one effect. Returns the cancel flag of the scan now running.
fn perform(
    launch: &Launch,
    app: &App,
    effect: Effect,
    tx: &Sender<Msg>,
    cancel: Arc<AtomicBool>,
) -> Arc<AtomicBool> {
    match effect {
        Effect::Rescan { generation } => {
            cancel.store(true, Ordering::Relaxed);
            let fresh = Arc::new(AtomicBool::new(false));
            spawn_scan(launch.open.clone(), generation, tx.clone(), fresh.clone());
            return fresh;
        }
        Effect::LoadRaw { record, origin } => {
            let load = launch.load_raw.clone();
            let tx = tx.clone();
            thread::spawn(move || {
                let result = load(&origin);
                let _ = tx.send(Msg::Background(Action::RawLoaded { record, result }));
            });
        }
        Effect::Export { path, overwrite } => {
            // A local file write: quick, and it needs the session, so it runs here.
            use super::export::Outcome;
            let action = match super::export::save(&app.session, &app.source, &path, overwrite) {
                Outcome::Written(done) => Action::ExportFinished(Ok(done)),
                Outcome::Failed(error) => Action::ExportFinished(Err(error)),
                Outcome::Exists(path) => Action::ExportExists(path),
            };
            let _ = tx.send(Msg::Background(action));
        }
    }
    cancel
}
