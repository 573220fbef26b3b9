//! The verdict on real wording: one decision per recipient, and its advice agrees.

use super::*;
use crate::bounce::analyze;

fn report_of(raw: &str) -> Report {
    analyze(raw.as_bytes()).expect("a report")
}

/// A minimal DSN with one failed recipient: `status`, `diagnostic`, and where it was
/// going (remote MTA).
fn dsn(rcpt: &str, status: &str, diagnostic: &str, remote: &str) -> String {
    format!(
        "From: MAILER-DAEMON@mx.example.net\r\nTo: sender@example.net\r\n\
         Subject: Undelivered Mail Returned to Sender\r\n\
         Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\r\n\r\n\
         --b\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n\
         --b\r\nContent-Type: message/delivery-status\r\n\r\n\
         Reporting-MTA: dns; mx.example.net\r\n\r\n\
         Final-Recipient: rfc822; {rcpt}\r\nAction: failed\r\nStatus: {status}\r\n\
         Remote-MTA: dns; {remote}\r\nDiagnostic-Code: smtp; {diagnostic}\r\n\r\n--b--\r\n"
    )
}

fn verdict_of(report: &Report) -> Verdict<'static> {
    decide(report, &report.recipients[0], Catalog::builtin())
}

#[test]
fn a_specific_reason_outranks_a_catch_all_code() {
    // Gmail's "account does not exist" stamped 5.0.0 by a relay.
    let r = report_of(&dsn(
        "nobody@example.org",
        "5.0.0",
        "550-5.1.1 The email account that you tried to reach does not exist.",
        "gmail-smtp-in.l.google.com",
    ));
    let v = verdict_of(&r);
    assert!(v.hard, "{}", v.because);
    assert_eq!(v.retry, Retry::DoNotRetry);
    assert_eq!(r.recipients[0].reason, Reason::UserUnknown);
    assert_eq!(v.entry.provider.as_deref(), Some("gmail"), "{}", v.because);
    // Without Gmail's wording, the reason still outranks the catch-all code.
    let r = report_of(&dsn(
        "nobody@example.org",
        "5.0.0",
        "550 5.0.0 <nobody@example.org>: Recipient address rejected: User unknown",
        "mx.example.org",
    ));
    let v = verdict_of(&r);
    assert!(v.hard);
    assert_eq!(v.entry.key, "reason:userunknown", "{}", v.because);
    assert_eq!(v.because, "reason userunknown outranks the catch-all 5.0.0");
}

#[test]
fn an_spf_refusal_under_a_catch_all_code_gets_authentication_advice() {
    let r = report_of(&dsn(
        "a@example.org",
        "5.0.0",
        "550 SPF check failed: 192.0.2.1 is not allowed to send mail from example.net",
        "mx.example.org",
    ));
    let v = verdict_of(&r);
    assert!(!v.hard);
    assert_eq!(v.entry.key, "reason:authfailure", "{}", v.because);
    assert_eq!(v.retry, Retry::FixThenResend);
}

#[test]
fn relay_access_denied_is_about_relaying_whatever_the_code() {
    let r = report_of(&dsn(
        "a@example.org",
        "5.4.1",
        "550 5.4.1 Relay Access Denied",
        "mx.example.org",
    ));
    let v = verdict_of(&r);
    assert_eq!(r.recipients[0].reason, Reason::NoRelaying);
    assert!(v.entry.title.to_lowercase().contains("relay"), "{}: {}", v.because, v.entry.title);
    assert_eq!(v.retry, Retry::FixThenResend);
}

#[test]
fn a_provider_entry_applies_only_to_that_providers_failures() {
    // Microsoft's wording about its own MX rule must not explain a Yahoo refusal.
    let r = report_of(&dsn(
        "a@yahoo.com",
        "5.4.4",
        "554 No MX record found for the domain",
        "mta5.am0.yahoodns.net",
    ));
    let v = verdict_of(&r);
    assert_ne!(v.entry.provider.as_deref(), Some("exchange-online"), "{}", v.because);
}

#[test]
fn exchange_online_edge_blocking_means_the_recipient_does_not_exist() {
    // Microsoft's table calls directory-based edge blocking "recipient doesn't exist".
    let r = report_of(&dsn(
        "gone@contoso.com",
        "5.4.1",
        "550 5.4.1 Recipient address rejected: Access denied. AS(201806281) [BN1NAM02FT044.eop-nam02.prod.protection.outlook.com]",
        "contoso-com.mail.protection.outlook.com",
    ));
    let v = verdict_of(&r);
    assert!(v.hard, "{} / {}", v.because, r.recipients[0].why);
    assert_eq!(v.retry, Retry::DoNotRetry);
}

#[test]
fn a_delay_notice_is_never_told_do_not_retry() {
    let raw = dsn("nobody@example.org", "4.1.1", "450 4.1.1 User unknown", "mx.example.org")
        .replace("Action: failed", "Action: delayed");
    let r = report_of(&raw);
    let v = verdict_of(&r);
    assert!(!v.hard);
    assert_eq!(v.retry, Retry::RetryLater);
}

#[test]
fn hard_is_exactly_do_not_retry_over_the_corpus_and_the_demo() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let mut checked = 0;
    let mut files: Vec<std::path::PathBuf> = Vec::new();
    for dir in ["corpus/maildir/bsd", "bounceparser"] {
        for e in std::fs::read_dir(root.join(dir)).expect("corpus folder") {
            files.push(e.expect("entry").path());
        }
    }
    for path in files {
        let Some(report) = analyze(&std::fs::read(&path).expect("readable")) else { continue };
        for r in &report.recipients {
            let v = decide(&report, r, Catalog::builtin());
            assert_eq!(r.hard, v.hard, "{}: the record and the verdict agree", path.display());
            if report.kind == Some(Kind::Bounce) && r.reason != Reason::Feedback {
                assert_eq!(
                    v.hard,
                    v.retry == Retry::DoNotRetry,
                    "{}: {} ({})",
                    path.display(),
                    v.because,
                    v.entry.key
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 500);
}
