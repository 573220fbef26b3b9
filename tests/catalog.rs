//! The status-code catalog: built-in data, lookup order, user files.

use std::collections::HashSet;
use std::path::Path;

use rebound::bounce::StatusCode;
use rebound::catalog::{Catalog, Entry, Key, MatchKind, Query, Retry, builtin_files, parse_file};

fn code(s: &str) -> StatusCode {
    s.parse().unwrap()
}

fn by_status<'a>(catalog: &'a Catalog, s: &str) -> (&'a Entry, MatchKind) {
    let q = Query { status: Some(code(s)), ..Query::default() };
    let g = catalog.guidance(&q);
    (g.entry, g.matched_by)
}

#[test]
fn builtin_catalog_loads_and_every_entry_is_complete() {
    let catalog = Catalog::load_builtin().expect("built-in catalog files parse");
    assert!(catalog.entries().len() > 150, "{}", catalog.entries().len());
    for e in catalog.entries() {
        assert!(Key::parse(&e.key).is_ok(), "{}", e.key);
        assert!(!e.title.trim().is_empty(), "{}: title", e.key);
        assert!(!e.meaning.trim().is_empty(), "{}: meaning", e.key);
        assert!(!e.fix_owner.is_empty(), "{}: fix_owner", e.key);
        assert!(
            !e.sender_steps.is_empty() || !e.admin_steps.is_empty(),
            "{} ({:?}): no steps at all",
            e.key,
            e.provider
        );
    }
}

#[test]
fn no_two_builtin_entries_share_key_and_provider() {
    let mut seen = HashSet::new();
    for (name, text) in builtin_files() {
        for e in parse_file(Path::new(name), text).unwrap() {
            // Entries sharing key and provider are allowed when their match texts differ
            // (scenarios of one code); otherwise the later one would silently win.
            let texts: Vec<String> = e.match_texts.iter().map(|t| t.to_lowercase()).collect();
            let provider = e.provider.as_deref().map(str::to_ascii_lowercase);
            let id = (Key::parse(&e.key).unwrap(), provider, texts);
            assert!(seen.insert(id), "{name}: duplicate {} {:?}", e.key, e.provider);
        }
    }
}

#[test]
fn unregistered_codes_fall_back_to_subject_then_class() {
    let catalog = Catalog::builtin();
    let (e, how) = by_status(catalog, "5.7.200");
    assert_eq!((e.key.as_str(), how), ("5.7.x", MatchKind::SubjectClass));
    let (e, how) = by_status(catalog, "4.4.999");
    assert_eq!((e.key.as_str(), how), ("4.4.x", MatchKind::SubjectClass));
    let (e, how) = by_status(catalog, "5.9.1");
    assert_eq!((e.key.as_str(), how), ("5.x.x", MatchKind::Class));
    let g = catalog.guidance(&Query::default());
    assert_eq!(g.matched_by, MatchKind::Fallback);
}

const SHARED: &str = env!("CARGO_MANIFEST_DIR");

/// Rows of a reference CSV; tests/catalog.rs reads the same facts the data was written from.
fn reference_csv(name: &str) -> Vec<Vec<String>> {
    let candidates = [
        format!("{SHARED}/../../shared/reference/{name}"),
        format!("{SHARED}/../shared/reference/{name}"),
        format!("/work/shared/reference/{name}"),
    ];
    let path = candidates.iter().find(|p| Path::new(p).exists());
    let Some(path) = path else {
        panic!("reference file {name} not found (looked beside the repository)");
    };
    let mut reader = csv::Reader::from_path(path).unwrap();
    reader.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect()
}

