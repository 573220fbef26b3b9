//! The lookup index: codes in hash maps, match texts in one Aho-Corasick automaton,
//! so a lookup costs a few hash probes and one scan of the diagnostic.

use std::collections::HashMap;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind as AcMatchKind};

use super::attribution::canonical;
use super::key::Key;
use super::{Entry, Guidance, MatchKind, Query};
use crate::bounce::{Reason, StatusCode};

/// Provider ids: 0 is "no provider" (generic entries).
pub(super) type ProviderId = u16;
const GENERIC: ProviderId = 0;

#[derive(Debug, Clone, Default)]
pub(super) struct Index {
    /// Lowercase provider names; the id is the position + 1.
    providers: Vec<String>,
    /// Several entries may share a code: a provider's situations told apart by text.
    exact: HashMap<(ProviderId, StatusCode), Vec<usize>>,
    ranges: Vec<(ProviderId, Key, usize)>,
    subjects: HashMap<(u8, u16), usize>,
    classes: HashMap<u8, usize>,
    replies: HashMap<u16, usize>,
    /// The generic entry of each of the engine's reasons.
    reasons: HashMap<Reason, usize>,
    /// The lowercased match texts, and their automaton, built on the first lookup that
    /// has diagnostic text (about half the cost of loading the catalog, which lookups by
    /// code alone never need).
    patterns: Vec<String>,
    texts: OnceLock<Option<AhoCorasick>>,
    /// For each automaton pattern: the entry and the text.
    text_entries: Vec<(usize, usize)>,
}

/// Which of the entries sharing a key answers when only the code is known: one without
/// match texts (written for the code alone; the last such), else the only one. Several
/// situations told apart by text say nothing by code alone, so then none answers and
/// the lookup goes on to the generic entries.
fn by_code_alone(entries: &[Entry], candidates: &[usize]) -> Option<usize> {
    if let Some(&i) = candidates.iter().rev().find(|&&i| entries[i].match_texts.is_empty()) {
        return Some(i);
    }
    match candidates {
        [only] => Some(*only),
        _ => None,
    }
}

/// True for the marker that starts every line but the last of a multi-line SMTP reply
/// (`550-5.7.1`, `421-`): it can land in the middle of a provider's sentence.
fn is_continuation_marker(token: &str) -> bool {
    let b = token.as_bytes();
    b.len() >= 4
        && b[..3].iter().all(u8::is_ascii_digit)
        && b[3] == b'-'
        && b[4..].iter().all(|&c| c.is_ascii_digit() || c == b'.')
}

/// Text as matched: ASCII-lowercased, runs of whitespace (folded lines) as one space,
/// and multi-line reply markers dropped, so a phrase still matches when the server
/// wrapped it over several reply lines. The last line's marker has a space, not a dash
/// (`550 5.7.1`); it is dropped only when it repeats the code of a dash marker seen
/// before, since a lone `550 5.7.1` may be the reply itself.
pub(super) fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut marker: Option<&str> = None;
    let mut tokens = text.split_whitespace().peekable();
    while let Some(token) = tokens.next() {
        if is_continuation_marker(token) {
            marker = Some(token);
            continue;
        }
        if let Some(m) = marker
            && is_last_line_marker(m, token, tokens.peek().copied())
        {
            if m.len() > 4 {
                tokens.next();
            }
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(token);
    }
    // Once over the bytes, not per character: this runs on every failure.
    out.make_ascii_lowercase();
    out
}

/// `550` `5.7.1` after the marker `550-5.7.1` (or `421` after `421-`).
fn is_last_line_marker(dash_marker: &str, token: &str, next: Option<&str>) -> bool {
    let (reply, enhanced) = dash_marker.split_at(3);
    let enhanced = &enhanced[1..];
    token == reply && (enhanced.is_empty() || next == Some(enhanced))
}

fn text_of(entries: &[Entry], (entry, text): (usize, usize)) -> &str {
    &entries[entry].match_texts[text]
}

