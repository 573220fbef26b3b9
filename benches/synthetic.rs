//! Made-up records shaped like real ones (mixed codes, reasons, providers, domains,
//! three hops each) for the session and report benchmarks.

use std::path::PathBuf;

use rebound::bounce::{Hop, Kind, Reason, RecipientStatus, Report};
use rebound::source::{Analysed, Origin};

const CODES: &[(&str, u16, Reason, &str)] = &[
    ("5.1.1", 550, Reason::UserUnknown, "postfix"),
    ("4.2.2", 452, Reason::MailboxFull, "gmail"),
    ("5.7.1", 554, Reason::Blocked, "exchange-online"),
    ("5.7.26", 550, Reason::AuthFailure, "gmail"),
    ("4.4.7", 421, Reason::Expired, "postfix"),
    ("5.4.4", 550, Reason::HostUnknown, "exim"),
];

pub fn records(n: usize) -> Vec<Analysed> {
    let base = chrono::DateTime::parse_from_rfc3339("2026-10-01T00:00:00+00:00").unwrap();
    (0..n)
        .map(|i| {
            let (code, reply, reason, provider) = CODES[i % CODES.len()];
            let when = base + chrono::Duration::seconds(i as i64 * 37);
            let mut r = RecipientStatus::new(format!("user{i}@domain{}.example.org", i % 97));
            r.status = code.parse().ok();
            r.reply_code = Some(reply);
            r.reason = reason;
            r.hard = reason.is_hard();
            r.action = Some("failed".into());
            r.diagnostic = format!("{reply} {code} message {i} refused by the remote host");
            r.remote_mta = Some(format!("mx{}.example.net", i % 13));
            r.why = format!("Status {code}");
            let hop = |k: i64, by: &str| Hop {
                from: Some(format!("relay{k}.example.com")),
                by: Some(by.to_string()),
                with: Some("ESMTPS".into()),
                time: Some(when + chrono::Duration::seconds(k)),
                delay_secs: (k > 0).then_some(1),
                tls: true,
                ..Hop::default()
            };
            let mut report = Report {
                kind: Some(Kind::Bounce),
                format: "rfc3464".into(),
                provider: Some(provider.into()),
                reporting_mta: Some(format!("mta{}.example.com", i % 7)),
                date: Some(when),
                subject: Some(format!("Undeliverable: newsletter {}", i % 50)),
                hops: vec![
                    hop(0, "relay1.example.com"),
                    hop(1, "relay2.example.com"),
                    hop(2, "mx.example.net"),
                ],
                recipients: vec![r],
                ..Report::default()
            };
            report.original.subject = Some(format!("Newsletter {} | autumn", i % 50));
            Analysed {
                origin: Origin::File { path: PathBuf::from("big.mbox"), message: i + 1 },
                report,
            }
        })
        .collect()
}
