//! Test support: a private Dovecot and the mail to put in it.

pub mod child;
pub mod compare;
#[cfg(feature = "imap")]
pub mod cyrus;
pub mod dovecot;
pub mod hostile;
pub mod mail;
pub mod run;
#[path = "../common/servers.rs"]
pub mod servers;
