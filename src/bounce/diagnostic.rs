//! Reading the SMTP reply code and the enhanced status code out of diagnostic text.
//!
//! Shared with `rebound explain`, so it accepts what people paste: a bare reply line,
//! a multi-line reply (`550-5.7.1 ...`), a Diagnostic-Code value, or a sentence from a
//! notice ("... said: 550 5.1.1 <a@b>: user unknown", "ERROR_CODE :550").

use super::status::StatusCode;

/// Characters that separate tokens; `.` is not one, so IP addresses and status codes
/// stay whole, and `-` is, so `550-5.7.1` splits into its reply and status.
fn is_separator(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '(' | ')' | '[' | ']' | '#' | ';' | ',' | ':' | '=' | '\'' | '"' | '<' | '>' | '-'
        )
}

/// A reply code token: three digits, first 2, 4 or 5, second 0-5 (RFC 5321 §4.2).
pub fn reply_code(token: &str) -> Option<u16> {
    let b = token.as_bytes();
    if b.len() != 3 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    if !matches!(b[0], b'2' | b'4' | b'5') || b[1] > b'5' {
        return None;
    }
    token.parse().ok()
}

/// The SMTP reply code and enhanced status code found in a reply line or diagnostic,
/// e.g. `550 5.7.1 Client was not authenticated` -> (550, 5.7.1).
///
/// The first reply code wins. For the status, a code right after a reply code is
/// preferred to one elsewhere; a status in another class than the reply (a quoted
/// `4.4.1` inside a 5xx) is kept only when nothing better is found.
pub fn parse_reply(text: &str) -> (Option<u16>, Option<StatusCode>) {
    let mut reply: Option<u16> = None;
    let mut status: Option<StatusCode> = None;
    // Whether the kept status came right after a reply code ("550 5.7.1"), which
    // makes it that reply's own code rather than a code mentioned in passing.
    let mut paired = false;
    let mut previous_was_reply = false;
    for token in text.split(is_separator).filter(|t| !t.is_empty()) {
        // `SIZE=222` in an echoed `MAIL FROM:` is a parameter, not a reply. The token
        // is a slice of `text`, so its offset gives the byte before it.
        let at = token.as_ptr() as usize - text.as_ptr() as usize;
        let parameter = at > 0 && text.as_bytes()[at - 1] == b'=';
        let token = token.trim_end_matches('.');
        if let Some(code) = reply_code(token).filter(|_| !parameter) {
            reply.get_or_insert(code);
            previous_was_reply = true;
            continue;
        }
        if let Some(code) = StatusCode::parse(token) {
            let agrees = |c: StatusCode| reply.is_none_or(|r| (r / 100) as u8 == c.class);
            let better = match status {
                None => true,
                Some(s) => previous_was_reply && agrees(code) && (!paired || !agrees(s)),
            };
            if better {
                status = Some(code);
                paired = previous_was_reply;
            }
        }
        previous_was_reply = false;
    }
    (reply, status)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sc(s: &str) -> Option<StatusCode> {
        s.parse().ok()
    }

    #[test]
    fn a_size_parameter_is_not_a_reply() {
        // lhost-exim-54: Exim echoes the MAIL FROM command, SIZE parameter and all.
        let exim = "SMTP error from remote mail server after MAIL FROM:<a@example.com> \
                    SIZE=222: host mx4.example.org [192.0.2.22]: 550 NN-222 blocked";
        assert_eq!(parse_reply(exim).0, Some(550));
        assert_eq!(parse_reply("SIZE=552"), (None, None));
    }

    #[test]
    fn reads_plain_and_multiline_replies() {
        assert_eq!(parse_reply("550 5.7.1 Client was not authenticated"), (Some(550), sc("5.7.1")));
        assert_eq!(parse_reply("550-5.7.26 Unauthenticated email"), (Some(550), sc("5.7.26")));
        assert_eq!(parse_reply("smtp; 552 4.2.2 full"), (Some(552), sc("4.2.2")));
    }

    #[test]
    fn reads_codes_inside_prose() {
        let d = "host mx.example.jp [192.0.2.20]: 550 5.7.0 <a@example.jp>... Please use";
        assert_eq!(parse_reply(d), (Some(550), sc("5.7.0")));
        let d = "Invalid Address, ERROR_CODE :550, ERROR_CODE :5.1.1 <a@b>... User Unknown";
        assert_eq!(parse_reply(d), (Some(550), sc("5.1.1")));
        assert_eq!(parse_reply("Connection timed out at 23:34:45 (#4.4.1)"), (None, sc("4.4.1")));
    }

    #[test]
    fn prefers_the_code_paired_with_the_reply() {
        let d = "5.1.0 - Unknown address error 550-'5.7.1 <a@b>... Access denied'";
        assert_eq!(parse_reply(d), (Some(550), sc("5.7.1")));
        let d = "550 5.1.1 <a@b>: unknown; see 5.7.1 for policy";
        assert_eq!(parse_reply(d), (Some(550), sc("5.1.1")));
    }

    #[test]
    fn ignores_numbers_that_are_not_codes() {
        assert_eq!(parse_reply("delivery attempts: 0, port 25, 192.0.2.1, 2010"), (None, None));
        assert_eq!(parse_reply("id 999 and 170 bytes"), (None, None));
    }
}
