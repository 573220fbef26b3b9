//! Filters over records: by class, subject, code prefix (status or reply code),
//! reason, hard/soft, domain, kind, MTA host, provider, day, triage state and free
//! text. All set conditions must hold; `clauses` add conditions written with `!`
//! (none of) or `|` (any of).

use chrono::NaiveDate;

use crate::bounce::{Kind, Reason};
use crate::text::clean_line;

use super::Record;
use super::code::CodePrefix;
use super::incident::IncidentKey;
use super::triage::State;

/// What the user has asked to see. `Default` shows everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Status class digit: 2, 4 or 5 (the reply code's first digit when there is no
    /// status code).
    pub class: Option<u8>,
    /// Status subject digit: x.1 ... x.7.
    pub subject: Option<u16>,
    /// Code prefix such as `5.7`, `5.7.1`, `5.7.*` or a reply code prefix `55` / `550`;
    /// `none` keeps the records without any code. See [`CodePrefix`].
    pub code_prefix: Option<String>,
    pub reason: Option<Reason>,
    /// Some(true) = hard only, Some(false) = soft only.
    pub hard: Option<bool>,
    /// Recipient domain (exact, case-insensitive).
    pub domain: Option<String>,
    /// Free text, case-insensitive, over every column the list shows and the MTAs.
    pub text: Option<String>,
    /// Kind of report (bounce, delay, feedback, auto-reply...).
    pub kind: Option<Kind>,
    /// An MTA host: the reporting or the remote MTA, matched by domain suffix
    /// (`outlook.com` matches `am6pr.mail.protection.outlook.com`).
    pub reporting_mta: Option<String>,
    /// The provider that handled the failure (`gmail`, `exchange-online`), as the
    /// verdict names it (`verdict::handler`), else the provider that wrote the bounce
    /// (see `Record::provider`).
    pub provider: Option<String>,
    /// UTC day of the record's date.
    pub day: Option<NaiveDate>,
    /// Triage: only records in one of these states (`unhandled` is new + seen).
    pub states: Option<Vec<State>>,
    /// Only the records of one incident.
    pub incident: Option<IncidentKey>,
    /// Conditions written with `!` or `|`.
    pub clauses: Vec<Clause>,
}

/// `!term` (no atom may hold) or `a|b` (one atom must hold), or both: `!a|b`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    pub negate: bool,
    pub any: Vec<Atom>,
}

/// One condition, as one filter word states it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Atom {
    Class(u8),
    Subject(u16),
    Code(String),
    Reason(Reason),
    Hard(bool),
    Domain(String),
    Text(String),
    Kind(Kind),
    Mta(String),
    Provider(String),
    Day(NaiveDate),
    State(Vec<State>),
    /// The records of one incident (see `session::incident`).
    Incident(IncidentKey),
}

/// What a record offers the matcher beyond itself: values worked out once when it
/// arrived (see `Session::extend`).
#[derive(Clone, Copy)]
pub(crate) struct Facts<'a> {
    /// The recipient's lowercased domain.
    pub domain: Option<&'a str>,
    /// The lowercased search text.
    pub haystack: &'a str,
    /// The handling provider, else the bounce's writer.
    pub provider: Option<&'a str>,
    pub state: State,
    /// The record's incident, when incidents are being kept.
    pub incident: Option<&'a IncidentKey>,
}

/// An atom with its text parsed and lowercased once, so checking 100,000 records costs
/// no allocation.
enum Ready {
    Class(u8),
    Subject(u16),
    Code(CodePrefix),
    Reason(Reason),
    Hard(bool),
    Domain(String),
    Text(String),
    Kind(Kind),
    Mta(String),
    Provider(String),
    Day(NaiveDate),
    State(Vec<State>),
    Incident(IncidentKey),
}

/// A filter ready to check records: every condition as a clause of ready atoms.
pub(crate) struct Prepared {
    clauses: Vec<(bool, Vec<Ready>)>,
    needs_text: bool,
}

impl Filter {
    pub fn is_empty(&self) -> bool {
        *self == Filter::default()
    }

    /// Whether `record` passes every condition that is set.
    pub fn matches(&self, record: &Record) -> bool {
        let prepared = self.prepare();
        let haystack = if prepared.needs_text { record.search_text() } else { String::new() };
        let domain = record.domain();
        let facts = Facts {
            domain: domain.as_deref(),
            haystack: &haystack,
            provider: record.provider(),
            state: State::New,
            incident: None,
        };
        prepared.matches(record, facts)
    }

