//! `e`: write a report of the marked (or shown) records with the report module. The
//! file name's extension picks the format; `.txt` writes the suppression list (the
//! hard-bounced addresses, and the soft-failing ones under the config's policy). An
//! existing file is overwritten only after the user says yes when asked (the screen's
//! answer to the command line's `--force`).

use std::path::{Path, PathBuf};

use crate::report::{self, Format, Policy, ReportMeta};
use crate::session::Session;

pub const DEFAULT_NAME: &str = "rebound-report.md";

/// The path typed at the prompt, if its extension names something we can write.
pub fn check_name(input: &str) -> Result<PathBuf, String> {
    let path = PathBuf::from(input);
    match kind(&path) {
        Some(_) => Ok(path),
        None => Err(format!(
            "export: {:?} needs an extension: .md .html .json .csv (report) or .txt (suppression list)",
            crate::text::clean_line(input)
        )),
    }
}

enum Kind {
    Report(Format),
    Suppression,
}

fn kind(path: &Path) -> Option<Kind> {
    let ext = path.extension()?.to_str()?;
    if ext.eq_ignore_ascii_case("txt") {
        return Some(Kind::Suppression);
    }
    ext.parse::<Format>().ok().map(Kind::Report)
}

/// What became of an export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Written; what the status line says.
    Written(String),
    /// The file exists and overwriting was not allowed: ask the user.
    Exists(PathBuf),
    Failed(String),
}

/// Write the export, replacing an existing file only when `overwrite` (the user said
/// yes when asked). The screen has no `--force`: it asks instead. `policy` is the
/// suppression list's, in the report and in a `.txt` list alike.
pub fn save(
    session: &Session,
    source: &str,
    policy: &Policy,
    path: &Path,
    overwrite: bool,
) -> Outcome {
    let count = session.selection().len();
    let shown = crate::text::clean_line(&path.display().to_string()).into_owned();
    let result = match kind(path) {
        Some(Kind::Report(format)) => {
            let mut meta = ReportMeta::now(source);
            meta.suppression = *policy;
            report::save(format, session, &meta, path, overwrite)
                .map(|()| format!("wrote a {format} report of {count} records to {shown}"))
        }
        Some(Kind::Suppression) => {
            let n = report::suppression_list(session, policy).len();
            let what = policy.describe();
            report::save_suppression_list(session, policy, path, overwrite)
                .map(|()| format!("wrote {n} {what} to {shown}"))
        }
        None => {
            return Outcome::Failed(
                check_name(&path.display().to_string()).err().unwrap_or_default(),
            );
        }
    };
    match result {
        Ok(done) => Outcome::Written(done),
        Err(report::ReportError::Exists(_)) => Outcome::Exists(path.to_path_buf()),
        Err(e) => Outcome::Failed(crate::text::clean_line(&e.to_string()).into_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_the_selection_and_never_overwrites() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut session = Session::new();
        let raw = crate::source::demo::raw_message(1).expect("demo message 1");
        let mut found = Vec::new();
        for n in 1..=crate::source::demo::len() {
            let bytes = crate::source::demo::raw_message(n).unwrap_or(raw);
            if let Some(report) = crate::bounce::analyze(bytes) {
                found.push(crate::source::Analysed {
                    origin: crate::source::Origin::Demo { message: n },
                    report,
                });
            }
        }
        session.extend(found);
        let path = dir.path().join("r.csv");
        let Outcome::Written(said) = save(&session, "demo", &Policy::OFF, &path, false) else {
            panic!()
        };
        assert!(said.contains("csv report of"), "{said}");
        let text = std::fs::read_to_string(&path).expect("read back");
        assert!(text.lines().count() > 1, "{text}");
        assert_eq!(
            save(&session, "demo", &Policy::OFF, &path, false),
            Outcome::Exists(path.clone())
        );
        assert!(matches!(save(&session, "demo", &Policy::OFF, &path, true), Outcome::Written(_)));
        let list = dir.path().join("hard.txt");
        let Outcome::Written(said) = save(&session, "demo", &Policy::OFF, &list, false) else {
            panic!()
        };
        assert!(said.contains("hard-bounced"));
        // The config's policy reaches the .txt list and the report alike.
        let hard = std::fs::read_to_string(&list).expect("read back");
        let policy = Policy { soft_failures: 1, soft_days: 30 };
        let soft = dir.path().join("soft.txt");
        let Outcome::Written(said) = save(&session, "demo", &policy, &soft, false) else {
            panic!()
        };
        assert!(said.contains("failed soft once within 30 days"), "{said}");
        let soft = std::fs::read_to_string(&soft).expect("read back");
        assert!(soft.lines().count() > hard.lines().count(), "{soft}");
        assert!(hard.lines().all(|a| soft.lines().any(|b| a == b)), "hard ones stay");
        let md = dir.path().join("soft.md");
        assert!(matches!(save(&session, "demo", &policy, &md, false), Outcome::Written(_)));
        let md = std::fs::read_to_string(&md).expect("read back");
        assert!(md.contains("addresses that failed soft once within 30 days"), "{md}");
    }

    #[test]
    fn extension_picks_the_format() {
        assert!(check_name("out.md").is_ok());
        assert!(check_name("out.CSV").is_ok());
        assert!(check_name("list.txt").is_ok());
        assert!(check_name("out").unwrap_err().contains(".html"));
        assert!(check_name("out.pdf").is_err());
    }
}
