//! SIGTERM, SIGHUP and SIGQUIT while the screen is up: by default they end the process
//! at once, leaving the terminal in the alternate screen with the cursor hidden and mouse
//! reporting on. The handler only sets a flag (all a signal handler may safely do); the
//! input thread sees it within 100 ms and quits the normal way, which restores the
//! terminal.

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