    /// The single conditions (the struct's fields) as atoms.
    pub fn atoms(&self) -> Vec<Atom> {
        let mut out = Vec::new();
        let mut put = |a: Option<Atom>| out.extend(a);
        put(self.class.map(Atom::Class));
        put(self.subject.map(Atom::Subject));
        put(self.code_prefix.clone().map(Atom::Code));
        put(self.reason.map(Atom::Reason));
        put(self.hard.map(Atom::Hard));
        put(self.domain.clone().map(Atom::Domain));
        put(self.kind.map(Atom::Kind));
        put(self.reporting_mta.clone().map(Atom::Mta));
        put(self.provider.clone().map(Atom::Provider));
        put(self.day.map(Atom::Day));
        put(self.states.clone().map(Atom::State));
        put(self.incident.clone().map(Atom::Incident));
        put(self.text.clone().map(Atom::Text));
        out
    }

    pub(crate) fn prepare(&self) -> Prepared {
        let mut clauses: Vec<(bool, Vec<Ready>)> =
            self.atoms().iter().filter_map(ready).map(|r| (false, vec![r])).collect();
        for c in &self.clauses {
            clauses.push((c.negate, c.any.iter().filter_map(ready).collect()));
        }
        let needs_text = clauses.iter().flat_map(|c| &c.1).any(|r| matches!(r, Ready::Text(_)));
        Prepared { clauses, needs_text }
    }

    /// Whether any condition needs the records' incidents.
    pub fn uses_incidents(&self) -> bool {
        self.incident.is_some()
            || self.clauses.iter().flat_map(|c| &c.any).any(|a| matches!(a, Atom::Incident(_)))
    }

    /// Whether any condition reads the triage state.
    pub fn uses_state(&self) -> bool {
        self.states.is_some()
            || self.clauses.iter().flat_map(|c| &c.any).any(|a| matches!(a, Atom::State(_)))
    }

    /// A short human description of the conditions in force, for the top bar and the
    /// report header: `class 5, code 5.7.*, reason blocked, hard, domain example.org,
    /// text "quota"`. Empty when the filter shows everything. Clean for a terminal.
    pub fn describe(&self) -> String {
        let mut parts: Vec<String> = self.atoms().iter().map(Atom::describe).collect();
        for c in &self.clauses {
            let any: Vec<String> = c.any.iter().map(Atom::describe).collect();
            let joined = any.join(" or ");
            parts.push(if c.negate { format!("not ({joined})") } else { joined });
        }
        parts.join(", ")
    }

    /// Conditions that cannot match anything, said in words: the command line's flags
    /// go through here so `--code bogus` is refused instead of giving an empty report.
    pub fn validate(&self) -> Result<(), String> {
        for atom in self.atoms().iter().chain(self.clauses.iter().flat_map(|c| &c.any)) {
            atom.validate()?;
        }
        super::query::contradiction(self).map_or(Ok(()), Err)
    }
}

impl Atom {
    /// Why this atom can never match, if it cannot.
    pub fn validate(&self) -> Result<(), String> {
        let host_like = |s: &str| {
            !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._".contains(&b))
        };
        match self {
            Atom::Class(c) if !matches!(c, 2 | 4 | 5) => {
                Err(format!("class {c}: a status class is 2, 4 or 5"))
            }
            Atom::Subject(s) if !(1..=7).contains(s) => Err(format!(
                "subject {s}: a status subject is 1 to 7 (x.1 addressing ... x.7 security or policy)"
            )),
            Atom::Code(c) => match CodePrefix::parse(c) {
                CodePrefix::Invalid(_) => Err(format!(
                    "code {:?} is not a code: use a status code prefix (5, 5.7, 5.7.1, 5.x.x), a \
                     reply code (550, 55) or none",
                    clean_line(c)
                )),
                _ => Ok(()),
            },
            Atom::Domain(d) if d.contains('@') => Err(format!(
                "domain {:?}: write the domain alone, without @ (example.org)",
                clean_line(d)
            )),
            Atom::Domain(d) | Atom::Mta(d)
                if !host_like(d.trim_start_matches('=').trim_end_matches('.')) =>
            {
                Err(format!(
                    "{:?} is not a host or domain name (letters, digits, dots and hyphens)",
                    clean_line(d)
                ))
            }
            Atom::Provider(p) if !super::query::is_provider(p) => Err(format!(
                "provider {:?} is not one we know; use one of: {}",
                clean_line(p),
                super::query::known_providers().join(", ")
            )),
            _ => Ok(()),
        }
    }

