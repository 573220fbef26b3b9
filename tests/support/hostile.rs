//! A small scripted IMAP server on 127.0.0.1 that misbehaves on purpose.
//!
//! It speaks plain IMAP (the account uses `tls = "none"`, `allow_plaintext = true`)
//! well enough to reach the command where it turns hostile: an endless line, an
//! endless flood of `* OK [ALERT]` lines, a literal far larger than asked for, or a
//! TLS answer on a port where a plain greeting is expected. It writes until the client
//! hangs up or `LIMIT` has passed, so a test that goes wrong still ends.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;
use std::time::{Duration, Instant};

/// The longest a hostile server keeps writing to one client.
const LIMIT: Duration = Duration::from_secs(40);

/// How the server misbehaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// UID FETCH is answered with one line that never ends.
    EndlessLine,
    /// EXAMINE is answered with `* OK [ALERT]` lines without end.
    AlertFlood,
    /// UID FETCH announces a literal of 3,000,000,000 bytes and sends them.
    HugeLiteral,
    /// A TLS record instead of a greeting: a STARTTLS account on an implicit-TLS port
    /// would wait for a greeting that never comes; this one answers a ClientHello.
    SilentUntilTls,
    /// Offers and accepts STARTTLS, then never answers the TLS hello.
    StarttlsThenSilence,
}

pub struct Hostile {
    pub port: u16,
    /// Bytes written to clients so far.
    pub sent: Arc<AtomicU64>,
}

impl Hostile {
    pub fn start(mode: Mode) -> Hostile {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let sent = Arc::new(AtomicU64::new(0));
        let counter = sent.clone();
        thread::spawn(move || {
            let started = Instant::now();
            for conn in listener.incoming() {
                let Ok(conn) = conn else { return };
                let counter = counter.clone();
                thread::spawn(move || {
                    let _ = serve(conn, mode, &counter);
                });
                if started.elapsed() > LIMIT {
                    return;
                }
            }
        });
        Hostile { port, sent }
    }

    /// A config file for an account on this server, written into `dir` (mode 600).
    pub fn config(&self, dir: &Path, timeout_secs: u64) -> std::path::PathBuf {
        let path = dir.join("config.toml");
        let text = format!(
            "[[account]]\nname = \"hostile\"\nhost = \"127.0.0.1\"\nport = {}\ntls = \"none\"\n\
             allow_plaintext = true\nuser = \"u\"\npassword_env = \"HOSTILE_PASS\"\n\
             timeout_secs = {timeout_secs}\n",
            self.port
        );
        std::fs::write(&path, text).expect("write config");
        set_mode(&path, 0o600);
        path
    }
}

pub fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

fn serve(conn: TcpStream, mode: Mode, sent: &AtomicU64) -> std::io::Result<()> {
    let mut out = conn.try_clone()?;
    let mut reader = BufReader::new(conn);
    if mode == Mode::SilentUntilTls {
        // Say nothing until the client speaks; a ClientHello (0x16) gets a TLS alert
        // record back, as an implicit-TLS server would answer.
        let mut first = [0u8; 1];
        std::io::Read::read_exact(&mut reader, &mut first)?;
        if first[0] == 0x16 {
            out.write_all(&[0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x46])?;
        }
        return Ok(());
    }
    out.write_all(b"* OK scripted server ready\r\n")?;
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let mut words = line.split_whitespace();
        let tag = words.next().unwrap_or("*").to_string();
        let cmd = words.next().unwrap_or("").to_ascii_uppercase();
        let sub = words.next().unwrap_or("").to_ascii_uppercase();
        let reply = match (cmd.as_str(), sub.as_str()) {
            ("CAPABILITY", _) => format!("* CAPABILITY IMAP4rev1 STARTTLS\r\n{tag} OK done\r\n"),
            ("STARTTLS", _) => {
                out.write_all(format!("{tag} OK Begin TLS negotiation now\r\n").as_bytes())?;
                // Read the hello and say nothing, until the client gives up.
                let mut sink = [0u8; 4096];
                while std::io::Read::read(&mut reader, &mut sink)? > 0 {}
                return Ok(());
            }
            ("LOGIN", _) => format!("{tag} OK logged in\r\n"),
            ("EXAMINE", _) if mode == Mode::AlertFlood => {
                return flood(&mut out, sent, b"* OK [ALERT] the server is having a bad day\r\n");
            }
            ("EXAMINE", _) => format!(
                "* 1 EXISTS\r\n* OK [UIDVALIDITY 7] ok\r\n* OK [UIDNEXT 2] ok\r\n{tag} OK [READ-ONLY] done\r\n"
            ),
            ("UID", "SEARCH") => format!("* SEARCH 1\r\n{tag} OK done\r\n"),
            ("UID", "FETCH") if mode == Mode::EndlessLine => {
                out.write_all(b"* 1 FETCH (UID 1 RFC822.SIZE 100 BODY[HEADER] \"")?;
                return flood(&mut out, sent, &[b'x'; 64 * 1024]);
            }
            ("UID", "FETCH") if mode == Mode::HugeLiteral => {
                out.write_all(b"* 1 FETCH (UID 1 RFC822.SIZE 100 BODY[HEADER] {3000000000}\r\n")?;
                return flood(&mut out, sent, &[b'y'; 64 * 1024]);
            }
            ("LOGOUT", _) => {
                out.write_all(format!("* BYE bye\r\n{tag} OK done\r\n").as_bytes())?;
                return Ok(());
            }
            _ => format!("{tag} BAD unexpected\r\n"),
        };
        out.write_all(reply.as_bytes())?;
    }
}

/// Write `chunk` again and again until the client hangs up or `LIMIT` passes.
fn flood(out: &mut TcpStream, sent: &AtomicU64, chunk: &[u8]) -> std::io::Result<()> {
    let started = Instant::now();
    let block: Vec<u8> = chunk.repeat((64 * 1024 / chunk.len()).max(1));
    while started.elapsed() < LIMIT {
        out.write_all(&block)?;
        sent.fetch_add(block.len() as u64, Ordering::Relaxed);
    }
    Ok(())
}
