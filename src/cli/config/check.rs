//! `rebound config check`: log in the way a scan does, one step at a time (DNS, TCP,
//! TLS and the certificate, greeting, capabilities, password, login, folders), and say
//! which step fails and how to fix it.
//!
//! The scan's own connection code (`source::imap`) does all of this in one go and
//! explains a failure in one message; here each step is done and reported on its own,
//! and a failure is looked at once more to tell its likely causes apart (a certificate
//! nobody trusts from a port that does not speak TLS at all, for instance). Nothing is
//! ever changed on the server: folders are opened with EXAMINE.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::time::{Duration, Instant};

use native_tls::{HandshakeError, TlsConnector, TlsStream};
use rebound::config::{Account, Auth, Secret, SecretError, Tls};
use rebound::text::clean_line;
use sha2::{Digest, Sha256};

/// The longest we wait for a greeting: a real server greets at once, and a port that
/// waits for TLS instead would otherwise hold us for the whole `timeout_secs`.
const GREETING_WAIT: Duration = Duration::from_secs(10);
/// How long the second looks (what does this port speak?) may take.
const PEEK_WAIT: Duration = Duration::from_secs(3);

trait ReadWrite: Read + Write {}
impl<T: Read + Write> ReadWrite for T {}

/// The connection, once TLS is settled.
enum Conn {
    Plain(TcpStream),
    Tls(Box<TlsStream<TcpStream>>),
}

impl Read for Conn {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self {
            Conn::Plain(s) => s.read(buf),
            Conn::Tls(s) => s.read(buf),
        }
    }
}

impl Write for Conn {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Conn::Plain(s) => s.write(buf),
            Conn::Tls(s) => s.write(buf),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Conn::Plain(s) => s.flush(),
            Conn::Tls(s) => s.flush(),
        }
    }
}

/// A step that failed: what happened and what to do about it.
struct Failure {
    step: &'static str,
    what: String,
    fix: String,
}

fn fail<T>(
    step: &'static str,
    what: impl Into<String>,
    fix: impl Into<String>,
) -> Result<T, Failure> {
    Err(Failure { step, what: what.into(), fix: fix.into() })
}

/// Writes the steps as they pass.
struct Steps<'a, W: Write> {
    out: &'a mut W,
}

impl<W: Write> Steps<'_, W> {
    fn ok(&mut self, step: &str, detail: impl AsRef<str>) -> std::io::Result<()> {
        writeln!(self.out, "ok    {step:<13} {}", detail.as_ref())?;
        self.out.flush()
    }

    fn failed(&mut self, f: &Failure) -> std::io::Result<()> {
        writeln!(self.out, "FAIL  {:<13} {}", f.step, f.what)?;
        for (i, line) in f.fix.lines().enumerate() {
            let label = if i == 0 { "fix:" } else { "    " };
            writeln!(self.out, "      {label} {line}")?;
        }
        self.out.flush()
    }
}

/// Run every step for `account`; true when all passed. Only writing `out` can fail.
pub fn run(account: &Account, out: &mut impl Write) -> anyhow::Result<bool> {
    let mut steps = Steps { out };
    writeln!(
        steps.out,
        "account {}: {} at {} port {}, tls = \"{}\", auth = \"{}\"",
        account.name,
        account.user,
        account.host,
        account.port(),
        account.tls,
        match account.auth {
            Auth::Login => "login",
            Auth::Xoauth2 => "xoauth2",
        }
    )?;
    let result = steps_for(account, &mut steps);
    match result {
        Ok(Ok(folders_ok)) => {
            if folders_ok {
                writeln!(
                    steps.out,
                    "All steps passed: `rebound --account {0}` opens it on the screen, \
                     `rebound scan --account {0}` prints its bounces.",
                    account.name
                )?;
            } else {
                writeln!(steps.out, "The login works, but a folder does not: fix `folders`.")?;
            }
            Ok(folders_ok)
        }
        Ok(Err(f)) => {
            steps.failed(&f)?;
            writeln!(steps.out, "Stopped at the {} step.", f.step)?;
            Ok(false)
        }
        Err(io) => Err(anyhow::Error::new(io).context("writing the check to stdout")),
    }
}

