//! A private Dovecot on 127.0.0.1 for the IMAP tests and the benchmark.
//!
//! Everything lives in a temp dir under /tmp (short: Dovecot's UNIX sockets must fit in
//! 108 bytes): config, a throwaway CA and server certificate, a passwd-file user and
//! the Maildir. Nothing from /etc/dovecot is read. Implicit TLS and plain/STARTTLS
//! ports; optional OAuth2 (XOAUTH2) against a local introspection endpoint.
//! The recipe and its pitfalls are in the team notes on IMAP testing.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use rebound::config::{Account, Tls};

pub const USER: &str = "testuser";
pub const PASS: &str = "testpass";
const DOVECOT: &str = "/usr/sbin/dovecot";

pub struct Dovecot {
    pub dir: PathBuf,
    pub imap_port: u16,
    pub imaps_port: u16,
    pub pid: u32,
    /// Set when started with OAuth2: the token the endpoint accepts.
    pub oauth_token: Option<String>,
    keep_dir: Option<tempfile::TempDir>,
}

/// Options for [`Dovecot::start`].
#[derive(Default)]
pub struct Options {
    /// Serve XOAUTH2, accepting this token (checked by a local endpoint thread).
    pub oauth_token: Option<String>,
}

fn need_dovecot() {
    assert!(
        Path::new(DOVECOT).exists() && which("openssl"),
        "Dovecot ({DOVECOT}) or openssl is missing: the IMAP tests need a real server. Run \
         ./scripts/test.sh, which installs dovecot-imapd and openssl"
    );
}

fn which(cmd: &str) -> bool {
    Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {cmd}"))
        .output()
        .is_ok_and(|o| o.status.success())
}

