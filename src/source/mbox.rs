//! Reading mbox files: one file, many messages, each after a `From ` postmark line.
//!
//! We stream (an mbox can be gigabytes) and split on postmark lines only: a line
//! starting `From ` that also carries a time and a year, as every mbox writer puts
//! there. A body line that merely starts with "From " (mboxo writers do not escape it)
//! therefore does not cut a message in two. Lines escaped as `>From ` (mboxrd) lose
//! one `>`.
//!
//! A message is kept up to a limit (`with_limit`, `max_message_bytes` for a scan): the
//! rest of it, even a single 100 MB line, is read through a fixed buffer and dropped,
//! so memory stays bounded whatever the file holds. `truncated` counts such messages.

use std::io::{self, BufRead};

/// True when the first bytes of a file say it is an mbox.
pub fn is_mbox(head: &[u8]) -> bool {
    head.starts_with(b"From ")
}

/// Splits an mbox stream into messages (without their postmark line).
pub struct MboxReader<R> {
    input: R,
    line: Vec<u8>,
    started: bool,
    finished: bool,
    limit: usize,
    /// The last line read was longer than `LINE_CAP` and was cut.
    line_cut: bool,
    /// Messages cut so far (at the limit, or at a line longer than `LINE_CAP`).
    pub truncated: usize,
}

/// Longest line kept whole (a postmark is far shorter); the rest is read and dropped.
const LINE_CAP: usize = 64 * 1024;

impl<R: BufRead> MboxReader<R> {
    pub fn new(input: R) -> Self {
        MboxReader {
            input,
            line: Vec::with_capacity(256),
            started: false,
            finished: false,
            limit: usize::MAX,
            line_cut: false,
            truncated: 0,
        }
    }

    /// Keep at most `limit` bytes of each message.
    pub fn with_limit(mut self, limit: u64) -> Self {
        self.limit = usize::try_from(limit).unwrap_or(usize::MAX);
        self
    }

    /// The next line into `self.line`, with its ending: LF, CRLF, or a lone CR (classic
    /// Mac OS files, whose lines would otherwise run together into one). At most
    /// `LINE_CAP` bytes of it are kept (the rest is consumed). False at the end.
    fn read_line(&mut self) -> io::Result<bool> {
        self.line.clear();
        self.line_cut = false;
        let mut any = false;
        let mut after_cr = false;
        loop {
            let buf = match self.input.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if buf.is_empty() {
                return Ok(any);
            }
            // A CR ended the previous buffer: its LF, if any, is the first byte here.
            if after_cr {
                if buf[0] == b'\n' {
                    if self.line.len() < LINE_CAP {
                        self.line.push(b'\n');
                    }
                    self.input.consume(1);
                }
                return Ok(true);
            }
            any = true;
            let (take, done) = match memchr::memchr2(b'\n', b'\r', buf) {
                Some(i) if buf[i] == b'\n' => (i + 1, true),
                // A CR with the next byte in this buffer: CRLF or a lone CR.
                Some(i) if i + 1 < buf.len() => {
                    (if buf[i + 1] == b'\n' { i + 2 } else { i + 1 }, true)
                }
                // A CR at the buffer's end: the next buffer says whether an LF follows.
                Some(i) => {
                    after_cr = true;
                    (i + 1, false)
                }
                None => (buf.len(), false),
            };
            let room = LINE_CAP.saturating_sub(self.line.len());
            self.line_cut |= take > room;
            self.line.extend_from_slice(&buf[..take.min(room)]);
            self.input.consume(take);
            if done {
                return Ok(true);
            }
        }
    }
}

impl<R: BufRead> Iterator for MboxReader<R> {
    type Item = io::Result<Vec<u8>>;

    fn next(&mut self) -> Option<io::Result<Vec<u8>>> {
        if self.finished {
            return None;
        }
        if !self.started {
            self.started = true;
            // The first line is the first postmark.
            match self.read_line() {
                Ok(true) => {}
                Ok(false) => {
                    self.finished = true;
                    return None;
                }
                Err(e) => {
                    self.finished = true;
                    return Some(Err(e));
                }
            }
        }
        let mut message = Vec::new();
        let mut cut = false;
        loop {
            match self.read_line() {
                Ok(false) => {
                    self.finished = true;
                    break;
                }
                Ok(true) if is_postmark(&self.line) => break,
                Ok(true) if cut || message.len() + self.line.len() > self.limit => cut = true,
                Ok(true) => {
                    push_unescaped(&mut message, &self.line);
                    cut |= self.line_cut;
                }
                Err(e) => {
                    self.finished = true;
                    return Some(Err(e));
                }
            }
        }
        self.truncated += usize::from(cut);
        // The writer's separator: one empty line before the next postmark.
        if message.ends_with(b"\r\n\r\n") {
            message.truncate(message.len() - 2);
        } else if message.ends_with(b"\n\n") || message.ends_with(b"\r\r") {
            message.truncate(message.len() - 1);
        }
        Some(Ok(message))
    }
}

