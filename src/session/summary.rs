//! Counts over a set of records: by class, subject, code, reason, hard/soft, kind,
//! recipient domain, reporting MTA and day. Every group knows the filter that shows
//! exactly its records, so choosing a group in a summary filters the list.

use std::collections::BTreeMap;
use std::collections::HashMap;

use chrono::NaiveDate;

use crate::bounce::{Kind, Reason};

use super::{Filter, Record};

/// What a group counts.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum GroupKey {
    Class(u8),
    Subject(u16),
    /// A status code (`5.1.1`) or, when there is none, a reply code (`550`).
    Code(String),
    /// Records without any code.
    NoCode,
    Reason(Reason),
    Hard(bool),
    Kind(Kind),
    Domain(String),
    ReportingMta(String),
    /// The provider that handled the failure (`gmail`, `exchange-online`).
    Provider(String),
    /// The organisation behind the MTAs when no provider is known: the registrable
    /// domain of the remote MTA, else of the reporting MTA (`example.net`).
    Organisation(String),
    Day(NaiveDate),
}

impl GroupKey {
    /// `base` narrowed to this group (the other conditions stay).
    pub fn apply(&self, base: &Filter) -> Filter {
        let mut f = base.clone();
        match self {
            GroupKey::Class(c) => f.class = Some(*c),
            GroupKey::Subject(s) => f.subject = Some(*s),
            // A bare reply code group holds the records that show it: no status code.
            GroupKey::Code(c) if c.len() == 3 && c.bytes().all(|b| b.is_ascii_digit()) => {
                f.code_prefix = Some(format!("={c}"))
            }
            GroupKey::Code(c) => f.code_prefix = Some(c.clone()),
            GroupKey::NoCode => f.code_prefix = Some("none".into()),
            GroupKey::Reason(r) => f.reason = Some(*r),
            GroupKey::Hard(h) => f.hard = Some(*h),
            GroupKey::Kind(k) => f.kind = Some(*k),
            GroupKey::Domain(d) => f.domain = Some(d.clone()),
            GroupKey::ReportingMta(m) => f.reporting_mta = Some(format!("={m}")),
            GroupKey::Provider(p) => f.provider = Some(p.clone()),
            GroupKey::Organisation(d) => f.reporting_mta = Some(d.clone()),
            GroupKey::Day(d) => f.day = Some(*d),
        }
        f
    }

    /// How the group is shown. Mail-derived names are not cleaned here: callers clean
    /// at the edge (terminal, export) like every other mail text.
    pub fn label(&self) -> String {
        match self {
            GroupKey::Class(c) => format!("{c}.x.x"),
            GroupKey::Subject(s) => format!("x.{s}.x"),
            GroupKey::Code(c) => c.clone(),
            GroupKey::NoCode => "(no code)".into(),
            GroupKey::Reason(r) => r.as_str().into(),
            GroupKey::Hard(true) => "hard".into(),
            GroupKey::Hard(false) => "soft".into(),
            GroupKey::Kind(k) => k.as_str().into(),
            GroupKey::Domain(d) | GroupKey::ReportingMta(d) | GroupKey::Organisation(d) => {
                d.clone()
            }
            GroupKey::Provider(p) => p.clone(),
            GroupKey::Day(d) => d.to_string(),
        }
    }
}

impl GroupKey {
    /// The catalog's title for a code group ("Bad destination mailbox address"), so a
    /// summary never shows bare codes.
    pub fn title(&self) -> Option<&'static str> {
        let GroupKey::Code(code) = self else { return None };
        let catalog = crate::catalog::Catalog::active();
        let entry = match code.parse::<crate::bounce::StatusCode>() {
            Ok(status) => {
                catalog.registry_code(status).or_else(|| catalog.broad(Some(status), None))
            }
            Err(_) => catalog.broad(None, code.parse().ok()),
        };
        entry.map(|(e, _)| e.title.as_str())
    }
}

/// The registrable part of a host name: `am6pr01.prod.outlook.com` -> `outlook.com`,
/// `mx.example.co.uk` -> `example.co.uk`. Addresses stay whole.
pub fn organisation_of(host: &str) -> String {
    let host = super::filter::host_of(host);
    if host.parse::<std::net::IpAddr>().is_ok() {
        return host;
    }
    let labels: Vec<&str> = host.split('.').filter(|l| !l.is_empty()).collect();
    let n = labels.len();
    // `co.uk`, `com.au`, `ne.jp`: a second-level label under a country code.
    let keep = if n >= 3
        && labels[n - 1].len() == 2
        && matches!(
            labels[n - 2],
            "co" | "com" | "net" | "org" | "ac" | "gov" | "ne" | "or" | "edu"
        ) {
        3
    } else {
        2
    };
    labels[n.saturating_sub(keep)..].join(".")
}

/// Records grouped by who refused them: the handling provider when known, else the
/// organisation behind the remote (or reporting) MTA; one group for Microsoft, not one
/// per server. `provider` gives the provider of a record (see `Session::provider_of`).
pub fn by_organisation<'a>(
    records: impl IntoIterator<Item = (&'a Record, Option<&'a str>)>,
) -> Vec<Group> {
    let mut counter = Counter::default();
    for (r, provider) in records {
        let key = match provider {
            Some(p) => GroupKey::Provider(p.to_string()),
            None => match r.remote_mta().or(r.reporting_mta()) {
                Some(h) => GroupKey::Organisation(organisation_of(h)),
                None => continue,
            },
        };
        counter.add(key);
    }
    counter.by_count()
}

/// One line of a summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub key: GroupKey,
    pub count: usize,
}