#[test]
fn every_registered_code_has_its_own_entry_in_classes_4_and_5() {
    let catalog = Catalog::builtin();
    let rows = reference_csv("iana-enhanced-status-codes.csv");
    let mut checked = 0;
    for row in &rows {
        let registry = &row[0];
        let Some(rest) = registry.strip_prefix("X.") else { continue };
        if rest.contains("YYY") {
            continue;
        }
        for class in ["4", "5"] {
            let c = format!("{class}.{rest}");
            let (e, how) = by_status(catalog, &c);
            assert_eq!((e.key.as_str(), how), (c.as_str(), MatchKind::ExactCode));
            let want = if class == "4" { Retry::RetryLater } else { e.retry };
            assert_eq!(e.retry, want, "{c}: class 4 entries say retry later");
            assert_ne!(
                (class, e.retry),
                ("5", Retry::RetryLater),
                "{c}: a permanent failure does not clear by waiting"
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 2 * 81, "the registry lists 81 codes");
}

#[test]
fn every_subject_and_class_of_the_registry_has_an_entry() {
    let catalog = Catalog::builtin();
    for row in reference_csv("iana-enhanced-status-codes.csv") {
        let registry = &row[0];
        if let Some(subject) = registry.strip_prefix("X.").and_then(|r| r.strip_suffix(".YYY")) {
            for class in ["4", "5"] {
                let key = format!("{class}.{subject}.x");
                assert!(catalog.get(&key, None).is_some(), "{key}");
            }
        } else if let Some(class) = registry.strip_suffix(".XXX.YYY") {
            assert!(catalog.get(&format!("{class}.x.x"), None).is_some(), "{class}.x.x");
        }
    }
}

#[test]
fn every_smtp_reply_code_has_its_own_entry() {
    let catalog = Catalog::builtin();
    let rows = reference_csv("smtp-reply-codes.csv");
    assert!(rows.len() >= 24);
    for row in rows {
        let reply: u16 = row[0].parse().unwrap();
        let g = catalog.guidance(&Query { reply_code: Some(reply), ..Query::default() });
        assert_eq!((g.entry.key.clone(), g.matched_by), (row[0].clone(), MatchKind::ReplyCode));
        let transient = reply < 500;
        assert_eq!(g.entry.retry == Retry::RetryLater, transient && reply != 432, "{reply}");
    }
}

#[test]
fn the_enhanced_code_wins_over_the_reply_code() {
    let q = Query {
        status: Some(code("5.1.1")),
        reply_code: Some(550),
        diagnostic: "550 5.1.1 <x@example.org>: Recipient address rejected",
        provider: None,
        reason: None,
    };
    let g = Catalog::builtin().guidance(&q);
    assert_eq!((g.entry.key.as_str(), g.matched_by), ("5.1.1", MatchKind::ExactCode));
    // An unlisted reply code still gives the class.
    let q = Query { reply_code: Some(599), ..Query::default() };
    let g = Catalog::builtin().guidance(&q);
    assert_eq!((g.entry.key.as_str(), g.matched_by), ("5.x.x", MatchKind::Class));
}

const PROVIDER_ENTRIES: &str = r#"
[[entry]]
key = "5.1.10"
provider = "exchange-online"
title = "Recipient not found"
meaning = "Test entry: Exchange Online uses 5.1.10 for an unknown recipient."
fix_owner = ["sender"]
sender_steps = ["Check the address."]
retry = "do-not-retry"

[[entry]]
key = "5.7.500-699"
provider = "exchange-online"
title = "Exchange Online policy range"
meaning = "Test entry for a provider range."
fix_owner = ["sender-admin"]
admin_steps = ["Check the tenant."]
retry = "fix-then-resend"

[[entry]]
key = "5.7.x"
provider = "exchange-online"
title = "Provider subject class"
meaning = "Reachable only through match texts: it has none, so never."
fix_owner = ["sender-admin"]
admin_steps = ["Nothing."]
retry = "fix-then-resend"

[[entry]]
key = "5.1.1"
provider = "gmail"
match_texts = ["account that you tried to reach does not exist"]
title = "Gmail: no such account"
meaning = "Test entry with a match text."
fix_owner = ["sender"]
sender_steps = ["Check the address."]
retry = "do-not-retry"

[[entry]]
key = "5.1.1"
provider = "yahoo"
match_texts = ["you tried to reach does not exist. please try double"]
title = "Yahoo wording, longer text"
meaning = "Test entry whose text is longer than Gmail's and overlaps it."
fix_owner = ["sender"]
sender_steps = ["Check the address."]
retry = "do-not-retry"
"#;

fn with_providers() -> Catalog {
    let extra = parse_file(Path::new("providers-test.toml"), PROVIDER_ENTRIES).unwrap();
    // Only the generic entries: the real provider files must not change these answers.
    let generic = Catalog::builtin().entries().iter().filter(|e| e.provider.is_none());
    Catalog::from_entries(generic.cloned().chain(extra))
}

fn lookup<'a>(catalog: &'a Catalog, status: &str, provider: Option<&str>) -> (&'a str, MatchKind) {
    let q = Query { status: Some(code(status)), provider, ..Query::default() };
    let g = catalog.guidance(&q);
    (g.entry.title.as_str(), g.matched_by)
}

#[test]
fn a_provider_entry_wins_for_its_provider_only() {
    let catalog = with_providers();
    let generic = Catalog::builtin().get("5.1.10", None).unwrap().title.as_str();
    assert_eq!(
        lookup(&catalog, "5.1.10", Some("exchange-online")),
        ("Recipient not found", MatchKind::ProviderCode)
    );
    assert_eq!(
        lookup(&catalog, "5.1.10", Some("Exchange-Online")),
        ("Recipient not found", MatchKind::ProviderCode),
        "provider names compare without case"
    );
    assert_eq!(lookup(&catalog, "5.1.10", Some("gmail")), (generic, MatchKind::ExactCode));
    assert_eq!(lookup(&catalog, "5.1.10", None), (generic, MatchKind::ExactCode));
}

#[test]
fn provider_ranges_apply_to_their_provider_and_broad_provider_keys_do_not_shadow() {
    let catalog = with_providers();
    assert_eq!(
        lookup(&catalog, "5.7.509", Some("exchange-online")),
        ("Exchange Online policy range", MatchKind::ProviderCode)
    );
    let (title, how) = lookup(&catalog, "5.7.509", None);
    assert_eq!(how, MatchKind::SubjectClass);
    assert_eq!(title, Catalog::builtin().get("5.7.x", None).unwrap().title);
    // The provider's own 5.7.x is not used by code, even for its provider.
    assert_eq!(lookup(&catalog, "5.7.200", Some("exchange-online")).1, MatchKind::SubjectClass);
    assert_ne!(lookup(&catalog, "5.7.200", Some("exchange-online")).0, "Provider subject class");
}

#[test]
fn match_texts_find_the_provider_whatever_the_query_says() {
    let catalog = with_providers();
    let diagnostic = "550-5.1.1 The email Account That You Tried To Reach does not exist.";
    for provider in [None, Some("postfix"), Some("gmail")] {
        let q = Query {
            status: Some(code("5.1.1")),
            reply_code: Some(550),
            diagnostic,
            provider,
            reason: None,
        };
        let g = catalog.guidance(&q);
        assert_eq!(g.matched_by, MatchKind::ProviderText);
        assert_eq!(g.entry.provider.as_deref(), Some("gmail"), "{provider:?}");
        assert_eq!(g.matched_text, Some("account that you tried to reach does not exist"));
    }
}

#[test]
fn among_several_match_texts_the_query_provider_then_the_longest_wins() {
    let catalog = with_providers();
    let diagnostic = "The email account that you tried to reach does not exist. Please try \
                      double-checking the recipient's email address";
    let pick = |provider| {
        let q = Query { diagnostic, provider, ..Query::default() };
        catalog.guidance(&q).entry.provider.clone()
    };
    assert_eq!(pick(None).as_deref(), Some("yahoo"), "the longer text");
    assert_eq!(pick(Some("gmail")).as_deref(), Some("gmail"), "the query's provider");
    assert_eq!(pick(Some("yahoo")).as_deref(), Some("yahoo"));
}

#[test]
fn a_user_file_overrides_and_adds_entries() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("catalog.toml");
    std::fs::write(
        &path,
        r#"
[[entry]]
key = "5.1.1"
title = "Unknown user (our wording)"
meaning = "Our helpdesk's explanation."
fix_owner = ["sender"]
sender_steps = ["Call the helpdesk."]
retry = "do-not-retry"

[[entry]]
key = "5.7.200-299"
title = "Our gateway's policy codes"
meaning = "Codes our own gateway uses."
fix_owner = ["sender-admin"]
admin_steps = ["Look in the gateway console."]
retry = "fix-then-resend"
"#,
    )
    .unwrap();
    let (catalog, err) = Catalog::with_user_file(&path);
    assert!(err.is_none(), "{err:?}");
    assert_eq!(
        lookup(&catalog, "5.1.1", None),
        ("Unknown user (our wording)", MatchKind::ExactCode)
    );
    assert_eq!(lookup(&catalog, "5.7.250", None), ("Our gateway's policy codes", MatchKind::Range));
    assert_eq!(catalog.entries().len(), Catalog::builtin().entries().len() + 1);
    // The built-in catalog itself is untouched.
    assert_ne!(lookup(Catalog::builtin(), "5.1.1", None).0, "Unknown user (our wording)");
}

