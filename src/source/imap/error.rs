//! What can go wrong talking to an IMAP server, in words a person can act on.
//!
//! Every variant's text says what happened and what to change. Server replies are
//! untrusted and pass through `clean_line`; secrets never appear (we only ever hold
//! the command that prints them).

use thiserror::Error;

use crate::config::SecretError;
use crate::text::clean_line;

#[derive(Debug, Error)]
pub enum ImapError {
    #[error("{0}")]
    Secret(#[from] SecretError),
    #[error("cannot find the IMAP server {host}: {detail}. Check the host name (and your DNS)")]
    Dns { host: String, detail: String },
    #[error(
        "{host} port {port} refused the connection: check the host and port (993 for imaps, \
         143 for STARTTLS) and that the server runs"
    )]
    Refused { host: String, port: u16 },
    #[error(
        "{host} port {port} did not answer within {secs} s while {doing}: check the network, a \
         firewall or VPN, or raise timeout_secs"
    )]
    Timeout { host: String, port: u16, secs: u64, doing: String },
    #[error("network error talking to {host} port {port} while {doing}: {detail}")]
    Network { host: String, port: u16, doing: String, detail: String },
    #[error(
        "the certificate of {host} is not trusted ({reason}).\n  subject: {subject}\n  issuer:  \
         {issuer}\n  SHA-256: {sha256}\nIf your administrator confirms this fingerprint, save the \
         server's CA certificate (or the certificate itself) as a PEM file and set \
         ca_file = \"/path/to/ca.pem\" in the account"
    )]
    UntrustedCertificate {
        host: String,
        reason: String,
        subject: String,
        issuer: String,
        sha256: String,
    },
    #[error("TLS with {host} port {port} failed: {detail}. {hint}")]
    Tls { host: String, port: u16, detail: String, hint: String },
    #[error("{host} port {port} speaks {found}, not what the account's tls setting expects: {fix}")]
    TlsMismatch { host: String, port: u16, found: &'static str, fix: &'static str },
    #[error(
        "{host} does not offer STARTTLS, so the password would travel unencrypted: use \
         tls = \"implicit\" (port 993)"
    )]
    NoStartTls { host: String },
    #[error(
        "{host} refuses plaintext logins (LOGINDISABLED): connect with TLS (tls = \"implicit\" or \
         \"starttls\")"
    )]
    LoginDisabled { host: String },
    #[error(
        "{host} rejected the password for {user} (server said: {server}). Check the password \
         {from}{oauth_hint}"
    )]
    WrongPassword {
        host: String,
        user: String,
        server: String,
        /// Where the password came from, e.g. "that password_command `pass x` prints".
        from: String,
        oauth_hint: &'static str,
    },
    #[error(
        "the {what} for {user} contains a line break or a NUL byte, which IMAP cannot send: \
         check {from} (only its first line is used, and it must not end in a stray \\r)"
    )]
    BadSecret { user: String, what: &'static str, from: String },
    #[error(
        "{host} refused a password login for {user} (\"{server}\"): this server needs OAuth2: set \
         auth = \"xoauth2\" and oauth2_token_command (a command that prints a fresh access \
         token) in the account. Microsoft 365 and Outlook.com no longer accept passwords over IMAP"
    )]
    NeedsOAuth2 { host: String, user: String, server: String },
    #[error(
        "{host} rejected the OAuth2 token for {user} (server said: {server}). The token may be \
         expired, for another user, or lack the IMAP scope: check what oauth2_token_command prints"
    )]
    OAuth2Rejected { host: String, user: String, server: String },
    #[error("{host} does not offer XOAUTH2 logins: use auth = \"login\" with a password")]
    NoXoauth2 { host: String },
    #[error("the server {host} closed the session: {server}")]
    Bye { host: String, server: String },
    #[error(
        "the connection to {host} was lost while {doing}; rebound reconnects and carries on \
         where it was (already read messages are kept in the cache)"
    )]
    ConnectionLost { host: String, doing: String },
    #[error(
        "folder \"{folder}\" cannot be opened on {host} (server said: {server}): check \
         `folders`{hint}"
    )]
    Folder {
        host: String,
        folder: String,
        server: String,
        /// The server's folders that come close, as "; did you mean ...?" (or empty).
        hint: String,
    },
    #[error("{host} answered something unexpected while {doing}: {detail}")]
    Protocol { host: String, doing: String, detail: String },
    #[error(
        "{host} sent {what} while {doing}: rebound ended the session there, so its memory \
         stays bounded. If this server holds messages larger than max_message_bytes, raise \
         max_message_bytes in the account; otherwise the server is misbehaving"
    )]
    TooMuch { host: String, doing: String, what: String },
    #[error("cannot read ca_file {path}: {detail}")]
    CaFile { path: String, detail: String },
    /// A file others could change (the CA file): refused, the text says how to fix it.
    #[error("{0}")]
    UnsafeFile(String),
}

