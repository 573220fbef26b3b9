//! A private Cyrus IMAP 3.6 on 127.0.0.1, next to Dovecot in the IMAP tests: another
//! server describes broken MIME differently and catches protocol assumptions.
//!
//! The recipe is the team's notes on a Cyrus test server: `cyrus-common` gives the
//! master process, and imapd comes out of the `cyrus-imapd` package unpacked under
//! [`ROOT`] (the two server packages conflict, so Dovecot's stays installed).
//! `scripts/test.sh` installs both. Everything else lives in a temp dir: config, a
//! throwaway CA, the sasldb user, the spool. Mail is loaded with IMAP APPEND, in
//! order, so the n-th message appended has UID n.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use rebound::config::{Account, Tls};

use super::dovecot::{PASS, USER, free_port, make_certs, wait_port};

/// Where scripts/test.sh unpacks the cyrus-imapd package.
pub const ROOT: &str = "/opt/rebound-test/cyrus";
const MASTER: &str = "/usr/lib/cyrus/bin/master";

pub struct Cyrus {
    pub dir: PathBuf,
    pub imap_port: u16,
    pub imaps_port: u16,
    pid: i32,
    _keep: tempfile::TempDir,
}

fn imapd() -> PathBuf {
    Path::new(ROOT).join("usr/lib/cyrus/bin/imapd")
}

fn run(cmd: &mut Command) {
    let out = cmd.output().unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    assert!(out.status.success(), "{cmd:?} failed: {}", String::from_utf8_lossy(&out.stderr));
}

impl Cyrus {
    /// Start a server with an empty INBOX (created at the first login). Panics, saying
    /// what to do, when Cyrus is not installed.
    pub fn start() -> Cyrus {
        assert!(
            Path::new(MASTER).exists() && imapd().exists(),
            "Cyrus ({MASTER}, {}) is missing: run ./scripts/test.sh, which installs it",
            imapd().display()
        );
        let keep = tempfile::Builder::new().prefix("cyr").tempdir_in("/tmp").expect("temp dir");
        let dir = keep.path().canonicalize().expect("canonical dir");
        for sub in ["lib", "spool", "proc", "lock", "socket", "log"] {
            std::fs::create_dir_all(dir.join(sub)).expect("mkdir");
        }
        make_certs(&dir);
        let (imap_port, imaps_port) = (free_port(), free_port());
        let d = dir.display();
        std::fs::write(
            dir.join("imapd.conf"),
            format!(
                "configdirectory: {d}/lib\npartition-default: {d}/spool\nproc_path: {d}/proc\n\
                 mboxname_lockpath: {d}/lock\nlmtpsocket: {d}/socket/lmtp\n\
                 idlesocket: {d}/socket/idle\nnotifysocket: {d}/socket/notify\nadmins: cyrus\n\
                 sasl_pwcheck_method: auxprop\nsasl_auxprop_plugin: sasldb\n\
                 sasl_sasldb_path: {d}/sasldb2\nsasl_mech_list: PLAIN LOGIN\nallowplaintext: yes\n\
                 tls_server_cert: {d}/server.pem\ntls_server_key: {d}/server.key\n\
                 autocreate_quota: 0\nunixhierarchysep: yes\naltnamespace: yes\n"
            ),
        )
        .expect("imapd.conf");
        let imapd = imapd();
        let imapd = imapd.display();
        std::fs::write(
            dir.join("cyrus.conf"),
            format!(
                "START {{ recover cmd=\"/usr/lib/cyrus/bin/ctl_cyrusdb -C {d}/imapd.conf -r\" }}\n\
                 SERVICES {{\n  imap cmd=\"{imapd} -C {d}/imapd.conf\" listen=\"127.0.0.1:{imap_port}\" prefork=0\n  \
                 imaps cmd=\"{imapd} -s -C {d}/imapd.conf\" listen=\"127.0.0.1:{imaps_port}\" prefork=0\n}}\n\
                 EVENTS {{ checkpoint cmd=\"/usr/lib/cyrus/bin/ctl_cyrusdb -C {d}/imapd.conf -c\" period=30 }}\n\
                 DAEMON {{ }}\n"
            ),
        )
        .expect("cyrus.conf");
        run(Command::new("sh").arg("-c").arg(format!(
            "echo -n {PASS} | saslpasswd2 -p -c -f {d}/sasldb2 {USER} && chmod 0755 {d} && \
             chown -R cyrus:mail {d} && chmod 640 {d}/server.key && chown $(id -u) {d}/ca.pem"
        )));
        run(Command::new(MASTER)
            .arg("-C")
            .arg(dir.join("imapd.conf"))
            .arg("-M")
            .arg(dir.join("cyrus.conf"))
            .arg("-p")
            .arg(dir.join("master.pid"))
            .arg("-L")
            .arg(dir.join("log/master.log"))
            .arg("-d")
            .stdin(Stdio::null()));
        let start = Instant::now();
        let pid = loop {
            if let Some(pid) = std::fs::read_to_string(dir.join("master.pid"))
                .ok()
                .and_then(|s| s.trim().parse().ok())
            {
                break pid;
            }
            assert!(start.elapsed() < Duration::from_secs(10), "cyrus wrote no master.pid");
            std::thread::sleep(Duration::from_millis(20));
        };
        wait_port(imap_port);
        wait_port(imaps_port);
        Cyrus { dir, imap_port, imaps_port, pid, _keep: keep }
    }

