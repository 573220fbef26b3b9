//! The README and docs/ tell the truth about the program:
//! - every shell block marked `<!-- example -->` runs, as written, against the built
//!   binary (in a scratch directory with no config); blocks that need the network or
//!   your mailbox are not marked, and blocks marked `<!-- example: network -->` are
//!   only checked for shell syntax;
//! - every config block (a TOML block with `[[account]]`) is accepted by the parser;
//! - the exit codes, the scan fields and the reasons the docs list are the program's;
//! - the README keeps the order and the sections a newcomer needs, and its local links
//!   lead somewhere.

use std::path::{Path, PathBuf};
use std::process::Command;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// README.md and every Markdown file under docs/, with their text.
fn documents() -> Vec<(PathBuf, String)> {
    let mut out = vec![PathBuf::from(ROOT).join("README.md")];
    let mut dirs = vec![PathBuf::from(ROOT).join("docs")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("docs/ is readable").flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                out.push(path);
            }
        }
    }
    out.sort();
    out.into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("readable");
            (p, text)
        })
        .collect()
}

/// A fenced block: its info string, its text, the marker comment just above it (if
/// any) and its line number.
struct Block {
    info: String,
    text: String,
    marker: Option<String>,
    line: usize,
}

fn blocks(text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        if let Some(info) = lines[i].strip_prefix("```") {
            let marker = i
                .checked_sub(1)
                .map(|j| lines[j].trim())
                .and_then(|l| l.strip_prefix("<!--"))
                .and_then(|l| l.strip_suffix("-->"))
                .map(|l| l.trim().to_string());
            let start = i + 1;
            let mut end = start;
            while end < lines.len() && !lines[end].starts_with("```") {
                end += 1;
            }
            out.push(Block {
                info: info.trim().to_string(),
                text: lines[start..end].join("\n"),
                marker,
                line: start,
            });
            i = end + 1;
        } else {
            i += 1;
        }
    }
    out
}

fn name(path: &Path) -> String {
    path.strip_prefix(ROOT).unwrap_or(path).display().to_string()
}

#[test]
fn marked_shell_examples_run_as_written() {
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_rebound"));
    let bin_dir = bin.parent().expect("binary directory");
    let path = format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap_or_default());
    let mut ran = 0;
    for (file, text) in documents() {
        for block in blocks(&text) {
            let Some(marker) = &block.marker else { continue };
            if !marker.starts_with("example") {
                continue;
            }
            let at = format!("{}:{}", name(&file), block.line);
            assert_eq!(block.info, "sh", "{at}: an example must be a sh block");
            if marker != "example" {
                // Needs the network or a real mailbox: check the syntax only.
                let status =
                    Command::new("bash").args(["-n", "-c", &block.text]).status().expect("bash");
                assert!(status.success(), "{at}: not valid shell");
                continue;
            }
            let home = tempfile::tempdir().expect("temp dir");
            let out = Command::new("bash")
                .args(["-e", "-c", &block.text])
                .current_dir(home.path())
                .env("PATH", &path)
                .env("HOME", home.path())
                .env_remove("XDG_CONFIG_HOME")
                .env_remove("XDG_CACHE_HOME")
                .env_remove("REBOUND_PASSWORD")
                .env("NO_COLOR", "1")
                .output()
                .expect("bash runs");
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(
                out.status.success(),
                "{at}: the example failed ({:?}):\n{}\n{stderr}",
                out.status,
                block.text
            );
            assert!(!out.stdout.is_empty() || !stderr.is_empty(), "{at}: printed nothing");
            assert!(!stderr.contains("panicked"), "{at}: {stderr}");
            ran += 1;
        }
    }
    assert!(ran >= 5, "only {ran} examples ran: are the markers still there?");
}

#[test]
fn every_config_block_in_the_docs_parses() {
    let mut hosts = Vec::new();
    let mut count = 0;
    for (file, text) in documents() {
        for block in blocks(&text) {
            if block.info != "toml" || !block.text.contains("[[account]]") {
                continue;
            }
            let at = format!("{}:{}", name(&file), block.line);
            let config = rebound::config::parse(&block.text, Path::new(&at))
                .unwrap_or_else(|e| panic!("{at}: the parser refuses this block: {e}"));
            assert!(!config.accounts.is_empty(), "{at}");
            for a in &config.accounts {
                assert!(
                    a.password_command.is_some()
                        || a.password_env.is_some()
                        || a.oauth2_token_command.is_some(),
                    "{at}: account {} says nowhere where its secret comes from",
                    a.name
                );
                if a.host.starts_with("outlook.office365") {
                    assert_eq!(
                        a.auth,
                        rebound::config::Auth::Xoauth2,
                        "{at}: Microsoft is OAuth2 only"
                    );
                }
                hosts.push(a.host.clone());
            }
            count += 1;
        }
    }
    assert!(count >= 9, "only {count} config blocks found");
    for host in [
        "imap.gmail.com",
        "outlook.office365.com",
        "imap.mail.yahoo.com",
        "imap.aol.com",
        "imap.mail.me.com",
        "imap.fastmail.com",
    ] {
        assert!(hosts.iter().any(|h| h == host), "no config block for {host}");
    }
}

