//! Providers' own codes written inside their replies (`[TSS04]`, `AUP#CXBL`,
//! `OFR_506`, `IB508`): the mechanism that finds them. The facts — each scheme's
//! pattern, and for each code its meaning, reason and whether the address is dead —
//! are data in `assets/provider-codes/`, each with its source.
//!
//! A scheme's pattern is matched without case against the reply with its whitespace
//! squashed; its first group is the code, looked up among the scheme's rows (exactly,
//! or by a row's prefix ending in `*`). A scheme marked `needs_provider` is trusted only
//! when its provider handled the failure: the remote MTA's host or the recipient's
//! domain belongs to it.

use std::sync::LazyLock;

use regex::{Regex, RegexBuilder, RegexSet, RegexSetBuilder};
use serde::Deserialize;

use super::model::{ProviderCode, RecipientStatus};
use super::reason::Reason;
use crate::catalog::Retry;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/provider_code_files.rs"));
}

/// One scheme: a provider's way of writing its codes.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scheme {
    pub id: String,
    pub provider: String,
    pub pattern: String,
    pub source: String,
    #[serde(default)]
    pub needs_provider: bool,
    #[serde(default, rename = "code")]
    pub codes: Vec<Row>,
}

/// One code of a scheme.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Row {
    /// The code, or a prefix ending in `*`.
    pub code: String,
    /// What the provider means by it, in our words.
    pub meaning: String,
    pub reason: Reason,
    /// The provider says the address itself is dead.
    pub hard: bool,
    pub retry: Retry,
    #[serde(default)]
    pub source: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    scheme: Vec<Scheme>,
}

/// Why a provider-code file could not be used.
#[derive(Debug, thiserror::Error)]
#[error("assets/provider-codes/{file}: {problem}")]
pub struct TableError {
    pub file: String,
    pub problem: String,
}

/// Every scheme of one file's text, checked.
pub fn parse_file(file: &str, text: &str) -> Result<Vec<Scheme>, TableError> {
    let err = |problem: String| TableError { file: file.to_string(), problem };
    let parsed: File = toml::from_str(text).map_err(|e| err(e.message().replace('\n', " ")))?;
    for s in &parsed.scheme {
        let re = Regex::new(&s.pattern).map_err(|e| err(format!("scheme {}: {e}", s.id)))?;
        if re.captures_len() < 2 {
            return Err(err(format!("scheme {}: the pattern has no group for the code", s.id)));
        }
        for row in &s.codes {
            if row.hard != (row.retry == Retry::DoNotRetry) {
                return Err(err(format!(
                    "scheme {} code {}: hard must be true exactly when retry is do-not-retry",
                    s.id, row.code
                )));
            }
        }
    }
    Ok(parsed.scheme)
}

/// The built-in schemes, parsed and compiled once.
struct Table {
    schemes: Vec<Scheme>,
    patterns: Vec<Regex>,
    any: RegexSet,
}

static TABLE: LazyLock<Table> = LazyLock::new(|| {
    // A built-in file that does not parse is left out; a test makes sure none does.
    let (mut schemes, mut patterns) = (Vec::new(), Vec::new());
    let all = embedded::FILES.iter().filter_map(|(name, text)| parse_file(name, text).ok());
    for scheme in all.flatten() {
        if let Ok(re) = RegexBuilder::new(&scheme.pattern).case_insensitive(true).build() {
            patterns.push(re);
            schemes.push(scheme);
        }
    }
    let any = RegexSetBuilder::new(schemes.iter().map(|s| &s.pattern))
        .case_insensitive(true)
        .build()
        .unwrap_or_else(|_| RegexSet::empty());
    Table { schemes, patterns, any }
});

/// Every built-in scheme.
pub fn schemes() -> &'static [Scheme] {
    &TABLE.schemes
}

/// Check every built-in file (for the tests and `rebound explain --providers`).
pub fn check_builtin() -> Result<usize, TableError> {
    let mut n = 0;
    for (name, text) in embedded::FILES {
        n += parse_file(name, text)?.len();
    }
    Ok(n)
}

impl Scheme {
    /// The row for a code: the exact one, else the longest prefix that fits.
    pub fn row(&self, code: &str) -> Option<&Row> {
        self.codes.iter().find(|r| r.code.eq_ignore_ascii_case(code)).or_else(|| {
            self.codes
                .iter()
                .filter(|r| r.code.ends_with('*') && r.fits(code))
                .max_by_key(|r| r.code.len())
        })
    }
}

impl Row {
    fn fits(&self, code: &str) -> bool {
        match self.code.strip_suffix('*') {
            Some(prefix) => {
                code.len() >= prefix.len()
                    && code.is_char_boundary(prefix.len())
                    && code[..prefix.len()].eq_ignore_ascii_case(prefix)
            }
            None => self.code.eq_ignore_ascii_case(code),
        }
    }
}

