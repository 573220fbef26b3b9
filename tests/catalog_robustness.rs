//! Whatever text a diagnostic or a pasted line holds, the catalog lookup and the
//! cleaning every export goes through return an answer: no panic on multi-byte
//! characters at odd places, half reply codes, or control and bidi characters.

mod common;

use proptest::prelude::*;
use rebound::catalog::{Catalog, MatchKind, Query};
use rebound::text::{clean, clean_line};

/// Text shaped like a diagnostic: a reply code and an enhanced code (whole, cut or
/// with a multi-byte character inside), then words, some of them provider wording.
fn diagnostic() -> impl Strategy<Value = String> {
    let code = prop_oneof![
        Just(String::new()),
        "[245][0-9]{2}[ -]".prop_map(|s| s),
        "[245][0-9]{2}[ -][245]\\.[0-9]{1,3}\\.[0-9]{1,3} ".prop_map(|s| s),
        "[245]\\.[0-9é€]{0,3}\\.?[0-9]{0,3}".prop_map(|s| s),
        "[245][0-9][é€😀]".prop_map(|s| s),
    ];
    let words = prop::collection::vec(
        prop_oneof![
            "\\PC{0,12}".prop_map(|s| s),
            Just("Recipient address rejected".to_string()),
            Just("Unauthenticated email".to_string()),
            Just("mailbox full".to_string()),
            Just("\u{202e}\u{1b}[31m".to_string()),
            Just("550-5.7.26".to_string()),
            Just("5.7.".to_string()),
        ],
        0..8,
    );
    (code, words).prop_map(|(code, words)| format!("{code}{}", words.join(" ")))
}

proptest! {
    // 256 cases in the test run; PROPTEST_CASES=N asks for a longer hunt.
    #![proptest_config(ProptestConfig::with_cases(common::proptest_cases(256)))]

    #[test]
    fn any_diagnostic_gets_guidance(
        text in diagnostic(),
        provider in prop::option::of(prop_oneof![
            Just("gmail"), Just("exchange-online"), Just("yahoo"), Just("nobody"), Just("é€")
        ]),
    ) {
        let catalog = Catalog::builtin();
        let query = Query { diagnostic: &text, provider, ..Query::default() };
        let guidance = catalog.guidance(&query);
        // A lookup with a code finds the code's entry at worst, never the fallback.
        let with_code = Query { status: "5.7.1".parse().ok(), ..query };
        prop_assert_ne!(catalog.guidance(&with_code).matched_by, MatchKind::Fallback);
        prop_assert!(!guidance.entry.title.is_empty());
        // A catalog key typed by hand (`5.7.x`, or whatever was pasted) is looked up
        // without panicking either.
        let _ = catalog.get(&text, provider);
    }

    #[test]
    fn cleaned_text_holds_no_control_or_bidi_character(text in "\\PC{0,40}|[\\x00-\\x1f\\x7f\\u{80}-\\u{9f}\\u{202a}-\\u{202e}\\u{2066}-\\u{2069}a-z ]{0,40}") {
        let line = clean_line(&text);
        prop_assert!(!line.chars().any(|c| c.is_control()), "{line:?}");
        prop_assert!(!line.chars().any(|c| ('\u{202a}'..='\u{202e}').contains(&c)
            || ('\u{2066}'..='\u{2069}').contains(&c)), "{line:?}");
        let block = clean(&text);
        prop_assert!(!block.chars().any(|c| c.is_control() && c != '\n' && c != '\t'), "{block:?}");
    }
}
