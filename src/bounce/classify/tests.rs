//! The classifier's rules on real wording: each test is a family of mail a rule is for.

use super::base::quoted_reply;
use super::refine::{addressed_to, counts_failed_attempts, names_missing_domain};
use super::*;
use crate::bounce::phrases::squash;

fn rcpt(status: &str, diag: &str) -> RecipientStatus {
    let mut r = RecipientStatus::new("a@example.org");
    r.status = status.parse().ok();
    r.diagnostic = diag.to_string();
    r.action = Some("failed".into());
    r
}

#[test]
fn the_notice_is_produced_only_when_a_rule_needs_it_and_then_once() {
    let calls = std::cell::Cell::new(0);
    let produce = || {
        calls.set(calls.get() + 1);
        "... while talking to mx.example.org: (in reply to RCPT TO command)"
    };
    let facts = NoticeFacts::on_demand(&produce);
    let mut r = rcpt("5.2.2", "552 5.2.2 <a@example.org>: Mailbox full");
    classify(&mut r, CodeSource::DeliveryStatus, &facts);
    assert_eq!(r.reason, Reason::MailboxFull);
    assert_eq!(r.stage, Some(Command::RcptTo), "a reply addressed to the recipient");
    assert_eq!(calls.get(), 0, "the recipient's own lines decided, the stage too");
    // The stage alone does not make the notice be decoded...
    let mut r = rcpt("5.2.2", "552 5.2.2 Mailbox full");
    classify(&mut r, CodeSource::DeliveryStatus, &facts);
    assert_eq!((r.stage, calls.get()), (None, 0));
    // ...but once a question read it, records take the stage it names.
    assert_eq!(facts.command(), Some(Command::RcptTo));
    assert_eq!(facts.command(), Some(Command::RcptTo));
    assert_eq!(calls.get(), 1, "produced once, then kept");
    let mut r = rcpt("5.2.2", "552 5.2.2 Mailbox full");
    classify(&mut r, CodeSource::DeliveryStatus, &facts);
    assert_eq!(r.stage, Some(Command::RcptTo), "the stage the notice names");
}

#[test]
fn specific_code_decides_when_text_is_silent() {
    let mut r = rcpt("5.1.1", "550 no");
    classify(&mut r, CodeSource::DeliveryStatus, &NoticeFacts::default());
    assert_eq!(r.reason, Reason::UserUnknown);
    assert!(is_hard(r.reason, r.status, r.reply_code));
    assert!(r.why.contains("5.1.1"), "{}", r.why);
}

#[test]
fn text_decides_for_generic_codes() {
    let mut r = rcpt("5.0.0", "550 Mailbox is full");
    classify(&mut r, CodeSource::DeliveryStatus, &NoticeFacts::default());
    assert_eq!(r.reason, Reason::MailboxFull);
    assert!(!is_hard(r.reason, r.status, r.reply_code));
    assert!(r.why.starts_with("diagnostic says"), "{}", r.why);
}

#[test]
fn notaccept_is_hard_only_when_permanent() {
    assert!(is_hard(Reason::NotAccept, "5.1.10".parse().ok(), None));
    assert!(!is_hard(Reason::NotAccept, "4.0.0".parse().ok(), None));
}

#[test]
fn refusal_before_mail_from_is_a_block_of_the_sender_host() {
    let mut r = rcpt(
        "5.0.0",
        "Connected to 192.0.2.1 but my name was rejected. Remote host said: 501 5.0.0 Invalid domain name",
    );
    classify(&mut r, CodeSource::Text, &NoticeFacts::default());
    assert_eq!(r.reason, Reason::Blocked);
    assert!(!is_hard(r.reason, r.status, r.reply_code));
}

#[test]
fn unknown_address_at_mail_from_is_the_sender() {
    let mut r = rcpt(
        "5.1.0",
        "SMTP error from remote mail server after MAIL FROM:<a@example.net>: 553 5.1.0 Address does not exist",
    );
    r.reply_code = Some(553);
    classify(&mut r, CodeSource::Text, &NoticeFacts::default());
    assert_eq!(r.reason, Reason::Rejected);
}

#[test]
fn stock_unknown_user_at_unknown_stage_is_a_filter_but_a_provider_statement_is_not() {
    let mut r = rcpt("5.0.0", "550 kijitora@example.org... No such user");
    r.reply_code = Some(550);
    classify(&mut r, CodeSource::DeliveryStatus, &NoticeFacts::default());
    assert_eq!(r.reason, Reason::Filtered);
    let mut r = rcpt(
        "5.0.0",
        "554 delivery error: dd This user doesn't have a yahoo.com account (a@yahoo.com) [0]",
    );
    r.reply_code = Some(554);
    classify(&mut r, CodeSource::DeliveryStatus, &NoticeFacts::default());
    assert_eq!(r.reason, Reason::UserUnknown);
    assert!(is_hard(r.reason, r.status, r.reply_code));
}

