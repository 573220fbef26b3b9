//! The one-line prompts: `/` search (jump with n/N, the list stays whole) and `f`
//! filter (narrow the list). The filter language is a few words:
//! `5` class, `x.7` subject, `5.7` or `5.7.1` code prefix, `hard`/`soft`, a reason
//! name, `@example.com` a domain, `text:words` free text.

use crate::bounce::{Kind, Reason};
use crate::session::{CodePrefix, Filter};

use super::app::{App, Overlay, PromptKind};
use super::nav::{refresh_keeping_selection, select};
use super::update::set_status;

/// Type one character, or erase one with `None`.
pub fn input(app: &mut App, c: Option<char>) {
    let Some(Overlay::Prompt(prompt)) = &mut app.overlay else { return };
    match c {
        // Pasted or typed text is one line of printable characters.
        Some(c) if !crate::text::is_unsafe(c) => prompt.input.push(c),
        Some(_) => {}
        None => {
            prompt.input.pop();
        }
    }
}

pub fn submit(app: &mut App) {
    let Some(Overlay::Prompt(prompt)) = app.overlay.take() else { return };
    let input = prompt.input.trim().to_string();
    match prompt.kind {
        PromptKind::Search if input.is_empty() => app.search = None,
        PromptKind::Search => {
            let search = app.session.search(&input);
            let hit = search
                .hits
                .iter()
                .copied()
                .find(|&p| p >= app.selected)
                .or(search.hits.first().copied());
            app.search = Some(search);
            jump(app, hit);
        }
        PromptKind::Export if input.is_empty() => set_status(app, "export cancelled", false),
        PromptKind::Export => match super::export::check_name(&input) {
            Ok(path) => app.effects.push(super::app::Effect::Export { path, overwrite: false }),
            Err(message) => set_status(app, &message, true),
        },
        // Enter without `y`: the answer is no.
        PromptKind::Overwrite => {
            app.pending_export = None;
            set_status(app, "export cancelled: the file was left as it was", false);
        }
        PromptKind::Filter => match parse_filter(&input, &app.session.filter) {
            Ok(filter) => {
                app.session.filter = filter;
                refresh_keeping_selection(app);
                let shown = app.session.visible().len();
                set_status(app, &format!("{shown} shown"), false);
            }
            Err(message) => set_status(app, &message, true),
        },
    }
}

/// n / N: the next or previous row matching the search, wrapping around.
pub fn search_step(app: &mut App, forward: bool) {
    let Some(search) = &app.search else {
        set_status(app, "no search yet: press / to search", true);
        return;
    };
    let hit = if forward { search.next_from(app.selected) } else { search.prev_from(app.selected) };
    jump(app, hit);
}

fn jump(app: &mut App, hit: Option<usize>) {
    let Some(search) = &app.search else { return };
    let query = crate::text::clean_line(&search.query).into_owned();
    match hit {
        Some(pos) => {
            select(app, pos);
            if let Some((n, total)) = app.search.as_ref().and_then(|s| s.rank(pos)) {
                set_status(
                    app,
                    &format!("/{query}: match {n} of {total} (n next, N previous)"),
                    false,
                );
            }
        }
        None => set_status(app, &format!("/{query}: no match"), true),
    }
}

/// Apply the words typed at the filter prompt on top of the current filter.
/// An empty input or `clear` removes every filter.
pub fn parse_filter(input: &str, current: &Filter) -> Result<Filter, String> {
    let mut f = current.clone();
    if input.is_empty() || input.eq_ignore_ascii_case("clear") {
        return Ok(Filter::default());
    }
    let mut words = input.split_whitespace().peekable();
    while let Some(word) = words.next() {
        let lower = word.to_ascii_lowercase();
        if let Some(text) = lower.strip_prefix("text:") {
            let rest: Vec<&str> = words.by_ref().collect();
            let mut all = text.to_string();
            for w in rest {
                all.push(' ');
                all.push_str(w);
            }
            f.text = (!all.is_empty()).then_some(all);
        } else if let Some(domain) = lower.strip_prefix('@').or(lower.strip_prefix("domain:")) {
            f.domain = Some(domain.to_string());
        } else if let Some(mta) = lower.strip_prefix("mta:") {
            f.reporting_mta = Some(mta.to_string());
        } else if let Some(day) = lower.strip_prefix("day:") {
            let day =
                day.parse().map_err(|_| format!("filter: day wants YYYY-MM-DD, not {day:?}"))?;
            f.day = Some(day);
        } else if let Some(kind) = parse_kind(&lower) {
            f.kind = Some(kind);
        } else if lower == "hard" || lower == "soft" {
            f.hard = Some(lower == "hard");
        } else if let Ok(reason) = lower.parse::<Reason>() {
            f.reason = Some(reason);
        } else if let Some(class) = parse_class(&lower) {
            f.class = Some(class);
        } else if let Some(subject) = parse_subject(&lower) {
            f.subject = Some(subject);
        } else if !matches!(CodePrefix::parse(&lower), CodePrefix::Invalid(_)) {
            f.code_prefix = Some(lower);
        } else {
            return Err(format!(
                "filter: {word:?} is not understood; use 5, x.7, 5.7.1, hard, soft, a reason \
                 (userunknown...), @domain, mta:host, day:YYYY-MM-DD, a kind (delay...) or text:words"
            ));
        }
    }
    Ok(f)
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
        "challenge" | "confirm" => Kind::Challenge,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_set_the_matching_fields() {
        let f = parse_filter("5 x.7 hard @Example.org", &Filter::default()).unwrap();
        assert_eq!(f.class, Some(5));
        assert_eq!(f.subject, Some(7));
        assert_eq!(f.hard, Some(true));
        assert_eq!(f.domain.as_deref(), Some("example.org"));
        let f = parse_filter("5.7.1 userunknown", &f).unwrap();
        assert_eq!(f.code_prefix.as_deref(), Some("5.7.1"));
        assert_eq!(f.reason, Some(Reason::UserUnknown));
        assert_eq!(f.class, Some(5), "earlier filters stay");
        assert!(parse_filter("clear", &f).unwrap().is_empty());
    }

    #[test]
    fn unknown_words_are_refused_with_the_syntax() {
        let err = parse_filter("banana", &Filter::default()).unwrap_err();
        assert!(err.contains("banana") && err.contains("x.7"), "{err}");
        assert!(parse_filter("x.9", &Filter::default()).is_err());
    }

    #[test]
    fn free_text_takes_the_rest_of_the_line() {
        let f = parse_filter("soft text:quota exceeded", &Filter::default()).unwrap();
        assert_eq!(f.text.as_deref(), Some("quota exceeded"));
        assert_eq!(f.hard, Some(false));
    }
}
