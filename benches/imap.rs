//! IMAP benchmark against a private Dovecot on 127.0.0.1.
//!
//! Builds a mailbox (default 10,000 messages, a fifth of them bounces copied from the
//! corpus, the rest generated ordinary mail with some attachments), then measures in
//! the same run, each step in a fresh child process so its peak RSS is its own:
//! - bare: `UID FETCH 1:* BODY.PEEK[]` in batches of 500, nothing else (the baseline);
//! - cold: rebound's full analysis with an empty cache (time to the first batch, total);
//! - warm: the second start, from the cache.
//!
//! `cargo bench --bench imap` (add `-- 100000` for the large mailbox). Needs Dovecot.

#[path = "../tests/support/mod.rs"]
mod support;

use std::process::Command;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use rebound::config::Tls;
use rebound::source::imap::{ImapOptions, ImapSource, ImapStats};
use rebound::source::{Source, SourceEvent};
use support::dovecot::{Dovecot, Options, PASS, USER};
use support::mail;

const ROUNDS: usize = 3;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    if args.first().map(String::as_str) == Some("child") {
        child(&args[1]);
        return;
    }
    let count: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let server = Dovecot::start(Options::default());
    let t = Instant::now();
    let (bounces, bytes) = fill(&server, count);
    println!(
        "mailbox: {count} messages ({bounces} bounce copies), {:.1} MB, loaded in {:.1} s",
        bytes as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );
    let cache = tempfile::tempdir().expect("cache dir");
    let env = [
        ("BENCH_PORT", server.imaps_port.to_string()),
        ("BENCH_CA", server.ca_file().display().to_string()),
        ("BENCH_CACHE", cache.path().display().to_string()),
    ];
    let spawn = |step: &str| -> Vec<f64> {
        let out = Command::new(std::env::current_exe().expect("exe"))
            .args(["child", step])
            .envs(env.iter().map(|(k, v)| (k, v)))
            .output()
            .expect("run child");
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        assert!(
            out.status.success(),
            "{step} failed: {text}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        text.split_whitespace().filter_map(|w| w.parse().ok()).collect()
    };
    // One untimed pass so Dovecot's index and cache files exist, as on a real server.
    spawn("bare");
    let mut bare = Vec::new();
    let mut cold = Vec::new();
    let mut warm = Vec::new();
    for _ in 0..ROUNDS {
        bare.push(spawn("bare"));
        let _ = std::fs::remove_dir_all(cache.path().join("imap"));
        cold.push(spawn("cold"));
        warm.push(spawn("warm"));
    }
    let med = |rows: &[Vec<f64>], i: usize| {
        let mut v: Vec<f64> = rows.iter().map(|r| r[i]).collect();
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let (b, c, w) = (med(&bare, 0), med(&cold, 1), med(&warm, 1));
    println!("median of {ROUNDS} rounds (seconds, MB):");
    println!(
        "  bare UID FETCH 1:* BODY.PEEK[] (batches of 500): {b:.2} s, {:.1} MB moved, peak RSS {:.0} MB",
        med(&bare, 1) / 1e6,
        med(&bare, 2)
    );
    println!(
        "  rebound cold (no cache): {c:.2} s = {:.2}x bare, first batch after {:.2} s, {} reports, {:.1} MB moved, {} bodies fetched, peak RSS {:.0} MB",
        c / b,
        med(&cold, 0),
        med(&cold, 2),
        med(&cold, 3) / 1e6,
        med(&cold, 4),
        med(&cold, 5)
    );
    println!(
        "    of which waiting for the server {:.2} s, in analyze {:.2} s",
        med(&cold, 6),
        med(&cold, 7)
    );
    println!(
        "  rebound warm (from cache): {w:.2} s, first batch after {:.2} s, {} reports, peak RSS {:.0} MB, waiting for the server {:.2} s",
        med(&warm, 0),
        med(&warm, 2),
        med(&warm, 5),
        med(&warm, 6)
    );
}

/// Fill the Maildir: every fifth message a corpus bounce; the rest ordinary mail.
fn fill(server: &Dovecot, count: usize) -> (usize, u64) {
    let corpus = mail::corpus_bounces();
    let (mut bounces, mut bytes) = (0, 0u64);
    for i in 0..count {
        let body = if i % 5 == 2 {
            bounces += 1;
            corpus[(i / 5) % corpus.len()].1.clone()
        } else {
            ordinary(i)
        };
        bytes += body.len() as u64;
        mail::deliver(server, &format!("1700000000.M{i}P1.bench{i:07}"), &body, i % 2 == 0);
    }
    (bounces, bytes)
}

/// Generated mail, one in seven with a 15-150 kB attachment (as in a work mailbox).
fn ordinary(i: usize) -> Vec<u8> {
    let mut m = mail::ordinary(i);
    if i.is_multiple_of(7) {
        let text = String::from_utf8_lossy(&m).replace(
            "Content-Type: text/plain; charset=utf-8",
            &format!("Content-Type: multipart/mixed; boundary=\"x{i}\""),
        );
        let (head, body) = text.split_once("\n\n").unwrap_or((&text, ""));
        let size = 15_000 + (i * 7919) % 135_000;
        let blob: String = (0..size).map(|k| (b'A' + ((k * 31 + i) % 26) as u8) as char).collect();
        let lines: Vec<&str> =
            blob.as_bytes().chunks(76).map(|c| std::str::from_utf8(c).unwrap_or("")).collect();
        m = format!(
            "{head}\n\n--x{i}\nContent-Type: text/plain\n\n{body}\n--x{i}\nContent-Type: application/pdf\nContent-Transfer-Encoding: base64\n\n{}\n--x{i}--\n",
            lines.join("\n")
        )
        .into_bytes();
    }
    m
}

fn account() -> rebound::config::Account {
    let mut a = rebound::config::Account::new("bench", "localhost", USER);
    a.tls = Tls::Implicit;
    a.port = std::env::var("BENCH_PORT").ok().and_then(|p| p.parse().ok());
    a.ca_file = std::env::var("BENCH_CA").ok().map(Into::into);
    a.password_command = Some(format!("echo {PASS}"));
    a
}

fn max_rss_mb() -> f64 {
    // SAFETY: getrusage fills the struct we pass; zeroed is a valid starting value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    usage.ru_maxrss as f64 / 1024.0
}

/// One measured step; prints numbers on one line for the parent.
fn child(step: &str) {
    match step {
        "bare" => {
            let t = Instant::now();
            let a = account();
            let pem = std::fs::read(a.ca_file.as_ref().expect("ca")).expect("read ca");
            let tls = native_tls::TlsConnector::builder()
                .add_root_certificate(native_tls::Certificate::from_pem(&pem).expect("pem"))
                .build()
                .expect("tls");
            let tcp = std::net::TcpStream::connect(("127.0.0.1", a.port.expect("port")))
                .expect("connect");
            let mut client = imap::Client::new(tls.connect("localhost", tcp).expect("tls"));
            client.read_greeting().expect("greeting");
            let mut s = client.login(USER, PASS).map_err(|(e, _)| e).expect("login");
            let mb = s.examine("INBOX").expect("examine");
            let mut bytes = 0u64;
            let mut start = 1u32;
            let last = mb.uid_next.unwrap_or(u32::MAX);
            while start < last {
                let end = start + 499;
                let f = s.uid_fetch(format!("{start}:{end}"), "BODY.PEEK[]").expect("fetch");
                bytes += f.iter().filter_map(|m| m.body()).map(|b| b.len() as u64).sum::<u64>();
                start = end + 1;
            }
            let _ = s.logout();
            println!("{:.4} {bytes} {:.1}", t.elapsed().as_secs_f64(), max_rss_mb());
        }
        _ => {
            let options = ImapOptions {
                cache_dir: std::env::var("BENCH_CACHE").ok().map(Into::into),
                ..ImapOptions::default()
            };
            let mut source = ImapSource::with_options(account(), options);
            let stats = source.stats();
            let cancel = AtomicBool::new(false);
            let t = Instant::now();
            let (mut first, mut reports, mut failures) = (None, 0usize, Vec::new());
            source.run(
                &mut |e| match e {
                    SourceEvent::BatchAnalysed(b) => {
                        first.get_or_insert(t.elapsed().as_secs_f64());
                        reports += b.len();
                    }
                    SourceEvent::Failed { error, .. } | SourceEvent::Fatal(error) => {
                        failures.push(error)
                    }
                    _ => {}
                },
                &cancel,
            );
            let total = t.elapsed().as_secs_f64();
            assert!(failures.is_empty(), "{failures:?}");
            println!(
                "{:.4} {total:.4} {reports} {} {} {:.1} {:.4} {:.4}",
                first.unwrap_or(total),
                ImapStats::get(&stats.bytes),
                ImapStats::get(&stats.bodies_fetched),
                max_rss_mb(),
                ImapStats::get(&stats.server_micros) as f64 / 1e6,
                ImapStats::get(&stats.analyse_micros) as f64 / 1e6,
            );
        }
    }
}
