//! Build script: embeds every `assets/catalog/**/*.toml` and
//! `assets/provider-codes/*.toml` into the binary.
//!
//! It writes `$OUT_DIR/catalog_files.rs`: for each file its path under
//! `assets/catalog/`, its TOML text (`include_str!`), and its entries as static data,
//! so a new data file is picked up without touching any code and loading costs no
//! parsing at all (the TOML parser needs several milliseconds for the whole catalog).
//! A file whose entries this script cannot convert (bad TOML, unknown field, wrong
//! type) gets no static data; the library then parses its TOML to report the error
//! with its line.

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
    Ok(())
}

const STRINGS: [&str; 4] = ["key", "title", "meaning", "retry"];
const OPTIONAL: [&str; 2] = ["provider", "reference"];
const LISTS: [&str; 5] = ["match_texts", "causes", "fix_owner", "sender_steps", "admin_steps"];

/// One entry as a `RawEntry { .. }` expression, or None when it does not fit the schema.
fn entry_literal(table: &toml::Table) -> Option<String> {
    let known = |k: &str| STRINGS.contains(&k) || OPTIONAL.contains(&k) || LISTS.contains(&k);
    if !table.keys().all(|k| known(k)) {
        return None;
    }
    let mut out = String::from("RawEntry { ");
    for field in STRINGS {
        let value = table.get(field)?.as_str()?;
        write!(out, "{field}: {value:?}, ").ok()?;
    }
    for field in OPTIONAL {
        match table.get(field) {
            None => write!(out, "{field}: None, ").ok()?,
            Some(v) => write!(out, "{field}: Some({:?}), ", v.as_str()?).ok()?,
        }
    }
    for field in LISTS {
        let items = match table.get(field) {
            None if field == "fix_owner" => return None,
            None => Vec::new(),
            Some(v) => v.as_array()?.iter().map(|i| i.as_str()).collect::<Option<Vec<_>>>()?,
        };
        write!(out, "{field}: &{items:?}, ").ok()?;
    }
    out.push('}');
    Some(out)
}

/// All entries of a file as a static slice expression, or None.
fn file_literal(path: &Path) -> Option<String> {
    let text = fs::read_to_string(path).ok()?;
    let mut table = match toml::from_str::<toml::Table>(&text) {
        Ok(table) => table,
        Err(err) => {
            let message = err.message().replace('\n', " ");
            println!("cargo::warning=catalog file {} is not valid TOML: {message}", path.display());
            return None;
        }
    };
    let entries = match table.remove("entry") {
        None => Vec::new(),
        Some(value) => value.as_array()?.clone(),
    };
    if !table.is_empty() {
        return None;
    }
    let mut out = String::from("&[\n");
    for entry in &entries {
        writeln!(out, "        {},", entry_literal(entry.as_table()?)?).ok()?;
    }
    out.push_str("    ]");
    Some(out)
}

fn main() -> io::Result<()> {
    let root =
        PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let out_dir = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let assets = root.join("assets").join("catalog");
    println!("cargo::rerun-if-changed={}", assets.display());
    let mut files = Vec::new();
    if assets.is_dir() {
        collect(&assets, &mut files)?;
    }
    // Sorted so the load order (core before providers) and the binary are reproducible.
    files.sort();
    let mut code = String::from("pub static FILES: &[(&str, &str, Option<&[RawEntry]>)] = &[\n");
    for file in &files {
        let rel = file.strip_prefix(&assets).unwrap_or(file);
        let rel = rel.to_string_lossy().replace('\\', "/");
        let entries = file_literal(file).map_or("None".to_string(), |e| format!("Some({e})"));
        code.push_str(&format!(
            "    ({rel:?}, include_str!({:?}), {entries}),\n",
            file.display().to_string()
        ));
    }
    code.push_str("];\n");
    fs::write(out_dir.join("catalog_files.rs"), code)?;
    provider_code_files(&root, &out_dir)
}

/// `$OUT_DIR/provider_code_files.rs`: each file of `assets/provider-codes/` as (name,
/// TOML text). The engine parses them on first use: a few dozen schemes, well under a
/// millisecond, and only when a failure's reply is read.
fn provider_code_files(root: &Path, out_dir: &Path) -> io::Result<()> {
    let dir = root.join("assets").join("provider-codes");
    println!("cargo::rerun-if-changed={}", dir.display());
    let mut files = Vec::new();
    if dir.is_dir() {
        collect(&dir, &mut files)?;
    }
    files.sort();
    let mut code = String::from("pub static FILES: &[(&str, &str)] = &[\n");
    for file in &files {
        let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        code.push_str(&format!(
            "    ({name:?}, include_str!({:?})),\n",
            file.display().to_string()
        ));
    }
    code.push_str("];\n");
    fs::write(out_dir.join("provider_code_files.rs"), code)
}