/// The steps; the outer error is a failed write to `out`, the inner one a failed step.
/// `Ok(Ok(false))`: logged in, but some folder cannot be opened.
fn steps_for<W: Write>(
    account: &Account,
    steps: &mut Steps<W>,
) -> std::io::Result<Result<bool, Failure>> {
    macro_rules! step {
        ($e:expr) => {
            match $e {
                Ok(v) => v,
                Err(f) => return Ok(Err(f)),
            }
        };
    }
    let port = account.port();
    let timeout = Duration::from_secs(account.timeout_secs.max(1));

    let addrs = step!(resolve(account));
    let shown: Vec<String> = addrs.iter().take(4).map(|a| a.ip().to_string()).collect();
    steps.ok("DNS", format!("{} is {}", account.host, shown.join(", ")))?;

    let (tcp, addr, took) = step!(connect(account, &addrs, timeout));
    steps.ok("TCP", format!("connected to {addr} in {} ms", took.as_millis()))?;

    let connector = step!(connector(account, false));
    let trust = match &account.ca_file {
        Some(f) => format!("trusted through ca_file {}", f.display()),
        None => "trusted by this system".to_string(),
    };
    let greeting_wait = timeout.min(GREETING_WAIT);
    let (conn, caps) = match account.tls {
        Tls::Implicit => {
            let mut tls = step!(handshake(account, &connector, tcp, addr));
            steps.ok("TLS", format!("certificate valid for {} and {trust}", account.host))?;
            let _ = tls.get_ref().set_read_timeout(Some(greeting_wait));
            let greeting = step!(greeting(account, &mut tls, addr, false));
            let _ = tls.get_ref().set_read_timeout(Some(timeout));
            steps.ok("greeting", greeting)?;
            let caps = step!(capabilities(&mut tls));
            (Conn::Tls(Box::new(tls)), caps)
        }
        Tls::Starttls => {
            let mut tcp = tcp;
            let _ = tcp.set_read_timeout(Some(greeting_wait));
            let greeting = step!(greeting(account, &mut tcp, addr, true));
            let _ = tcp.set_read_timeout(Some(timeout));
            steps.ok("greeting", greeting)?;
            let caps = step!(capabilities(&mut tcp));
            if !has(&caps, "STARTTLS") {
                return Ok(fail(
                    "STARTTLS",
                    format!("{} does not offer STARTTLS on port {port}", account.host),
                    "use tls = \"implicit\" (usually port 993); rebound never logs in unencrypted \
                     to a server on the network",
                ));
            }
            step!(command(&mut tcp, "STARTTLS", &mut Vec::new()).map_err(|e| Failure {
                step: "STARTTLS",
                what: e,
                fix: "use tls = \"implicit\" (usually port 993)".into(),
            }));
            let mut tls = step!(handshake(account, &connector, tcp, addr));
            steps.ok(
                "TLS",
                format!("STARTTLS; certificate valid for {} and {trust}", account.host),
            )?;
            // Capabilities may change once the channel is secure (RFC 3501 section 6.2.1).
            let caps = step!(capabilities(&mut tls));
            (Conn::Tls(Box::new(tls)), caps)
        }
        Tls::None => {
            let mut tcp = tcp;
            let _ = tcp.set_read_timeout(Some(greeting_wait));
            let greeting = step!(greeting(account, &mut tcp, addr, true));
            let _ = tcp.set_read_timeout(Some(timeout));
            steps.ok("greeting", format!("{greeting} (no TLS: allow_plaintext = true)"))?;
            let caps = step!(capabilities(&mut tcp));
            (Conn::Plain(tcp), caps)
        }
    };
    let shown: Vec<&str> = caps.iter().map(String::as_str).take(14).collect();
    let more = if caps.len() > shown.len() { " ..." } else { "" };
    steps.ok("capabilities", format!("{}{more}", shown.join(" ")))?;
    step!(can_log_in(account, &caps));

    let secret = step!(account.secret().map_err(|e| Failure {
        step: "password",
        what: e.to_string(),
        fix: secret_fix(&e),
    }));
    steps.ok("password", secret_source(account))?;

    let mut conn = conn;
    step!(login(account, &mut conn, &caps, &secret));
    steps.ok("login", format!("logged in as {}", account.user))?;

    let mut all = true;
    for folder in &account.folders {
        match examine(&mut conn, folder) {
            Ok(exists) => {
                steps.ok("folder", format!("{folder}: {exists} messages (opened read-only)"))?
            }
            Err(why) => {
                all = false;
                let names = folder_names(&mut conn);
                let fix = if names.is_empty() {
                    "check `folders` in the account: names are case-sensitive, except INBOX"
                        .to_string()
                } else {
                    format!(
                        "set `folders` to folders that exist; this account has: {}",
                        names.join(", ")
                    )
                };
                steps.failed(&Failure {
                    step: "folder",
                    what: format!("{folder}: cannot be opened ({why})"),
                    fix,
                })?;
            }
        }
    }
    let _ = exchange(&mut conn, "LOGOUT", &[], &mut Vec::new());
    Ok(Ok(all))
}

