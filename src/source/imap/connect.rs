//! Opening a logged-in session: TCP with timeouts, TLS (implicit or STARTTLS), login.
//!
//! We build the socket ourselves so reads time out (`imap::connect` hides the socket).
//! Before handing the stream to the `imap` crate we read the greeting and ask for
//! CAPABILITY by hand: the crate offers no command before login, and we need the
//! capabilities to refuse a plaintext login and to recognise an OAuth2-only server.

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

use native_tls::{HandshakeError, TlsConnector, TlsStream};

use super::bounded::{Bounded, Budget, Meter};
use super::cert;
use super::error::{Ctx, ImapError, server_text};
use crate::config::{Account, Auth, Secret, Tls};

/// The byte stream under the IMAP session: TLS, or plain for `allow_plaintext` tests.
pub enum Stream {
    Plain(TcpStream),
    Tls(Box<TlsStream<TcpStream>>),
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self {
            Stream::Plain(s) => s.read(buf),
            Stream::Tls(s) => s.read(buf),
        }
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Stream::Plain(s) => s.write(buf),
            Stream::Tls(s) => s.write(buf),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Stream::Plain(s) => s.flush(),
            Stream::Tls(s) => s.flush(),
        }
    }
}

pub type Session = imap::Session<Bounded<Stream>>;

/// A logged-in session and the meter that bounds what its next command may read.
pub struct Conn {
    pub session: Session,
    pub meter: Meter,
}

impl Conn {
    /// Run one command under `budget`. The crate keeps the server's unsolicited
    /// responses (`* OK [ALERT]`, EXISTS) in a queue nobody reads: empty it, so a
    /// chatty server cannot fill memory across many commands.
    pub fn run<T>(
        &mut self,
        budget: Budget,
        f: impl FnOnce(&mut Session) -> imap::error::Result<T>,
    ) -> imap::error::Result<T> {
        self.meter.set(budget);
        let result = f(&mut self.session);
        self.session.take_all_unsolicited().for_each(drop);
        result
    }
}

/// Most untagged lines accepted in answer to one command before login.
const PRE_LOGIN_UNTAGGED: usize = 100;

fn ctx<'a>(account: &'a Account, doing: &'a str) -> Ctx<'a> {
    Ctx { host: &account.host, port: account.port(), timeout: account.timeout_secs, doing }
}

/// Connect, secure, log in. The secret is fetched here, once per connection.
pub fn open(account: &Account) -> Result<Conn, ImapError> {
    let secret = account.secret()?;
    let connector = connector(account, false)?;
    let (stream, caps) = secured_stream(account, &connector)?;
    let meter = Meter::new(small_budget(account));
    let session = login(account, Bounded::new(stream, meter.clone()), &caps, &secret)?;
    Ok(Conn { session, meter })
}

/// The budget of a command that reads at most one message (see [`Budget::small`]).
pub fn small_budget(account: &Account) -> Budget {
    Budget::small(account.max_message_bytes, account.timeout_secs)
}

/// Log in and out again: checks host, certificate and credentials.
pub fn probe(account: &Account) -> Result<(), ImapError> {
    let mut conn = open(account)?;
    let _ = conn.run(small_budget(account), |s| s.logout());
    Ok(())
}

fn connector(account: &Account, insecure: bool) -> Result<TlsConnector, ImapError> {
    let mut builder = TlsConnector::builder();
    if insecure {
        // Only used to read the certificate we just refused, never to log in.
        builder.danger_accept_invalid_certs(true).danger_accept_invalid_hostnames(true);
    }
    if let Some(path) = &account.ca_file {
        let bad = |detail: String| ImapError::CaFile { path: path.display().to_string(), detail };
        // Whoever can change it decides which servers are trusted.
        crate::config::perms::check(path, crate::config::perms::Role::CaFile)
            .map_err(ImapError::UnsafeFile)?;
        let pem = std::fs::read(path).map_err(|e| bad(e.to_string()))?;
        let mut found = 0;
        for block in pem_blocks(&pem) {
            let cert = native_tls::Certificate::from_pem(block).map_err(|e| bad(e.to_string()))?;
            builder.add_root_certificate(cert);
            found += 1;
        }
        if found == 0 {
            return Err(bad("no PEM certificate (-----BEGIN CERTIFICATE-----) in it".into()));
        }
    }
    builder.build().map_err(|e| ImapError::Tls {
        host: account.host.clone(),
        port: account.port(),
        detail: e.to_string(),
        hint: "the TLS library could not be set up".into(),
    })
}

