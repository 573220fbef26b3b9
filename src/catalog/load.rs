//! Reading catalog files: the built-in data embedded by `build.rs`, and user files.
//!
//! Every problem is reported with the file, the line and what is wrong, because the
//! people who write these files fix them by hand.

use std::io;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::Entry;
use super::key::Key;

/// An entry as `build.rs` embeds it: the file's fields, not yet checked.
struct RawEntry {
    key: &'static str,
    title: &'static str,
    meaning: &'static str,
    retry: &'static str,
    provider: Option<&'static str>,
    reference: Option<&'static str>,
    match_texts: &'static [&'static str],
    causes: &'static [&'static str],
    fix_owner: &'static [&'static str],
    sender_steps: &'static [&'static str],
    admin_steps: &'static [&'static str],
}

mod embedded {
    use super::RawEntry;
    include!(concat!(env!("OUT_DIR"), "/catalog_files.rs"));
}

/// A kebab-case enum value (`sender-admin`) through its serde name.
fn enum_value<'de, T: Deserialize<'de>>(name: &'de str) -> Option<T> {
    let de = serde::de::value::BorrowedStrDeserializer::<serde::de::value::Error>::new(name);
    T::deserialize(de).ok()
}

impl RawEntry {
    /// The entry, if its enum fields hold known values and it passes [`check`].
    fn to_entry(&self) -> Option<Entry> {
        let strings = |list: &[&str]| list.iter().map(|s| s.to_string()).collect();
        let entry = Entry {
            key: self.key.into(),
            provider: self.provider.map(Into::into),
            match_texts: strings(self.match_texts),
            title: self.title.into(),
            meaning: self.meaning.into(),
            causes: strings(self.causes),
            fix_owner: self.fix_owner.iter().map(|o| enum_value(o)).collect::<Option<_>>()?,
            sender_steps: strings(self.sender_steps),
            admin_steps: strings(self.admin_steps),
            retry: enum_value(self.retry)?,
            reference: self.reference.map(Into::into),
        };
        check(&entry).is_ok().then_some(entry)
    }
}

/// The catalog files built into the binary: (path under `assets/catalog/`, TOML text).
pub fn builtin_files() -> impl Iterator<Item = (&'static str, &'static str)> {
    embedded::FILES.iter().map(|&(name, toml, _)| (name, toml))
}

/// The entries of every built-in file, from the static copies made by `build.rs`.
/// Should a file have none (the script could not convert it) or a bad value, its TOML
/// is parsed instead, which gives the precise error.
pub(super) fn builtin_entries() -> Result<Vec<Entry>, CatalogError> {
    let mut all = Vec::new();
    for &(name, toml, raw) in embedded::FILES {
        let fast =
            raw.and_then(|raw| raw.iter().map(RawEntry::to_entry).collect::<Option<Vec<_>>>());
        match fast {
            Some(entries) => all.extend(entries),
            None => all.extend(parse_file(Path::new(name), toml)?),
        }
    }
    Ok(all)
}

/// A catalog file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("cannot read catalog file {}: {source}", file.display())]
    Read {
        file: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("{}:{line}:{column}: {message}", file.display())]
    Invalid { file: PathBuf, line: usize, column: usize, message: String },
}

impl CatalogError {
    /// The file the problem is in.
    pub fn file(&self) -> &Path {
        match self {
            CatalogError::Read { file, .. } | CatalogError::Invalid { file, .. } => file,
        }
    }

