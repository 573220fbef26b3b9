//! Filling the test Maildir: corpus bounces and generated ordinary mail.
//!
//! Files go to `tmp/` then are renamed into `cur/` with `,S=<size>,W=<CRLF size>` in
//! the name: without the sizes Dovecot re-reads every file on each new session, and a
//! wrong S= makes it drop the connection. Each file's base name carries its index so a
//! test can map Dovecot's UIDs back to files (through `dovecot-uidlist`).

#![allow(dead_code)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::dovecot::Dovecot;

/// One message put into the Maildir.
#[derive(Debug, Clone)]
pub struct Stored {
    pub base: String,
    pub bytes: Vec<u8>,
    pub seen: bool,
    /// Where it came from (a corpus file or "generated").
    pub label: String,
}

/// The corpus bounces (one per file, LF endings), sorted by name.
pub fn corpus_bounces() -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/maildir/bsd");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            (name, std::fs::read(&p).expect("corpus file"))
        })
        .collect()
}

/// An ordinary message, different for each `n` (a small deterministic generator).
pub fn ordinary(n: usize) -> Vec<u8> {
    let mut x = (n as u64).wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let words = [
        "meeting", "invoice", "lunch", "report", "deploy", "review", "budget", "travel", "status",
        "draft",
    ];
    let mut body = String::new();
    let lines = 5 + (next() % 60) as usize;
    for _ in 0..lines {
        for _ in 0..10 {
            body.push_str(words[(next() % words.len() as u64) as usize]);
            body.push(' ');
        }
        body.push('\n');
    }
    let attachment = if next() % 7 == 0 {
        let blob: String = (0..(2000 + next() % 20000))
            .map(|i| (b'A' + ((i * 7 + n as u64) % 26) as u8) as char)
            .collect();
        let b64: Vec<String> =
            blob.as_bytes().chunks(76).map(|c| String::from_utf8_lossy(c).into_owned()).collect();
        format!(
            "--b{n}\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n{}\n",
            b64.join("\n")
        )
    } else {
        String::new()
    };
    let (ct, text) = if attachment.is_empty() {
        ("text/plain; charset=utf-8".to_string(), body)
    } else {
        (
            format!("multipart/mixed; boundary=\"b{n}\""),
            format!("--b{n}\nContent-Type: text/plain\n\n{body}{attachment}--b{n}--\n"),
        )
    };
    format!(
        "Return-Path: <colleague{n}@example.org>\nReceived: from mail.example.org (mail.example.org [192.0.2.{}])\n\tby mx.example.net with ESMTPS id x{n}; Mon, 2 Mar 2026 10:{:02}:00 +0000\nFrom: Colleague {n} <colleague{n}@example.org>\nTo: postmaster@example.net\nSubject: {} {n}\nDate: Mon, 2 Mar 2026 10:{:02}:00 +0000\nMessage-ID: <msg{n}@example.org>\nMIME-Version: 1.0\nContent-Type: {ct}\n\n{text}",
        n % 250 + 1,
        n % 60,
        words[n % words.len()],
        n % 60,
    )
    .into_bytes()
}

/// Size of `bytes` with every bare LF counted as CRLF (Maildir's W=).
fn crlf_size(bytes: &[u8]) -> usize {
    let bare_lf = bytes
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\n' && (i == 0 || bytes[i - 1] != b'\r'))
        .count();
    bytes.len() + bare_lf
}

/// Write one message into `cur/`, owned like the Maildir (nobody when run as root).
pub fn deliver(server: &Dovecot, base: &str, bytes: &[u8], seen: bool) {
    deliver_to(server, "INBOX", base, bytes, seen);
}

/// Write one message into a folder (Maildir++: `Name` lives in `.Name/`).
pub fn deliver_to(server: &Dovecot, folder: &str, base: &str, bytes: &[u8], seen: bool) {
    let maildir = if folder == "INBOX" {
        server.maildir()
    } else {
        server.maildir().join(format!(".{folder}"))
    };
    for sub in ["cur", "new", "tmp"] {
        let dir = maildir.join(sub);
        if !dir.exists() {
            std::fs::create_dir_all(&dir).expect("mkdir folder");
            let meta = std::fs::metadata(server.maildir()).expect("stat Maildir");
            use std::os::unix::fs::MetadataExt;
            let _ = std::os::unix::fs::chown(&maildir, Some(meta.uid()), Some(meta.gid()));
            let _ = std::os::unix::fs::chown(&dir, Some(meta.uid()), Some(meta.gid()));
        }
    }
    let tmp = maildir.join("tmp").join(base);
    std::fs::write(&tmp, bytes).expect("write message");
    let name = format!(
        "{base},S={},W={}:2,{}",
        bytes.len(),
        crlf_size(bytes),
        if seen { "S" } else { "" }
    );
    let target = maildir.join("cur").join(name);
    std::fs::rename(&tmp, &target).expect("rename message");
    let meta = std::fs::metadata(maildir.join("cur")).expect("stat cur");
    use std::os::unix::fs::MetadataExt;
    let _ = std::os::unix::fs::chown(&target, Some(meta.uid()), Some(meta.gid()));
}

/// Fill the Maildir: every corpus bounce plus `ordinary` generated mails, interleaved.
/// Every third message is marked \Seen.
pub fn fill(server: &Dovecot, ordinary_count: usize) -> Vec<Stored> {
    let mut stored = Vec::new();
    let bounces = corpus_bounces();
    let total = bounces.len() + ordinary_count;
    let mut b = bounces.into_iter();
    let mut o = 0;
    for i in 0..total {
        // Spread ordinary mail between the bounces, as in a real mailbox.
        let take_ordinary = o < ordinary_count && (i % 4 == 3 || b.len() == 0);
        let (label, bytes) = if take_ordinary {
            o += 1;
            ("generated".to_string(), ordinary(o))
        } else {
            match b.next() {
                Some(x) => x,
                None => break,
            }
        };
        let base = format!("1700000000.M{i}P1.rebound{i:06}");
        let seen = i % 3 == 0;
        deliver(server, &base, &bytes, seen);
        stored.push(Stored { base, bytes, seen, label });
    }
    stored
}

/// UID → base file name, from Dovecot's `dovecot-uidlist` (written at first EXAMINE).
pub fn uid_map(server: &Dovecot) -> HashMap<u32, String> {
    let text =
        std::fs::read_to_string(server.maildir().join("dovecot-uidlist")).expect("dovecot-uidlist");
    text.lines()
        .skip(1)
        .filter_map(|line| {
            let uid = line.split_whitespace().next()?.parse().ok()?;
            let name = line.rsplit_once(':').map(|(_, n)| n)?;
            let base = name.split(',').next()?.to_string();
            Some((uid, base))
        })
        .collect()
}

/// Sorted file names in cur/ and new/: flags live in the names, so equal lists mean
/// no flag changed and nothing was moved or deleted.
pub fn snapshot(server: &Dovecot) -> Vec<String> {
    let mut names = Vec::new();
    for sub in ["cur", "new"] {
        for e in std::fs::read_dir(server.maildir().join(sub)).expect("read maildir").flatten() {
            names.push(format!("{sub}/{}", e.file_name().to_string_lossy()));
        }
    }
    names.sort();
    names
}