fn resolve(account: &Account) -> Result<Vec<SocketAddr>, Failure> {
    let fix = format!(
        "check `host` in the account: the name of your provider's IMAP server, such as \
         imap.gmail.com or outlook.office365.com. `getent hosts {}` shows what this machine \
         finds for it",
        account.host
    );
    match (account.host.as_str(), account.port()).to_socket_addrs() {
        Ok(addrs) => {
            let addrs: Vec<SocketAddr> = addrs.collect();
            if addrs.is_empty() {
                fail("DNS", format!("{} has no address", account.host), fix)
            } else {
                Ok(addrs)
            }
        }
        Err(e) => fail("DNS", format!("cannot find {}: {e}", account.host), fix),
    }
}

fn connect(
    account: &Account,
    addrs: &[SocketAddr],
    timeout: Duration,
) -> Result<(TcpStream, SocketAddr, Duration), Failure> {
    let port = account.port();
    let mut errors = Vec::new();
    let mut refused = false;
    for &addr in addrs {
        let started = Instant::now();
        match TcpStream::connect_timeout(&addr, timeout) {
            Ok(s) => {
                let _ = s.set_read_timeout(Some(timeout));
                let _ = s.set_write_timeout(Some(timeout));
                let _ = s.set_nodelay(true);
                return Ok((s, addr, started.elapsed()));
            }
            Err(e) => {
                refused |= e.kind() == std::io::ErrorKind::ConnectionRefused;
                errors.push(format!("{addr}: {e}"));
            }
        }
    }
    let fix = if refused {
        format!(
            "nothing accepts connections on port {port}: check `port` (993 for tls = \
             \"implicit\", 143 for tls = \"starttls\") and that the server runs; a firewall \
             can refuse too"
        )
    } else {
        format!(
            "check the network, a firewall or VPN on the way to {} port {port}, or raise \
             timeout_secs (now {})",
            account.host, account.timeout_secs
        )
    };
    fail("TCP", errors.join("; "), fix)
}

fn connector(account: &Account, insecure: bool) -> Result<TlsConnector, Failure> {
    let mut builder = TlsConnector::builder();
    if insecure {
        // Only to look at a certificate we refused; never used to log in.
        builder.danger_accept_invalid_certs(true).danger_accept_invalid_hostnames(true);
    }
    if let Some(path) = &account.ca_file {
        let bad = |detail: String| Failure {
            step: "TLS",
            what: format!("cannot use ca_file {}: {detail}", path.display()),
            fix: "point ca_file at a PEM file holding the CA certificate (-----BEGIN \
                  CERTIFICATE-----), or remove it to trust this system's CAs"
                .into(),
        };
        let pem = std::fs::read(path).map_err(|e| bad(e.to_string()))?;
        let text = String::from_utf8_lossy(&pem);
        let mut found = 0;
        let mut rest = text.as_ref();
        while let Some(start) = rest.find("-----BEGIN CERTIFICATE-----") {
            let Some(len) = rest[start..].find("-----END CERTIFICATE-----") else { break };
            let end = start + len + "-----END CERTIFICATE-----".len();
            let cert = native_tls::Certificate::from_pem(&rest.as_bytes()[start..end])
                .map_err(|e| bad(e.to_string()))?;
            builder.add_root_certificate(cert);
            found += 1;
            rest = &rest[end..];
        }
        if found == 0 {
            return Err(bad("no PEM certificate in it".into()));
        }
    }
    builder.build().map_err(|e| Failure {
        step: "TLS",
        what: format!("cannot set up TLS: {e}"),
        fix: "check this system's OpenSSL installation".into(),
    })
}

