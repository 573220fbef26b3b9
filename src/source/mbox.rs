//! Reading mbox files: one file, many messages, each after a `From ` postmark line.
//!
//! We stream (an mbox can be gigabytes) and split on postmark lines only: a line
//! starting `From ` that also carries a time and a year, as every mbox writer puts
//! there. A body line that merely starts with "From " (mboxo writers do not escape it)
//! therefore does not cut a message in two. Lines escaped as `>From ` (mboxrd) lose
//! one `>`.

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
}

impl<R: BufRead> MboxReader<R> {
    pub fn new(input: R) -> Self {
        MboxReader { input, line: Vec::with_capacity(256), started: false, finished: false }
    }

    fn read_line(&mut self) -> io::Result<bool> {
        self.line.clear();
        Ok(self.input.read_until(b'\n', &mut self.line)? > 0)
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
        loop {
            match self.read_line() {
                Ok(false) => {
                    self.finished = true;
                    break;
                }
                Ok(true) if is_postmark(&self.line) => break,
                Ok(true) => push_unescaped(&mut message, &self.line),
                Err(e) => {
                    self.finished = true;
                    return Some(Err(e));
                }
            }
        }
        // The writer's separator: one empty line before the next postmark.
        if message.ends_with(b"\r\n\r\n") {
            message.truncate(message.len() - 2);
        } else if message.ends_with(b"\n\n") {
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
    fn a_postmark_alone_is_one_empty_message_and_nothing_is_nothing() {
        assert_eq!(split(b"From x Thu Sep 18 17:54:04 2008\n"), vec![String::new()]);
        assert!(split(b"").is_empty());
        assert!(is_mbox(b"From x"));
        assert!(!is_mbox(b"Received: from"));
    }
}
