//! A byte stream that refuses to read more than a command can need.
//!
//! The `imap` crate reads a whole response into one `Vec` with `read_until(b'\n')` and
//! no limit, so a server that sends a line that never ends, an endless flood of
//! untagged `* OK [ALERT]` lines or a literal of `{3000000000}` exhausts memory. This
//! wrapper sits between the TLS (or TCP) stream and the crate and follows the IMAP
//! framing as the bytes go by: lines, `{N}` literal announcements and the literal
//! bytes. Before each command the caller sets a [`Budget`]; a server that goes past it
//! gets an error from `read` (an [`Exceeded`] inside an `io::Error`), before the bytes
//! reach the crate's buffer, and the session is dropped.

use std::fmt;
use std::io::{self, Read, Write};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// Extra bytes allowed around a message's own size: the FETCH line, flags, UID.
pub const HEADROOM: u64 = 64 * 1024;

/// What one command may receive. Set before each command with [`Meter::set`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// Bytes of one response: its lines and literals together.
    pub response: u64,
    /// Bytes of one literal (`{N}` is refused before its bytes are read when N is larger).
    pub literal: u64,
    /// Untagged responses (`* ...`).
    pub untagged: u64,
    /// Bytes in all.
    pub bytes: u64,
    /// Time from the command being sent to the end of its answer.
    pub time: Duration,
}

impl Budget {
    /// Enough for any command whose answer holds at most one message of
    /// `max_message_bytes` (EXAMINE, LOGIN, BODYSTRUCTURE, LOGOUT).
    pub fn small(max_message_bytes: u64, timeout_secs: u64) -> Budget {
        let one = max_message_bytes.saturating_add(HEADROOM);
        Budget {
            response: one,
            literal: one,
            untagged: 1000,
            bytes: one.saturating_add(1 << 20),
            time: Duration::from_secs(timeout_secs.saturating_mul(4).max(30)),
        }
    }
}

/// The budget the next command is read under, shared between the scan (which sets
/// it) and the stream (which the `imap` crate owns).
#[derive(Debug, Clone)]
pub struct Meter(Arc<Mutex<Budget>>);

impl Meter {
    pub fn new(budget: Budget) -> Meter {
        Meter(Arc::new(Mutex::new(budget)))
    }

    pub fn set(&self, budget: Budget) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = budget;
    }

    fn get(&self) -> Budget {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A server went past the budget; carried inside the `io::Error` that `read` returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exceeded {
    /// What was too much, in words ("a response longer than 4 MB").
    pub what: String,
}

impl fmt::Display for Exceeded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.what)
    }
}

impl std::error::Error for Exceeded {}

impl Exceeded {
    /// The `Exceeded` inside `e`, when a bounded stream refused to read on.
    pub fn find(e: &io::Error) -> Option<&Exceeded> {
        e.get_ref().and_then(|inner| inner.downcast_ref::<Exceeded>())
    }
}

/// Where in the IMAP framing the next byte falls.
#[derive(Debug, Default)]
struct Framing {
    /// Bytes of literal still to come.
    literal_left: u64,
    /// The next byte starts a line (or continues one after a literal, when `in_response`).
    line_start: bool,
    /// Bytes of the current response so far (lines and literals).
    response: u64,
    /// The last bytes of the current line, enough to recognise `{N}` at its end.
    tail: Vec<u8>,
}

const TAIL: usize = 32;

/// A stream that checks what it reads against the current [`Budget`].
pub struct Bounded<S> {
    inner: S,
    meter: Meter,
    budget: Budget,
    framing: Framing,
    untagged: u64,
    bytes: u64,
    started: Instant,
}

impl<S> Bounded<S> {
    pub fn new(inner: S, meter: Meter) -> Bounded<S> {
        let budget = meter.get();
        Bounded {
            inner,
            meter,
            budget,
            framing: Framing { line_start: true, ..Framing::default() },
            untagged: 0,
            bytes: 0,
            started: Instant::now(),
        }
    }

