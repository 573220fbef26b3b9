//! Incidents: the failures grouped by who refused them (the handling provider, else
//! the organisation behind the MTAs), the code, and the diagnostic's template (see
//! [`super::template`]). 300 copies of one blocklist refusal are one incident, with
//! its count, recipients, domains, our sending IPs the replies name, first and last
//! seen, a day by day count, and the verdict and advice of `crate::verdict`.
//!
//! Grouping is incremental: records are added as they arrive, so a live watch or a
//! scan in batches costs only the new records.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::Hasher;

use chrono::NaiveDate;

use crate::bounce::{Kind, Timestamp};

use super::Record;
use super::summary::organisation_of;
use super::template::template;

/// What makes two failures the same incident.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IncidentKey {
    /// The provider id (`gmail`) or the organisation's domain (`example.net`).
    pub org: String,
    /// The status code, else the reply code, else `-`.
    pub code: String,
    pub template: String,
}

impl IncidentKey {
    /// One line, for a filter tag and a ticket title.
    pub fn label(&self) -> String {
        format!("{} {} {}", self.org, self.code, self.template)
    }
}

/// One incident.
#[derive(Debug, Clone)]
pub struct Incident {
    pub key: IncidentKey,
    /// Indices into `Session::records`, in arrival order.
    pub records: Vec<usize>,
    /// Hard verdicts among them.
    pub hard: usize,
    recipients: HashSet<u64>,
    /// Recipient domain -> records.
    pub domains: HashMap<Box<str>, usize>,
    /// IP addresses named in the replies (usually our sending IPs), with counts.
    pub ips: BTreeMap<String, usize>,
    pub first: Option<Timestamp>,
    pub last: Option<Timestamp>,
    /// Records per UTC day.
    pub days: BTreeMap<NaiveDate, usize>,
    /// Records that arrived while watching.
    pub live: usize,
}

impl Incident {
    fn new(key: IncidentKey) -> Incident {
        Incident {
            key,
            records: Vec::new(),
            hard: 0,
            recipients: HashSet::new(),
            domains: HashMap::new(),
            ips: BTreeMap::new(),
            first: None,
            last: None,
            days: BTreeMap::new(),
            live: 0,
        }
    }

    pub fn count(&self) -> usize {
        self.records.len()
    }

    /// Distinct recipient addresses.
    pub fn recipients(&self) -> usize {
        self.recipients.len()
    }

    /// The first record: its reply is the sample shown and its verdict the advice.
    pub fn sample(&self) -> Option<usize> {
        self.records.first().copied()
    }

    /// Domains by count, largest first.
    pub fn top_domains(&self, n: usize) -> Vec<(&str, usize)> {
        let mut v: Vec<(&str, usize)> = self.domains.iter().map(|(d, c)| (&**d, *c)).collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        v.truncate(n);
        v
    }

    /// Records per day from the first day to the last, empty days included, squeezed
    /// into at most `width` buckets.
    pub fn day_counts(&self, width: usize) -> Vec<usize> {
        let (Some(first), Some(last)) = (self.days.keys().next(), self.days.keys().next_back())
        else {
            return Vec::new();
        };
        let span = (*last - *first).num_days().max(0) as usize + 1;
        let buckets = span.min(width.max(1));
        let mut out = vec![0; buckets];
        for (day, n) in &self.days {
            let i = (*day - *first).num_days().max(0) as usize * buckets / span;
            out[i.min(buckets - 1)] += n;
        }
        out
    }

    fn add(&mut self, i: usize, record: &Record, ips: Vec<String>, live: bool) {
        self.records.push(i);
        let rcpt = record.recipient();
        self.hard += usize::from(rcpt.hard);
        self.live += usize::from(live);
        self.recipients.insert(hash_lower(&rcpt.recipient));
        if let Some(d) = rcpt.domain() {
            match self.domains.get_mut(d.as_str()) {
                Some(n) => *n += 1,
                None => {
                    self.domains.insert(d.into_boxed_str(), 1);
                }
            }
        }
        for ip in ips {
            *self.ips.entry(ip).or_default() += 1;
        }
        if let Some(date) = record.date() {
            self.first = Some(self.first.map_or(date, |f| f.min(date)));
            self.last = Some(self.last.map_or(date, |l| l.max(date)));
            *self.days.entry(date.naive_utc().date()).or_default() += 1;
        }
    }
}

