//! The session model on hand-built reports: filters, description, sort, search, marks
//! and the summary (whose groups must filter to exactly their own records).

use std::path::PathBuf;

use rebound::bounce::{Kind, Reason, RecipientStatus, Report};
use rebound::session::{Filter, GroupKey, Session, SortKey};
use rebound::source::{Analysed, Origin};

struct R<'a> {
    to: &'a str,
    status: Option<&'a str>,
    reply: Option<u16>,
    reason: Reason,
    date: &'a str,
    diag: &'a str,
    mta: &'a str,
    kind: Kind,
}

fn analysed(n: usize, r: &R) -> Analysed {
    let mut rcpt = RecipientStatus::new(r.to);
    rcpt.status = r.status.map(|s| s.parse().unwrap());
    rcpt.reply_code = r.reply;
    rcpt.reason = r.reason;
    rcpt.hard = r.reason.is_hard();
    rcpt.diagnostic = r.diag.to_string();
    let report = Report {
        kind: Some(r.kind),
        format: "rfc3464".into(),
        reporting_mta: Some(r.mta.into()),
        date: chrono::DateTime::parse_from_rfc3339(r.date).ok(),
        subject: Some("Undelivered Mail Returned to Sender".into()),
        recipients: vec![rcpt],
        ..Report::default()
    };
    Analysed { origin: Origin::File { path: PathBuf::from("t.mbox"), message: n }, report }
}

fn sample() -> Session {
    let rows = [
        R {
            to: "ann@example.org",
            status: Some("5.1.1"),
            reply: Some(550),
            reason: Reason::UserUnknown,
            date: "2026-10-03T10:00:00+00:00",
            diag: "550 5.1.1 User unknown",
            mta: "mx.example.org",
            kind: Kind::Bounce,
        },
        R {
            to: "Bob@Example.NET",
            status: Some("4.2.2"),
            reply: Some(452),
            reason: Reason::MailboxFull,
            date: "2026-10-01T09:00:00+00:00",
            diag: "452 4.2.2 Mailbox over QUOTA",
            mta: "mx.example.net",
            kind: Kind::Delay,
        },
        R {
            to: "cy@example.org",
            status: Some("5.7.1"),
            reply: Some(554),
            reason: Reason::Blocked,
            date: "2026-10-03T11:00:00+00:00",
            diag: "554 5.7.1 Service unavailable; client host blocked",
            mta: "mx.example.org",
            kind: Kind::Bounce,
        },
        R {
            to: "dee@example.com",
            status: Some("5.7.10"),
            reply: None,
            reason: Reason::AuthFailure,
            date: "2026-10-05T08:00:00+00:00",
            diag: "DMARC policy",
            mta: "smtp.example.com",
            kind: Kind::Bounce,
        },
        R {
            to: "eve@example.com",
            status: None,
            reply: Some(550),
            reason: Reason::Rejected,
            date: "not a date",
            diag: "550 sender refused",
            mta: "smtp.example.com",
            kind: Kind::Bounce,
        },
        R {
            to: "fay@example.com",
            status: None,
            reply: None,
            reason: Reason::Undefined,
            date: "2026-10-02T00:30:00+02:00",
            diag: "",
            mta: "qmail.example.com",
            kind: Kind::Bounce,
        },
    ];
    let mut s = Session::new();
    s.extend(rows.iter().enumerate().map(|(i, r)| analysed(i + 1, r)));
    s
}

fn shown(s: &Session) -> Vec<String> {
    s.visible_records().map(|r| r.recipient().recipient.clone()).collect()
}

fn only(s: &mut Session, f: Filter) -> Vec<String> {
    s.set_filter(f);
    let mut v = shown(s);
    v.sort();
    v
}