#[test]
fn a_bad_user_file_names_file_and_line_and_the_builtin_catalog_still_works() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("catalog.toml");
    let text = "[[entry]]\nkey = \"5.1.1\"\ntitle = \"t\"\nmeaning = \"m\"\n\
                fix_owner = [\"sender\"]\nretry = \"do-not-retry\"\ncolour = \"red\"\n";
    std::fs::write(&path, text).unwrap();
    let (catalog, err) = Catalog::with_user_file(&path);
    let err = err.expect("unknown field is an error");
    assert_eq!(err.file(), path.as_path());
    assert_eq!(err.line(), Some(7), "{err}");
    let shown = err.to_string();
    assert!(shown.contains("catalog.toml:7:") && shown.contains("colour"), "{shown}");
    assert_eq!(lookup(&catalog, "5.1.1", None).1, MatchKind::ExactCode);
    assert_eq!(catalog.entries().len(), Catalog::builtin().entries().len());

    let bad_owner = text.replace("colour = \"red\"\n", "").replace("\"sender\"", "\"boss\"");
    std::fs::write(&path, bad_owner).unwrap();
    let err = Catalog::with_user_file(&path).1.expect("unknown owner");
    assert_eq!(err.line(), Some(5), "{err}");

    let missing = dir.path().join("nope.toml");
    let err = Catalog::with_user_file(&missing).1.expect("missing file");
    assert!(err.to_string().contains("nope.toml"), "{err}");
}