    /// How the atom reads in a description or a tag.
    pub fn describe(&self) -> String {
        match self {
            Atom::Class(c) => format!("class {c}.x.x"),
            Atom::Subject(s) => format!("subject x.{s}.x"),
            Atom::Code(p) => format!("code {}", CodePrefix::parse(p)),
            Atom::Reason(r) => format!("reason {r}"),
            Atom::Hard(true) => "hard only".into(),
            Atom::Hard(false) => "soft only".into(),
            Atom::Kind(k) => format!("kind {}", k.as_str()),
            Atom::Domain(d) => format!("domain {}", clean_line(d)),
            Atom::Mta(m) => format!("MTA *{}", clean_line(m)),
            Atom::Provider(p) => format!("provider {}", clean_line(p)),
            Atom::Day(d) => format!("day {d}"),
            Atom::State(s) => super::triage::describe_states(s),
            Atom::Incident(k) => format!("incident {} {}", clean_line(&k.org), clean_line(&k.code)),
            Atom::Text(t) => format!("text \"{}\"", clean_line(t)),
        }
    }
}

fn ready(atom: &Atom) -> Option<Ready> {
    let lower = |s: &str| Some(s.trim().to_lowercase()).filter(|s| !s.is_empty());
    Some(match atom {
        Atom::Class(c) => Ready::Class(*c),
        Atom::Subject(s) => Ready::Subject(*s),
        Atom::Code(c) => Ready::Code(CodePrefix::parse(c)),
        Atom::Reason(r) => Ready::Reason(*r),
        Atom::Hard(h) => Ready::Hard(*h),
        Atom::Domain(d) => Ready::Domain(lower(d)?),
        Atom::Text(t) => Ready::Text(lower(t)?),
        Atom::Kind(k) => Ready::Kind(*k),
        Atom::Mta(m) => Ready::Mta(lower(m.trim_end_matches('.'))?),
        Atom::Provider(p) => Ready::Provider(lower(p)?),
        Atom::Day(d) => Ready::Day(*d),
        Atom::State(s) => Ready::State(s.clone()),
        Atom::Incident(k) => Ready::Incident(k.clone()),
    })
}

/// `dns; Mx.Example.org. [192.0.2.1]` -> `mx.example.org`.
pub(crate) fn host_of(field: &str) -> String {
    let field = field.rsplit(';').next().unwrap_or(field).trim();
    let token = field.split(|c: char| c.is_whitespace() || c == '[').next().unwrap_or("");
    token.trim_end_matches('.').to_ascii_lowercase()
}

/// `host` is `suffix` or ends with `.suffix`.
pub(crate) fn has_suffix(host: &str, suffix: &str) -> bool {
    host == suffix || host.strip_suffix(suffix).is_some_and(|h| h.ends_with('.'))
}

impl Ready {
    fn holds(&self, record: &Record, facts: Facts<'_>) -> bool {
        let rcpt = record.recipient();
        match self {
            Ready::Class(c) => record.class() == Some(*c),
            Ready::Subject(s) => record.status().map(|c| c.subject) == Some(*s),
            Ready::Code(p) => p.matches(record.status(), rcpt.reply_code),
            Ready::Reason(r) => rcpt.reason == *r,
            Ready::Hard(h) => rcpt.hard == *h,
            Ready::Kind(k) => record.kind() == *k,
            Ready::Domain(d) => facts.domain == Some(d.as_str()),
            // `=host`: exactly this reporting MTA (what a summary's MTA group holds).
            Ready::Mta(m) if m.starts_with('=') => {
                record.reporting_mta().is_some_and(|r| r.eq_ignore_ascii_case(&m[1..]))
            }
            Ready::Mta(m) => [record.reporting_mta(), record.remote_mta()]
                .into_iter()
                .flatten()
                .any(|h| has_suffix(&host_of(h), m)),
            Ready::Provider(p) => facts.provider.is_some_and(|x| x.eq_ignore_ascii_case(p)),
            Ready::Day(d) => record.day() == Some(*d),
            Ready::State(s) => s.contains(&facts.state),
            Ready::Incident(k) => facts.incident == Some(k),
            Ready::Text(t) => facts.haystack.contains(t.as_str()),
        }
    }
}

impl Prepared {
    pub(crate) fn matches(&self, record: &Record, facts: Facts<'_>) -> bool {
        self.clauses.iter().all(|(negate, any)| {
            // An empty clause (text that was all spaces) asks for nothing.
            if any.is_empty() {
                return true;
            }
            any.iter().any(|a| a.holds(record, facts)) != *negate
        })
    }
}
