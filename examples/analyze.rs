//! Print the engine's report for each message file given, as JSON (for debugging).

fn main() {
    for path in std::env::args().skip(1) {
        match std::fs::read(&path) {
            Ok(raw) => {
                let report = rebound::bounce::analyze(&raw);
                let json = serde_json::to_string_pretty(&report).unwrap_or_default();
                println!("== {path}\n{json}");
            }
            Err(e) => eprintln!("{path}: {e}"),
        }
    }
}