    /// The 1-based line of the problem, when it is about the contents.
    pub fn line(&self) -> Option<usize> {
        match self {
            CatalogError::Read { .. } => None,
            CatalogError::Invalid { line, .. } => Some(*line),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileData {
    #[serde(default)]
    entry: Vec<toml::Spanned<Entry>>,
}

/// 1-based line and column of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..text.floor_char_boundary(offset.min(text.len()))];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// What is wrong with an entry whose fields all parsed, if anything.
fn check(entry: &Entry) -> Result<(), String> {
    Key::parse(&entry.key).map_err(|e| e.to_string())?;
    let blank = |s: &str| s.trim().is_empty();
    if blank(&entry.title) {
        return Err(format!("entry {:?}: `title` is empty", entry.key));
    }
    if blank(&entry.meaning) {
        return Err(format!("entry {:?}: `meaning` is empty", entry.key));
    }
    if entry.fix_owner.is_empty() {
        return Err(format!("entry {:?}: `fix_owner` needs at least one owner", entry.key));
    }
    if entry.provider.as_deref().is_some_and(blank) {
        return Err(format!("entry {:?}: `provider` is empty (leave it out instead)", entry.key));
    }
    let lists = [&entry.match_texts, &entry.causes, &entry.sender_steps, &entry.admin_steps];
    if lists.iter().any(|list| list.iter().any(|s| blank(s))) {
        return Err(format!("entry {:?}: a list holds an empty string", entry.key));
    }
    Ok(())
}

/// Parse and check one catalog file. `file` names it in errors.
pub fn parse_file(file: &Path, text: &str) -> Result<Vec<Entry>, CatalogError> {
    let invalid = |offset: usize, message: String| {
        let (line, column) = line_column(text, offset);
        CatalogError::Invalid { file: file.to_path_buf(), line, column, message }
    };
    let data: FileData = toml::from_str(text).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        invalid(offset, e.message().trim().to_string())
    })?;
    let mut entries = Vec::with_capacity(data.entry.len());
    for spanned in data.entry {
        let offset = spanned.span().start;
        let entry = spanned.into_inner();
        check(&entry).map_err(|message| invalid(offset, message))?;
        entries.push(entry);
    }
    Ok(entries)
}

/// Read, parse and check a catalog file from disk.
pub fn read_file(path: &Path) -> Result<Vec<Entry>, CatalogError> {
    let text = std::fs::read_to_string(path)
        .map_err(|source| CatalogError::Read { file: path.to_path_buf(), source })?;
    parse_file(path, &text)
}

/// Where the user's catalog file lives: `$XDG_CONFIG_HOME/rebound/catalog.toml`, else
/// `~/.config/rebound/catalog.toml`, else the platform's config directory.
pub fn user_catalog_path() -> Option<PathBuf> {
    let non_empty = |var: &str| std::env::var_os(var).filter(|v| !v.is_empty());
    if let Some(xdg) = non_empty("XDG_CONFIG_HOME") {
        return Some(PathBuf::from(xdg).join("rebound").join("catalog.toml"));
    }
    if let Some(home) = non_empty("HOME") {
        return Some(PathBuf::from(home).join(".config").join("rebound").join("catalog.toml"));
    }
    directories::ProjectDirs::from("", "", "rebound")
        .map(|dirs| dirs.config_dir().join("catalog.toml"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_file_has_its_fast_static_copy() {
        for &(name, _, raw) in embedded::FILES {
            let raw = raw.unwrap_or_else(|| panic!("{name}: build.rs could not convert it"));
            assert!(raw.iter().all(|e| e.to_entry().is_some()), "{name}: a bad value");
        }
    }

    #[test]
    fn errors_name_the_line() {
        let text = "[[entry]]\nkey = \"5.1.1\"\ntitle = \"t\"\nmeaning = \"m\"\n\
                    fix_owner = [\"sender\"]\nretry = \"soon\"\n";
        let err = parse_file(Path::new("x.toml"), text).unwrap_err();
        assert_eq!(err.line(), Some(6), "{err}");
        assert!(err.to_string().starts_with("x.toml:6:"), "{err}");
    }

    #[test]
    fn bad_keys_are_rejected_with_the_entry_line() {
        let text = "# c\n\n[[entry]]\nkey = \"5.1\"\ntitle = \"t\"\nmeaning = \"m\"\n\
                    fix_owner = [\"sender\"]\nretry = \"do-not-retry\"\n";
        let err = parse_file(Path::new("x.toml"), text).unwrap_err();
        assert!(err.line().is_some_and(|l| (3..=4).contains(&l)), "{err}");
        assert!(err.to_string().contains("bad key"), "{err}");
    }
}