mod explain_cli {
    use assert_cmd::Command;
    use predicates::prelude::*;

    /// `rebound explain` with an empty config directory, so no user file leaks in.
    fn explain(config: &std::path::Path) -> Command {
        let mut cmd = Command::cargo_bin("rebound").unwrap();
        cmd.env("XDG_CONFIG_HOME", config).env("NO_COLOR", "1").arg("explain");
        cmd
    }

    #[test]
    fn explains_a_code() {
        let dir = tempfile::tempdir().unwrap();
        explain(dir.path())
            .arg("5.7.1")
            .assert()
            .success()
            .stdout(predicate::str::starts_with("5.7.1  Delivery not authorized"))
            .stdout(predicate::str::contains("Verdict:   soft"))
            .stdout(predicate::str::contains("Chosen by: reason blocked and the code 5.7.1"))
            .stdout(predicate::str::contains("What a mail admin can do"))
            .stdout(predicate::str::contains("\x1b").not());
    }

    #[test]
    fn explains_a_reply_line_and_a_pasted_diagnostic() {
        let dir = tempfile::tempdir().unwrap();
        explain(dir.path())
            .args(["550", "5.1.1", "<nobody@example.org>:", "Recipient", "address", "rejected"])
            .assert()
            .success()
            .stdout(predicate::str::starts_with("5.1.1  Bad destination mailbox address"))
            .stdout(predicate::str::contains("Read:      reply 550, status 5.1.1"))
            .stdout(predicate::str::contains("Stage:     rcpt-to"))
            .stdout(predicate::str::contains("Verdict:   hard"));
        explain(dir.path())
            .arg("host mx.example.org[192.0.2.7] said: 550-5.7.26 This mail has been blocked")
            .assert()
            .success()
            .stdout(predicate::str::starts_with("5.7.26  Multiple authentication checks failed"));
        explain(dir.path())
            .arg("421 Service not available, closing transmission channel")
            .assert()
            .success()
            .stdout(predicate::str::contains("-> entry 421"));
        explain(dir.path())
            .arg("5.7.250")
            .assert()
            .success()
            .stdout(predicate::str::contains("only the class of 5.7.250 -> entry 5.7.x"));
    }

    #[test]
    fn explains_wording_without_a_code_by_its_reason() {
        let dir = tempfile::tempdir().unwrap();
        explain(dir.path())
            .arg("[User unknown] Nyaan")
            .assert()
            .success()
            .stdout(predicate::str::starts_with("reason:userunknown  The mailbox does not exist"))
            .stdout(predicate::str::contains(
                "Reason:    userunknown - diagnostic says \"user unknown\"",
            ))
            .stdout(predicate::str::contains(
                "Chosen by: reason userunknown (no code given) -> entry reason:userunknown",
            ));
        // At an unknown stage, a stock "user unknown" under a policy code is a filter.
        explain(dir.path())
            .arg("550 5.7.1 User unknown")
            .assert()
            .success()
            .stdout(predicate::str::starts_with("reason:filtered  "));
    }