    /// The stream underneath (the IDLE wait changes its read timeout).
    pub fn get_mut(&mut self) -> &mut S {
        &mut self.inner
    }

    /// A command is being sent: its answer is measured from zero under the budget set now.
    fn start_command(&mut self) {
        self.budget = self.meter.get();
        self.untagged = 0;
        self.bytes = 0;
        self.started = Instant::now();
    }

    /// Follow the framing over `data`; an error when the budget is exceeded.
    fn feed(&mut self, mut data: &[u8]) -> Result<(), Exceeded> {
        let b = self.budget;
        self.bytes += data.len() as u64;
        if self.bytes > b.bytes {
            return Err(exceeded(format!(
                "an answer of more than {} to one command",
                size(b.bytes)
            )));
        }
        if self.started.elapsed() > b.time {
            return Err(exceeded(format!(
                "an answer still coming after {} s (the limit for one command)",
                b.time.as_secs()
            )));
        }
        let f = &mut self.framing;
        while !data.is_empty() {
            if f.literal_left > 0 {
                let take = f.literal_left.min(data.len() as u64);
                f.literal_left -= take;
                data = &data[take as usize..];
                continue;
            }
            if f.line_start {
                f.line_start = false;
                if f.response == 0 && data[0] == b'*' {
                    self.untagged += 1;
                    if self.untagged > b.untagged {
                        return Err(exceeded(format!(
                            "more than {} untagged responses to one command",
                            b.untagged
                        )));
                    }
                }
            }
            let (chunk, ends_line) = match memchr::memchr(b'\n', data) {
                Some(i) => (&data[..=i], true),
                None => (data, false),
            };
            data = &data[chunk.len()..];
            f.response += chunk.len() as u64;
            if f.response > b.response {
                return Err(exceeded(format!("a response longer than {}", size(b.response))));
            }
            f.tail.extend_from_slice(&chunk[chunk.len().saturating_sub(TAIL)..]);
            if f.tail.len() > TAIL {
                f.tail.drain(..f.tail.len() - TAIL);
            }
            if !ends_line {
                continue;
            }
            f.line_start = true;
            match literal_at_end(&f.tail) {
                Literal::None => f.response = 0,
                Literal::Size(n)
                    if n <= b.literal && f.response.saturating_add(n) <= b.response =>
                {
                    f.literal_left = n;
                    f.response += n;
                }
                Literal::Size(n) => {
                    return Err(exceeded(format!(
                        "a literal of {} where at most {} was expected",
                        size(n),
                        size(b.literal.min(b.response))
                    )));
                }
                Literal::Absurd => return Err(exceeded("a literal of absurd size".into())),
            }
            f.tail.clear();
        }
        Ok(())
    }
}

fn exceeded(what: String) -> Exceeded {
    Exceeded { what }
}

/// Bytes as a person reads them.
pub fn size(n: u64) -> String {
    match n {
        n if n >= 1 << 30 => format!("{:.1} GB", n as f64 / f64::from(1u32 << 30)),
        n if n >= 1 << 20 => format!("{:.1} MB", n as f64 / f64::from(1u32 << 20)),
        n if n >= 1 << 10 => format!("{} kB", n >> 10),
        n => format!("{n} bytes"),
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Literal {
    None,
    Size(u64),
    Absurd,
}

/// Does the line (whose last bytes are `tail`) end with a literal announcement
/// `{N}` (also `~{N}` for BINARY)? Anything else ending in `}` is plain text.
fn literal_at_end(tail: &[u8]) -> Literal {
    let line = tail.strip_suffix(b"\n").unwrap_or(tail);
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let Some(body) = line.strip_suffix(b"}") else { return Literal::None };
    let Some(open) = memchr::memrchr(b'{', body) else { return Literal::None };
    let digits = &body[open + 1..];
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return Literal::None;
    }
    if digits.len() > 18 {
        return Literal::Absurd;
    }
    std::str::from_utf8(digits)
        .ok()
        .and_then(|d| d.parse().ok())
        .map_or(Literal::Absurd, Literal::Size)
}

impl<S: Read> Read for Bounded<S> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.feed(&buf[..n]).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
        Ok(n)
    }
}