#[test]
fn transcript_shows_which_recipient_was_refused_at_rcpt() {
    let notice = "While talking to a.example:\n>>> DATA\n<<< 550 no\n\
                  While talking to b.example:\n>>> RCPT To:<Mike@b.example>\n\
                  <<< 550 Requested User Mailbox not found.\n";
    let facts = NoticeFacts::read(notice);
    assert!(facts.refused_at_rcpt("Mike@b.example"));
    let mut r = rcpt("5.0.0", "550 User unknown");
    r.recipient = "mike@b.example".into();
    r.reply_code = Some(550);
    classify(&mut r, CodeSource::DeliveryStatus, &facts);
    assert_eq!(r.reason, Reason::UserUnknown);
}

#[test]
fn hourly_quota_is_speeding_despite_a_mailbox_code() {
    let mut r =
        rcpt("5.1.1", "550 5.1.1 <a@example.org> has sent to too many recipients this hour");
    classify(&mut r, CodeSource::DeliveryStatus, &NoticeFacts::default());
    assert_eq!(r.reason, Reason::Speeding);
}

#[test]
fn queue_expiry_wording_beats_a_network_code() {
    let mut r = rcpt("4.4.1", "The recipient server did not accept our requests to connect.");
    classify(&mut r, CodeSource::DeliveryStatus, &NoticeFacts::default());
    assert_eq!(r.reason, Reason::Expired);
}

#[test]
fn greylisting_is_soft_and_not_unknown_user() {
    let mut r = rcpt(
        "4.7.1",
        "450 4.7.1 <x@example.org>: Recipient address rejected: Greylisted, try again in 5 minutes",
    );
    r.reply_code = Some(450);
    classify(&mut r, CodeSource::Text, &NoticeFacts::default());
    assert_eq!(r.reason, Reason::Blocked);
    assert!(!is_hard(r.reason, r.status, r.reply_code));
}

#[test]
fn a_reply_opening_with_the_recipient_answered_rcpt_to() {
    // au (ezweb.ne.jp) answers RCPT TO with the address, but a refusal after DATA
    // with an empty one: the first is a missing mailbox, the second its filter.
    let mut r = rcpt("5.0.0", "550 <otsu@ezweb.ne.jp>: User unknown");
    r.recipient = "otsu@ezweb.ne.jp".into();
    r.reply_code = Some(550);
    classify(&mut r, CodeSource::DeliveryStatus, &NoticeFacts::default());
    assert_eq!(r.reason, Reason::UserUnknown);
    assert!(is_hard(r.reason, r.status, r.reply_code));
    let mut r = rcpt("5.0.0", "550 : User unknown");
    r.recipient = "otsu@ezweb.ne.jp".into();
    r.reply_code = Some(550);
    classify(&mut r, CodeSource::DeliveryStatus, &NoticeFacts::default());
    assert_eq!(r.reason, Reason::Filtered);
    // Another address, or Sendmail's "<addr>..." form, says nothing of the stage.
    assert!(!addressed_to("550 <b@example.org>: User unknown", "a@example.org"));
    assert!(!addressed_to("550 5.2.1 <a@example.org>... User Unknown", "a@example.org"));
    assert!(addressed_to(
        "550 5.1.1 <A@example.org>: Recipient address rejected: User unknown",
        "a@example.org"
    ));
    assert!(addressed_to("550: <a@example.org>: User unknown", "a@example.org"));
}

#[test]
fn access_denied_is_read_by_the_stage_it_answered() {
    let mut r = rcpt("5.7.1", "550 550 5.7.1 <a@example.org>... Access denied (state 13).");
    classify(&mut r, CodeSource::Text, &NoticeFacts::default());
    assert_eq!(r.reason, Reason::SecurityError);
    let mut r = rcpt(
        "5.0.0",
        "host mx.neko.example.com [192.0.2.222] SMTP error from remote mail server after initial connection: 550 Access denied...",
    );
    classify(&mut r, CodeSource::Text, &NoticeFacts::default());
    assert_eq!(r.reason, Reason::Blocked);
    let mut r = rcpt("5.7.1", "550 5.7.1 Access denied");
    let facts = NoticeFacts::read("... 550 5.7.1 Access denied (in reply to MAIL FROM command)");
    classify(&mut r, CodeSource::DeliveryStatus, &facts);
    assert_eq!(r.reason, Reason::Rejected);
}

