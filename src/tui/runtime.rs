//! The event loop: draw, wait for one message, apply it (and any others already
//! waiting), carry out the effects `update` asked for, draw again.

use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::thread;

use crossterm::cursor::Show;
use crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use crossterm::execute;
use crossterm::terminal::LeaveAlternateScreen;

use crate::source::{Origin, Source};

use super::action::Action;
use super::app::{App, Effect, Job};
use super::fetcher::Fetcher;
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
    /// Opens watchers of the same sources (they run until cancelled and report only
    /// messages that arrive after they start); `None` when the source cannot be watched.
    pub watch: Option<Opener>,
    /// Start watching as soon as the first scan ends (`rebound --watch`).
    pub watch_at_start: bool,
    /// The config's `[ui]` table.
    pub ui: crate::config::ui::Ui,
    /// The config's suppression policy (soft failures that also suppress an address).
    pub suppression: crate::report::Policy,
    /// Where the triage states are kept; `None` keeps them in memory only.
    pub triage_file: Option<std::path::PathBuf>,
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

/// How often the event loop, with nothing to do, checks for a terminating signal and a
/// hung-up terminal.
const WATCHDOG: std::time::Duration = std::time::Duration::from_millis(250);

/// What the loop owns besides the App: the channel, the threads it started and their
/// stop flags.
struct Runtime {
    tx: Sender<Msg>,
    input_stop: Arc<AtomicBool>,
    scan_cancel: Arc<AtomicBool>,
    watch_cancel: Option<Arc<AtomicBool>>,
    watch_started: bool,
    fetcher: Fetcher,
}

fn event_loop(terminal: &mut ratatui::DefaultTerminal, launch: Launch) -> io::Result<()> {
    let mut app = App::new(launch.describe.clone(), Theme::pick(launch.ui.theme.as_deref()));
    app.warning = launch.warning.clone();
    app.osc52 = launch.ui.copy_osc52;
    app.suppression = launch.suppression;
    let problem = match &launch.triage_file {
        Some(path) => {
            let (book, problem) = crate::session::Book::open(path);
            app.session.book = book;
            problem
        }
        // Said once, so nobody marks a hundred records handled and loses them on quit.
        None => Some(
            "no data directory (set REBOUND_DATA_DIR): triage states last for this session only"
                .to_string(),
        ),
    };
    if let Some(p) = problem {
        app.warning = Some(match app.warning.take() {
            Some(w) => format!("{w}; {p}"),
            None => p,
        });
    }
    let size = terminal.size()?;
    update(&mut app, Action::Resize { width: size.width, height: size.height });
    app.scan.running = true;
    app.status =
        Some(super::app::Status { text: format!("opening {}...", app.source), is_error: false });
    // Draw before the first blocking step, so the user sees something at once.
    terminal.draw(|f| view::draw(f, &app))?;

    let (tx, rx) = channel();
    let input_stop = Arc::new(AtomicBool::new(false));
    spawn_input(tx.clone(), input_stop.clone());
    let scan_cancel = Arc::new(AtomicBool::new(false));
    spawn_scan(launch.open.clone(), 0, tx.clone(), scan_cancel.clone());
    let fetcher = Fetcher::start(launch.load_raw.clone(), tx.clone());
    let mut rt =
        Runtime { tx, input_stop, scan_cancel, watch_cancel: None, watch_started: false, fetcher };

    while !app.quit {
        // Not a plain `recv`: a terminating signal or a terminal that hung up must end
        // the loop even when nothing else arrives (the input thread may be stuck inside
        // crossterm, see signals.rs).
        let first = match rx.recv_timeout(WATCHDOG) {
            Ok(msg) => msg,
            Err(RecvTimeoutError::Timeout) => {
                if super::signals::received() || super::signals::terminal_hung_up() {
                    break;
                }
                continue;
            }
            Err(RecvTimeoutError::Disconnected) => break,
        };
        for action in coalesce(&app, first, &rx) {
            update(&mut app, action);
        }
        if launch.watch_at_start && !rt.watch_started && !app.scan.running {
            app.effects.push(Effect::Watch(true));
        }
        for effect in std::mem::take(&mut app.effects) {
            perform(&launch, &mut app, effect, &mut rt, terminal);
        }
        terminal.draw(|f| view::draw(f, &app))?;
    }
    rt.input_stop.store(true, Ordering::Relaxed);
    rt.scan_cancel.store(true, Ordering::Relaxed);
    if let Some(c) = &rt.watch_cancel {
        c.store(true, Ordering::Relaxed);
    }
    if let Err(e) = app.session.book.save() {
        eprintln!("rebound: could not save the triage states: {e}");
    }
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
            | Action::MessageFetched { .. }
            | Action::JobFinished(_)
            | Action::WatchReported(_)
    )
}

