//! Reading the SMTP reply code and the enhanced status code out of diagnostic text.

use super::status::StatusCode;

/// The SMTP reply code and enhanced status code found in a reply line or diagnostic,
/// e.g. `550 5.7.1 Client was not authenticated` -> (550, 5.7.1).
pub fn parse_reply(text: &str) -> (Option<u16>, Option<StatusCode>) {
    let mut reply = None;
    let mut status = None;
    for token in text
        .split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | '[' | ']' | '#' | ';' | ','))
    {
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
