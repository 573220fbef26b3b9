//! Shell completions and the manual page, generated from the clap definitions, so they
//! never disagree with `--help`.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use clap::CommandFactory;
use clap_complete::Shell;

use super::Cli;

pub const AFTER_HELP: &str = "\
Install, for example:
  bash:  mkdir -p ~/.local/share/bash-completion/completions
         rebound completions bash > ~/.local/share/bash-completion/completions/rebound
  zsh:   mkdir -p ~/.zfunc && rebound completions zsh > ~/.zfunc/_rebound
         (and fpath+=(~/.zfunc) before compinit in ~/.zshrc)
  fish:  rebound completions fish > ~/.config/fish/completions/rebound.fish
Distribution packages install them system-wide.";

pub fn completions(shell: Shell) -> anyhow::Result<ExitCode> {
    let mut command = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut command, "rebound", &mut out);
    write_stdout(&out)
}

/// The main page on stdout, or every page (one per command) written into `dir`.
pub fn man(dir: Option<&Path>) -> anyhow::Result<ExitCode> {
    if let Some(dir) = dir {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        clap_mangen::generate_to(Cli::command(), dir)
            .with_context(|| format!("cannot write the man pages into {}", dir.display()))?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut out).context("rendering the man page")?;
    write_stdout(&out)
}

fn write_stdout(bytes: &[u8]) -> anyhow::Result<ExitCode> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => Ok(ExitCode::SUCCESS),
        // `| head` closed the pipe: what it wanted was written.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        Err(e) => Err(anyhow::Error::new(e).context("writing to stdout")),
    }
}
