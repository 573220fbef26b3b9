//! The provider names rebound knows, for `explain --provider` and `explain --providers`:
//! the ids of the hosts table, of the catalog's provider entries and of the provider
//! code schemes, and the names people type for them (`m365`, `hotmail`, `google`).

use std::collections::BTreeSet;

use super::Catalog;
use super::attribution;

/// Names people use for a provider, and the id rebound files it under.
const ALIASES: &[(&str, &str)] = &[
    ("m365", "exchange-online"),
    ("microsoft365", "exchange-online"),
    ("microsoft-365", "exchange-online"),
    ("office365", "exchange-online"),
    ("office-365", "exchange-online"),
    ("o365", "exchange-online"),
    ("eop", "exchange-online"),
    ("hotmail", "outlook-com"),
    ("outlook", "outlook-com"),
    ("outlook.com", "outlook-com"),
    ("live", "outlook-com"),
    ("google", "gmail"),
    ("gsuite", "gmail"),
    ("google-workspace", "gmail"),
    ("workspace", "gmail"),
    ("aol", "yahoo"),
    ("ses", "amazon-ses"),
    ("charter", "spectrum"),
    ("163", "netease"),
    ("126", "netease"),
    ("qq", "tencent"),
];

/// Names that could mean more than one provider: the user must choose.
const AMBIGUOUS: &[(&str, &[&str])] = &[("microsoft", &["exchange-online", "outlook-com"])];

/// Every provider id the catalog, the hosts table, the code schemes or the engine's
/// provider detection know, sorted: the one list `explain --providers` prints and the
/// filter's `provider:` accepts.
pub fn known(catalog: &Catalog) -> Vec<String> {
    let mut ids: BTreeSet<String> = attribution::host_provider_ids().map(str::to_string).collect();
    // As the engine writes them on records (`aol` too, which `explain` files under yahoo).
    ids.extend(crate::bounce::provider::ids().map(str::to_ascii_lowercase));
    for e in catalog.entries() {
        if let Some(p) = &e.provider {
            ids.insert(attribution::canonical(p).to_ascii_lowercase());
        }
    }
    for s in crate::bounce::provider_codes::schemes() {
        ids.insert(attribution::canonical(&s.provider).to_ascii_lowercase());
    }
    ids.into_iter().collect()
}

/// Why a provider name was not taken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProviderError {
    #[error("unknown provider {given:?}{}", suggest(.nearest))]
    Unknown { given: String, nearest: Vec<String> },
    #[error("{given:?} could mean {}: give one of them", .choices.join(" or "))]
    Ambiguous { given: String, choices: Vec<String> },
}

fn suggest(nearest: &[String]) -> String {
    match nearest {
        [] => "; `rebound explain --providers` lists the known ones".into(),
        _ => format!(
            "; did you mean {}? (`rebound explain --providers` lists them all)",
            nearest.join(" or ")
        ),
    }
}

/// The provider id a typed name stands for.
pub fn resolve(catalog: &Catalog, name: &str) -> Result<String, ProviderError> {
    let typed = name.trim().to_ascii_lowercase();
    if let Some((_, choices)) = AMBIGUOUS.iter().find(|(n, _)| *n == typed) {
        let choices = choices.iter().map(|c| c.to_string()).collect();
        return Err(ProviderError::Ambiguous { given: name.to_string(), choices });
    }
    let id = ALIASES.iter().find(|(a, _)| *a == typed).map_or(typed.as_str(), |(_, id)| id);
    let id = attribution::canonical(id).to_ascii_lowercase();
    let known = known(catalog);
    if known.contains(&id) {
        return Ok(id);
    }
    let mut scored: Vec<(usize, String)> = known
        .into_iter()
        .chain(ALIASES.iter().map(|(a, _)| a.to_string()))
        .map(|k| (distance(&typed, &k), k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 3))
        .collect();
    scored.sort();
    let nearest = scored.into_iter().take(2).map(|(_, k)| k).collect();
    Err(ProviderError::Unknown { given: name.to_string(), nearest })
}

/// Levenshtein distance, for suggestions.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_resolve_and_typos_get_a_suggestion() {
        let c = Catalog::builtin();
        assert_eq!(resolve(c, "m365").as_deref(), Ok("exchange-online"));
        assert_eq!(resolve(c, "Gmail").as_deref(), Ok("gmail"));
        assert_eq!(resolve(c, "AOL").as_deref(), Ok("yahoo"));
        assert!(matches!(resolve(c, "microsoft"), Err(ProviderError::Ambiguous { .. })));
        let err = resolve(c, "gmial").unwrap_err();
        assert!(err.to_string().contains("did you mean gmail"), "{err}");
        assert!(resolve(c, "nonsense-provider-xyz").is_err());
        assert!(known(c).iter().any(|k| k == "cox"));
    }

    #[test]
    fn every_provider_the_engine_writes_on_a_record_is_known() {
        // One list for `explain --providers` and the filter's `provider:`: an id the
        // engine detects (Courier, WorkMail) must be in it.
        let c = Catalog::builtin();
        assert_eq!(resolve(c, "courier").as_deref(), Ok("courier"));
        assert_eq!(resolve(c, "amazon-workmail").as_deref(), Ok("amazon-workmail"));
        let known = known(c);
        for id in crate::bounce::provider::ids() {
            assert!(known.iter().any(|k| k.eq_ignore_ascii_case(id)), "{id}");
        }
    }
}
