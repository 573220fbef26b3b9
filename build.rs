//! Build script: embeds every `assets/catalog/**/*.toml` into the binary.
//!
//! It writes `$OUT_DIR/catalog_files.rs`, a list of (relative path, contents) pairs made
//! with `include_str!`, so a new data file is picked up without touching any code.

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

fn main() -> io::Result<()> {
    let root =
        PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let assets = root.join("assets").join("catalog");
    println!("cargo::rerun-if-changed={}", assets.display());
    let mut files = Vec::new();
    if assets.is_dir() {
        collect(&assets, &mut files)?;
    }
    // Sorted so the load order (core before providers) and the binary are reproducible.
    files.sort();
    let mut code = String::from("pub static FILES: &[(&str, &str)] = &[\n");
    for file in &files {
        let rel = file.strip_prefix(&assets).unwrap_or(file);
        let rel = rel.to_string_lossy().replace('\\', "/");
        code.push_str(&format!("    ({rel:?}, include_str!({:?})),\n", file.display().to_string()));
    }
    code.push_str("];\n");
    let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    fs::write(out.join("catalog_files.rs"), code)
}