/// Carry out one effect.
fn perform(
    launch: &Launch,
    app: &mut App,
    effect: Effect,
    rt: &mut Runtime,
    terminal: &mut ratatui::DefaultTerminal,
) {
    let tx = rt.tx.clone();
    let send = move |a: Action| {
        let _ = tx.send(Msg::Background(a));
    };
    match effect {
        Effect::Rescan { generation } => {
            rt.scan_cancel.store(true, Ordering::Relaxed);
            rt.scan_cancel = Arc::new(AtomicBool::new(false));
            spawn_scan(launch.open.clone(), generation, rt.tx.clone(), rt.scan_cancel.clone());
            // A watch reports into the scan it started with: start it again.
            if let Some(c) = rt.watch_cancel.take() {
                c.store(true, Ordering::Relaxed);
                rt.watch_started = false;
            }
        }
        Effect::LoadRaw { record, origin } => rt.fetcher.view(record, origin),
        Effect::Fetch { origin, job } => rt.fetcher.job(origin, job),
        Effect::Export { path, overwrite } => {
            // A local file write: quick, and it needs the session, so it runs here.
            use super::export::Outcome;
            let action = match super::export::save(
                &app.session,
                &app.source,
                &app.suppression,
                &path,
                overwrite,
            ) {
                Outcome::Written(done) => Action::ExportFinished(Ok(done)),
                Outcome::Failed(error) => Action::ExportFinished(Err(error)),
                Outcome::Exists(path) => Action::ExportExists(path),
            };
            send(action);
        }
        Effect::Deliver { job, bytes } => {
            let result = match job {
                Job::Save(path) => super::deliver::save(&path, &bytes),
                Job::Pager => suspended(rt, terminal, || super::deliver::pager(&bytes)),
                Job::Pipe(cmd) => suspended(rt, terminal, || super::deliver::pipe(&cmd, &bytes)),
            };
            send(Action::JobFinished(result));
        }
        Effect::Copy(text) => {
            use std::io::Write;
            let mut out = io::stdout();
            let _ = out.write_all(super::message::osc52(&text).as_bytes());
            let _ = out.flush();
        }
        Effect::WriteNew { path, text } => {
            let result = super::deliver::save(&path, text.as_bytes())
                .map(|_| format!("wrote the incident's ticket to {}", path.display()));
            send(Action::JobFinished(result));
        }
        Effect::SaveTriage => {
            if let Err(e) = app.session.book.save() {
                send(Action::JobFinished(Err(format!("could not save the triage states: {e}"))));
            }
        }
        Effect::Watch(true) => {
            rt.watch_started = true;
            if rt.watch_cancel.is_some() {
                return;
            }
            let Some(open) = launch.watch.clone() else {
                send(Action::WatchReported(Err(
                    "this source cannot be watched (the demo, or built without watching)".into(),
                )));
                return;
            };
            let cancel = Arc::new(AtomicBool::new(false));
            super::watch::spawn(open, app.scan.generation, rt.tx.clone(), cancel.clone());
            rt.watch_cancel = Some(cancel);
        }
        Effect::Watch(false) => {
            if let Some(c) = rt.watch_cancel.take() {
                c.store(true, Ordering::Relaxed);
            }
            send(Action::WatchReported(Ok("stopped watching".into())));
        }
    }
}

/// Give the terminal to a pager or a command, then take it back. The input thread is
/// stopped meanwhile, or it would read the keys meant for the pager.
fn suspended(
    rt: &mut Runtime,
    terminal: &mut ratatui::DefaultTerminal,
    f: impl FnOnce() -> Result<String, String>,
) -> Result<String, String> {
    rt.input_stop.store(true, Ordering::Relaxed);
    // The input thread polls every 100 ms: let it see the flag and leave.
    thread::sleep(std::time::Duration::from_millis(150));
    let _ = execute!(io::stdout(), DisableMouseCapture);
    let _ = ratatui::try_restore();
    let result = f();
    if let Ok(t) = ratatui::try_init() {
        *terminal = t;
    }
    let _ = execute!(io::stdout(), EnableMouseCapture);
    let _ = terminal.clear();
    rt.input_stop = Arc::new(AtomicBool::new(false));
    spawn_input(rt.tx.clone(), rt.input_stop.clone());
    result
}
