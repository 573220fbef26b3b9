//! `rebound scan`: one record per recipient of every report found.

use std::process::ExitCode;

use super::{OpenArgs, ScanArgs};

pub fn run(open: &OpenArgs, args: ScanArgs) -> anyhow::Result<ExitCode> {
    let _ = (open, args);
    anyhow::bail!("scan is not implemented yet")
}
