//! The filter language, shared by the screen's `f` prompt and the command line: a few
//! words, each one condition.
//!
//! `5` class, `x.7` subject, `5.7` / `5.7.1` / `550` code prefix (status or reply
//! code), `hard`/`soft`, a reason name, a kind (`delay`), `@example.com` domain,
//! `mta:outlook.com` reporting or remote host by domain suffix, `provider:gmail`,
//! `day:2026-11-03`, `new` `seen` `handled` `ticketed` `unhandled`, `text:words`.
//! `!word` keeps the records the word does not match; `a|b` those either matches.
//! Two words that cannot both hold (`hard soft`) are refused with a reason instead of
//! silently keeping the last one.

use crate::bounce::{Kind, Reason};
use crate::text::clean_line;

use super::code::CodePrefix;
use super::filter::{Atom, Clause, Filter};
use super::triage::State;

/// True for a provider id a record can carry (see `catalog::providers::known`).
pub fn is_provider(p: &str) -> bool {
    known_providers().iter().any(|k| k.eq_ignore_ascii_case(p))
}

/// The provider ids `provider:` accepts.
pub fn known_providers() -> Vec<String> {
    crate::catalog::providers::known(crate::catalog::Catalog::active())
}

/// The result of a filter line: the new filter, and notes worth showing (a condition
/// that replaced an earlier one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    pub filter: Filter,
    pub notes: Vec<String>,
}

const SYNTAX: &str = "use 5, x.7, 5.7.1, 550, hard, soft, a reason (userunknown...), \
    a kind (delay...), @domain, mta:host, provider:gmail, day:YYYY-MM-DD, new, unhandled, \
    handled, text:words; !word negates, a|b matches either";

/// Apply the words typed at the filter prompt on top of `current`. An empty input or
/// `clear` removes every filter.
pub fn parse(input: &str, current: &Filter) -> Result<Parsed, String> {
    let input = input.trim();
    if input.is_empty() || input.eq_ignore_ascii_case("clear") {
        return Ok(Parsed { filter: Filter::default(), notes: Vec::new() });
    }
    let mut f = current.clone();
    let mut notes = Vec::new();
    // The fields this line set, so a second word for the same field is a contradiction
    // and not a silent replacement.
    let mut set_here: Vec<(std::mem::Discriminant<Atom>, String)> = Vec::new();
    let mut rest = input;
    while let Some((word, after)) = next_word(rest) {
        rest = after;
        let (negate, body) = match word.strip_prefix('!') {
            Some(b) => (true, b),
            None => (false, word),
        };
        let mut body = body.to_string();
        // `text:` takes the rest of the line, spaces and all.
        if body.to_ascii_lowercase().starts_with("text:") && !rest.trim().is_empty() {
            body = format!("{body} {}", rest.trim());
            rest = "";
        }
        let alternatives: Vec<&str> = if body.to_ascii_lowercase().starts_with("text:") {
            vec![body.as_str()]
        } else {
            body.split('|').collect()
        };
        let mut atoms = Vec::new();
        for alt in alternatives {
            let atom = atom(alt)?;
            atom.validate().map_err(|e| format!("filter: {e}"))?;
            atoms.push(atom);
        }
        if negate || atoms.len() > 1 {
            f.clauses.push(Clause { negate, any: atoms });
            continue;
        }
        let Some(atom) = atoms.pop() else { continue };
        let key = std::mem::discriminant(&atom);
        if let Some((_, earlier)) = set_here.iter().find(|(k, _)| *k == key) {
            return Err(format!(
                "filter: {word:?} contradicts {earlier:?}: no record is both; write \
                 {earlier}|{word} for either",
                word = clean_line(word),
                earlier = clean_line(earlier),
            ));
        }
        set_here.push((key, word.to_string()));
        if let Some(old) = set(&mut f, atom.clone()) {
            notes.push(format!("{} replaces {}", atom.describe(), old.describe()));
        }
    }
    if let Some(why) = contradiction(&f) {
        return Err(format!("filter: {why}"));
    }
    Ok(Parsed { filter: f, notes })
}

/// The next word, and what follows it.
fn next_word(s: &str) -> Option<(&str, &str)> {
    let s = s.trim_start();
    if s.is_empty() {
        return None;
    }
    let end = s.find(char::is_whitespace).unwrap_or(s.len());
    Some((&s[..end], &s[end..]))
}