    pub fn ca_file(&self) -> PathBuf {
        self.dir.join("ca.pem")
    }

    /// An account for this server, trusting its CA.
    pub fn account(&self, tls: Tls) -> Account {
        let mut a = Account::new("cyrus", "localhost", USER);
        a.tls = tls;
        a.port = Some(if tls == Tls::Implicit { self.imaps_port } else { self.imap_port });
        a.ca_file = Some(self.ca_file());
        a.password_command = Some(format!("echo {PASS}"));
        a.timeout_secs = 10;
        a
    }

    fn session(&self) -> imap::Session<native_tls::TlsStream<std::net::TcpStream>> {
        let pem = std::fs::read(self.ca_file()).expect("ca");
        let tls = native_tls::TlsConnector::builder()
            .add_root_certificate(native_tls::Certificate::from_pem(&pem).expect("pem"))
            .build()
            .expect("tls");
        let tcp = std::net::TcpStream::connect(("127.0.0.1", self.imaps_port)).expect("connect");
        let mut client = imap::Client::new(tls.connect("localhost", tcp).expect("handshake"));
        client.read_greeting().expect("greeting");
        client.login(USER, PASS).map_err(|(e, _)| e).expect("login")
    }

    /// Append messages to INBOX in order (UID n is the n-th); `seen` sets \Seen.
    pub fn append(&self, messages: &[(Vec<u8>, bool)]) {
        let mut s = self.session();
        for (bytes, seen) in messages {
            let mut cmd = s.append("INBOX", bytes);
            if *seen {
                cmd.flag(imap::types::Flag::Seen);
            }
            cmd.finish().expect("append");
        }
        let _ = s.logout();
    }

    /// Every message's UID and flags, to check that a scan changed nothing.
    pub fn flags(&self) -> Vec<String> {
        let mut s = self.session();
        s.examine("INBOX").expect("examine");
        let fetched = s.uid_fetch("1:*", "(UID FLAGS)").expect("fetch flags");
        let mut out: Vec<String> =
            fetched.iter().map(|f| format!("{:?} {:?}", f.uid, f.flags())).collect();
        out.sort();
        let _ = s.logout();
        out
    }
}

impl Drop for Cyrus {
    fn drop(&mut self) {
        // SAFETY: kill(2) on the master pid this struct started.
        unsafe { libc::kill(self.pid, libc::SIGTERM) };
        let start = Instant::now();
        while Path::new(&format!("/proc/{}", self.pid)).exists()
            && start.elapsed() < Duration::from_secs(5)
        {
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// `bytes` with every bare LF made CRLF: Cyrus refuses bare newlines, as RFC 5322 may.
pub fn crlf(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() + bytes.len() / 40);
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'\n' && (i == 0 || bytes[i - 1] != b'\r') {
            out.push(b'\r');
        }
        out.push(b);
    }
    out
}