    #[test]
    fn explains_a_catalog_key() {
        let dir = tempfile::tempdir().unwrap();
        explain(dir.path())
            .arg("5.7.x")
            .assert()
            .success()
            .stdout(predicate::str::starts_with("5.7.x  Security or Policy Status"));
        explain(dir.path()).arg("reason:authfailure").assert().success().stdout(
            predicate::str::starts_with("reason:authfailure  SPF, DKIM or DMARC did not pass"),
        );
        explain(dir.path())
            .arg("4.x.x")
            .assert()
            .success()
            .stdout(predicate::str::starts_with("4.x.x  "));
    }

    #[test]
    fn unknown_input_fails_clearly() {
        let dir = tempfile::tempdir().unwrap();
        explain(dir.path())
            .arg("the printer is on fire")
            .assert()
            .failure()
            .stdout(predicate::str::is_empty())
            .stderr(predicate::str::contains("no status code"));
        // A pasted page is quoted back cut short, not whole.
        explain(dir.path())
            .arg("é".repeat(5000))
            .assert()
            .failure()
            .stderr(predicate::str::contains(format!("\"{}...\"", "é".repeat(120))))
            .stderr(predicate::function(|e: &str| e.len() < 600));
    }

    #[test]
    fn uses_the_user_catalog_and_the_provider_option() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("rebound")).unwrap();
        std::fs::write(
            dir.path().join("rebound/catalog.toml"),
            "[[entry]]\nkey = \"5.1.10\"\nprovider = \"acme-mail\"\n\
             match_texts = [\"ACME says: no such person\"]\ntitle = \"Acme: recipient not found\"\n\
             meaning = \"Acme reuses 5.1.10.\"\nfix_owner = [\"sender\"]\n\
             sender_steps = [\"Check the address.\"]\nretry = \"do-not-retry\"\n",
        )
        .unwrap();
        explain(dir.path())
            .args(["--provider", "acme-mail", "5.1.10"])
            .assert()
            .success()
            .stdout(predicate::str::starts_with("5.1.10  Acme: recipient not found"))
            .stdout(predicate::str::contains(
                "acme-mail's entry for 5.1.10 -> acme-mail entry 5.1.10",
            ));
        // Without --provider the registry's meaning, and each provider's own.
        explain(dir.path())
            .arg("5.1.10")
            .assert()
            .success()
            .stdout(predicate::str::starts_with("5.1.10  Recipient address has null MX"))
            .stdout(predicate::str::contains("exchange-online: Recipient not found"))
            .stdout(predicate::str::contains("acme-mail: Acme: recipient not found"));
        // A provider's wording is a hint until the provider is named.
        explain(dir.path())
            .arg("550 5.1.10 acme says: No such person here")
            .assert()
            .success()
            .stdout(predicate::str::contains("is acme-mail's wording"))
            .stdout(predicate::str::contains("--provider acme-mail"));
        explain(dir.path())
            .args(["--provider", "acme-mail", "550 5.1.10 acme says: No such person here"])
            .assert()
            .success()
            .stdout(predicate::str::contains("acme-mail's wording \"ACME says: no such person\""));
        // Names it does not know are refused with the nearest known one.
        explain(dir.path())
            .args(["--provider", "gmial", "5.1.1"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("did you mean gmail"));
        explain(dir.path())
            .args(["--provider", "m365", "5.1.10"])
            .assert()
            .success()
            .stdout(predicate::str::starts_with("5.1.10  Recipient not found"));
        explain(dir.path())
            .arg("--providers")
            .assert()
            .success()
            .stdout(predicate::str::contains("exchange-online"))
            .stdout(predicate::str::contains("acme-mail"));
    }

    #[test]
    fn a_broken_user_catalog_is_reported_and_the_builtin_one_used() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("rebound")).unwrap();
        std::fs::write(dir.path().join("rebound/catalog.toml"), "[[entry]]\nkey = 5\n").unwrap();
        explain(dir.path())
            .arg("5.2.2")
            .assert()
            .success()
            .stdout(predicate::str::starts_with("5.2.2  Mailbox full"))
            .stderr(predicate::str::contains("catalog.toml:2:"));
    }
}