/// Put a single condition into its field; the condition it replaced, if any differed.
fn set(f: &mut Filter, atom: Atom) -> Option<Atom> {
    let old =
        f.atoms().into_iter().find(|a| std::mem::discriminant(a) == std::mem::discriminant(&atom));
    match atom.clone() {
        Atom::Class(c) => f.class = Some(c),
        Atom::Subject(s) => f.subject = Some(s),
        Atom::Code(c) => f.code_prefix = Some(c),
        Atom::Reason(r) => f.reason = Some(r),
        Atom::Hard(h) => f.hard = Some(h),
        Atom::Domain(d) => f.domain = Some(d),
        Atom::Text(t) => f.text = Some(t),
        Atom::Kind(k) => f.kind = Some(k),
        Atom::Mta(m) => f.reporting_mta = Some(m),
        Atom::Provider(p) => f.provider = Some(p),
        Atom::Day(d) => f.day = Some(d),
        Atom::State(s) => f.states = Some(s),
        Atom::Incident(k) => f.incident = Some(k),
    }
    old.filter(|o| *o != atom)
}

/// One word as a condition.
pub fn atom(word: &str) -> Result<Atom, String> {
    let lower = word.to_ascii_lowercase();
    let nothing = || format!("filter: {:?} is not understood; {SYNTAX}", clean_line(word));
    if let Some(text) = lower.strip_prefix("text:") {
        // The words keep their case in the description; matching lowercases them.
        let start = word.len() - text.len();
        return Ok(Atom::Text(word[start..].trim().to_string()));
    }
    if let Some(domain) = lower.strip_prefix('@').or(lower.strip_prefix("domain:")) {
        if domain.is_empty() {
            return Err(nothing());
        }
        return Ok(Atom::Domain(domain.to_string()));
    }
    if let Some(mta) = lower.strip_prefix("mta:") {
        return Ok(Atom::Mta(mta.to_string()));
    }
    if let Some(p) = lower.strip_prefix("provider:") {
        return Ok(Atom::Provider(p.to_string()));
    }
    if let Some(day) = lower.strip_prefix("day:") {
        return day
            .parse()
            .map(Atom::Day)
            .map_err(|_| format!("filter: day wants YYYY-MM-DD, not {:?}", clean_line(day)));
    }
    if let Some(states) = parse_states(&lower) {
        return Ok(Atom::State(states));
    }
    if let Some(kind) = parse_kind(&lower) {
        return Ok(Atom::Kind(kind));
    }
    if lower == "hard" || lower == "soft" {
        return Ok(Atom::Hard(lower == "hard"));
    }
    if let Ok(reason) = lower.parse::<Reason>() {
        return Ok(Atom::Reason(reason));
    }
    if let Some(class) = parse_class(&lower) {
        return Ok(Atom::Class(class));
    }
    if let Some(subject) = parse_subject(&lower) {
        return Ok(Atom::Subject(subject));
    }
    if lower.starts_with("x.") {
        return Err(format!(
            "filter: {:?}: a status subject is x.1 to x.7 (x.7 security or policy)",
            clean_line(word)
        ));
    }
    if !matches!(CodePrefix::parse(&lower), CodePrefix::Invalid(_)) {
        return Ok(Atom::Code(lower));
    }
    Err(nothing())
}

/// Two conditions of `f` that no record can meet together, said in words.
pub fn contradiction(f: &Filter) -> Option<String> {
    let code = f.code_prefix.as_deref().map(CodePrefix::parse);
    if let (Some(class), Some(CodePrefix::Enhanced(parts))) = (f.class, &code)
        && parts[0] != u16::from(class)
    {
        return Some(format!("code {} contradicts class {class}.x.x", code_text(f)));
    }
    if let (Some(class), Some(CodePrefix::Reply(digits))) = (f.class, &code)
        && !digits.starts_with(char::from(b'0' + class))
    {
        return Some(format!("reply code {digits} contradicts class {class}.x.x"));
    }
    if let (Some(subject), Some(CodePrefix::Enhanced(parts))) = (f.subject, &code)
        && parts.len() >= 2
        && parts[1] != subject
    {
        return Some(format!("code {} contradicts subject x.{subject}.x", code_text(f)));
    }
    if let (Some(true), Some(kind)) = (f.hard, f.kind)
        && kind != Kind::Bounce
    {
        return Some(format!("hard contradicts kind {}: only a bounce is hard", kind.as_str()));
    }
    // `hard !hard`: a clause that rules out a condition set as a field.
    let fields = f.atoms();
    for c in f.clauses.iter().filter(|c| c.negate) {
        if let Some(a) = c.any.iter().find(|a| fields.contains(a)) {
            return Some(format!("not ({}) contradicts {}", a.describe(), a.describe()));
        }
    }
    None
}

