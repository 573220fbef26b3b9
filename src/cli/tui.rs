//! Opening the terminal UI (or explaining how to, when it is not built in).

use std::process::ExitCode;

use super::OpenArgs;

pub fn run(open: OpenArgs) -> anyhow::Result<ExitCode> {
    let _ = open;
    anyhow::bail!("the terminal UI is not implemented yet; try `rebound scan PATH`")
}