impl Index {
    pub(super) fn build(entries: &[Entry], keys: &[Key]) -> Index {
        let mut index = Index::default();
        for (i, (entry, key)) in entries.iter().zip(keys).enumerate() {
            let pid = match &entry.provider {
                None => GENERIC,
                Some(name) => index.provider_id_or_insert(name),
            };
            for (t, text) in entry.match_texts.iter().enumerate() {
                index.patterns.push(normalize(text));
                index.text_entries.push((i, t));
            }
            match *key {
                Key::Exact(code) => index.exact.entry((pid, code)).or_default().push(i),
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
                // A reason's entry with match texts is one situation of that reason
                // (greylisting among blocks), found by its wording only.
                Key::Reason(reason) if entry.match_texts.is_empty() => {
                    index.reasons.insert(reason, i);
                }
                Key::Reason(_) => {}
            }
        }
        index
    }

    /// The match-text automaton, built on first use.
    pub(super) fn automaton(&self) -> Option<&AhoCorasick> {
        self.texts
            .get_or_init(|| {
                if self.patterns.is_empty() {
                    return None;
                }
                // Patterns and diagnostics are lowercased (ASCII) by us: the automaton's
                // own case folding made building it ten times slower (12 ms for 360
                // texts), and a DFA slower still.
                AhoCorasickBuilder::new()
                    .match_kind(AcMatchKind::Standard)
                    .kind(Some(AhoCorasickKind::ContiguousNFA))
                    .build(&self.patterns)
                    .ok()
            })
            .as_ref()
    }

    fn provider_id_or_insert(&mut self, name: &str) -> ProviderId {
        if let Some(id) = self.provider_id(Some(name)) {
            return id;
        }
        self.providers.push(canonical(name).to_ascii_lowercase());
        ProviderId::try_from(self.providers.len()).unwrap_or(ProviderId::MAX)
    }

    fn provider_id(&self, name: Option<&str>) -> Option<ProviderId> {
        let name = canonical(name?);
        let pos = self.providers.iter().position(|p| p.eq_ignore_ascii_case(name))?;
        ProviderId::try_from(pos + 1).ok()
    }

    /// The generic entry for one of the engine's reasons.
    pub(super) fn reason(&self, reason: Reason) -> Option<usize> {
        self.reasons.get(&reason).copied()
    }

    /// Every match text found in the diagnostic (automaton pattern ids), from one pass:
    /// the verdict asks several questions of them.
    pub(super) fn hits(&self, diagnostic: &str) -> Vec<usize> {
        if diagnostic.is_empty() {
            return Vec::new();
        }
        let Some(automaton) = self.automaton() else { return Vec::new() };
        let haystack = normalize(diagnostic);
        automaton.find_overlapping_iter(&haystack).map(|m| m.pattern().as_usize()).collect()
    }

    /// The provider id an entry is filed under (generic for none).
    fn entry_pid(&self, e: &Entry) -> Option<ProviderId> {
        match e.provider.as_deref() {
            None => Some(GENERIC),
            Some(name) => self.provider_id(Some(name)),
        }
    }

    /// Among `hits`, the best match text of the providers `wanted` accepts: an entry
    /// whose key covers the code first (or whose reply code is the reply's), then the
    /// longest text.
    pub(super) fn best_hit(
        &self,
        entries: &[Entry],
        keys: &[Key],
        hits: &[usize],
        wanted: &dyn Fn(ProviderId) -> bool,
        status: Option<StatusCode>,
        reply: Option<u16>,
    ) -> Option<(usize, usize)> {
        let rank = |pattern: usize| {
            let (entry, text) = self.text_entries[pattern];
            let agrees = match keys[entry] {
                Key::Reply(r) => reply.is_none_or(|q| q == r),
                ref key => status.is_none_or(|s| key.covers(s)),
            };
            (agrees, entries[entry].match_texts[text].len(), std::cmp::Reverse(entry))
        };
        hits.iter()
            .copied()
            .filter(|&p| self.entry_pid(&entries[self.text_entries[p].0]).is_some_and(wanted))
            .max_by_key(|&p| rank(p))
            .map(|p| self.text_entries[p])
    }