#[test]
fn the_fast_builtin_copy_holds_exactly_the_toml_files() {
    let from_toml =
        builtin_files().flat_map(|(name, text)| parse_file(Path::new(name), text).unwrap());
    let from_toml = Catalog::from_entries(from_toml);
    assert_eq!(Catalog::load_builtin().unwrap().entries(), from_toml.entries());
}

/// One provider code used for several situations, told apart by text, says nothing by
/// itself: without known wording the generic entry answers. An entry without match
/// texts is the provider's meaning of the code alone; a single entry answers anyway.
#[test]
fn a_provider_code_alone_answers_only_when_unambiguous() {
    let entry = |key: &str, text: Option<&str>, title: &str| Entry {
        key: key.into(),
        provider: Some("acme".into()),
        match_texts: text.map(|t| vec![t.to_string()]).unwrap_or_default(),
        title: title.into(),
        meaning: "test".into(),
        causes: Vec::new(),
        fix_owner: vec![rebound::catalog::FixOwner::Sender],
        sender_steps: vec!["test".into()],
        admin_steps: Vec::new(),
        retry: Retry::FixThenResend,
        reference: None,
    };
    let generic: Vec<Entry> =
        Catalog::builtin().entries().iter().filter(|e| e.provider.is_none()).cloned().collect();
    let situations = [
        entry("5.7.1", Some("acme blocked you"), "Acme: blocked"),
        entry("5.7.1", Some("acme needs a login"), "Acme: log in"),
        entry("5.2.2", Some("acme mailbox full"), "Acme: full"),
    ];
    let catalog = Catalog::from_entries(generic.iter().cloned().chain(situations.clone()));
    let generic_title = Catalog::builtin().get("5.7.1", None).unwrap().title.as_str();
    assert_eq!(lookup(&catalog, "5.7.1", Some("acme")), (generic_title, MatchKind::ExactCode));
    assert_eq!(lookup(&catalog, "5.2.2", Some("acme")), ("Acme: full", MatchKind::ProviderCode));
    let q = Query {
        status: Some(code("5.7.1")),
        diagnostic: "550 5.7.1 ACME needs a login first",
        provider: Some("acme"),
        ..Query::default()
    };
    assert_eq!(catalog.guidance(&q).entry.title, "Acme: log in");

    let with_default = situations.into_iter().chain([entry("5.7.1", None, "Acme: refused")]);
    let catalog = Catalog::from_entries(generic.into_iter().chain(with_default));
    assert_eq!(lookup(&catalog, "5.7.1", Some("acme")), ("Acme: refused", MatchKind::ProviderCode));
}

/// Generic phrases are shared between servers: another provider's wording whose code
/// contradicts the reported one does not beat the bounce's own provider's entry.
#[test]
fn a_foreign_text_with_a_contradicting_code_yields_to_the_own_provider_code() {
    let text = r#"
[[entry]]
key = "5.4.1"
provider = "acme"
title = "Acme: relay denied"
meaning = "test"
fix_owner = ["recipient-admin"]
admin_steps = ["test"]
retry = "fix-then-resend"

[[entry]]
key = "5.7.1"
provider = "other"
match_texts = ["relay access denied"]
title = "Other: relay access denied"
meaning = "test"
fix_owner = ["sender"]
sender_steps = ["test"]
retry = "fix-then-resend"
"#;
    let extra = parse_file(Path::new("t.toml"), text).unwrap();
    let generic = Catalog::builtin().entries().iter().filter(|e| e.provider.is_none()).cloned();
    let catalog = Catalog::from_entries(generic.chain(extra));
    let ask = |status: &str, provider| {
        let q = Query {
            status: Some(code(status)),
            reply_code: Some(550),
            diagnostic: "550 5.4.1 Relay Access Denied",
            provider,
            reason: None,
        };
        let g = catalog.guidance(&q);
        (g.entry.title.clone(), g.matched_by)
    };
    assert_eq!(ask("5.4.1", Some("acme")), ("Acme: relay denied".into(), MatchKind::ProviderCode));
    let other = ("Other: relay access denied".to_string(), MatchKind::ProviderText);
    // Without an own provider entry the code's generic entry still beats a foreign text
    // that contradicts it: the phrase is too common to brand the bounce.
    let generic = |(title, kind): (String, MatchKind)| {
        assert_eq!(kind, MatchKind::ExactCode, "{title}");
        assert_ne!(title, other.0);
    };
    generic(ask("5.4.1", None));
    generic(ask("5.4.1", Some("gmail")));
    assert_eq!(ask("5.7.1", Some("acme")), other, "the code agrees with the text");
    assert_eq!(ask("5.7.1", None), other, "the code agrees with the text");
    assert_eq!(ask("5.4.1", Some("other")), other, "the issuer's own text answers");
}