/// A fixed-key hash of the lowercased text: the set of recipients only counts
/// distinct addresses, so the 64-bit hash stands in for the string (a collision would
/// undercount by one).
fn hash_lower(s: &str) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    for b in s.bytes() {
        h.write_u8(b.to_ascii_lowercase());
    }
    h.finish()
}

/// Every incident of a session, kept up to date as records arrive.
#[derive(Debug, Default)]
pub struct Incidents {
    list: Vec<Incident>,
    by_key: HashMap<(u32, u32, u32), usize>,
    /// Each record's incident (`None` for what is not a failure).
    of_record: Vec<Option<u32>>,
    /// Organisations, codes and templates as numbers: a key of three numbers is
    /// hashed and compared without touching the strings again.
    orgs: Interned,
    code_names: Interned,
    templates: Interned,
    /// (status, reply) -> code number, so the code's text is made once per code.
    codes: HashMap<(Option<crate::bounce::StatusCode>, Option<u16>), u32>,
}

/// Strings by number and numbers by string.
type Interned = (HashMap<Box<str>, u32>, Vec<Box<str>>);

fn intern(table: &mut Interned, s: &str) -> u32 {
    if let Some(&n) = table.0.get(s) {
        return n;
    }
    let n = table.1.len() as u32;
    table.1.push(s.into());
    table.0.insert(s.into(), n);
    n
}

impl Incidents {
    /// Group records `self.len()..records.len()` (the ones not seen yet).
    /// `provider(i)` names record i's handling provider; `live(i)` says it arrived while
    /// watching.
    pub fn catch_up<'a>(
        &mut self,
        records: &[Record],
        provider: impl Fn(usize) -> Option<&'a str>,
        live: impl Fn(usize) -> bool,
    ) {
        let start = self.of_record.len();
        for (i, record) in records.iter().enumerate().skip(start) {
            if !matches!(record.kind(), Kind::Bounce | Kind::Delay) {
                self.of_record.push(None);
                continue;
            }
            let rcpt = record.recipient();
            let org = match provider(i) {
                Some(p) => intern(&mut self.orgs, p),
                None => {
                    let name = match record.remote_mta().or(record.reporting_mta()) {
                        Some(h) => organisation_of(h),
                        None => rcpt.domain().unwrap_or_else(|| "-".into()),
                    };
                    intern(&mut self.orgs, &name)
                }
            };
            let code = match self.codes.get(&(rcpt.status, rcpt.reply_code)) {
                Some(&c) => c,
                None => {
                    let text = record.code().unwrap_or_else(|| "-".into());
                    let c = intern(&mut self.code_names, &text);
                    self.codes.insert((rcpt.status, rcpt.reply_code), c);
                    c
                }
            };
            let (tpl, ips) = template(&rcpt.diagnostic);
            let tpl = intern(&mut self.templates, &tpl);
            let n = match self.by_key.get(&(org, code, tpl)) {
                Some(&n) => n,
                None => {
                    let key = IncidentKey {
                        org: self.orgs.1[org as usize].to_string(),
                        code: self.code_names.1[code as usize].to_string(),
                        template: self.templates.1[tpl as usize].to_string(),
                    };
                    self.list.push(Incident::new(key));
                    self.by_key.insert((org, code, tpl), self.list.len() - 1);
                    self.list.len() - 1
                }
            };
            // The remote MTA's own address is not ours: leave it out.
            let remote = record.remote_mta().unwrap_or("");
            let ips = ips.into_iter().filter(|ip| !remote.contains(ip.as_str())).collect();
            self.list[n].add(i, record, ips, live(i));
            self.of_record.push(Some(n as u32));
        }
    }

    /// Records grouped so far.
    pub fn len(&self) -> usize {
        self.of_record.len()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    pub fn all(&self) -> &[Incident] {
        &self.list
    }

    pub fn get(&self, n: usize) -> Option<&Incident> {
        self.list.get(n)
    }

    /// The incident of record `i`.
    pub fn of(&self, i: usize) -> Option<&Incident> {
        self.of_record.get(i).copied().flatten().and_then(|n| self.list.get(n as usize))
    }

    /// Incident numbers, largest first (ties: latest seen first).
    pub fn ranked(&self) -> Vec<usize> {
        let mut v: Vec<usize> = (0..self.list.len()).collect();
        v.sort_by(|&a, &b| {
            let (x, y) = (&self.list[a], &self.list[b]);
            y.count().cmp(&x.count()).then(y.last.cmp(&x.last)).then(x.key.cmp(&y.key))
        });
        v
    }
}
