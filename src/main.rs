//! The `rebound` binary: parses the command line and hands over to a command.

mod cli;

use std::process::ExitCode;

use clap::Parser;

// The engine makes many small short-lived strings per message; mimalloc serves them
// with far fewer instructions than the system allocator (measured with callgrind in
// README "Performance"), and its per-thread heaps suit the scan workers.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("rebound: {err:#}");
            ExitCode::from(2)
        }
    }
}