impl Group {
    pub fn label(&self) -> String {
        self.key.label()
    }
}

/// Records counted by kind, as the list's verdict column names them (hard and soft
/// bounces, delays, deliveries, complaints, auto-replies): the one count the screen's
/// top bar and the reports' headers share, so neither calls a delay a soft bounce.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct KindCounts {
    pub hard: usize,
    pub soft: usize,
    pub delay: usize,
    pub success: usize,
    pub feedback: usize,
    pub autoreply: usize,
}

impl KindCounts {
    /// The counts of every record in `records`.
    pub fn of<'a>(records: impl IntoIterator<Item = &'a Record>) -> KindCounts {
        let mut counts = KindCounts::default();
        records.into_iter().for_each(|r| counts.add(r));
        counts
    }

    pub fn add(&mut self, record: &Record) {
        match record.verdict_label() {
            "hard" => self.hard += 1,
            "soft" => self.soft += 1,
            "wait" => self.delay += 1,
            "ok" => self.success += 1,
            "fbl" => self.feedback += 1,
            _ => self.autoreply += 1,
        }
    }

    /// Every count with its word, in the order the screen shows them: `hard`, `soft`,
    /// `delay`, `ok`, `fbl`, `auto`.
    pub fn named(&self) -> [(usize, &'static str); 6] {
        [
            (self.hard, "hard"),
            (self.soft, "soft"),
            (self.delay, "delay"),
            (self.success, "ok"),
            (self.feedback, "fbl"),
            (self.autoreply, "auto"),
        ]
    }
}

/// Counts over a set of records. Groups are ordered by count, largest first (ties by
/// label), except classes and days which follow their natural order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub records: usize,
    /// Distinct reports (messages) the records come from.
    pub reports: usize,
    pub by_class: Vec<Group>,
    pub by_subject: Vec<Group>,
    pub by_code: Vec<Group>,
    pub by_reason: Vec<Group>,
    pub by_hardness: Vec<Group>,
    pub by_kind: Vec<Group>,
    pub by_domain: Vec<Group>,
    pub by_reporting_mta: Vec<Group>,
    pub by_day: Vec<Group>,
    /// The records by kind, as the screen counts them.
    pub kinds: KindCounts,
}

#[derive(Default)]
struct Counter(HashMap<GroupKey, usize>);

impl Counter {
    fn add(&mut self, key: GroupKey) {
        *self.0.entry(key).or_default() += 1;
    }

    fn by_count(self) -> Vec<Group> {
        let mut v: Vec<Group> =
            self.0.into_iter().map(|(key, count)| Group { key, count }).collect();
        v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));
        v
    }

    fn by_key(self) -> Vec<Group> {
        let sorted: BTreeMap<GroupKey, usize> = self.0.into_iter().collect();
        sorted.into_iter().map(|(key, count)| Group { key, count }).collect()
    }
}

impl Summary {
    /// Count `records`.
    pub fn of<'a>(records: impl IntoIterator<Item = &'a Record>) -> Summary {
        let (mut class, mut subject, mut code, mut reason) =
            (Counter::default(), Counter::default(), Counter::default(), Counter::default());
        let (mut hard, mut kind, mut domain, mut mta, mut day) = (
            Counter::default(),
            Counter::default(),
            Counter::default(),
            Counter::default(),
            Counter::default(),
        );
        let mut reports = std::collections::HashSet::new();
        let mut total = 0;
        let mut kinds = KindCounts::default();
        for r in records {
            total += 1;
            kinds.add(r);
            reports.insert(std::sync::Arc::as_ptr(&r.report));
            let rcpt = r.recipient();
            if let Some(c) = r.class() {
                class.add(GroupKey::Class(c));
            }
            if let Some(s) = rcpt.status {
                subject.add(GroupKey::Subject(s.subject));
            }
            code.add(r.code().map_or(GroupKey::NoCode, GroupKey::Code));
            reason.add(GroupKey::Reason(rcpt.reason));
            hard.add(GroupKey::Hard(rcpt.hard));
            kind.add(GroupKey::Kind(r.kind()));
            if let Some(d) = r.domain() {
                domain.add(GroupKey::Domain(d));
            }
            if let Some(m) = r.reporting_mta() {
                mta.add(GroupKey::ReportingMta(m.to_ascii_lowercase()));
            }
            if let Some(d) = r.day() {
                day.add(GroupKey::Day(d));
            }
        }
        Summary {
            records: total,
            reports: reports.len(),
            by_class: class.by_key(),
            by_subject: subject.by_key(),
            by_code: code.by_count(),
            by_reason: reason.by_count(),
            by_hardness: hard.by_key(),
            by_kind: kind.by_count(),
            by_domain: domain.by_count(),
            by_reporting_mta: mta.by_count(),
            by_day: day.by_key(),
            kinds,
        }
    }

    /// Hard-bounce count (records whose verdict is hard).
    pub fn hard(&self) -> usize {
        self.by_hardness.iter().find(|g| g.key == GroupKey::Hard(true)).map_or(0, |g| g.count)
    }

    /// Every section with a title, in the order reports show them.
    pub fn sections(&self) -> [(&'static str, &[Group]); 9] {
        [
            ("class", &self.by_class),
            ("subject", &self.by_subject),
            ("code", &self.by_code),
            ("reason", &self.by_reason),
            ("hard/soft", &self.by_hardness),
            ("kind", &self.by_kind),
            ("recipient domain", &self.by_domain),
            ("reporting MTA", &self.by_reporting_mta),
            ("day", &self.by_day),
        ]
    }
}
