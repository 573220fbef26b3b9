//! `rebound explain`: guidance for a code, a reply line or a diagnostic.

use std::process::ExitCode;

use super::ExplainArgs;

pub fn run(args: ExplainArgs) -> anyhow::Result<ExitCode> {
    let _ = args;
    anyhow::bail!("explain is not implemented yet")
}