fn handshake(
    account: &Account,
    connector: &TlsConnector,
    tcp: TcpStream,
    addr: SocketAddr,
) -> Result<TlsStream<TcpStream>, Failure> {
    match connector.connect(&account.host, tcp) {
        Ok(s) => Ok(s),
        Err(HandshakeError::WouldBlock(_)) => fail(
            "TLS",
            format!("{addr} did not answer the TLS handshake within {} s", account.timeout_secs),
            tls_mode_fix(account),
        ),
        Err(HandshakeError::Failure(e)) => Err(explain_tls_failure(account, addr, &e.to_string())),
    }
}

/// The TLS handshake failed: either the certificate (then a handshake that checks
/// nothing works, and we show the certificate) or the port does not speak TLS.
fn explain_tls_failure(account: &Account, addr: SocketAddr, detail: &str) -> Failure {
    let detail = clean_line(detail).into_owned();
    if let Some(der) = peer_certificate(account, addr) {
        let fingerprint = sha256_fingerprint(&der);
        let name_problem = detail.contains("hostname mismatch")
            || detail.to_ascii_lowercase().contains("does not match");
        let what = if name_problem {
            format!("the certificate is not valid for the name {} ({detail})", account.host)
        } else {
            format!(
                "the certificate is not signed by a certificate authority this system trusts \
                 ({detail})"
            )
        };
        let starttls = if account.tls == Tls::Starttls { " -starttls imap" } else { "" };
        let mut fix = if name_problem {
            format!(
                "connect by the name the certificate is for: set `host` to that name. See the \
                 certificate with:\n  openssl s_client -connect {}:{}{starttls} -showcerts \
                 </dev/null",
                account.host,
                account.port()
            )
        } else {
            format!(
                "if your administrator confirms the certificate's SHA-256 fingerprint\n  \
                 {fingerprint}\nsave the server's CA certificate (or the certificate itself) as \
                 a PEM file and set ca_file = \"/path/to/ca.pem\" in the account. See it with:\n  \
                 openssl s_client -connect {}:{}{starttls} -showcerts </dev/null",
                account.host,
                account.port()
            )
        };
        if account.ca_file.is_some() && !name_problem {
            fix.push_str(
                "\n(ca_file is set: it does not hold the CA that signed this certificate)",
            );
        }
        return Failure { step: "TLS", what, fix };
    }
    if account.tls == Tls::Implicit && speaks_plain_imap(addr) {
        return Failure {
            step: "TLS",
            what: format!(
                "port {} answers in plain text (an IMAP greeting), not TLS ({detail})",
                account.port()
            ),
            fix: "this port expects STARTTLS: set tls = \"starttls\" (usual port 143), or use \
                  the server's implicit-TLS port with tls = \"implicit\" (usual port 993)"
                .into(),
        };
    }
    Failure {
        step: "TLS",
        what: format!("the TLS handshake failed: {detail}"),
        fix: tls_mode_fix(account),
    }
}

fn tls_mode_fix(account: &Account) -> String {
    match account.tls {
        Tls::Implicit => "check `port` and `tls`: tls = \"implicit\" goes with the server's \
                          implicit-TLS port (usually 993), tls = \"starttls\" with its plain \
                          port (usually 143)"
            .into(),
        _ => "check `port` and `tls`: tls = \"starttls\" goes with the server's plain port \
              (usually 143), tls = \"implicit\" with its implicit-TLS port (usually 993)"
            .into(),
    }
}

