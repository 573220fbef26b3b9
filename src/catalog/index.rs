//! The lookup index: codes in hash maps, match texts in one Aho-Corasick automaton,
//! so a lookup costs a few hash probes and one scan of the diagnostic.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind as AcMatchKind};

use super::key::Key;
use super::{Entry, Guidance, MatchKind, Query};
use crate::bounce::StatusCode;

/// Provider ids: 0 is "no provider" (generic entries).
type ProviderId = u16;
const GENERIC: ProviderId = 0;

#[derive(Debug, Clone, Default)]
pub(super) struct Index {
    /// Lowercase provider names; the id is the position + 1.
    providers: Vec<String>,
    exact: HashMap<(ProviderId, StatusCode), usize>,
    ranges: Vec<(ProviderId, Key, usize)>,
    subjects: HashMap<(u8, u16), usize>,
    classes: HashMap<u8, usize>,
    replies: HashMap<u16, usize>,
    texts: Option<AhoCorasick>,
    /// For each automaton pattern: the entry and the text.
    text_entries: Vec<(usize, usize)>,
}

fn text_of(entries: &[Entry], (entry, text): (usize, usize)) -> &str {
    &entries[entry].match_texts[text]
}

impl Index {
    pub(super) fn build(entries: &[Entry], keys: &[Key]) -> Index {
        let mut index = Index::default();
        let mut patterns = Vec::new();
        for (i, (entry, key)) in entries.iter().zip(keys).enumerate() {
            let pid = match &entry.provider {
                None => GENERIC,
                Some(name) => index.provider_id_or_insert(name),
            };
            for (t, text) in entry.match_texts.iter().enumerate() {
                patterns.push(text.as_str());
                index.text_entries.push((i, t));
            }
            match *key {
                Key::Exact(code) => {
                    index.exact.insert((pid, code), i);
                }
                Key::Range { .. } => index.ranges.push((pid, *key, i)),
                // Broader keys with a provider are reachable only through match texts:
                // a provider's class entry must not shadow the generic one.
                _ if pid != GENERIC => {}
                Key::Subject { class, subject } => {
                    index.subjects.insert((class, subject), i);
                }
                Key::Class(class) => {
                    index.classes.insert(class, i);
                }
                Key::Reply(code) => {
                    index.replies.insert(code, i);
                }
            }
        }
        if !patterns.is_empty() {
            index.texts = AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(AcMatchKind::Standard)
                .build(&patterns)
                .ok();
        }
        index
    }

    fn provider_id_or_insert(&mut self, name: &str) -> ProviderId {
        if let Some(id) = self.provider_id(Some(name)) {
            return id;
        }
        self.providers.push(name.to_ascii_lowercase());
        ProviderId::try_from(self.providers.len()).unwrap_or(ProviderId::MAX)
    }

    fn provider_id(&self, name: Option<&str>) -> Option<ProviderId> {
        let name = name?;
        let pos = self.providers.iter().position(|p| p.eq_ignore_ascii_case(name))?;
        ProviderId::try_from(pos + 1).ok()
    }

    /// The best match-text hit in the diagnostic: the query's provider first, then the
    /// longest text, then an entry whose key covers the query's code.
    fn by_text<'a>(
        &self,
        entries: &'a [Entry],
        keys: &[Key],
        query: &Query<'_>,
    ) -> Option<Guidance<'a>> {
        let automaton = self.texts.as_ref()?;
        if query.diagnostic.is_empty() {
            return None;
        }
        let rank = |pattern: usize| {
            let (entry, text) = self.text_entries[pattern];
            let e = &entries[entry];
            let same_provider = match (e.provider.as_deref(), query.provider) {
                (Some(p), Some(q)) => p.eq_ignore_ascii_case(q),
                _ => false,
            };
            let len = e.match_texts[text].len();
            let code_agrees = query.status.is_some_and(|s| keys[entry].covers(s));
            // Earlier entries win the last tie, so the order is stable.
            (same_provider, len, code_agrees, std::cmp::Reverse(entry))
        };
        let best = automaton
            .find_overlapping_iter(query.diagnostic)
            .map(|m| m.pattern().as_usize())
            .max_by_key(|&p| rank(p))?;
        let (entry, _) = self.text_entries[best];
        Some(Guidance {
            entry: &entries[entry],
            matched_by: MatchKind::ProviderText,
            matched_text: Some(text_of(entries, self.text_entries[best])),
        })
    }

    fn in_range(&self, pid: ProviderId, code: StatusCode) -> Option<usize> {
        // Several ranges may overlap: the narrowest one is the most specific.
        self.ranges
            .iter()
            .filter(|(p, key, _)| *p == pid && key.covers(code))
            .min_by_key(|(_, key, _)| match key {
                Key::Range { lo, hi, .. } => hi - lo,
                _ => u16::MAX,
            })
            .map(|&(_, _, i)| i)
    }

    /// Entry index and how it was found, without the match-text step.
    fn by_code(&self, query: &Query<'_>) -> Option<(usize, MatchKind)> {
        if let (Some(code), Some(pid)) = (query.status, self.provider_id(query.provider)) {
            if let Some(&i) = self.exact.get(&(pid, code)) {
                return Some((i, MatchKind::ProviderCode));
            }
            if let Some(i) = self.in_range(pid, code) {
                return Some((i, MatchKind::ProviderCode));
            }
        }
        if let Some(code) = query.status {
            if let Some(&i) = self.exact.get(&(GENERIC, code)) {
                return Some((i, MatchKind::ExactCode));
            }
            if let Some(i) = self.in_range(GENERIC, code) {
                return Some((i, MatchKind::Range));
            }
            if let Some(&i) = self.subjects.get(&(code.class, code.subject)) {
                return Some((i, MatchKind::SubjectClass));
            }
            if let Some(&i) = self.classes.get(&code.class) {
                return Some((i, MatchKind::Class));
            }
        }
        let reply = query.reply_code?;
        if let Some(&i) = self.replies.get(&reply) {
            return Some((i, MatchKind::ReplyCode));
        }
        // An unlisted reply code still tells the class: 4xx transient, 5xx permanent.
        let class = u8::try_from(reply / 100).ok()?;
        self.classes.get(&class).map(|&i| (i, MatchKind::Class))
    }

    pub(super) fn lookup<'a>(
        &self,
        entries: &'a [Entry],
        keys: &[Key],
        query: &Query<'_>,
    ) -> Option<Guidance<'a>> {
        if let Some(found) = self.by_text(entries, keys, query) {
            return Some(found);
        }
        let (i, matched_by) = self.by_code(query)?;
        Some(Guidance { entry: &entries[i], matched_by, matched_text: None })
    }
}
