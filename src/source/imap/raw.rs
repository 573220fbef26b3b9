//! One message fetched again, whole, for the screen's raw view: a short read-only
//! session (EXAMINE, BODY.PEEK[]) that checks the folder's UIDVALIDITY is still the
//! one the scan saw, so a renumbered folder never shows the wrong message.

use crate::config::Account;

use super::connect;
use super::error::{Ctx, ImapError};

/// The raw bytes of `uid` in `folder`, or why they cannot be had.
pub fn fetch_message(
    account: &Account,
    folder: &str,
    uidvalidity: u32,
    uid: u32,
) -> Result<Vec<u8>, ImapError> {
    let mut conn = connect::open(account)?;
    let budget = connect::small_budget(account);
    let ctx = |doing| Ctx {
        host: &account.host,
        port: account.port(),
        timeout: account.timeout_secs,
        doing,
    };
    let result = (|| {
        let mailbox = conn
            .run(budget, |s| s.examine(folder))
            .map_err(|e| ctx("opening the folder").imap(e))?;
        let now = mailbox.uid_validity.unwrap_or(0);
        if now != uidvalidity {
            return Err(ImapError::Protocol {
                host: account.host.clone(),
                doing: "fetching one message".into(),
                detail: format!(
                    "{folder} was renumbered since the scan (UIDVALIDITY {uidvalidity} is now \
                     {now}); press r to rescan"
                ),
            });
        }
        let fetched = conn
            .run(budget, |s| s.uid_fetch(uid.to_string(), "(UID BODY.PEEK[])"))
            .map_err(|e| ctx("fetching one message").imap(e))?;
        let body = fetched.iter().find(|f| f.uid == Some(uid)).and_then(|f| f.body());
        match body {
            Some(bytes) => Ok(bytes.to_vec()),
            None => Err(ImapError::Protocol {
                host: account.host.clone(),
                doing: "fetching one message".into(),
                detail: format!("UID {uid} is no longer in {folder}"),
            }),
        }
    })();
    let _ = conn.run(budget, |s| s.logout());
    result
}