/// The server's certificate, read over a fresh connection that checks nothing.
fn peer_certificate(account: &Account, addr: SocketAddr) -> Option<Vec<u8>> {
    let insecure = connector(account, true).ok()?;
    let mut tcp = TcpStream::connect_timeout(&addr, PEEK_WAIT).ok()?;
    tcp.set_read_timeout(Some(PEEK_WAIT)).ok()?;
    tcp.set_write_timeout(Some(PEEK_WAIT)).ok()?;
    if account.tls == Tls::Starttls {
        read_line(&mut tcp).ok()?;
        command(&mut tcp, "STARTTLS", &mut Vec::new()).ok()?;
    }
    let tls = insecure.connect(&account.host, tcp).ok()?;
    tls.peer_certificate().ok().flatten()?.to_der().ok()
}

/// True when `addr` greets in plain IMAP.
fn speaks_plain_imap(addr: SocketAddr) -> bool {
    let Ok(mut tcp) = TcpStream::connect_timeout(&addr, PEEK_WAIT) else { return false };
    let _ = tcp.set_read_timeout(Some(PEEK_WAIT));
    read_line(&mut tcp).is_ok_and(|l| l.starts_with("* OK") || l.starts_with("* PREAUTH"))
}

/// True when `addr` completes a TLS handshake (checking nothing).
fn speaks_tls(account: &Account, addr: SocketAddr) -> bool {
    let Ok(insecure) = connector(account, true) else { return false };
    let Ok(tcp) = TcpStream::connect_timeout(&addr, PEEK_WAIT) else { return false };
    let _ = tcp.set_read_timeout(Some(PEEK_WAIT));
    let _ = tcp.set_write_timeout(Some(PEEK_WAIT));
    insecure.connect(&account.host, tcp).is_ok()
}

fn sha256_fingerprint(der: &[u8]) -> String {
    Sha256::digest(der).iter().map(|b| format!("{b:02X}")).collect::<Vec<_>>().join(":")
}

/// The server's first line. `plain`: no TLS was spoken yet on this connection.
fn greeting(
    account: &Account,
    conn: &mut impl ReadWrite,
    addr: SocketAddr,
    plain: bool,
) -> Result<String, Failure> {
    let line = match read_line(conn) {
        Ok(line) => line,
        Err(e) => {
            if plain && account.tls != Tls::None && speaks_tls(account, addr) {
                return fail(
                    "greeting",
                    format!(
                        "no IMAP greeting from port {}: it waits for TLS ({e})",
                        account.port()
                    ),
                    "this port expects TLS from the first byte: set tls = \"implicit\" (usual \
                     port 993), or use the server's plain port (usual 143) with tls = \"starttls\"",
                );
            }
            return fail("greeting", format!("no IMAP greeting: {e}"), tls_mode_fix(account));
        }
    };
    if line.get(..6).is_some_and(|p| p.eq_ignore_ascii_case("* BYE ")) {
        return fail(
            "greeting",
            format!("the server refused the session: {line}"),
            "the server is closed to you for now (maintenance, too many connections, or your \
             address is blocked); try again later or ask its administrator",
        );
    }
    if !line.starts_with("* OK") && !line.starts_with("* PREAUTH") {
        return fail(
            "greeting",
            format!("this does not look like an IMAP server; it said: {line}"),
            "check `host` and `port`: IMAP is usually port 993 (implicit TLS) or 143 (STARTTLS)",
        );
    }
    Ok(line)
}

fn capabilities(conn: &mut impl ReadWrite) -> Result<Vec<String>, Failure> {
    let mut untagged = Vec::new();
    command(conn, "CAPABILITY", &mut untagged).map_err(|e| Failure {
        step: "capabilities",
        what: e,
        fix: "the server did not answer CAPABILITY as IMAP servers do: check `host` and `port`"
            .into(),
    })?;
    let mut caps = Vec::new();
    for line in untagged {
        if let Some(rest) = strip_ci(&line, "* CAPABILITY ") {
            caps.extend(rest.split_whitespace().map(str::to_string));
        }
    }
    Ok(caps)
}

fn can_log_in(account: &Account, caps: &[String]) -> Result<(), Failure> {
    match account.auth {
        Auth::Login if has(caps, "LOGINDISABLED") => fail(
            "capabilities",
            format!("{} refuses password logins here (LOGINDISABLED)", account.host),
            "connect with TLS: tls = \"implicit\" or \"starttls\"",
        ),
        Auth::Xoauth2 if !has(caps, "AUTH=XOAUTH2") => fail(
            "capabilities",
            format!("{} does not offer XOAUTH2 (no AUTH=XOAUTH2)", account.host),
            "use auth = \"login\" with a password (or an app password)",
        ),
        _ => Ok(()),
    }
}