fn rebound(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_rebound")).args(args).output().expect("runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn readme() -> String {
    std::fs::read_to_string(Path::new(ROOT).join("README.md")).expect("README")
}

#[test]
fn the_readme_exit_codes_are_the_programs() {
    let readme = readme();
    let section = readme.split("## Exit codes").nth(1).expect("an exit codes section");
    let section = section.split("\n## ").next().unwrap_or_default();
    let help = rebound(&["--help"]);
    let mut rows = 0;
    for line in section.lines() {
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        if let [code, meaning] = cells[..]
            && code.parse::<u8>().is_ok()
        {
            assert!(
                help.contains(&format!("  {code}  {meaning}\n")),
                "README row {line:?} is not in --help:\n{help}"
            );
            rows += 1;
        }
    }
    assert_eq!(rows, 3, "the README's table has the codes 0, 1 and 2");
    for command in [
        &["explain", "--help"][..],
        &["config", "check", "--help"][..],
        &["scan", "--help"][..],
        &["report", "--help"][..],
    ] {
        let text = rebound(command);
        let note = text.lines().find(|l| l.starts_with("For ")).expect("a note");
        assert!(section.contains(note), "README lacks {note:?}");
    }
}

#[test]
fn the_scan_fields_and_reasons_are_listed_in_help_and_docs() {
    let doc = std::fs::read_to_string(Path::new(ROOT).join("docs/scan-fields.md")).expect("doc");
    let help = rebound(&["scan", "--help"]);
    let csv = rebound(&["scan", "--demo", "--format", "csv"]);
    let header = csv.lines().next().expect("a header");
    for field in header.split(',') {
        assert!(doc.contains(&format!("| `{field}` |")), "docs/scan-fields.md lacks {field}");
        assert!(help.contains(&format!("\n  {field} ")), "scan --help lacks {field}");
    }
    let listed = doc.lines().filter(|l| l.starts_with("| `")).count();
    for reason in rebound::bounce::Reason::ALL {
        let name = reason.as_str();
        assert!(doc.contains(&format!("| `{name}` | {} |", reason.summary())), "docs lack {name}");
        assert!(help.contains(&format!("\n  {name} ")), "scan --help lacks {name}");
    }
    assert_eq!(
        listed,
        header.split(',').count() + rebound::bounce::Reason::ALL.len(),
        "docs/scan-fields.md lists something the program does not print"
    );
}

#[test]
fn the_readme_is_for_users_in_the_agreed_order() {
    let readme = readme();
    let lines = readme.lines().count();
    assert!(lines <= 255, "the README has {lines} lines; move details to docs/");
    let headings: Vec<&str> = readme.lines().filter_map(|l| l.strip_prefix("## ")).collect();
    let order = [
        "Install",
        "Try the demo",
        "Connect your mailbox",
        "The screen",
        "Headless use",
        "The catalog and overrides",
        "Exit codes",
        "Run the tests",
    ];
    let positions: Vec<usize> = order
        .iter()
        .map(|h| headings.iter().position(|x| x == h).unwrap_or_else(|| panic!("no ## {h}")))
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "sections out of order: {headings:?}");
    let hard = readme.split("## What hard and soft mean").nth(1).expect("the hard/soft section");
    let flat = hard.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.starts_with(
        "Hard: the address itself cannot receive mail — the mailbox or the domain does not \
         exist, the domain accepts no mail, the recipient has moved, or the provider says the \
         account is closed for good. Do not send to it again; rebound puts it on the \
         suppression list. Everything else is soft: the address can receive mail later or once \
         someone fixes something. A delay notice is never hard."
    ));
    for link in ["docs/design/verdict.md", "docs/reliability.md", "docs/providers.md"] {
        assert!(readme.contains(&format!("]({link})")), "the README does not link {link}");
    }
    for stale in ["assets/config.example.toml", "cargo run", "789"] {
        assert!(!readme.contains(stale), "the README still says {stale:?}");
    }
    assert!(readme.contains("cargo install --locked --path ."));
    assert!(
        readme.contains("libssl-dev") && readme.contains("pkg-config") && readme.contains("1.95")
    );
}

#[test]
fn local_links_lead_to_files() {
    // Written on another branch (robustness); linked from here already.
    let elsewhere = ["docs/reliability.md"];
    for (file, text) in documents() {
        let dir = file.parent().expect("a directory");
        for (i, _) in text.match_indices("](") {
            let rest = &text[i + 2..];
            let Some(end) = rest.find(')') else { continue };
            let target = rest[..end].split('#').next().unwrap_or_default();
            if target.is_empty() || target.contains("://") || target.starts_with("mailto:") {
                continue;
            }
            let resolved = dir.join(target);
            let from_root = resolved.strip_prefix(ROOT).map(|p| p.display().to_string());
            if from_root.as_deref().is_ok_and(|p| elsewhere.contains(&p)) {
                continue;
            }
            assert!(resolved.exists(), "{}: the link {target} leads nowhere", name(&file));
        }
    }
}
