//! Reading the SMTP reply code and the enhanced status code out of diagnostic text.

use super::status::StatusCode;

/// The SMTP reply code and enhanced status code found in a reply line or diagnostic,
/// e.g. `550 5.7.1 Client was not authenticated` -> (550, 5.7.1).
pub fn parse_reply(text: &str) -> (Option<u16>, Option<StatusCode>) {
    let mut reply = None;
    let mut status = None;
    let tokens = text
        .split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | '[' | ']' | '#' | ';' | ','))
        .flat_map(split_continuation);
    for token in tokens {
        let token = token.trim_end_matches(['.', ':', '-']);
        if reply.is_none() && token.len() == 3 && token.bytes().all(|b| b.is_ascii_digit()) {
            let code: u16 = token.parse().unwrap_or(0);
            if (200..600).contains(&code) {
                reply = Some(code);
            }
        }
        if status.is_none() {
            status = token.parse().ok();
        }
        if reply.is_some() && status.is_some() {
            break;
        }
    }
    (reply, status)
}

/// Multi-line SMTP replies write `550-5.7.1 ...` on all lines but the last: split such a
/// token into the reply code and the rest.
fn split_continuation(token: &str) -> impl Iterator<Item = &str> {
    let b = token.as_bytes();
    let split = b.len() > 4 && b[..3].iter().all(u8::is_ascii_digit) && b[3] == b'-';
    let (head, tail) = if split { (&token[..3], &token[4..]) } else { (token, "") };
    std::iter::once(head).chain((!tail.is_empty()).then_some(tail))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_plain_and_continuation_replies() {
        let want = (Some(550), Some(StatusCode::new(5, 7, 26)));
        assert_eq!(parse_reply("550 5.7.26 Unauthenticated email"), want);
        assert_eq!(parse_reply("host mx[192.0.2.1] said: 550-5.7.26 Unauthenticated"), want);
        assert_eq!(parse_reply("mx-550-a.example.org refused"), (None, None));
    }
}