/// Servers wrap long replies over several lines, each but the last starting with a
/// `550-5.1.1` marker; a phrase cut by such a break still matches.
#[test]
fn match_texts_survive_multi_line_replies() {
    let catalog = with_providers();
    let diagnostic = "550-5.1.1 The email account that you tried to\r\n550-5.1.1 reach   does not \
                      exist. Please try\n 550 5.1.1 double-checking the address";
    let q = Query {
        status: Some(code("5.1.1")),
        diagnostic,
        provider: Some("gmail"),
        ..Query::default()
    };
    let g = catalog.guidance(&q);
    assert_eq!(
        (g.matched_by, g.entry.title.as_str()),
        (MatchKind::ProviderText, "Gmail: no such account")
    );
}

/// The first failed recipient of a corpus bounce and the guidance the builtin catalog
/// gives for it, as `(entry provider, entry title)`.
fn corpus_guidance(name: &str) -> (Option<String>, String) {
    let path = Path::new("tests/corpus/maildir/bsd").join(name);
    let raw = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let report = rebound::bounce::analyze(&raw).unwrap_or_else(|| panic!("{name}: no report"));
    let rcpt = report.recipients.first().unwrap_or_else(|| panic!("{name}: no recipient"));
    let g = Catalog::builtin().guidance(&Query::for_recipient(&report, rcpt));
    (g.entry.provider.clone(), g.entry.title.clone())
}

/// Gmail writes these bounces, but the recipient's own server refused ("The error that
/// the other server returned was: ..."): Gmail's meanings of the code must not apply.
#[test]
fn gmail_reporting_another_servers_refusal_gets_no_gmail_entry() {
    for name in
        ["lhost-gmail-03.eml", "lhost-gmail-06.eml", "lhost-gmail-16.eml", "lhost-gmail-18.eml"]
    {
        let (provider, title) = corpus_guidance(name);
        assert_ne!(provider.as_deref(), Some("gmail"), "{name}: {title}");
    }
    // Gmail's own refusals (it could not connect) keep Gmail's entry.
    let (provider, title) = corpus_guidance("lhost-gmail-10.eml");
    assert_eq!(provider.as_deref(), Some("gmail"), "{title}");
}

/// Postfix, Sendmail or Exchange relays reporting a refusal by Gmail's or Microsoft 365's
/// MX: the issuer's entries apply, by code even when no phrase of theirs matches.
#[test]
fn relays_reporting_a_providers_refusal_get_that_providers_entry() {
    let cases = [
        ("lhost-postfix-28.eml", "gmail"),
        ("rhost-google-01.eml", "gmail"),
        ("rhost-google-04.eml", "gmail"),
        ("rhost-google-06.eml", "gmail"),
        ("lhost-postfix-66.eml", "yahoo"),
        ("rhost-apple-02.eml", "icloud"),
        ("rhost-microsoft-01.eml", "exchange-online"),
    ];
    for (name, issuer) in cases {
        let (provider, title) = corpus_guidance(name);
        assert_eq!(provider.as_deref(), Some(issuer), "{name}: {title}");
    }
    // Gmail's phrase cut by the last line's `550 5.7.1` marker still matches.
    let (_, title) = corpus_guidance("lhost-postfix-28.eml");
    assert_eq!(title, "Gmail: several addresses in From");
    // Microsoft 365's edge refuses unknown tenant addresses with 5.4.1; not a relay error.
    let (provider, title) = corpus_guidance("rhost-microsoft-02.eml");
    assert_eq!(provider.as_deref(), Some("exchange-online"));
    assert!(title.contains("directory-based edge blocking"), "{title}");
}