fn pem_blocks(pem: &[u8]) -> Vec<&[u8]> {
    const BEGIN: &[u8] = b"-----BEGIN CERTIFICATE-----";
    const END: &[u8] = b"-----END CERTIFICATE-----";
    let mut out = Vec::new();
    let mut rest = pem;
    while let Some(start) = memchr::memmem::find(rest, BEGIN) {
        let Some(len) = memchr::memmem::find(&rest[start..], END) else { break };
        out.push(&rest[start..start + len + END.len()]);
        rest = &rest[start + len + END.len()..];
    }
    out
}

fn tcp(account: &Account) -> Result<TcpStream, ImapError> {
    let c = ctx(account, "connecting");
    let timeout = Duration::from_secs(account.timeout_secs);
    let addrs: Vec<_> = (account.host.as_str(), account.port())
        .to_socket_addrs()
        .map_err(|e| ImapError::Dns { host: account.host.clone(), detail: e.to_string() })?
        .collect();
    if addrs.is_empty() {
        return Err(ImapError::Dns { host: account.host.clone(), detail: "no address".into() });
    }
    let mut last = None;
    for addr in addrs {
        match TcpStream::connect_timeout(&addr, timeout) {
            Ok(s) => {
                s.set_read_timeout(Some(timeout)).map_err(|e| c.io(e))?;
                s.set_write_timeout(Some(timeout)).map_err(|e| c.io(e))?;
                let _ = s.set_nodelay(true);
                return Ok(s);
            }
            Err(e) => last = Some(e),
        }
    }
    Err(c.io(last.unwrap_or_else(|| std::io::Error::other("no address to connect to"))))
}

/// A connected stream with TLS as configured, and the server's capabilities.
fn secured_stream(
    account: &Account,
    connector: &TlsConnector,
) -> Result<(Stream, Vec<String>), ImapError> {
    let mut sock = tcp(account)?;
    if account.tls != Tls::Implicit {
        expect_plain_greeting(account, &sock)?;
    }
    match account.tls {
        Tls::Implicit => {
            let mut tls = handshake(account, connector, sock)?;
            let caps = greeting_and_capabilities(account, &mut tls, true)?;
            Ok((Stream::Tls(Box::new(tls)), caps))
        }
        Tls::Starttls => {
            let caps = greeting_and_capabilities(account, &mut sock, true)?;
            if !has(&caps, "STARTTLS") {
                return Err(ImapError::NoStartTls { host: account.host.clone() });
            }
            command(account, &mut sock, "STARTTLS", &mut Vec::new())?;
            let mut tls = handshake(account, connector, sock)?;
            // Capabilities may change once the channel is secure (RFC 3501 §6.2.1).
            let caps = greeting_and_capabilities(account, &mut tls, false)?;
            Ok((Stream::Tls(Box::new(tls)), caps))
        }
        Tls::None => {
            let caps = greeting_and_capabilities(account, &mut sock, true)?;
            Ok((Stream::Plain(sock), caps))
        }
    }
}

/// How long a plain connection waits for the greeting before checking whether the
/// port speaks TLS instead: an implicit-TLS server says nothing until the client's
/// TLS hello, so without this STARTTLS on port 993 waited out every timeout.
const GREETING_PROBE: Duration = Duration::from_secs(3);

