//! The exit codes: one table for every command, printed by `--help`, copied in the
//! README (a test checks they agree) and used by the code below.

use std::process::ExitCode;

/// Every message and file was read (and the output written).
pub const ALL_READ: u8 = 0;
/// Done, but some messages or files could not be read; each is named on stderr.
pub const SOME_UNREADABLE: u8 = 1;
/// Could not start: bad arguments, config, connection or login (or the output could not
/// be written). clap's own usage errors exit with 2 too.
pub const CANNOT_START: u8 = 2;

/// `explain`: nothing in the input was a code or wording rebound knows.
pub const NOT_RECOGNISED: u8 = 1;

/// The table, as `--help` prints it and the README shows it.
pub const TABLE: [(u8, &str); 3] = [
    (ALL_READ, "done: every message and file was read"),
    (
        SOME_UNREADABLE,
        "done, but some messages or files could not be read (each is named on stderr)",
    ),
    (CANNOT_START, "could not start: bad arguments, config, connection or login"),
];

/// What each command adds to the table (the README shows the same lines).
pub const NOTES: [(&str, &str); 4] = [
    (
        "scan and report",
        "they log in to an IMAP account before reading it, so a server they cannot reach \
         or that refuses the login gives 2 (the screen shows the cached reports instead)",
    ),
    ("explain", "1 also when nothing in the input is a code or wording rebound knows"),
    ("config check", "2 when a step fails; the output says which one and how to fix it"),
    ("the screen", "0 when you quit; problems found while reading are shown on the screen"),
];

fn table() -> String {
    let mut out = String::from("Exit status:\n");
    for (code, meaning) in TABLE {
        out.push_str(&format!("  {code}  {meaning}\n"));
    }
    out
}

fn with_note(command: &str) -> String {
    let mut out = table();
    for (who, note) in NOTES.iter().filter(|(who, _)| *who == command) {
        out.push_str(&format!("For {who}: {note}.\n"));
    }
    out
}

/// After the help of `config path`.
pub fn help() -> String {
    table()
}

/// After the help of `scan` and `report`.
pub fn source_help() -> String {
    with_note("scan and report")
}

pub fn explain_help() -> String {
    with_note("explain")
}

pub fn check_help() -> String {
    with_note("config check")
}

/// After the top-level help: the table, and the commands to start with.
pub fn screen_help() -> String {
    format!(
        "Start with `rebound --demo`. Connect a mailbox: `rebound config example`, then \
         `rebound config check`.\n\n{}",
        with_note("the screen")
    )
}

/// The exit code for a finished run.
pub fn finished(anything_unreadable: bool) -> ExitCode {
    ExitCode::from(if anything_unreadable { SOME_UNREADABLE } else { ALL_READ })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_in_order_and_names_each_code_once() {
        let codes: Vec<u8> = TABLE.iter().map(|(c, _)| *c).collect();
        assert_eq!(codes, [0, 1, 2]);
        assert!(help().contains("  1  done, but some messages or files could not be read"));
        assert!(explain_help().contains("For explain: 1 also"));
        assert!(!help().contains("For "), "the plain table carries no command's note");
    }
}