/// A provider code found in a reply: the scheme, its row, and the code (as the row
/// spells it, or upper-cased for a row that is a prefix: the reply was read lowercased).
#[derive(Debug, Clone)]
pub struct Hit {
    pub scheme: &'static Scheme,
    pub row: &'static Row,
    pub code: String,
}

impl Hit {
    /// The code as the record keeps it.
    pub fn to_record(&self) -> ProviderCode {
        ProviderCode { scheme: self.scheme.id.clone(), code: self.code.clone() }
    }
}

/// The first provider code in a squashed reply. `handled_by` says whether a provider
/// id handled this failure, for schemes too generic to trust otherwise.
pub fn find(squashed: &str, handled_by: &dyn Fn(&str) -> bool) -> Option<Hit> {
    let table = &*TABLE;
    if table.schemes.is_empty() {
        return None;
    }
    let mut best: Option<(usize, Hit)> = None;
    for i in table.any.matches(squashed).iter() {
        let scheme = &table.schemes[i];
        if scheme.needs_provider && !handled_by(&scheme.provider) {
            continue;
        }
        for caps in table.patterns[i].captures_iter(squashed) {
            let Some(m) = caps.get(1) else { continue };
            // A row that says nothing specific (a family's "no published meaning") is
            // not evidence: the words around it decide.
            let Some(row) = scheme.row(m.as_str()).filter(|r| !r.reason.is_vague()) else {
                continue;
            };
            if best.as_ref().is_none_or(|(start, _)| m.start() < *start) {
                let code = if row.code.ends_with('*') {
                    m.as_str().to_ascii_uppercase()
                } else {
                    row.code.clone()
                };
                best = Some((m.start(), Hit { scheme, row, code }));
            }
            break;
        }
    }
    best.map(|(_, hit)| hit)
}

/// The row behind a code a record carries.
pub fn row_of(code: &ProviderCode) -> Option<(&'static Scheme, &'static Row)> {
    let scheme = TABLE.schemes.iter().find(|s| s.id == code.scheme)?;
    let row = scheme.row(&code.code)?;
    Some((scheme, row))
}

/// Whether the failure of this recipient was handled by `provider` (or another brand of
/// its operator): the server that signed the reply, the remote MTA, or the owner of the
/// recipient's domain.
pub fn handled_by(r: &RecipientStatus, provider: &str) -> bool {
    use crate::catalog::attribution::{provider_of_name, reply_signature, same_operator};
    let signed = reply_signature(&r.diagnostic).and_then(|h| provider_of_name(&h));
    let remote = r.remote_mta.as_deref().and_then(provider_of_name);
    let domain = r.domain().and_then(|d| provider_of_name(&d));
    [signed, remote, domain].into_iter().flatten().any(|p| same_operator(p, provider))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bounce::phrases::squash;

    const SAMPLE: &str = r#"
[[scheme]]
id = "example-ts"
provider = "example"
pattern = '\[(TSS?\d{2})\]'
source = "https://example.org/codes"

[[scheme.code]]
code = "TSS04"
meaning = "Deferred for volume."
reason = "speeding"
hard = false
retry = "retry-later"

[[scheme.code]]
code = "TS*"
meaning = "Some other deferral."
reason = "blocked"
hard = false
retry = "fix-then-resend"
"#;

    #[test]
    fn a_sample_file_parses_and_its_rows_fit_their_codes() {
        let schemes = parse_file("sample.toml", SAMPLE).expect("parses");
        let rows = &schemes[0].codes;
        assert!(rows[0].fits("tss04") && !rows[0].fits("TSS05"));
        assert!(rows[1].fits("TS01") && rows[1].fits("TSS05"));
        assert_eq!(schemes[0].row("tss04").map(|r| r.code.as_str()), Some("TSS04"), "exact first");
        assert_eq!(schemes[0].row("TSS05").map(|r| r.code.as_str()), Some("TS*"));
    }

    #[test]
    fn a_row_whose_verdict_contradicts_its_advice_is_refused() {
        let bad = SAMPLE.replacen("hard = false", "hard = true", 1);
        let err = parse_file("bad.toml", &bad).expect_err("refused");
        assert!(err.to_string().contains("do-not-retry"), "{err}");
        let no_group = SAMPLE.replace(r"'\[(TSS?\d{2})\]'", r"'\[TSS?\d{2}\]'");
        assert!(parse_file("bad.toml", &no_group).is_err());
    }

    #[test]
    fn every_builtin_file_loads() {
        check_builtin().expect("every file of assets/provider-codes parses and checks");
        assert_eq!(
            schemes().len(),
            check_builtin().unwrap(),
            "every scheme compiled into the table"
        );
    }

    #[test]
    fn nothing_is_found_in_a_reply_without_a_code() {
        assert!(find(&squash("550 5.1.1 User unknown"), &|_| true).is_none());
    }
}