    /// The id of a provider name, for [`Index::best_hit`]'s filters.
    pub(super) fn pid(&self, provider: &str) -> Option<ProviderId> {
        self.provider_id(Some(provider))
    }

    /// True for the id of MTA software (Postfix, Exim, Sendmail...).
    pub(super) fn is_software(&self, pid: ProviderId) -> bool {
        pid != GENERIC
            && self
                .providers
                .get(usize::from(pid) - 1)
                .is_some_and(|p| super::attribution::is_mta_software(p))
    }

    /// True for the generic (no provider) id.
    pub(super) fn is_generic(pid: ProviderId) -> bool {
        pid == GENERIC
    }

    /// One provider's own entry for the code: exact, then the narrowest range.
    pub(super) fn provider_code(
        &self,
        entries: &[Entry],
        provider: &str,
        code: StatusCode,
    ) -> Option<usize> {
        let pid = self.provider_id(Some(provider))?;
        self.exact(entries, pid, code).or_else(|| self.in_range(entries, pid, code))
    }

    /// The registry's (generic) entry for the exact code, else the narrowest range.
    pub(super) fn registry_code(
        &self,
        entries: &[Entry],
        code: StatusCode,
    ) -> Option<(usize, MatchKind)> {
        if let Some(i) = self.exact(entries, GENERIC, code) {
            return Some((i, MatchKind::ExactCode));
        }
        self.in_range(entries, GENERIC, code).map(|i| (i, MatchKind::Range))
    }

    /// What is left when nothing specific fits: the code's subject class, its class,
    /// the reply code's entry, or the reply code's class.
    pub(super) fn broad(
        &self,
        status: Option<StatusCode>,
        reply: Option<u16>,
    ) -> Option<(usize, MatchKind)> {
        if let Some(code) = status {
            if let Some(&i) = self.subjects.get(&(code.class, code.subject)) {
                return Some((i, MatchKind::SubjectClass));
            }
            if let Some(&i) = self.classes.get(&code.class) {
                return Some((i, MatchKind::Class));
            }
        }
        let reply = reply?;
        if let Some(&i) = self.replies.get(&reply) {
            return Some((i, MatchKind::ReplyCode));
        }
        let class = u8::try_from(reply / 100).ok()?;
        self.classes.get(&class).map(|&i| (i, MatchKind::Class))
    }

