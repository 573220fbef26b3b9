//! SIGTERM, SIGHUP and SIGQUIT while the screen is up: by default they end the process
//! at once, leaving the terminal in the alternate screen with the cursor hidden and mouse
//! reporting on. The handler only sets a flag (all a signal handler may safely do); the
//! event loop sees it within a quarter of a second and quits the normal way, which
//! restores the terminal.
//!
//! Also a terminal that went away (its window closed, its tmux session killed) while
//! another process was its session leader: no SIGHUP comes, every read gives end of
//! file, and crossterm's reader retries such reads forever without returning. The event
//! loop asks the terminal itself (see [`terminal_hung_up`]) rather than the input thread.

use std::sync::atomic::{AtomicBool, Ordering};

static RECEIVED: AtomicBool = AtomicBool::new(false);

/// True once a terminating signal has arrived.
pub fn received() -> bool {
    RECEIVED.load(Ordering::Relaxed)
}

#[cfg(unix)]
extern "C" fn on_signal(_: libc::c_int) {
    RECEIVED.store(true, Ordering::Relaxed);
}

/// True once the terminal we draw on or read from has hung up: on Linux and the BSDs
/// every ioctl on a hung-up terminal fails with EIO. A stdin or stdout that is not a
/// terminal answers ENOTTY and does not count.
#[cfg(unix)]
pub fn terminal_hung_up() -> bool {
    [libc::STDIN_FILENO, libc::STDOUT_FILENO].into_iter().any(|fd| {
        // SAFETY: an all-zero winsize is valid, and TIOCGWINSZ writes at most one.
        let mut size: libc::winsize = unsafe { std::mem::zeroed() };
        // SAFETY: `size` outlives the call; a bad descriptor only makes it fail.
        let r = unsafe { libc::ioctl(fd, libc::TIOCGWINSZ, &mut size) };
        r == -1 && std::io::Error::last_os_error().raw_os_error() == Some(libc::EIO)
    })
}

#[cfg(not(unix))]
pub fn terminal_hung_up() -> bool {
    false
}

/// Catch the signals that would end the process with the screen up.
#[cfg(unix)]
pub fn install() {
    for sig in [libc::SIGTERM, libc::SIGHUP, libc::SIGQUIT] {
        // SAFETY: the handler only stores to an atomic, which is async-signal-safe.
        unsafe {
            libc::signal(sig, on_signal as *const () as libc::sighandler_t);
        }
    }
}

#[cfg(not(unix))]
pub fn install() {}
