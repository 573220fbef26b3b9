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

use regex::{Regex, RegexBuilder};
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
        // The pattern is compiled once, as matched (see `compile`), when the table is
        // built; here only checked for a group, cheaply, without building a matcher.
        let groups = regex_syntax::Parser::new()
            .parse(&s.pattern)
            .map_err(|e| err(format!("scheme {}: {e}", s.id)))?;
        if groups.properties().explicit_captures_len() < 1 {
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

/// The built-in schemes, parsed and compiled once into one pattern: every scheme's
/// pattern an alternative of it, so a reply is searched in one pass whatever the number
/// of schemes (one search per scheme cost more than the rest of reading a reply).
struct Table {
    schemes: Vec<Scheme>,
    /// `(?:(P0)|(P1)|...)`, ASCII and without case.
    combined: Option<Regex>,
    /// For each scheme, the group of its alternative and the group of its code.
    groups: Vec<(usize, usize)>,
}

/// A pattern as matched: without case, ASCII classes (codes are ASCII, and Unicode's
/// `\d` and `\b` cost ten times as much to build).
fn compile(pattern: &str) -> Option<Regex> {
    RegexBuilder::new(pattern).case_insensitive(true).unicode(false).build().ok()
}

/// How many capture groups a pattern opens.
fn group_count(pattern: &str) -> Option<usize> {
    let hir = regex_syntax::Parser::new().parse(pattern).ok()?;
    Some(hir.properties().explicit_captures_len())
}

static TABLE: LazyLock<Table> = LazyLock::new(|| {
    // A built-in file that does not parse, or a scheme whose pattern cannot be read as
    // ASCII, is left out; a test makes sure none is.
    let all = embedded::FILES.iter().filter_map(|(name, text)| parse_file(name, text).ok());
    let mut schemes = Vec::new();
    let mut alternatives = Vec::new();
    let mut groups = Vec::new();
    let mut next_group = 1;
    for scheme in all.flatten() {
        let Some(n) = group_count(&scheme.pattern) else { continue };
        alternatives.push(format!("({})", scheme.pattern));
        groups.push((next_group, next_group + 1));
        next_group += 1 + n;
        schemes.push(scheme);
    }
    let whole = format!("(?:{})", alternatives.join("|"));
    // A pattern that needs Unicode would make the ASCII build fail: then build it so.
    let combined =
        compile(&whole).or_else(|| RegexBuilder::new(&whole).case_insensitive(true).build().ok());
    Table { schemes, combined, groups }
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
    let combined = table.combined.as_ref()?;
    let mut at = 0;
    while at <= squashed.len() {
        let caps = combined.captures_at(squashed, at)?;
        let whole = caps.get(0)?;
        at = whole.end().max(whole.start() + 1);
        let Some((i, code)) = table
            .groups
            .iter()
            .enumerate()
            .find_map(|(i, &(alt, code))| caps.get(alt).and(caps.get(code)).map(|m| (i, m)))
        else {
            continue;
        };
        let scheme = &table.schemes[i];
        // A row that says nothing specific (a family's "no published meaning") is not
        // evidence: the words around it decide.
        let Some(row) = scheme.row(code.as_str()).filter(|r| !r.reason.is_vague()) else {
            continue;
        };
        // A scheme too generic to trust elsewhere, asked only once it matched.
        if scheme.needs_provider && !handled_by(&scheme.provider) {
            continue;
        }
        let code = if row.code.ends_with('*') {
            code.as_str().to_ascii_uppercase()
        } else {
            row.code.clone()
        };
        return Some(Hit { scheme, row, code });
    }
    None
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
            "every scheme compiled into the table, as ASCII"
        );
        assert!(TABLE.combined.is_some());
    }

    #[test]
    fn codes_are_found_through_the_combined_pattern() {
        let hit = find(
            &squash("421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred"),
            &|_| true,
        );
        assert_eq!(hit.map(|h| h.code), Some("TSS04".to_string()));
        let hit = find(&squash("550 5.7.1 IB508 SPF check failed"), &|_| true);
        assert_eq!(hit.map(|h| h.code), Some("IB508".to_string()));
    }

    #[test]
    fn nothing_is_found_in_a_reply_without_a_code() {
        assert!(find(&squash("550 5.1.1 User unknown"), &|_| true).is_none());
    }
}