    /// The best match-text hit in the diagnostic: the query's provider first, then the
    /// longest text, then an entry whose key covers the query's code.
    fn by_text<'a>(
        &self,
        entries: &'a [Entry],
        keys: &[Key],
        query: &Query<'_>,
    ) -> Option<(usize, Guidance<'a>)> {
        if query.diagnostic.is_empty() {
            return None;
        }
        let automaton = self.automaton()?;
        let rank = |pattern: usize| {
            let (entry, text) = self.text_entries[pattern];
            let e = &entries[entry];
            let same_provider = match (e.provider.as_deref(), query.provider) {
                (Some(p), Some(q)) => same(p, q),
                _ => false,
            };
            let len = e.match_texts[text].len();
            let code_agrees = query.status.is_some_and(|s| keys[entry].covers(s));
            // Earlier entries win the last tie, so the order is stable.
            (same_provider, len, code_agrees, std::cmp::Reverse(entry))
        };
        let haystack = normalize(query.diagnostic);
        let best = automaton
            .find_overlapping_iter(&haystack)
            .map(|m| m.pattern().as_usize())
            .max_by_key(|&p| rank(p))?;
        let (entry, _) = self.text_entries[best];
        let guidance = Guidance {
            entry: &entries[entry],
            matched_by: MatchKind::ProviderText,
            matched_text: Some(text_of(entries, self.text_entries[best])),
        };
        Some((entry, guidance))
    }

    fn in_range(&self, entries: &[Entry], pid: ProviderId, code: StatusCode) -> Option<usize> {
        // Several ranges may overlap: the narrowest one is the most specific.
        let width = |key: &Key| match key {
            Key::Range { lo, hi, .. } => hi - lo,
            _ => u16::MAX,
        };
        let covering = self.ranges.iter().filter(|(p, key, _)| *p == pid && key.covers(code));
        let narrowest = covering.clone().map(|(_, key, _)| width(key)).min()?;
        let candidates: Vec<usize> =
            covering.filter(|(_, key, _)| width(key) == narrowest).map(|&(_, _, i)| i).collect();
        by_code_alone(entries, &candidates)
    }

    fn exact(&self, entries: &[Entry], pid: ProviderId, code: StatusCode) -> Option<usize> {
        by_code_alone(entries, self.exact.get(&(pid, code))?)
    }

    /// Entry index and how it was found, without the match-text step.
    fn by_code(&self, entries: &[Entry], query: &Query<'_>) -> Option<(usize, MatchKind)> {
        if let (Some(code), Some(pid)) = (query.status, self.provider_id(query.provider)) {
            if let Some(i) = self.exact(entries, pid, code) {
                return Some((i, MatchKind::ProviderCode));
            }
            if let Some(i) = self.in_range(entries, pid, code) {
                return Some((i, MatchKind::ProviderCode));
            }
        }
        if let Some(code) = query.status {
            if let Some(i) = self.exact(entries, GENERIC, code) {
                return Some((i, MatchKind::ExactCode));
            }
            if let Some(i) = self.in_range(entries, GENERIC, code) {
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
        let by_code = self.by_code(entries, query);
        if let Some((i, found)) = self.by_text(entries, keys, query) {
            // Another provider's wording whose code contradicts the reported one does not
            // beat an entry for the code itself: generic phrases ("relay access denied",
            // RFC 5321's "Requested action not taken") are written by many servers, and
            // the issuer is often unknown. A reply-code key contradicts another reply code.
            let foreign = match (entries[i].provider.as_deref(), query.provider) {
                (Some(p), Some(q)) => !same(p, q),
                (Some(_), None) => true,
                (None, _) => false,
            };
            let contradicts = match keys[i] {
                Key::Reply(r) => query.reply_code.is_some_and(|q| q != r),
                ref key => query.status.is_some_and(|s| !key.covers(s)),
            };
            // The issuer's own entry for this exact code also beats its wording filed
            // under another code (Microsoft writes one refusal text under several codes).
            let own_exact = query
                .status
                .zip(self.provider_id(query.provider))
                .is_some_and(|(code, pid)| self.exact(entries, pid, code).is_some());
            if !(contradicts && (foreign && by_code.is_some() || own_exact)) {
                return Some(found);
            }
        }
        let (i, matched_by) = by_code?;
        Some(Guidance { entry: &entries[i], matched_by, matched_text: None })
    }
}

/// Two provider names file their entries under the same id.
fn same(a: &str, b: &str) -> bool {
    canonical(a).eq_ignore_ascii_case(canonical(b))
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn normalizing_drops_reply_markers_and_folds_whitespace() {
        let wrapped =
            "550-5.7.1 The user you are trying\r\n550-5.7.1   to contact is\n 550 5.7.1 Over";
        assert_eq!(normalize(wrapped), "the user you are trying to contact is over");
        let single = "550 5.7.1 Blocked 550 5.7.1 again";
        assert_eq!(normalize(single), "550 5.7.1 blocked 550 5.7.1 again", "no dash marker");
        let other = "550-5.7.1 Blocked, see\n550 5.7.26 DMARC";
        assert_eq!(normalize(other), "blocked, see 550 5.7.26 dmarc", "another code stays");
        assert_eq!(normalize("421- Try Later"), "try later");
        assert_eq!(
            normalize("mx-550-a.example.org 5.4.1 Relay"),
            "mx-550-a.example.org 5.4.1 relay"
        );
    }
}