#[test]
fn ses_summary_title_is_not_the_remote_verdict() {
    let mut r = rcpt(
        "5.7.1",
        "5.1.0 - Unknown address error 550-'5.7.1 <0000@email-bounces.amazonses.com>... Access denied' (delivery attempts: 0)",
    );
    classify(&mut r, CodeSource::DeliveryStatus, &NoticeFacts::default());
    assert_eq!(r.reason, Reason::SecurityError, "{}", r.why);
    let d = "5.3.0 - Other mail system problem 550-'Unknown user x@docomo.ne.jp' (delivery attempts: 0)";
    assert_eq!(quoted_reply(d), "550-'Unknown user x@docomo.ne.jp' ");
    assert_eq!(quoted_reply("550 5.1.1 User unknown"), "550 5.1.1 User unknown");
}

#[test]
fn dns_name_not_found_is_a_missing_domain_but_a_broken_reply_is_not() {
    let mut r = rcpt("", "DNS lookup failure: host cx.example.org not found");
    classify(&mut r, CodeSource::Text, &NoticeFacts::default());
    assert_eq!(r.reason, Reason::HostUnknown);
    assert!(is_hard(r.reason, r.status, r.reply_code));
    let mut r = rcpt(
        "5.4.4",
        "Name service error for name=example.org type=MX: Malformed or unexpected name server reply",
    );
    classify(&mut r, CodeSource::DeliveryStatus, &NoticeFacts::default());
    assert_eq!(r.reason, Reason::NetworkError);
    assert!(!is_hard(r.reason, r.status, r.reply_code));
}

#[test]
fn a_domain_that_does_not_exist_is_hostunknown_at_any_stage() {
    let mut r = rcpt(
        "5.0.0",
        "host mx.example.net [192.0.2.222] SMTP error from remote mail server after end of data: 553 neko.example.com does not exist",
    );
    r.reply_code = Some(553);
    classify(&mut r, CodeSource::Text, &NoticeFacts::default());
    assert_eq!(r.reason, Reason::HostUnknown);
    assert!(is_hard(r.reason, r.status, r.reply_code));
    assert!(!names_missing_domain(&squash("550 <a@example.com>: mailbox does not exist")));
    assert!(!names_missing_domain(&squash("550 Address does not exist.")));
}

#[test]
fn counted_failed_attempts_mean_the_retries_ran_out() {
    let mut r = rcpt("", "Delivery failed 20 attempts: kijitora@example.com");
    classify(&mut r, CodeSource::Text, &NoticeFacts::default());
    assert_eq!(r.reason, Reason::Expired);
    assert!(!counts_failed_attempts(&squash("The number of attempts made: 1")));
}

#[test]
fn sendmail_host_name_lookup_failure_is_a_network_error() {
    let mut r = rcpt(
        "4.4.7",
        "<kijitora@example.co.jp>... Deferred: Name server: example.co.jp.: host name lookup failure",
    );
    classify(&mut r, CodeSource::DeliveryStatus, &NoticeFacts::default());
    assert_eq!(r.reason, Reason::NetworkError);
}

#[test]
fn mail_system_status_outranks_transcript_words_in_the_notice() {
    // Postfix's postmaster transcript holds "In: MAIL FROM:..." lines: not a cause.
    let mut r = rcpt("4.3.0", "451 4.3.0 Error: queue file write error");
    r.reply_code = Some(451);
    let facts = NoticeFacts::read(" In:  MAIL FROM:<a@example.org>\n Out: 250 2.1.0 Ok\n");
    classify(&mut r, CodeSource::Text, &facts);
    assert_eq!(r.reason, Reason::SystemError, "{}", r.why);
}

#[test]
fn a_failure_inside_the_reporting_system_is_its_verdict_not_a_filter() {
    // Hotmail's own DSN (Reporting-MTA, no Remote-MTA) about its own mailbox.
    let diag = "550 Requested action not taken: mailbox unavailable (-0000000022:2222:-0000000022)";
    let mut r = rcpt("5.5.0", diag);
    r.reply_code = Some(550);
    classify_at(&mut r, CodeSource::DeliveryStatus, &NoticeFacts::default(), Origin::Local);
    assert_eq!(r.reason, Reason::UserUnknown);
    assert!(is_hard(r.reason, r.status, r.reply_code));
    // The same words from a relay that does not say where they came from.
    let mut r = rcpt("5.5.0", diag);
    r.reply_code = Some(550);
    classify(&mut r, CodeSource::DeliveryStatus, &NoticeFacts::default());
    assert_eq!(r.reason, Reason::Filtered);
}