/// `From sender Thu Sep 18 17:54:04 2008`: `From `, then a time and a 4-digit year.
pub(crate) fn is_postmark(line: &[u8]) -> bool {
    if !line.starts_with(b"From ") {
        return false;
    }
    let has_time =
        line.windows(3).any(|w| w[0].is_ascii_digit() && w[1] == b':' && w[2].is_ascii_digit());
    let has_year = line
        .split(|b| b.is_ascii_whitespace())
        .any(|word| word.len() == 4 && word.iter().all(u8::is_ascii_digit));
    has_time && has_year
}

/// Append a line, turning `>From ` (any number of `>`) back into one `>` fewer.
fn push_unescaped(message: &mut Vec<u8>, line: &[u8]) {
    let quotes = line.iter().take_while(|b| **b == b'>').count();
    if quotes > 0 && line[quotes..].starts_with(b"From ") {
        message.extend_from_slice(&line[1..]);
    } else {
        message.extend_from_slice(line);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(mbox: &[u8]) -> Vec<String> {
        MboxReader::new(mbox)
            .map(|m| String::from_utf8_lossy(&m.expect("in-memory read")).into_owned())
            .collect()
    }

    #[test]
    fn splits_on_postmarks_and_unescapes() {
        let mbox = b"From MAILER-DAEMON Thu Sep 18 17:54:04 2008\nSubject: one\n\n\
            From here on, a body line.\n>From escaped\n>>From twice\n\n\
            From a@b.example  Wed Sep 17 22:25:40 2008\r\nSubject: two\r\n\r\nbody\r\n";
        let messages = split(mbox);
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert_eq!(
            messages[0],
            "Subject: one\n\nFrom here on, a body line.\nFrom escaped\n>From twice\n"
        );
        assert_eq!(messages[1], "Subject: two\r\n\r\nbody\r\n");
    }

    #[test]
    fn classic_mac_line_endings_split_too() {
        let mbox = b"From MAILER-DAEMON Thu Sep 18 17:54:04 2008\rSubject: one\r\rbody\r\r\
            From a@b.example  Wed Sep 17 22:25:40 2008\rSubject: two\r\rbody\r";
        let messages = split(mbox);
        assert_eq!(messages, ["Subject: one\r\rbody\r", "Subject: two\r\rbody\r"]);
        // A CR at the end of the reader's buffer is still one line ending.
        let reader = std::io::BufReader::with_capacity(
            5,
            &b"From x Thu Sep 18 17:54:04 2008\r\nA:\r\nB\r"[..],
        );
        let got: Vec<Vec<u8>> = MboxReader::new(reader).map(|m| m.unwrap()).collect();
        assert_eq!(got, [b"A:\r\nB\r".to_vec()]);
    }

    #[test]
    fn messages_and_lines_are_cut_at_their_limits() {
        let long = "x".repeat(3 * LINE_CAP);
        let mbox = format!(
            "From a Thu Sep 18 17:54:04 2008\nSubject: {long}\nA: 1\n\nbody\n\
             From b Thu Sep 18 17:54:04 2008\nSubject: short\n\nbody\n"
        );
        let mut reader = MboxReader::new(mbox.as_bytes()).with_limit(200);
        let first = reader.next().unwrap().unwrap();
        assert!(first.is_empty(), "the first line alone exceeds the limit");
        let second = reader.next().unwrap().unwrap();
        assert_eq!(second, b"Subject: short\n\nbody\n");
        assert_eq!(reader.truncated, 1);
        let mut whole = MboxReader::new(mbox.as_bytes());
        let capped = whole.next().unwrap().unwrap();
        assert_eq!(capped.len(), LINE_CAP, "a long line is cut, and the message with it");
        assert_eq!(whole.truncated, 1);
    }

    #[test]
    fn a_postmark_alone_is_one_empty_message_and_nothing_is_nothing() {
        assert_eq!(split(b"From x Thu Sep 18 17:54:04 2008\n"), vec![String::new()]);
        assert!(split(b"").is_empty());
        assert!(is_mbox(b"From x"));
        assert!(!is_mbox(b"Received: from"));
    }
}