fn code_text(f: &Filter) -> String {
    f.code_prefix.as_deref().map(|c| clean_line(c).into_owned()).unwrap_or_default()
}

/// `5`, `5xx`, `5.x.x`.
fn parse_class(w: &str) -> Option<u8> {
    let digit = match w {
        "2" | "2xx" | "2.x.x" => 2,
        "4" | "4xx" | "4.x.x" => 4,
        "5" | "5xx" | "5.x.x" => 5,
        _ => return None,
    };
    Some(digit)
}

/// `x.7` or `x.7.x`.
fn parse_subject(w: &str) -> Option<u16> {
    let rest = w.strip_prefix("x.")?;
    let digits = rest.strip_suffix(".x").unwrap_or(rest);
    let n: u16 = digits.parse().ok()?;
    (1..=7).contains(&n).then_some(n)
}

fn parse_kind(w: &str) -> Option<Kind> {
    Some(match w {
        "bounce" | "bounces" => Kind::Bounce,
        "delay" | "delayed" => Kind::Delay,
        "success" | "delivered" => Kind::Success,
        "feedback" | "arf" => Kind::Feedback,
        "autoreply" | "auto-reply" => Kind::AutoReply,
        "challenge" | "conf" => Kind::Challenge,
        _ => return None,
    })
}

fn parse_states(w: &str) -> Option<Vec<State>> {
    Some(match w {
        "new" => vec![State::New],
        "seen" => vec![State::Seen],
        "handled" => vec![State::Handled],
        "ticketed" => vec![State::Ticketed],
        "unhandled" | "open" => vec![State::New, State::Seen],
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Result<Filter, String> {
        parse(s, &Filter::default()).map(|p| p.filter)
    }

    #[test]
    fn words_set_the_matching_fields() {
        let f = p("5 x.7 hard @Example.org").unwrap();
        assert_eq!(f.class, Some(5));
        assert_eq!(f.subject, Some(7));
        assert_eq!(f.hard, Some(true));
        assert_eq!(f.domain.as_deref(), Some("example.org"));
        let f = parse("5.7.1 userunknown", &f).unwrap().filter;
        assert_eq!(f.code_prefix.as_deref(), Some("5.7.1"));
        assert_eq!(f.reason, Some(Reason::UserUnknown));
        assert_eq!(f.class, Some(5), "earlier filters stay");
        assert!(parse("clear", &f).unwrap().filter.is_empty());
    }

    #[test]
    fn unknown_words_are_refused_with_the_syntax() {
        let err = p("banana").unwrap_err();
        assert!(err.contains("banana") && err.contains("x.7"), "{err}");
        assert!(p("x.9").unwrap_err().contains("x.1 to x.7"));
        assert!(p("provider:nobody").unwrap_err().contains("gmail"));
        assert!(p("mta:bad/host").is_err());
    }

    #[test]
    fn free_text_takes_the_rest_of_the_line() {
        let f = p("soft text:quota exceeded").unwrap();
        assert_eq!(f.text.as_deref(), Some("quota exceeded"));
        assert_eq!(f.hard, Some(false));
    }

    #[test]
    fn contradictions_are_said() {
        let err = p("hard soft").unwrap_err();
        assert!(err.contains("contradicts") && err.contains("hard|soft"), "{err}");
        assert!(p("4 5.7.1").unwrap_err().contains("contradicts class 4"));
        assert!(p("x.1 5.7.1").unwrap_err().contains("subject"));
        assert!(p("delay hard").unwrap_err().contains("only a bounce"));
        assert!(p("hard !hard").unwrap_err().contains("contradicts"));
        // From an earlier prompt, a new value replaces the old one and says so.
        let soft = p("soft").unwrap();
        let again = parse("hard", &soft).unwrap();
        assert_eq!(again.filter.hard, Some(true));
        assert_eq!(again.notes, ["hard only replaces soft only"]);
    }

    #[test]
    fn negation_and_alternatives_become_clauses() {
        let f = p("!hard 5.1.1|5.7.1 provider:gmail|provider:yahoo").unwrap();
        assert_eq!(f.hard, None);
        assert_eq!(f.clauses.len(), 3);
        assert!(f.clauses[0].negate);
        assert_eq!(f.clauses[1].any, [Atom::Code("5.1.1".into()), Atom::Code("5.7.1".into())]);
        assert!(f.describe().contains("not (hard only)"), "{}", f.describe());
    }
}
