//! Build script: embeds every `assets/catalog/**/*.toml` into the binary.
//!
//! It writes `$OUT_DIR/catalog_files.rs`, a list of (relative path, TOML text, JSON
//! text) made with `include_str!`, so a new data file is picked up without touching any
//! code. The JSON copy exists for speed: serde_json reads it several times faster than
//! the TOML parser, which keeps catalog loading within its few-millisecond budget. A
//! file that is not valid TOML gets an empty JSON copy; the library then parses the
//! TOML itself to report the error with its line.

use std::env;
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

/// The file as JSON, or "" when it does not parse.
fn to_json(path: &Path) -> String {
    let Ok(text) = fs::read_to_string(path) else {
        return String::new();
    };
    match toml::from_str::<toml::Table>(&text) {
        Ok(table) => serde_json::to_string(&table).unwrap_or_default(),
        Err(err) => {
            let message = err.message().replace('\n', " ");
            println!("cargo::warning=catalog file {} is not valid TOML: {message}", path.display());
            String::new()
        }
    }
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
    let mut code = String::from("pub static FILES: &[(&str, &str, &str)] = &[\n");
    for (i, file) in files.iter().enumerate() {
        let rel = file.strip_prefix(&assets).unwrap_or(file);
        let rel = rel.to_string_lossy().replace('\\', "/");
        let json_path = out_dir.join(format!("catalog-{i}.json"));
        fs::write(&json_path, to_json(file))?;
        code.push_str(&format!(
            "    ({rel:?}, include_str!({:?}), include_str!({:?})),\n",
            file.display().to_string(),
            json_path.display().to_string()
        ));
    }
    code.push_str("];\n");
    fs::write(out_dir.join("catalog_files.rs"), code)
}
