//! The `rebound` binary: parses the command line and hands over to a command.

mod cli;

use std::process::ExitCode;

use clap::Parser;

/// mimalloc: the engine allocates many short strings per message, and glibc's
/// allocator was measured at a tenth of a corpus scan's time.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