/// What to do when the password or token cannot be had.
fn secret_fix(e: &SecretError) -> String {
    match e {
        SecretError::NoSource { .. } => "add password_command = \"...\" (a command that prints \
             the password) or password_env = \"VAR\" to the account, or set REBOUND_PASSWORD"
            .into(),
        SecretError::MissingEnv { var } => {
            format!("set {var} in the environment rebound runs in, or use password_command")
        }
        _ => "run the command by hand: its first line of output must be the password (or, \
              for auth = \"xoauth2\", a fresh access token)"
            .into(),
    }
}

fn secret_source(account: &Account) -> String {
    match (account.auth, &account.password_command, &account.password_env) {
        (Auth::Xoauth2, _, _) => format!(
            "a token from oauth2_token_command `{}`",
            account.oauth2_token_command.as_deref().unwrap_or("")
        ),
        (_, Some(cmd), _) => format!("from password_command `{cmd}`"),
        (_, None, Some(var)) => format!("from ${var}"),
        _ => "from $REBOUND_PASSWORD".to_string(),
    }
}

/// Log in with LOGIN (password) or AUTHENTICATE XOAUTH2 (token). The secret is sent
/// and never shown: errors carry the server's words only.
fn login(
    account: &Account,
    conn: &mut Conn,
    caps: &[String],
    secret: &Secret,
) -> Result<(), Failure> {
    let offers_oauth = has(caps, "AUTH=XOAUTH2");
    let io = |e: String| Failure {
        step: "login",
        what: format!("the connection failed while logging in: {e}"),
        fix: "run the check again; if it keeps failing, the server or the network is at fault"
            .into(),
    };
    let answer = match secret {
        Secret::Password(password) => exchange(
            conn,
            "LOGIN",
            &[Arg::Text(&account.user), Arg::Text(password)],
            &mut Vec::new(),
        ),
        Secret::OAuth2Token(token) => {
            let sasl =
                base64(format!("user={}\x01auth=Bearer {token}\x01\x01", account.user).as_bytes());
            if has(caps, "SASL-IR") {
                exchange(conn, "AUTHENTICATE XOAUTH2", &[Arg::Atom(&sasl)], &mut Vec::new())
            } else {
                exchange(conn, "AUTHENTICATE XOAUTH2", &[Arg::Continued(&sasl)], &mut Vec::new())
            }
        }
    }
    .map_err(io)?;
    let Answer::Refused(words) = answer else { return Ok(()) };
    let (what, fix) = match secret {
        Secret::OAuth2Token(_) => (
            format!("the server refused the OAuth2 token for {} (server said: {words})", account.user),
            "the token may be expired, for another user, or lack the IMAP scope: run \
             oauth2_token_command by hand and renew the token with your helper (rebound's \
             provider guide, docs/providers.md, lists the scopes)"
                .to_string(),
        ),
        Secret::Password(_) if offers_oauth && words.to_ascii_lowercase().contains("login failed") => (
            format!("the server refused a password login for {} (server said: {words})", account.user),
            "this server wants OAuth2: set auth = \"xoauth2\" and oauth2_token_command (a command \
             that prints a fresh access token). Microsoft 365 and Outlook.com no longer take \
             passwords over IMAP (rebound's provider guide, docs/providers.md, shows how)"
                .to_string(),
        ),
        Secret::Password(_) => (
            format!("the server refused the password for {} (server said: {words})", account.user),
            format!(
                "check `user` and the password your password_command, password_env or \
                 REBOUND_PASSWORD gives. Gmail, Yahoo, AOL and iCloud want an app password, \
                 not the account's password{}",
                if offers_oauth { "; this server also takes OAuth2 (auth = \"xoauth2\")" } else { "" }
            ),
        ),
    };
    Err(Failure { step: "login", what, fix })
}