fn run(cmd: &mut Command) {
    let out = cmd.output().unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    assert!(out.status.success(), "{cmd:?} failed: {}", String::from_utf8_lossy(&out.stderr));
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

impl Dovecot {
    /// Start a server with an empty INBOX. Panics (with what to do) when Dovecot is missing.
    pub fn start(options: Options) -> Dovecot {
        need_dovecot();
        let tmp = tempfile::Builder::new().prefix("dvt").tempdir_in("/tmp").expect("temp dir");
        let dir = tmp.path().canonicalize().expect("canonical dir");
        assert!(dir.as_os_str().len() <= 78, "temp dir path too long for Dovecot's sockets");
        for sub in [
            "run",
            "state",
            "mail/testuser/Maildir/cur",
            "mail/testuser/Maildir/new",
            "mail/testuser/Maildir/tmp",
        ] {
            std::fs::create_dir_all(dir.join(sub)).expect("mkdir");
        }
        make_certs(&dir);
        std::fs::write(dir.join("passwd"), format!("{USER}:{{PLAIN}}{PASS}::::::\n"))
            .expect("passwd");
        let oauth_url = options.oauth_token.as_ref().map(|t| token_endpoint(t.clone()));
        if is_root() {
            run(Command::new("chmod").args(["0755"]).arg(&dir));
            run(Command::new("chmod").args(["0644"]).arg(dir.join("passwd")));
            run(Command::new("chown").args(["-R", "nobody:nogroup"]).arg(dir.join("mail")));
        }
        let mut last_log = String::new();
        for _ in 0..5 {
            let (imap_port, imaps_port) = (free_port(), free_port());
            if imap_port == imaps_port {
                continue;
            }
            std::fs::write(
                dir.join("dovecot.conf"),
                config(&dir, imap_port, imaps_port, oauth_url.as_deref()),
            )
            .expect("config");
            let _ = std::fs::write(dir.join("dovecot.log"), "");
            // The daemon inherits stdout/stderr: capturing them through pipes would wait
            // for the daemon to exit. Send them to a file instead.
            let err_file = std::fs::File::create(dir.join("start.err")).expect("start.err");
            let status = Command::new(DOVECOT)
                .arg("-c")
                .arg(dir.join("dovecot.conf"))
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(err_file)
                .status()
                .expect("run dovecot");
            if !status.success() {
                last_log = std::fs::read_to_string(dir.join("dovecot.log")).unwrap_or_default();
                last_log
                    .push_str(&std::fs::read_to_string(dir.join("start.err")).unwrap_or_default());
                if last_log.contains("Address already in use") {
                    continue;
                }
                panic!("dovecot failed to start: {last_log}");
            }
            let pid = wait_for_pid(&dir);
            wait_port(imap_port);
            wait_port(imaps_port);
            return Dovecot {
                dir,
                imap_port,
                imaps_port,
                pid,
                oauth_token: options.oauth_token,
                keep_dir: Some(tmp),
            };
        }
        panic!("dovecot could not bind ports: {last_log}");
    }

    pub fn maildir(&self) -> PathBuf {
        self.dir.join("mail").join(USER).join("Maildir")
    }

    pub fn ca_file(&self) -> PathBuf {
        self.dir.join("ca.pem")
    }

    /// An account for this server, trusting its CA, password in an env-free command.
    pub fn account(&self, tls: Tls) -> Account {
        let mut a = Account::new("test", "localhost", USER);
        a.tls = tls;
        a.port = Some(if tls == Tls::Implicit { self.imaps_port } else { self.imap_port });
        a.allow_plaintext = tls == Tls::None;
        a.ca_file = Some(self.ca_file());
        a.password_command = Some(format!("echo {PASS}"));
        a.timeout_secs = 10;
        a
    }

    /// The per-connection `imap` processes (children of the master).
    pub fn session_pids(&self) -> Vec<i32> {
        let mut out = Vec::new();
        let Ok(entries) = std::fs::read_dir("/proc") else { return out };
        for e in entries.flatten() {
            let Ok(pid) = e.file_name().to_string_lossy().parse::<i32>() else { continue };
            let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else { continue };
            // pid (comm) state ppid ...
            let Some(close) = stat.rfind(')') else { continue };
            let comm = &stat[stat.find('(').map_or(0, |i| i + 1)..close];
            let ppid =
                stat[close + 1..].split_whitespace().nth(1).and_then(|p| p.parse::<u32>().ok());
            if comm == "imap" && ppid == Some(self.pid) {
                out.push(pid);
            }
        }
        out
    }

    /// SIGKILL every IMAP session process: what a server crash looks like to a client.
    pub fn kill_sessions(&self) -> usize {
        let pids = self.session_pids();
        for &p in &pids {
            // SAFETY: plain kill(2) on a pid we just read as our server's child.
            unsafe { libc::kill(p, libc::SIGKILL) };
        }
        pids.len()
    }

    /// Give INBOX a new UIDVALIDITY and new UIDs (each old one + `shift`), as a server
    /// whose index was rebuilt or restored from a backup does. The session processes
    /// are killed first (they hold the old numbering); the next session reads the new
    /// one. Returns the new UIDVALIDITY.
    pub fn renumber(&self, shift: u32) -> u32 {
        self.kill_sessions();
        let start = Instant::now();
        while !self.session_pids().is_empty() && start.elapsed() < Duration::from_secs(5) {
            std::thread::sleep(Duration::from_millis(20));
        }
        let maildir = self.maildir();
        let list = maildir.join("dovecot-uidlist");
        let text = std::fs::read_to_string(&list).expect("dovecot-uidlist");
        let mut lines = text.lines();
        // Header: `3 V<uidvalidity> N<next uid> G<guid>`.
        let mut new_validity = 0;
        let header: Vec<String> = lines
            .next()
            .expect("uidlist header")
            .split(' ')
            .map(|field| {
                match (field.chars().next(), field.get(1..).and_then(|n| n.parse::<u32>().ok())) {
                    (Some('V'), Some(v)) => {
                        new_validity = v + 1000;
                        format!("V{new_validity}")
                    }
                    (Some('N'), Some(n)) => format!("N{}", n + shift),
                    _ => field.to_string(),
                }
            })
            .collect();
        let mut out = header.join(" ") + "\n";
        for line in lines {
            let (uid, rest) = line.split_once(' ').expect("uid line");
            let uid: u32 = uid.parse().expect("uid");
            out.push_str(&format!("{} {rest}\n", uid + shift));
        }
        let tmp = maildir.join("dovecot-uidlist.rebound-tmp");
        std::fs::write(&tmp, out).expect("write uidlist");
        use std::os::unix::fs::MetadataExt;
        let meta = std::fs::metadata(&list).expect("stat uidlist");
        let _ = std::os::unix::fs::chown(&tmp, Some(meta.uid()), Some(meta.gid()));
        std::fs::rename(&tmp, &list).expect("replace uidlist");
        // The indexes remember the old numbering: without them Dovecot reads the list.
        for e in std::fs::read_dir(&maildir).expect("read Maildir").flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with("dovecot.index") || name.starts_with("dovecot.list.index") {
                let _ = std::fs::remove_file(e.path());
            }
        }
        assert_ne!(new_validity, 0, "no V field in the uidlist header");
        new_validity
    }

    /// Stop the server (its sessions killed, as a crash or a restart ends them) and
    /// start it again on the same ports with the same mail.
    pub fn restart(&mut self) {
        self.kill_sessions();
        stop_pid(self.pid);
        let _ = std::fs::remove_file(self.dir.join("run/master.pid"));
        let status = Command::new(DOVECOT)
            .arg("-c")
            .arg(self.dir.join("dovecot.conf"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("run dovecot");
        assert!(status.success(), "dovecot did not start again");
        self.pid = wait_for_pid(&self.dir);
        wait_port(self.imap_port);
        wait_port(self.imaps_port);
    }

    pub fn stop(&mut self) {
        if self.pid == 0 {
            return;
        }
        stop_pid(self.pid);
        self.pid = 0;
    }

    /// Leak the temp dir and process on purpose (a shared server stopped at exit).
    pub fn into_shared(mut self) -> &'static Dovecot {
        let dir = self.keep_dir.take().map(|t| t.keep());
        let pid = self.pid;
        SHARED_PID.store(u64::from(pid), Ordering::SeqCst);
        let leaked: &'static Dovecot = Box::leak(Box::new(self));
        let _ = dir;
        // SAFETY: registering a plain extern "C" function with atexit.
        unsafe { libc::atexit(stop_shared) };
        leaked
    }
}

static SHARED_PID: AtomicU64 = AtomicU64::new(0);

extern "C" fn stop_shared() {
    let pid = SHARED_PID.swap(0, Ordering::SeqCst) as u32;
    if pid != 0 {
        // Do not wait: the master finishes on its own; the temp dir is left in /tmp.
        // SAFETY: kill(2) on the master pid we started.
        unsafe { libc::kill(pid as i32, libc::SIGTERM) };
    }
}

impl Drop for Dovecot {
    fn drop(&mut self) {
        self.stop();
    }
}

fn stop_pid(pid: u32) {
    // SAFETY: kill(2) on the master pid we started.
    unsafe { libc::kill(pid as i32, libc::SIGTERM) };
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(5) {
        let comm = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
        if comm.trim() != "dovecot" {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    // SAFETY: as above.
    unsafe { libc::kill(pid as i32, libc::SIGKILL) };
}

fn wait_for_pid(dir: &Path) -> u32 {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(5) {
        if let Ok(s) = std::fs::read_to_string(dir.join("run/master.pid"))
            && let Ok(pid) = s.trim().parse()
        {
            return pid;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!(
        "dovecot wrote no master.pid; log: {}",
        std::fs::read_to_string(dir.join("dovecot.log")).unwrap_or_default()
    );
}

pub fn wait_port(port: u16) {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(5) {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("dovecot port {port} never opened");
}

/// A CA and a leaf for localhost/127.0.0.1 signed by it (EC P-256: quick to make).
pub fn make_certs(dir: &Path) {
    let sh = |script: &str| run(Command::new("sh").arg("-c").arg(script).current_dir(dir));
    sh("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3 \
        -keyout ca.key -out ca.pem -subj '/CN=rebound-test CA' \
        -addext 'basicConstraints=critical,CA:TRUE' -addext 'keyUsage=critical,keyCertSign,cRLSign' 2>/dev/null");
    sh("openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
        -keyout server.key -out server.csr -subj '/CN=localhost' 2>/dev/null");
    sh(
        "printf '%s\\n' 'subjectAltName=DNS:localhost,IP:127.0.0.1' 'basicConstraints=critical,CA:FALSE' \
        'keyUsage=critical,digitalSignature,keyEncipherment' 'extendedKeyUsage=serverAuth' > server.ext && \
        openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 3 \
        -extfile server.ext -out server.pem 2>/dev/null && rm -f server.csr server.ext ca.srl && \
        chmod 600 ca.key server.key",
    );
}

fn config(dir: &Path, imap_port: u16, imaps_port: u16, oauth_url: Option<&str>) -> String {
    let d = dir.display();
    let (mechs, oauth_passdb, plain_mechs) = match oauth_url {
        Some(url) => {
            std::fs::write(
                dir.join("oauth2.conf.ext"),
                format!("introspection_mode = post\nintrospection_url = {url}\nusername_attribute = username\nactive_attribute = active\nactive_value = true\n"),
            )
            .expect("oauth2 conf");
            (
                "plain login xoauth2 oauthbearer",
                format!(
                    "passdb {{\n  driver = oauth2\n  mechanisms = xoauth2 oauthbearer\n  args = {d}/oauth2.conf.ext\n}}\n"
                ),
                "  mechanisms = plain login\n",
            )
        }
        None => ("plain login", String::new(), ""),
    };
    // As root the mail process must not be uid 0; as a user everything runs as that user.
    let (uid_args, users, chroot) = if is_root() {
        ("uid=nobody gid=nogroup ".to_string(), String::new(), "")
    } else {
        let id = |flag: &str| {
            let o = Command::new("id").arg(flag).output().expect("id");
            String::from_utf8_lossy(&o.stdout).trim().to_string()
        };
        let (me, grp) = (id("-un"), id("-gn"));
        (
            String::new(),
            format!(
                "default_login_user = {me}\ndefault_internal_user = {me}\ndefault_internal_group = {grp}\n"
            ),
            "chroot =",
        )
    };
    let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    format!(
        "base_dir = {d}/run\nstate_dir = {d}/state\ninstance_name = rebound-{name}\nlog_path = {d}/dovecot.log\n\
protocols = imap\nlisten = 127.0.0.1\nssl = yes\nssl_cert = <{d}/server.pem\nssl_key = <{d}/server.key\n\
auth_mechanisms = {mechs}\nauth_verbose = yes\nauth_failure_delay = 0\n{oauth_passdb}\
passdb {{\n  driver = passwd-file\n{plain_mechs}  args = scheme=PLAIN {d}/passwd\n}}\n\
userdb {{\n  driver = static\n  args = {uid_args}home={d}/mail/%u\n}}\n\
mail_location = maildir:~/Maildir\nmail_max_userip_connections = 1000\nmail_fsync = never\n\
service anvil {{\n  {chroot}\n  unix_listener anvil-auth-penalty {{\n    mode = 0\n  }}\n}}\n\
service imap-login {{\n  {chroot}\n  inet_listener imap {{\n    address = 127.0.0.1\n    port = {imap_port}\n  }}\n\
  inet_listener imaps {{\n    address = 127.0.0.1\n    port = {imaps_port}\n    ssl = yes\n  }}\n}}\n{users}"
    )
}

/// A tiny OAuth2 introspection endpoint: POST `token=...` → active or not.
fn token_endpoint(good: String) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind token endpoint");
    let port = listener.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        for conn in listener.incoming().flatten() {
            answer_introspection(conn, &good);
        }
    });
    format!("http://127.0.0.1:{port}/introspect")
}

fn answer_introspection(mut conn: TcpStream, good: &str) {
    let _ = conn.set_read_timeout(Some(Duration::from_secs(5)));
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    // Read the head, then as much body as Content-Length says.
    loop {
        let Ok(n) = conn.read(&mut chunk) else { return };
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
        let text = String::from_utf8_lossy(&buf).to_string();
        if let Some(head_end) = text.find("\r\n\r\n") {
            let len = text[..head_end]
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length:")
                        .map(|v| v.trim().parse::<usize>().unwrap_or(0))
                })
                .unwrap_or(0);
            if buf.len() >= head_end + 4 + len {
                break;
            }
        }
    }
    let text = String::from_utf8_lossy(&buf);
    let body = text.split("\r\n\r\n").nth(1).unwrap_or("");
    let token = body.split('&').find_map(|kv| kv.strip_prefix("token=")).unwrap_or("");
    let json = if token == good {
        format!("{{\"active\": true, \"username\": \"{USER}\"}}")
    } else {
        "{\"active\": false}".to_string()
    };
    let _ = write!(
        conn,
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{json}",
        json.len()
    );
}