#[test]
fn each_filter_condition_narrows_the_list() {
    let mut s = sample();
    assert_eq!(s.visible().len(), 6);
    assert_eq!(only(&mut s, Filter { class: Some(4), ..Filter::default() }), ["Bob@Example.NET"]);
    // eve has no status: her reply code 550 puts her in class 5.
    assert_eq!(
        only(&mut s, Filter { class: Some(5), ..Filter::default() }),
        ["ann@example.org", "cy@example.org", "dee@example.com", "eve@example.com"]
    );
    assert_eq!(
        only(&mut s, Filter { subject: Some(7), ..Filter::default() }),
        ["cy@example.org", "dee@example.com"]
    );
    assert_eq!(
        only(&mut s, Filter { code_prefix: Some("5.7.1".into()), ..Filter::default() }),
        ["cy@example.org"]
    );
    // Reply codes match like status codes (issue #15): every record carrying a 55x.
    assert_eq!(
        only(&mut s, Filter { code_prefix: Some("55".into()), ..Filter::default() }),
        ["ann@example.org", "cy@example.org", "eve@example.com"]
    );
    assert_eq!(
        only(&mut s, Filter { code_prefix: Some("=550".into()), ..Filter::default() }),
        ["eve@example.com"]
    );
    assert_eq!(
        only(&mut s, Filter { code_prefix: Some("none".into()), ..Filter::default() }),
        ["fay@example.com"]
    );
    assert_eq!(
        only(&mut s, Filter { reason: Some(Reason::Blocked), ..Filter::default() }),
        ["cy@example.org"]
    );
    assert_eq!(only(&mut s, Filter { hard: Some(true), ..Filter::default() }), ["ann@example.org"]);
    assert_eq!(only(&mut s, Filter { hard: Some(false), ..Filter::default() }).len(), 5);
    assert_eq!(
        only(&mut s, Filter { domain: Some("EXAMPLE.net".into()), ..Filter::default() }),
        ["Bob@Example.NET"]
    );
    assert_eq!(
        only(&mut s, Filter { kind: Some(Kind::Delay), ..Filter::default() }),
        ["Bob@Example.NET"]
    );
}

#[test]
fn free_text_is_case_insensitive_over_every_field() {
    let mut s = sample();
    assert_eq!(
        only(&mut s, Filter { text: Some("quota".into()), ..Filter::default() }),
        ["Bob@Example.NET"]
    );
    assert_eq!(
        only(&mut s, Filter { text: Some("BOB@".into()), ..Filter::default() }),
        ["Bob@Example.NET"]
    );
    assert_eq!(
        only(&mut s, Filter { text: Some("qmail.EXAMPLE".into()), ..Filter::default() }),
        ["fay@example.com"]
    );
    assert_eq!(
        only(&mut s, Filter { text: Some("returned to".into()), ..Filter::default() }).len(),
        6
    );
    // Conditions combine: all must hold.
    let f = Filter { text: Some("example.org".into()), hard: Some(false), ..Filter::default() };
    assert_eq!(only(&mut s, f.clone()), ["cy@example.org"]);
    // The public matches() agrees with the session's prepared path.
    let matching = s.records().iter().filter(|r| f.matches(r)).count();
    assert_eq!(matching, 1);
}

#[test]
fn description_names_every_condition() {
    assert_eq!(Filter::default().describe(), "");
    let f = Filter {
        class: Some(5),
        code_prefix: Some("5.7".into()),
        reason: Some(Reason::Blocked),
        hard: Some(false),
        domain: Some("example.org".into()),
        text: Some("quota\x1b[2J".into()),
        ..Filter::default()
    };
    let d = f.describe();
    assert_eq!(
        d,
        "class 5.x.x, code 5.7.*, reason blocked, soft only, domain example.org, text \"quota\u{FFFD}[2J\""
    );
}

