//! The raw view of an IMAP message: the screen fetches it again from a real Dovecot
//! (read-only), and refuses when the folder was renumbered since the scan.

#![cfg(feature = "imap")]

mod support;

use rebound::config::Tls;
use rebound::source::Origin;
use rebound::source::imap::{ImapOptions, ImapSource, fetch_message};
use support::dovecot::{Dovecot, Options};
use support::mail;
use support::run::run;
use support::servers::{self, Need};

fn lf(bytes: &[u8]) -> Vec<u8> {
    String::from_utf8_lossy(bytes).replace("\r\n", "\n").into_bytes()
}

#[test]
fn raw_view_fetches_the_scanned_message_again_without_changing_the_mailbox() {
    if !servers::have(Need::Dovecot) {
        return;
    }
    let server = Dovecot::start(Options::default());
    let bounce = rebound::source::demo::raw_message(1).expect("demo message").to_vec();
    mail::deliver(&server, "1700000000.M1P1.raw000001", &mail::ordinary(1), false);
    mail::deliver(&server, "1700000000.M2P1.raw000002", &bounce, false);
    let account = server.account(Tls::Implicit);
    let cache = tempfile::tempdir().expect("cache dir");
    let options = ImapOptions { cache_dir: Some(cache.path().to_path_buf()), ..Default::default() };
    let found = run(&mut ImapSource::with_options(account.clone(), options)).reports;
    let Some(Origin::Imap { folder, uidvalidity, uid, .. }) = found.first().map(|a| &a.origin)
    else {
        panic!("the scan found no bounce: {found:?}");
    };
    let before = mail::snapshot(&server);

    let bytes = fetch_message(&account, folder, *uidvalidity, *uid).expect("fetched again");
    assert_eq!(lf(&bytes), lf(&bounce), "the very message the scan analysed");
    assert_eq!(mail::snapshot(&server), before, "no flag changed (BODY.PEEK, EXAMINE)");

    let err = fetch_message(&account, folder, uidvalidity.wrapping_add(1), *uid).unwrap_err();
    assert!(err.to_string().contains("renumbered"), "{err}");
    let err = fetch_message(&account, folder, *uidvalidity, uid + 1000).unwrap_err();
    assert!(err.to_string().contains("no longer"), "{err}");
}
