//! The suppression list on real bounces from `tests/corpus`: the same soft bounce
//! received several times (only its Date header changed), against the window.

use std::sync::Arc;

use super::*;
use crate::bounce::analyze;
use crate::source::Origin;

/// Outlook.com: `550 5.2.2 <kijitora@example.jp>... Mailbox Full`, soft.
const FULL: &str = "bsd/lhost-outlook-01.eml";
/// The same mailbox full notice's Date header, which [`with_date`] replaces.
const FULL_DATE: &str = "Date: Fri, 21 Nov 2014 14:17:35 -0800";
const FULL_ADDRESS: &str = "kijitora@example.jp";

fn corpus(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/corpus/maildir/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Every recipient of one analysed message, as the session holds them.
fn records_of(raw: &[u8], n: usize) -> Vec<Record> {
    let report = Arc::new(analyze(raw).expect("a report"));
    let origin = Arc::new(Origin::File { path: format!("m{n}").into(), message: 1 });
    (0..report.recipients.len())
        .map(|index| Record { origin: origin.clone(), report: report.clone(), index })
        .collect()
}

/// The mailbox full bounce, received on `date` (RFC 5322, e.g. `Mon, 1 Dec 2014
/// 10:00:00 +0000`) about a message with its own Message-ID.
fn full_on(date: &str, n: usize) -> Vec<Record> {
    let text = String::from_utf8(corpus(FULL)).expect("ASCII");
    assert!(text.contains(FULL_DATE), "the corpus file changed");
    let text = text
        .replacen(FULL_DATE, &format!("Date: {date}"), 1)
        .replace("Message-ID: <", &format!("Message-ID: <{n}."));
    records_of(text.as_bytes(), n)
}

/// Soft failures on these days of December 2014 (at 10:00 UTC).
fn full_on_days(days: &[u32]) -> Vec<Record> {
    days.iter()
        .enumerate()
        .flat_map(|(n, d)| full_on(&format!("{d} Dec 2014 10:00:00 +0000"), n))
        .collect()
}

fn policy(soft_failures: u32, soft_days: u32) -> Policy {
    Policy { soft_failures, soft_days }
}

#[test]
fn the_corpus_bounce_is_a_dated_soft_failure_of_one_address() {
    let records = full_on("3 Dec 2014 10:00:00 +0000", 0);
    assert_eq!(records.len(), 1);
    let r = &records[0];
    assert_eq!(r.recipient().recipient.to_lowercase(), FULL_ADDRESS);
    assert!(!r.recipient().hard, "mailbox full is soft");
    assert!(is_soft_failure(r), "{:?} {:?}", r.kind(), r.recipient().reason);
    let when = r.date().expect("dated").to_rfc3339();
    assert_eq!(when, "2014-12-03T10:00:00+00:00");
}

#[test]
fn off_lists_only_hard_addresses_as_before() {
    let records = full_on_days(&[1, 2, 3, 4, 5]);
    assert!(list(&records, &Policy::OFF).is_empty());
    assert!(list(&records, &Policy::default()).is_empty());
}

#[test]
fn exactly_n_failures_within_the_window_suppress() {
    // 3 failures, the first and the last exactly 10 days apart: inside a 10-day window.
    let records = full_on_days(&[1, 6, 11]);
    assert_eq!(list(&records, &policy(3, 10)), [FULL_ADDRESS]);
    // One fewer than asked for does not.
    assert!(list(&records, &policy(4, 10)).is_empty());
    // The same three, a window one day too short.
    assert!(list(&records, &policy(3, 9)).is_empty());
}

#[test]
fn n_failures_spread_wider_than_the_window_do_not_suppress() {
    // Five failures a week apart: never three within 10 days.
    let records = full_on_days(&[1, 8, 15, 22, 29]);
    assert!(list(&records, &policy(3, 10)).is_empty());
    // Any two are within 10 days, and all five within 28.
    assert_eq!(list(&records, &policy(2, 10)), [FULL_ADDRESS]);
    assert_eq!(list(&records, &policy(5, 28)), [FULL_ADDRESS]);
}

#[test]
fn the_window_slides_over_the_dates_in_any_order() {
    // Arrival order is not date order; the last three fall within 4 days.
    let records = full_on_days(&[20, 1, 22, 10, 21]);
    assert_eq!(list(&records, &policy(3, 4)), [FULL_ADDRESS]);
    assert!(list(&records, &policy(4, 11)).is_empty());
    assert_eq!(list(&records, &policy(4, 12)), [FULL_ADDRESS]);
}

#[test]
fn dateless_failures_do_not_count() {
    let mut records = full_on_days(&[1, 2]);
    for n in 10..13 {
        let mut report = (*full_on("5 Dec 2014 10:00:00 +0000", n)[0].report).clone();
        report.date = None;
        report.arrival_date = None;
        report.original.date = None;
        report.recipients.iter_mut().for_each(|r| r.last_attempt = None);
        let record =
            Record { origin: records[0].origin.clone(), report: Arc::new(report), index: 0 };
        assert_eq!(record.date(), None);
        records.push(record);
    }
    assert!(list(&records, &policy(3, 30)).is_empty(), "two dated, three without a date");
    assert_eq!(list(&records, &policy(2, 30)), [FULL_ADDRESS]);
}

#[test]
fn two_copies_of_one_bounce_count_once() {
    // The same notice in two folders: same time, same original Message-ID.
    let mut records = full_on("1 Dec 2014 10:00:00 +0000", 7);
    records.extend(full_on("1 Dec 2014 10:00:00 +0000", 7));
    assert!(list(&records, &policy(2, 30)).is_empty());
    // Two messages bounced in the same second are two failures.
    records.extend(full_on("1 Dec 2014 10:00:00 +0000", 8));
    assert_eq!(list(&records, &policy(2, 30)), [FULL_ADDRESS]);
}

/// Copies of a corpus file received on these days of a month (`Mon YYYY`), only its
/// first Date header (`date`) changed.
fn copies(file: &str, date: &str, month: &str, days: &[u32]) -> Vec<Record> {
    let raw = String::from_utf8(corpus(file)).expect("ASCII");
    assert!(raw.contains(date), "{file} changed");
    let mut records = Vec::new();
    for &day in days {
        let text = raw.replacen(date, &format!("Date: {day} {month} 10:00:00 +0000"), 1);
        records.extend(records_of(text.as_bytes(), day as usize));
    }
    records
}

#[test]
fn hard_addresses_stay_whatever_the_policy() {
    // Activehunter: `550 5.1.1 ... User unknown`, once; with the soft failures.
    let mut records = records_of(&corpus("bsd/lhost-activehunter-01.eml"), 0);
    assert!(records[0].recipient().hard, "user unknown is hard");
    let hard = records[0].recipient().recipient.to_lowercase();
    records.extend(full_on_days(&[1, 2, 3]));
    assert_eq!(list(&records, &Policy::OFF), std::slice::from_ref(&hard));
    assert_eq!(list(&records, &Policy::OFF), crate::report::document::suppression_of(&records));
    assert_eq!(list(&records, &policy(3, 30)), [FULL_ADDRESS.to_string(), hard.clone()], "sorted");
    assert_eq!(list(&records, &policy(4, 30)), [hard]);
}

#[test]
fn delayed_recipients_never_count() {
    // rfc3464-35: one notice, two recipients failed and one delayed (a host name lookup
    // failure, which would count had it failed), received five days running.
    let records = copies(
        "bsd/rfc3464-35.eml",
        "Date: Thu, 29 Apr 1995 23:34:45 +0000",
        "May 1995",
        &[1, 2, 3, 4, 5],
    );
    let delayed: Vec<&Record> =
        records.iter().filter(|r| r.recipient().action.as_deref() == Some("delayed")).collect();
    assert_eq!(delayed.len(), 5);
    assert!(delayed.iter().all(|r| !is_soft_failure(r)));
    let got = list(&records, &policy(2, 30));
    let address = delayed[0].recipient().recipient.to_lowercase();
    assert!(!got.contains(&address), "{got:?}");
    // The failed recipients of the same notices do count.
    assert_eq!(got, ["kijitora@nyaan.example.com", "mikeneko@neko.example.or.jp"]);
}

#[test]
fn delay_notices_never_count() {
    // OpenSMTPD: "Delivery attempt failed, will retry", five days running.
    let records = copies(
        "bsd/lhost-opensmtpd-15.eml",
        "Date: Fri, 21 Jun 2024 04:57:58 +0000 (UTC)",
        "Jun 2024",
        &[21, 22, 23, 24, 25],
    );
    assert_eq!(records.len(), 5);
    assert!(records.iter().all(|r| r.kind() == Kind::Delay && r.date().is_some()));
    assert!(records.iter().all(|r| !is_soft_failure(r)));
    assert!(list(&records, &policy(2, 30)).is_empty());
}

#[test]
fn refusals_of_our_mail_never_count() {
    // Exim: our host is on a blocklist. Soft, but not the address's fault.
    let records = copies(
        "bsd/lhost-exim-01.eml",
        "Date: Fri, 01 Oct 2010 19:15:23 +0900",
        "Oct 2010",
        &[1, 2, 3, 4, 5],
    );
    let r = &records[0];
    assert!(!r.recipient().hard && r.recipient().reason == Reason::Blocked);
    assert!(records.iter().all(|r| !is_soft_failure(r) && r.date().is_some()));
    assert!(list(&records, &policy(2, 30)).is_empty());
}

#[test]
fn policies_say_what_the_list_holds() {
    assert_eq!(Policy::OFF.describe(), "hard-bounced addresses");
    assert_eq!(Policy::OFF.rule(), "");
    assert_eq!(
        policy(3, 30).describe(),
        "hard-bounced addresses and addresses that failed soft 3 times within 30 days"
    );
    assert_eq!(policy(1, 1).rule(), "failed soft once within 1 day");
}

#[test]
fn the_window_function_counts_inclusively() {
    assert!(repeated(&[0, 10], 2, 10));
    assert!(!repeated(&[0, 11], 2, 10));
    assert!(repeated(&[5], 1, 0));
    assert!(!repeated(&[], 1, 10));
    assert!(!repeated(&[1, 2, 3], 0, 10), "0 is off");
}