/// EXAMINE a folder (read-only); how many messages it holds, or why it cannot be opened.
fn examine(conn: &mut Conn, folder: &str) -> Result<u64, String> {
    let mut untagged = Vec::new();
    match exchange(conn, "EXAMINE", &[Arg::Text(folder)], &mut untagged)? {
        Answer::Ok => Ok(untagged
            .iter()
            .find_map(|l| {
                let rest = l.strip_prefix("* ")?;
                let (n, word) = rest.split_once(' ')?;
                word.eq_ignore_ascii_case("EXISTS").then(|| n.parse().ok()).flatten()
            })
            .unwrap_or(0)),
        Answer::Refused(words) => Err(format!("server said: {words}")),
    }
}

/// The folders the account has, for the fix of a folder that cannot be opened.
fn folder_names(conn: &mut Conn) -> Vec<String> {
    let mut untagged = Vec::new();
    if !matches!(
        exchange(conn, "LIST", &[Arg::Atom("\"\""), Arg::Atom("\"*\"")], &mut untagged),
        Ok(Answer::Ok)
    ) {
        return Vec::new();
    }
    let mut names: Vec<String> =
        untagged.iter().filter_map(|l| list_name(l)).map(|n| format!("\"{n}\"")).collect();
    if names.len() > 40 {
        names.truncate(40);
        names.push("...".into());
    }
    names
}

/// The mailbox name of an untagged `* LIST (flags) "/" name` line.
fn list_name(line: &str) -> Option<String> {
    let rest = strip_ci(line, "* LIST ")?;
    let rest = &rest[rest.find(')')? + 1..];
    let rest = rest.trim_start();
    // The delimiter: a quoted character or NIL.
    let rest = if let Some(r) = rest.strip_prefix('"') {
        let r = r.strip_prefix('\\').unwrap_or(r);
        r.get(1..)?.strip_prefix('"')?
    } else {
        strip_ci(rest, "NIL")?
    };
    let name = rest.trim();
    match name.strip_prefix('"').and_then(|n| n.strip_suffix('"')) {
        Some(quoted) => Some(quoted.replace("\\\"", "\"").replace("\\\\", "\\")),
        None if !name.is_empty() && !name.starts_with('{') => Some(name.to_string()),
        None => None,
    }
}