#[test]
fn a_generic_security_code_at_mail_from_refuses_the_sender() {
    // The stage named in Postfix's notice is not itself a cause ("mail from" is no
    // phrase); the generic 4.7.0 at that stage is a refusal of the sender.
    let mut r = rcpt("5.7.0", "550 5.7.0 Message from 192.0.2.192 not accepted");
    let facts = NoticeFacts::read(
        "host mx.example.com said: 550 5.7.0 Message from 192.0.2.192 not accepted \
         (in reply to MAIL FROM command)",
    );
    classify(&mut r, CodeSource::DeliveryStatus, &facts);
    assert_eq!(r.reason, Reason::Rejected, "{}", r.why);
    assert_eq!(r.rule, "mail-from-refusal");
    assert!(r.why.ends_with("in reply to MAIL FROM"), "{}", r.why);
}

#[test]
fn a_provider_code_decides_whatever_the_stage() {
    // Yahoo's [TSS04] deferral, answered to MAIL FROM: Yahoo's own code says why
    // (volume or complaints), which the stage rules would have read as a refused sender.
    let mut r = rcpt(
        "4.7.0",
        "421 4.7.0 [TSS04] Messages from 192.0.2.192 temporarily deferred due to unexpected volume or user complaints",
    );
    let facts = NoticeFacts::read("... (in reply to MAIL FROM command)");
    classify(&mut r, CodeSource::DeliveryStatus, &facts);
    assert_eq!(r.rule, "provider-code", "{}", r.why);
    assert_eq!(r.provider_code.as_ref().map(|c| c.code.as_str()), Some("TSS04"));
    assert!(!matches!(r.reason, Reason::Rejected | Reason::AuthFailure), "{}", r.reason);
}

#[test]
fn delivered_action_is_success() {
    let mut r = rcpt("2.1.5", "250 ok");
    r.action = Some("delivered".into());
    classify(&mut r, CodeSource::DeliveryStatus, &NoticeFacts::default());
    assert_eq!(r.reason, Reason::Delivered);
}

#[test]
fn an_x_unix_diagnostic_is_the_local_mailers_failure() {
    // Sendmail's local mailer reports only its exit code (lhost-sendmail-18: 255).
    let mut r = rcpt("5.3.0", "255");
    r.diagnostic_type = Some("X-Unix".into());
    classify(&mut r, CodeSource::DeliveryStatus, &NoticeFacts::default());
    assert_eq!((r.reason, r.rule.as_str()), (Reason::MailerError, "local-mailer"));
    // procmail's own words, whatever they say...
    let mut r = rcpt("5.1.1", "procmail: Couldn't create \"/var/spool/mail/neko\" No such user");
    r.diagnostic_type = Some("x-unix".into());
    classify(&mut r, CodeSource::DeliveryStatus, &NoticeFacts::default());
    assert_eq!(r.reason, Reason::MailerError);
    // ...unless the mailer found the mailbox full (lhost-postfix-45).
    let mut r = rcpt("4.3.0", "/var/email/kijitora/Maildir/tmp/x: Disk quota exceeded");
    r.diagnostic_type = Some("x-unix".into());
    classify(&mut r, CodeSource::DeliveryStatus, &NoticeFacts::default());
    assert_eq!(r.reason, Reason::MailboxFull);
}

#[test]
fn the_stage_is_read_from_the_ways_notices_write_it() {
    let stage = |d: &str| {
        let mut r = rcpt("5.0.0", d);
        classify(&mut r, CodeSource::Text, &NoticeFacts::default());
        r.stage
    };
    assert_eq!(
        stage("host mx.example.org[192.0.2.1] refused to talk to me: 554 go away"),
        Some(Command::Connect)
    );
    assert_eq!(stage("554 mx.example.org ESMTP not accepting connections"), Some(Command::Connect));
    assert_eq!(
        stage("550 5.7.1 <x@example.org>: Helo command rejected: need fully-qualified hostname"),
        Some(Command::Helo)
    );
    assert_eq!(
        stage("SMTP error from remote mail server after EHLO mail.example.com: 550 no"),
        Some(Command::Helo)
    );
    assert_eq!(
        stage("550 <x@example.org>: Recipient address rejected: User unknown"),
        Some(Command::RcptTo)
    );
    assert_eq!(
        stage("192.0.2.1 does not like recipient. Remote host said: 550 no mailbox"),
        Some(Command::RcptTo)
    );
    assert_eq!(stage("-------SMTP command DATA -------server message 550 no"), Some(Command::Data));
    // A greeting banner form needs a host name and the protocol word.
    assert_eq!(stage("554 Transaction failed"), None);
}

#[test]
fn a_refusal_at_the_greeting_is_of_the_sending_host() {
    let mut r = rcpt("5.0.0", "554 mx.example.org ESMTP not accepting connections from 192.0.2.1");
    r.reply_code = Some(554);
    classify(&mut r, CodeSource::Text, &NoticeFacts::default());
    assert_eq!(r.reason, Reason::Blocked, "{}", r.why);
}