impl ImapError {
    /// True when a fresh connection may succeed where this one failed.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            ImapError::Timeout { .. }
                | ImapError::Network { .. }
                | ImapError::ConnectionLost { .. }
                | ImapError::Protocol { .. }
                | ImapError::Bye { .. }
        )
    }
}

/// Context for turning the crate's errors into ours.
pub(crate) struct Ctx<'a> {
    pub host: &'a str,
    pub port: u16,
    pub timeout: u64,
    pub doing: &'a str,
}

impl Ctx<'_> {
    pub fn io(&self, e: std::io::Error) -> ImapError {
        use std::io::ErrorKind::*;
        if let Some(exceeded) = super::bounded::Exceeded::find(&e) {
            return ImapError::TooMuch {
                host: self.host.into(),
                doing: self.doing.into(),
                what: exceeded.what.clone(),
            };
        }
        match e.kind() {
            // A read timeout shows up as WouldBlock on Linux, TimedOut elsewhere.
            WouldBlock | TimedOut => ImapError::Timeout {
                host: self.host.into(),
                port: self.port,
                secs: self.timeout,
                doing: self.doing.into(),
            },
            ConnectionRefused => ImapError::Refused { host: self.host.into(), port: self.port },
            UnexpectedEof | ConnectionReset | ConnectionAborted | BrokenPipe => {
                ImapError::ConnectionLost { host: self.host.into(), doing: self.doing.into() }
            }
            _ => ImapError::Network {
                host: self.host.into(),
                port: self.port,
                doing: self.doing.into(),
                detail: e.to_string(),
            },
        }
    }

    pub fn imap(&self, e: imap::Error) -> ImapError {
        match e {
            imap::Error::Io(io) => self.io(io),
            imap::Error::ConnectionLost => {
                ImapError::ConnectionLost { host: self.host.into(), doing: self.doing.into() }
            }
            imap::Error::Tls(t) => ImapError::Network {
                host: self.host.into(),
                port: self.port,
                doing: self.doing.into(),
                detail: t.to_string(),
            },
            imap::Error::TlsHandshake(t) => ImapError::Tls {
                host: self.host.into(),
                port: self.port,
                detail: t.to_string(),
                hint: String::new(),
            },
            imap::Error::Bad(imap::error::Bad { information: s, .. })
            | imap::Error::No(imap::error::No { information: s, .. }) => ImapError::Protocol {
                host: self.host.into(),
                doing: self.doing.into(),
                detail: server_text(&s),
            },
            imap::Error::Bye(imap::error::Bye { information, .. }) => {
                ImapError::Bye { host: self.host.into(), server: server_text(&information) }
            }
            other => ImapError::Protocol {
                host: self.host.into(),
                doing: self.doing.into(),
                detail: server_text(&other.to_string()),
            },
        }
    }
}

/// A server's words, safe to print and not too long.
pub(crate) fn server_text(s: &str) -> String {
    let cleaned = clean_line(s.trim()).into_owned();
    match cleaned.char_indices().nth(300) {
        Some((i, _)) => format!("{}…", &cleaned[..i]),
        None => cleaned,
    }
}
