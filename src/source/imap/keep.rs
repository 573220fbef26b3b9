//! One IMAP session kept open for fetching messages again (the screen's raw view,
//! pager, pipe and save), instead of a new connection, TLS handshake and login per
//! key press. A failed command drops the session (the `imap` crate must not be used
//! after a failed read) and the next fetch connects again, once.

use crate::config::Account;

use super::connect::{self, Conn};
use super::error::{Ctx, ImapError};

/// A read-only session on one account, opened on first use.
pub struct KeptSession {
    account: Account,
    session: Option<Conn>,
    /// The folder examined last, with its UIDVALIDITY (EXAMINE again only to change).
    folder: Option<(String, u32)>,
    /// Sessions opened so far (tests check that repeats reuse one).
    pub connections: u32,
}

impl KeptSession {
    pub fn new(account: Account) -> KeptSession {
        KeptSession { account, session: None, folder: None, connections: 0 }
    }

    pub fn account(&self) -> &Account {
        &self.account
    }

    /// The raw bytes of `uid`, reconnecting once if the kept session has gone stale.
    pub fn fetch(
        &mut self,
        folder: &str,
        uidvalidity: u32,
        uid: u32,
    ) -> Result<Vec<u8>, ImapError> {
        match self.try_fetch(folder, uidvalidity, uid) {
            Err(e) if e.is_transient() => {
                self.session = None;
                self.try_fetch(folder, uidvalidity, uid)
            }
            other => other,
        }
    }

    fn try_fetch(
        &mut self,
        folder: &str,
        uidvalidity: u32,
        uid: u32,
    ) -> Result<Vec<u8>, ImapError> {
        let account = &self.account;
        let ctx = |doing| Ctx {
            host: &account.host,
            port: account.port(),
            timeout: account.timeout_secs,
            doing,
        };
        if self.session.is_none() {
            self.session = Some(connect::open(account)?);
            self.folder = None;
            self.connections += 1;
        }
        let Some(conn) = self.session.as_mut() else { unreachable!("just connected") };
        let budget = connect::small_budget(account);
        let result = (|| {
            let now = match &self.folder {
                Some((f, v)) if f == folder => *v,
                _ => {
                    let mailbox = conn
                        .run(budget, |s| s.examine(folder))
                        .map_err(|e| ctx("opening the folder").imap(e))?;
                    let v = mailbox.uid_validity.unwrap_or(0);
                    self.folder = Some((folder.to_string(), v));
                    v
                }
            };
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
        if matches!(&result, Err(e) if e.is_transient()) {
            self.session = None;
        }
        result
    }
}

impl Drop for KeptSession {
    fn drop(&mut self) {
        if let Some(mut conn) = self.session.take() {
            let budget = connect::small_budget(&self.account);
            let _ = conn.run(budget, |s| s.logout());
        }
    }
}