/// A STARTTLS or plaintext account: wait a little for the server's first byte; if none
/// comes and a TLS handshake on the same port gets a TLS answer, the port is an
/// implicit-TLS one and we say which setting to change.
fn expect_plain_greeting(account: &Account, sock: &TcpStream) -> Result<(), ImapError> {
    let c = ctx(account, "reading the greeting");
    let full = Duration::from_secs(account.timeout_secs);
    if full <= GREETING_PROBE {
        return Ok(());
    }
    sock.set_read_timeout(Some(GREETING_PROBE)).map_err(|e| c.io(e))?;
    let first = sock.peek(&mut [0u8; 1]);
    sock.set_read_timeout(Some(full - GREETING_PROBE)).map_err(|e| c.io(e))?;
    match first {
        Err(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
            ) =>
        {
            if speaks_tls(account) {
                return Err(ImapError::TlsMismatch {
                    host: account.host.clone(),
                    port: account.port(),
                    found: "implicit TLS (it waits for a TLS hello instead of greeting)",
                    fix: "set tls = \"implicit\" for this port (usually 993), or keep tls = \
                          \"starttls\" and use the server's STARTTLS port (usually 143)",
                });
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// Does the account's port answer a TLS handshake? Any TLS answer counts, a refusal
/// (an alert) included: a plain IMAP server answers with text, or nothing.
fn speaks_tls(account: &Account) -> bool {
    let Ok(insecure) = connector(account, true) else { return false };
    let Ok(sock) = tcp(account) else { return false };
    let _ = sock.set_read_timeout(Some(GREETING_PROBE));
    match insecure.connect(&account.host, sock) {
        Ok(_) => true,
        Err(HandshakeError::Failure(e)) => e.to_string().contains("alert"),
        Err(HandshakeError::WouldBlock(_)) => false,
    }
}

/// An implicit-TLS account whose handshake failed: is it a plain IMAP port (the
/// server greeted in clear text)?
fn speaks_plain_imap(account: &Account) -> bool {
    let Ok(mut sock) = tcp(account) else { return false };
    let _ = sock.set_read_timeout(Some(GREETING_PROBE));
    let mut head = [0u8; 10];
    let mut got = 0;
    while got < head.len() {
        match sock.read(&mut head[got..]) {
            Ok(0) | Err(_) => break,
            Ok(n) => got += n,
        }
    }
    let head = &head[..got];
    head.starts_with(b"* OK") || head.starts_with(b"* PRE") || head.starts_with(b"* BYE")
}

fn handshake(
    account: &Account,
    connector: &TlsConnector,
    sock: TcpStream,
) -> Result<TlsStream<TcpStream>, ImapError> {
    match connector.connect(&account.host, sock) {
        Ok(s) => Ok(s),
        // The server accepted STARTTLS, then never answered the TLS hello.
        Err(HandshakeError::WouldBlock(_)) if account.tls == Tls::Starttls => Err(ImapError::Tls {
            host: account.host.clone(),
            port: account.port(),
            detail: format!(
                "the server accepted STARTTLS but did not start TLS within {} s",
                account.timeout_secs
            ),
            hint: tls_hint(account),
        }),
        Err(HandshakeError::WouldBlock(_)) => {
            Err(ctx(account, "starting TLS").io(std::io::Error::from(std::io::ErrorKind::TimedOut)))
        }
        Err(HandshakeError::Failure(e)) => {
            if account.tls == Tls::Implicit && speaks_plain_imap(account) {
                return Err(ImapError::TlsMismatch {
                    host: account.host.clone(),
                    port: account.port(),
                    found: "plain IMAP (it greets in clear text)",
                    fix: "set tls = \"starttls\" for this port (usually 143), or keep tls = \
                          \"implicit\" and use the server's implicit-TLS port (usually 993)",
                });
            }
            Err(explain_tls_failure(account, e.to_string()))
        }
    }
}

/// What to try after a TLS failure, given the setting already in use: never suggest
/// the setting the account has.
fn tls_hint(account: &Account) -> String {
    match account.tls {
        Tls::Starttls => "STARTTLS is already in use: check the server's TLS setup, or try \
                          tls = \"implicit\" on its implicit-TLS port (usually 993)"
            .into(),
        _ => "if this port expects STARTTLS, use tls = \"starttls\" (usually port 143); for \
              implicit TLS use port 993"
            .into(),
    }
}

/// A handshake failed: if an unverified handshake works, the certificate was the
/// problem, and we show which certificate it was.
fn explain_tls_failure(account: &Account, detail: String) -> ImapError {
    let peer = connector(account, true).ok().and_then(|insecure| {
        let mut sock = tcp(account).ok()?;
        if account.tls == Tls::Starttls {
            greeting_and_capabilities(account, &mut sock, true).ok()?;
            command(account, &mut sock, "STARTTLS", &mut Vec::new()).ok()?;
        }
        let tls = insecure.connect(&account.host, sock).ok()?;
        tls.peer_certificate().ok().flatten()?.to_der().ok()
    });
    match peer {
        Some(der) => {
            let (subject, issuer) = cert::names(&der);
            let reason = if detail.contains("hostname mismatch")
                || detail.to_lowercase().contains("does not match")
            {
                format!("it is not valid for the name {}", account.host)
            } else {
                "it is not signed by a certificate authority this system trusts".to_string()
            };
            ImapError::UntrustedCertificate {
                host: account.host.clone(),
                reason: format!("{reason}; TLS said: {}", server_text(&detail)),
                subject,
                issuer,
                sha256: cert::sha256_fingerprint(&der),
            }
        }
        None => ImapError::Tls {
            host: account.host.clone(),
            port: account.port(),
            detail: server_text(&detail),
            hint: tls_hint(account),
        },
    }
}

fn has(caps: &[String], cap: &str) -> bool {
    caps.iter().any(|c| c.eq_ignore_ascii_case(cap))
}

/// Read the greeting (when `greeting`), then run CAPABILITY; the capability words.
fn greeting_and_capabilities(
    account: &Account,
    s: &mut impl ReadWrite,
    greeting: bool,
) -> Result<Vec<String>, ImapError> {
    if greeting {
        let line = read_line(account, s, "reading the greeting")?;
        let text = String::from_utf8_lossy(&line);
        // `get`: the greeting is the server's text, and may put a multi-byte
        // character across byte 6.
        if text.get(..6).is_some_and(|p| p.eq_ignore_ascii_case("* BYE ")) {
            return Err(ImapError::Bye {
                host: account.host.clone(),
                server: server_text(&text[6..]),
            });
        }
        if !text.starts_with("* OK") && !text.starts_with("* PREAUTH") {
            return Err(ImapError::Protocol {
                host: account.host.clone(),
                doing: "reading the greeting".into(),
                detail: format!("not an IMAP server? It said: {}", server_text(&text)),
            });
        }
    }
    let mut untagged = Vec::new();
    command(account, s, "CAPABILITY", &mut untagged)?;
    let mut caps = Vec::new();
    for line in untagged {
        if let Some(rest) = strip_ci(&line, "* CAPABILITY ") {
            caps.extend(rest.split_whitespace().map(str::to_string));
        }
    }
    Ok(caps)
}

trait ReadWrite: Read + Write {}
impl<T: Read + Write> ReadWrite for T {}

fn strip_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    s.get(..prefix.len())?.eq_ignore_ascii_case(prefix).then(|| &s[prefix.len()..])
}

/// Run one pre-login command; its untagged lines go to `untagged`.
fn command(
    account: &Account,
    s: &mut impl ReadWrite,
    cmd: &str,
    untagged: &mut Vec<String>,
) -> Result<(), ImapError> {
    let doing = format!("sending {cmd}");
    s.write_all(format!("rb0 {cmd}\r\n").as_bytes())
        .and_then(|_| s.flush())
        .map_err(|e| ctx(account, &doing).io(e))?;
    loop {
        let line = read_line(account, s, &doing)?;
        let text = String::from_utf8_lossy(&line).trim_end().to_string();
        if let Some(rest) = text.strip_prefix("rb0 ") {
            if strip_ci(rest, "OK").is_some() {
                return Ok(());
            }
            return Err(ImapError::Protocol {
                host: account.host.clone(),
                doing,
                detail: server_text(rest),
            });
        }
        if let Some(rest) = strip_ci(&text, "* BYE ") {
            return Err(ImapError::Bye { host: account.host.clone(), server: server_text(rest) });
        }
        if untagged.len() >= PRE_LOGIN_UNTAGGED {
            return Err(ImapError::TooMuch {
                host: account.host.clone(),
                doing,
                what: format!("more than {PRE_LOGIN_UNTAGGED} untagged responses"),
            });
        }
        untagged.push(text);
    }
}

/// One line, read a byte at a time so nothing meant for the `imap` crate is consumed.
fn read_line(account: &Account, s: &mut impl Read, doing: &str) -> Result<Vec<u8>, ImapError> {
    let mut line = Vec::new();
    let mut byte = [0u8; 1];
    while line.len() < 64 * 1024 {
        match s.read(&mut byte) {
            Ok(0) => {
                return Err(ImapError::ConnectionLost {
                    host: account.host.clone(),
                    doing: doing.into(),
                });
            }
            Ok(_) => {
                line.push(byte[0]);
                if byte[0] == b'\n' {
                    return Ok(line);
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(ctx(account, doing).io(e)),
        }
    }
    Err(ImapError::Protocol {
        host: account.host.clone(),
        doing: doing.into(),
        detail: "a line longer than 64 kB".into(),
    })
}

struct XOAuth2<'a> {
    user: &'a str,
    token: &'a str,
}

impl imap::Authenticator for XOAuth2<'_> {
    type Response = String;
    fn process(&self, challenge: &[u8]) -> String {
        // A non-empty challenge is the server's JSON error; an empty reply ends the exchange.
        if !challenge.is_empty() {
            return String::new();
        }
        format!("user={}\x01auth=Bearer {}\x01\x01", self.user, self.token)
    }
}

fn login(
    account: &Account,
    stream: Bounded<Stream>,
    caps: &[String],
    secret: &Secret,
) -> Result<Session, ImapError> {
    let client = imap::Client::new(stream);
    let c = ctx(account, "logging in");
    let (host, user) = (account.host.clone(), account.user.clone());
    // IMAP cannot quote CR, LF or NUL: say so, instead of a confusing refusal later.
    if secret.expose().contains(['\r', '\n', '\0']) {
        let what =
            if matches!(secret, Secret::OAuth2Token(_)) { "OAuth2 token" } else { "password" };
        return Err(ImapError::BadSecret { user, what, from: account.secret_source() });
    }
    match (account.auth, secret) {
        (Auth::Xoauth2, Secret::OAuth2Token(token)) => {
            if !has(caps, "AUTH=XOAUTH2") {
                return Err(ImapError::NoXoauth2 { host });
            }
            let auth = XOAuth2 { user: &account.user, token };
            client.authenticate("XOAUTH2", &auth).map_err(|(e, _)| match e {
                imap::Error::No(imap::error::No { information: s, .. })
                | imap::Error::Bad(imap::error::Bad { information: s, .. }) => {
                    ImapError::OAuth2Rejected { host, user, server: server_text(&s) }
                }
                other => c.imap(other),
            })
        }
        (_, secret) => {
            if has(caps, "LOGINDISABLED") {
                return Err(ImapError::LoginDisabled { host });
            }
            let offers_oauth = has(caps, "AUTH=XOAUTH2");
            client.login(&account.user, secret.expose()).map_err(|(e, _)| match e {
                // Microsoft answers a password login with a bare "LOGIN failed."
                imap::Error::No(imap::error::No { information: s, .. })
                    if offers_oauth && s.to_ascii_lowercase().contains("login failed") =>
                {
                    ImapError::NeedsOAuth2 { host, user, server: server_text(&s) }
                }
                imap::Error::No(imap::error::No { information: s, .. }) => {
                    ImapError::WrongPassword {
                        host,
                        user,
                        server: server_text(&s),
                        from: account.secret_source(),
                        oauth_hint: if offers_oauth {
                            "; this server also accepts OAuth2 (auth = \"xoauth2\")"
                        } else {
                            ""
                        },
                    }
                }
                other => c.imap(other),
            })
        }
    }
}
