//! The `rebound` binary: parses the command line and hands over to a command.

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("rebound: {err:#}");
            ExitCode::from(cli::CANNOT_START)
        }
    }
}