/// A command argument.
enum Arg<'a> {
    /// Sent as it is (an atom, or text already quoted).
    Atom(&'a str),
    /// A string: quoted when that is safe, else sent as a literal.
    Text(&'a str),
    /// Sent on its own line after the server's `+` (SASL without SASL-IR).
    Continued(&'a str),
}

/// How the server answered a command.
enum Answer {
    Ok,
    /// NO or BAD, with the server's (cleaned) words.
    Refused(String),
}

static NEXT_TAG: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(1);

/// Send `cmd` with `args` and read to its tagged answer; untagged lines go to
/// `untagged`. The error is an I/O problem, in words.
fn exchange(
    conn: &mut impl ReadWrite,
    cmd: &str,
    args: &[Arg],
    untagged: &mut Vec<String>,
) -> Result<Answer, String> {
    let tag = format!("rc{}", NEXT_TAG.fetch_add(1, std::sync::atomic::Ordering::Relaxed));
    let send = |conn: &mut dyn Write, bytes: &[u8]| {
        conn.write_all(bytes)
            .and_then(|()| conn.flush())
            .map_err(|e| format!("cannot send {cmd}: {e}"))
    };
    let mut line = format!("{tag} {cmd}").into_bytes();
    let mut continued = None;
    for arg in args {
        line.push(b' ');
        match arg {
            Arg::Atom(a) => line.extend_from_slice(a.as_bytes()),
            Arg::Text(t) if t.bytes().all(|b| (0x20..0x7f).contains(&b)) => {
                line.push(b'"');
                for b in t.bytes() {
                    if b == b'"' || b == b'\\' {
                        line.push(b'\\');
                    }
                    line.push(b);
                }
                line.push(b'"');
            }
            Arg::Text(t) => {
                // A synchronising literal: the length, the server's `+`, then the bytes.
                line.extend_from_slice(format!("{{{}}}\r\n", t.len()).as_bytes());
                send(conn, &line)?;
                wait_for_continuation(conn, &tag, untagged)?;
                line = t.as_bytes().to_vec();
            }
            Arg::Continued(c) => continued = Some(*c),
        }
    }
    line.extend_from_slice(b"\r\n");
    send(conn, &line)?;
    if let Some(c) = continued {
        wait_for_continuation(conn, &tag, untagged)?;
        send(conn, format!("{c}\r\n").as_bytes())?;
    }
    loop {
        let line = read_line(conn).map_err(|e| format!("no answer to {cmd}: {e}"))?;
        if line.starts_with('+') {
            // A SASL error challenge: answer with an empty line to get the final NO.
            send(conn, b"\r\n")?;
            continue;
        }
        if let Some(rest) = line.strip_prefix(&format!("{tag} ")) {
            return Ok(if strip_ci(rest, "OK").is_some() {
                Answer::Ok
            } else {
                let words = rest.split_once(' ').map_or("", |(_, w)| w);
                Answer::Refused(shortened(words))
            });
        }
        if let Some(rest) = strip_ci(&line, "* BYE ") {
            return Err(format!("the server closed the session: {}", shortened(rest)));
        }
        untagged.push(line);
    }
}

fn wait_for_continuation(
    conn: &mut impl ReadWrite,
    tag: &str,
    untagged: &mut Vec<String>,
) -> Result<(), String> {
    loop {
        let line = read_line(conn)?;
        if line.starts_with('+') {
            return Ok(());
        }
        if line.starts_with(&format!("{tag} ")) {
            return Err(format!("the server refused the command: {}", shortened(&line)));
        }
        untagged.push(line);
    }
}

/// A server's words, not too long (already cleaned by `read_line`).
fn shortened(text: &str) -> String {
    match text.char_indices().nth(300) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_string(),
    }
}

/// Standard base64 with padding (for the SASL XOAUTH2 string).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn has(caps: &[String], cap: &str) -> bool {
    caps.iter().any(|c| c.eq_ignore_ascii_case(cap))
}

fn strip_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    s.get(..prefix.len())?.eq_ignore_ascii_case(prefix).then(|| &s[prefix.len()..])
}

/// Run one command before login; its untagged lines go to `untagged`. The error is
/// what went wrong, in words.
fn command(conn: &mut impl ReadWrite, cmd: &str, untagged: &mut Vec<String>) -> Result<(), String> {
    match exchange(conn, cmd, &[], untagged)? {
        Answer::Ok => Ok(()),
        Answer::Refused(words) => Err(format!("{cmd} was refused: {words}")),
    }
}

/// One line, cleaned, read a byte at a time (the check is short; simplicity wins).
fn read_line(conn: &mut impl Read) -> Result<String, String> {
    let mut line = Vec::new();
    let mut byte = [0u8; 1];
    while line.len() < 64 * 1024 {
        match conn.read(&mut byte) {
            Ok(0) => return Err("the server closed the connection".into()),
            Ok(_) => {
                if byte[0] == b'\n' {
                    let text = String::from_utf8_lossy(&line);
                    return Ok(clean_line(text.trim_end()).into_owned());
                }
                line.push(byte[0]);
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                return Err("no answer in time".into());
            }
            Err(e) => return Err(e.to_string()),
        }
    }
    Err("a line longer than 64 kB".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_standard_alphabet_and_padding() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"user=a\x01"), "dXNlcj1hAQ==");
    }

    #[test]
    fn list_lines_give_their_folder_names() {
        assert_eq!(list_name(r#"* LIST (\HasNoChildren) "/" "INBOX""#).as_deref(), Some("INBOX"));
        assert_eq!(list_name(r#"* LIST () "." Sent"#).as_deref(), Some("Sent"));
        assert_eq!(
            list_name(r#"* LIST (\Junk) "/" "[Gmail]/Spam""#).as_deref(),
            Some("[Gmail]/Spam")
        );
        assert_eq!(list_name(r#"* LIST () NIL "a \"b\"""#).as_deref(), Some("a \"b\""));
        assert_eq!(list_name("* LIST () \"/\" {5}"), None);
        assert_eq!(list_name("* OK nothing"), None);
    }
}