impl<S: Write> Write for Bounded<S> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        // The client speaks only between answers (LOGIN, FETCH, a SASL reply), so
        // whatever it writes opens a new answer to measure.
        self.start_command();
        self.inner.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn budget() -> Budget {
        Budget {
            response: 1000,
            literal: 100,
            untagged: 3,
            bytes: 5000,
            time: Duration::from_secs(60),
        }
    }

    fn read_all(input: &[u8], b: Budget) -> Result<Vec<u8>, String> {
        let mut s = Bounded::new(io::Cursor::new(input.to_vec()), Meter::new(b));
        s.start_command();
        let mut out = Vec::new();
        let mut buf = [0u8; 7];
        loop {
            match s.read(&mut buf) {
                Ok(0) => return Ok(out),
                Ok(n) => out.extend_from_slice(&buf[..n]),
                Err(e) => return Err(Exceeded::find(&e).expect("an Exceeded").what.clone()),
            }
        }
    }

    #[test]
    fn literals_are_recognised_only_at_the_end_of_a_line() {
        assert_eq!(literal_at_end(b"* 1 FETCH (BODY[] {12}\r\n"), Literal::Size(12));
        assert_eq!(literal_at_end(b"~{7}\r\n"), Literal::Size(7));
        assert_eq!(literal_at_end(b"* OK {12} text\r\n"), Literal::None);
        assert_eq!(literal_at_end(b"* OK text}\r\n"), Literal::None);
        assert_eq!(literal_at_end(b"* OK {x}\r\n"), Literal::None);
        assert_eq!(literal_at_end(b"{99999999999999999999}\r\n"), Literal::Absurd);
    }

    #[test]
    fn an_ordinary_answer_passes_whole() {
        let answer = b"* 1 FETCH (UID 4 BODY[] {10}\r\n0123456789)\r\n* 2 EXISTS\r\na1 OK done\r\n";
        assert_eq!(read_all(answer, budget()).unwrap(), answer.to_vec());
    }

    #[test]
    fn a_literal_with_line_breaks_inside_is_not_counted_as_lines() {
        // Four `*` lines inside the literal would break the untagged budget of 3.
        let answer = b"* 1 FETCH (BODY[] {16}\r\n* a\n* b\n* c\n* d\n)\r\na1 OK\r\n";
        assert!(read_all(answer, budget()).is_ok());
    }

    #[test]
    fn each_limit_is_enforced() {
        let long = [b"* OK ".as_slice(), &[b'x'; 2000]].concat();
        assert!(read_all(&long, budget()).unwrap_err().contains("response longer"));
        let flood = b"* OK [ALERT] a\r\n".repeat(4);
        assert!(read_all(&flood, budget()).unwrap_err().contains("untagged"));
        let big = b"* 1 FETCH (BODY[] {101}\r\n";
        assert!(read_all(big, budget()).unwrap_err().contains("literal of 101 bytes"));
        let many = b"a OK\r\n".repeat(1000);
        assert!(read_all(&many, budget()).unwrap_err().contains("more than"));
    }

    #[test]
    fn a_new_command_starts_a_new_count() {
        let mut s = Bounded::new(io::Cursor::new(b"* a\r\n".repeat(6)), Meter::new(budget()));
        let mut buf = [0u8; 5];
        for _ in 0..3 {
            s.read_exact(&mut buf).unwrap();
        }
        s.start_command();
        for _ in 0..3 {
            s.read_exact(&mut buf).unwrap();
        }
    }
}