/// The writer's own code entries do not apply when a remote server it names refused.
#[test]
fn writers_code_entries_do_not_apply_to_remote_refusals() {
    let cases = [
        ("lhost-postfix-04.eml", "postfix"),
        ("lhost-postfix-09.eml", "postfix"),
        ("lhost-office365-05.eml", "exchange-online"),
        ("lhost-office365-12.eml", "exchange-online"),
        ("lhost-yahoo-02.eml", "yahoo"),
    ];
    for (name, writer) in cases {
        let (provider, title) = corpus_guidance(name);
        assert_ne!(provider.as_deref(), Some(writer), "{name}: {title}");
    }
    // The writer that issued the code itself (local delivery) keeps its entry.
    let (provider, title) = corpus_guidance("lhost-postfix-01.eml");
    assert_eq!(provider.as_deref(), Some("postfix"), "{title}");
}

/// AOL runs on Yahoo's servers and its entries are filed under `yahoo`.
#[test]
fn aol_is_looked_up_as_yahoo() {
    let text = r#"
[[entry]]
key = "5.7.9"
provider = "yahoo"
title = "Yahoo: policy refusal"
meaning = "test"
fix_owner = ["sender-admin"]
admin_steps = ["test"]
retry = "fix-then-resend"
"#;
    let extra = parse_file(Path::new("t.toml"), text).unwrap();
    let generic = Catalog::builtin().entries().iter().filter(|e| e.provider.is_none()).cloned();
    let catalog = Catalog::from_entries(generic.chain(extra));
    for provider in ["aol", "AOL", "yahoo"] {
        let q = Query { status: Some(code("5.7.9")), provider: Some(provider), ..Query::default() };
        let g = catalog.guidance(&q);
        assert_eq!(
            (g.entry.title.as_str(), g.matched_by),
            ("Yahoo: policy refusal", MatchKind::ProviderCode)
        );
    }
    assert!(catalog.get("5.7.9", Some("aol")).is_some());
}

#[test]
fn complaints_and_auto_replies_get_guidance_for_their_kind_not_the_no_code_fallback() {
    let catalog = Catalog::builtin();
    let q = |reason| Query { reason: Some(reason), ..Query::default() };
    let g = catalog.guidance(&q(rebound::bounce::Reason::Feedback));
    assert_eq!(g.matched_by, MatchKind::ReportKind);
    assert_eq!(g.entry.retry, Retry::DoNotRetry);
    let g = catalog.guidance(&q(rebound::bounce::Reason::Vacation));
    assert_eq!(g.matched_by, MatchKind::ReportKind);
    assert_eq!(g.entry.retry, Retry::NotNeeded);
    // A failure without any code still says so.
    let g = catalog.guidance(&q(rebound::bounce::Reason::OnHold));
    assert_eq!(g.matched_by, MatchKind::Fallback);
    // A code decides before the kind.
    let coded = Query { status: Some(code("5.1.1")), ..q(rebound::bounce::Reason::Feedback) };
    assert_eq!(catalog.guidance(&coded).matched_by, MatchKind::ExactCode);
}

#[test]
fn a_failure_without_a_code_gets_the_entry_of_the_code_its_reason_stands_for() {
    use rebound::bounce::Reason;
    let catalog = Catalog::builtin();
    let q = |reason| Query { reason: Some(reason), ..Query::default() };
    let cases = [
        (Reason::UserUnknown, "5.1.1"),
        (Reason::HostUnknown, "5.1.2"),
        (Reason::MailboxFull, "5.2.2"),
        (Reason::Expired, "4.4.7"),
        (Reason::AuthFailure, "5.7.26"),
        (Reason::RequirePtr, "5.7.25"),
    ];
    for (reason, key) in cases {
        let g = catalog.guidance(&q(reason));
        assert_eq!((g.entry.key.as_str(), g.matched_by), (key, MatchKind::Reason), "{reason:?}");
        assert!(g.entry.provider.is_none(), "{reason:?}: a provider's meaning of {key}");
    }
    // A provider does not lend its meaning of the stand-in code: the server sent none.
    let gmail = Query { provider: Some("gmail"), ..q(Reason::AuthFailure) };
    assert!(catalog.guidance(&gmail).entry.provider.is_none());
    // Reasons too vague for one code keep the fallback.
    for reason in [Reason::OnHold, Reason::Undefined, Reason::BadReputation] {
        assert_eq!(catalog.guidance(&q(reason)).matched_by, MatchKind::Fallback, "{reason:?}");
    }
    // The server's own code, or its wording, decides before the reason.
    let coded = Query { status: Some(code("5.7.1")), ..q(Reason::UserUnknown) };
    assert_eq!(catalog.guidance(&coded).entry.key, "5.7.1");
}
