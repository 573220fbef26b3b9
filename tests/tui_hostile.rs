//! Mail text is written by strangers: nothing in a bounce may reach the terminal as a
//! control sequence. We draw hostile bounces and check every cell of the screen.

mod tui_support;

use rebound::bounce::{Hop, Reason};
use rebound::tui::{Action, update};
use tui_support::*;

const OSC52: &str = "\x1b]52;c;cm0gLXJmIH4=\x07";
const CSI: &str = "\x1b[2J\x1b[31m";
const C1_CSI: &str = "\u{9b}31m";
const BIDI: &str = "\u{202e}txt.exe\u{202c}\u{2066}";

fn assert_screen_is_clean(app: &rebound::tui::App, what: &str) {
    let buf = draw(app);
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            let symbol = buf[(x, y)].symbol();
            assert!(
                !symbol.chars().any(rebound::text::is_unsafe),
                "{what}: cell ({x},{y}) holds {symbol:?}"
            );
        }
    }
}

fn every_view(app: &mut rebound::tui::App, what: &str) {
    assert_screen_is_clean(app, &format!("{what}, list"));
    update(app, Action::Open);
    assert_screen_is_clean(app, &format!("{what}, split view"));
    update(app, Action::ToggleSummary);
    assert_screen_is_clean(app, &format!("{what}, summary"));
    update(app, Action::FocusNext);
    update(app, Action::FocusNext);
    update(app, Action::FocusNext);
    assert_screen_is_clean(app, &format!("{what}, summary by reporting MTA"));
    update(app, Action::Back);
    update(app, Action::StartSearch);
    type_text(app, "evil\x1b]0;title\x07");
    assert_screen_is_clean(app, &format!("{what}, search prompt"));
    update(app, Action::PromptSubmit);
    assert_screen_is_clean(app, &format!("{what}, after search"));
    update(app, Action::ToggleRaw);
    let record = app.selected_record().expect("a record");
    let raw = format!("Subject: {OSC52}{CSI}{C1_CSI}{BIDI}\r\n\r\n{CSI}body").into_bytes();
    update(app, Action::RawLoaded { record, result: Ok(raw) });
    assert_screen_is_clean(app, &format!("{what}, raw view"));
}

#[test]
fn hostile_fields_never_reach_the_screen() {
    let mut evil = bounce(1, &format!("victim{CSI}@example.org"), "5.7.1", Reason::Blocked, "x");
    let report = &mut evil.report;
    report.original.subject = Some(format!("Invoice {OSC52}{C1_CSI}{BIDI} due"));
    report.reporting_mta = Some(format!("mx{CSI}.example.net"));
    report.provider = Some(format!("p{C1_CSI}"));
    let rcpt = &mut report.recipients[0];
    rcpt.diagnostic = format!("550 5.7.1 {OSC52} go away {C1_CSI}{BIDI}");
    rcpt.remote_mta = Some(format!("remote{OSC52}"));
    rcpt.why = format!("because {CSI}");
    report.hops = vec![Hop {
        from: Some(format!("a{CSI}")),
        by: Some(format!("b{BIDI}")),
        with: Some(format!("ESMTP{C1_CSI}")),
        ..Default::default()
    }];
    for (w, h) in [(120, 40), (80, 24)] {
        let mut app = app_with(vec![evil.clone()], w, h);
        every_view(&mut app, &format!("hand-made hostile bounce at {w}x{h}"));
    }
}

/// The same attack as a real message, the escape hidden in RFC 2047 encoded words
/// (`=1B` is ESC), so it only appears after decoding, through the real engine.
#[test]
fn hostile_message_through_the_engine() {
    let raw = format!(
        "From: MAILER-DAEMON@mx.example.net\r\n\
         To: sender@example.com\r\n\
         Subject: =?utf-8?q?Undelivered_=1B]52;c;ZXZpbA=3D=3D=07_mail?=\r\n\
         Date: Mon, 23 Nov 2026 10:00:00 +0000\r\n\
         MIME-Version: 1.0\r\n\
         Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\r\n\
         \r\n\
         --b\r\n\
         Content-Type: text/plain\r\n\
         \r\n\
         Delivery failed.\r\n\
         --b\r\n\
         Content-Type: message/delivery-status\r\n\
         \r\n\
         Reporting-MTA: dns; mx{CSI}.example.net\r\n\
         \r\n\
         Final-Recipient: rfc822; victim@example.org\r\n\
         Action: failed\r\n\
         Status: 5.7.1\r\n\
         Diagnostic-Code: smtp; 550 5.7.1 {OSC52} rejected {C1_CSI} {BIDI}\r\n\
         \r\n\
         --b\r\n\
         Content-Type: text/rfc822-headers\r\n\
         \r\n\
         From: sender@example.com\r\n\
         To: victim@example.org\r\n\
         Subject: =?utf-8?b?{}?=\r\n\
         Received: from a{CSI} by mx.example.net with ESMTPS; Mon, 23 Nov 2026 09:59:00 +0000\r\n\
         \r\n\
         --b--\r\n",
        base64_of(&format!("Hello {OSC52} {C1_CSI} {BIDI} \x1b[2J"))
    );
    let report = rebound::bounce::analyze(raw.as_bytes()).expect("the engine reads a DSN");
    assert!(
        report.original.subject.as_deref().is_some_and(|s| s.contains('\x1b')),
        "the decoded subject still carries the ESC (the test would prove nothing otherwise): {:?}",
        report.original.subject
    );
    let analysed =
        rebound::source::Analysed { origin: rebound::source::Origin::Demo { message: 1 }, report };
    let mut app = app_with(vec![analysed], 100, 30);
    every_view(&mut app, "hostile DSN");
}

fn base64_of(s: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let bytes = s.as_bytes();
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}