#[test]
fn sorting_is_stable_both_ways_and_puts_missing_values_last() {
    let mut s = sample();
    s.set_sort(SortKey::Date, false);
    // fay is 2026-10-01T22:30Z; eve has no date and goes last.
    assert_eq!(
        shown(&s),
        [
            "Bob@Example.NET",
            "fay@example.com",
            "ann@example.org",
            "cy@example.org",
            "dee@example.com",
            "eve@example.com"
        ]
    );
    s.set_sort(SortKey::Date, true);
    assert_eq!(shown(&s).first().unwrap(), "dee@example.com");
    assert_eq!(shown(&s).last().unwrap(), "eve@example.com");

    s.set_sort(SortKey::Code, false);
    assert_eq!(
        shown(&s),
        [
            "Bob@Example.NET",
            "ann@example.org",
            "cy@example.org",
            "dee@example.com",
            "eve@example.com",
            "fay@example.com"
        ]
    );
    s.set_sort(SortKey::Code, true);
    assert_eq!(shown(&s).last().unwrap(), "fay@example.com", "no code stays last when descending");
    assert_eq!(shown(&s).first().unwrap(), "eve@example.com");

    s.set_sort(SortKey::Recipient, false);
    assert_eq!(shown(&s)[..2], ["ann@example.org", "Bob@Example.NET"]);

    s.set_sort(SortKey::Hard, false);
    assert_eq!(shown(&s)[0], "ann@example.org");
    // Equal values keep arrival order.
    assert_eq!(shown(&s)[1..3], ["Bob@Example.NET", "cy@example.org"]);

    s.set_sort(SortKey::Domain, false);
    assert_eq!(shown(&s)[..3], ["dee@example.com", "eve@example.com", "fay@example.com"]);
    for key in SortKey::ALL {
        s.set_sort(*key, true);
        assert_eq!(s.visible().len(), 6, "{key:?}");
        assert_eq!(key.label().parse::<SortKey>().unwrap(), *key);
    }
}

#[test]
fn search_finds_rows_and_steps_between_them() {
    let mut s = sample();
    s.set_sort(SortKey::Recipient, false);
    let hits = s.search("EXAMPLE.ORG");
    assert_eq!(hits.hits, vec![0, 2]);
    assert_eq!(hits.next_from(0), Some(2));
    assert_eq!(hits.next_from(2), Some(0));
    assert_eq!(hits.prev_from(0), Some(2));
    assert!(s.search("   ").is_empty());
    assert!(s.search("nothing like this").is_empty());
}

#[test]
fn marks_choose_what_an_export_covers() {
    let mut s = sample();
    assert_eq!(s.selection(), s.visible().to_vec());
    assert!(s.toggle_mark(2));
    assert!(s.toggle_mark(0));
    assert!(!s.toggle_mark(99));
    s.set_filter(Filter { hard: Some(false), ..Filter::default() });
    // Record 2 is visible, record 0 (hard) is hidden but still marked.
    assert_eq!(s.selection(), vec![2, 0]);
    assert!(!s.toggle_mark(2));
    assert_eq!(s.selection(), vec![0]);
    s.clear_marks();
    s.mark_visible();
    assert_eq!(s.marked.len(), 5);
}

#[test]
fn summary_groups_filter_to_exactly_their_records() {
    let mut s = sample();
    let sum = s.summary();
    assert_eq!(sum.records, 6);
    assert_eq!(sum.reports, 6);
    assert_eq!(sum.hard(), 1);
    let classes: Vec<(String, usize)> = sum.by_class.iter().map(|g| (g.label(), g.count)).collect();
    assert_eq!(classes, [("4.x.x".to_string(), 1), ("5.x.x".to_string(), 4)]);
    let domains: Vec<(String, usize)> =
        sum.by_domain.iter().map(|g| (g.label(), g.count)).collect();
    assert_eq!(domains[0], ("example.com".to_string(), 3));
    assert!(sum.by_code.iter().any(|g| g.key == GroupKey::NoCode && g.count == 1));
    assert!(sum.by_code.iter().any(|g| g.label() == "550" && g.count == 1));
    assert_eq!(sum.by_day.first().map(|g| g.label()), Some("2026-10-01".to_string()));

    for (title, groups) in sum.sections() {
        for g in groups {
            s.set_filter(Filter::default());
            s.choose_group(&g.key);
            assert_eq!(s.visible().len(), g.count, "{title} {}", g.label());
        }
    }
}

#[test]
fn a_report_without_recipients_still_shows() {
    let report = Report {
        kind: Some(Kind::AutoReply),
        from: Some("gus@example.org".into()),
        ..Report::default()
    };
    let mut s = Session::new();
    s.extend([Analysed { origin: Origin::Demo { message: 1 }, report }]);
    assert_eq!(s.visible().len(), 1);
    assert_eq!(s.records()[0].recipient().reason, Reason::Vacation);
}
