//! `rebound report`: export a report of the bounces in a source.

use std::process::ExitCode;

use super::{OpenArgs, ReportArgs};

pub fn run(open: &OpenArgs, args: ReportArgs) -> anyhow::Result<ExitCode> {
    let _ = (open, args);
    anyhow::bail!("report is not implemented yet")
}
