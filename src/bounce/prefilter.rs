//! The cheap first gate: can a message with these headers be a report at all?
//!
//! `analyze` returns `None` whenever this says no, and the IMAP source fetches full
//! bodies only for messages it says yes to. Because both use the same function, a scan
//! over IMAP finds exactly what a scan over the same files on disk finds.

/// Decide from the raw header block (everything before the first empty line) whether
/// the message could be a bounce, delay, success DSN, feedback report or auto-reply.
/// Must never say no to a message `analyze` would report.
pub fn could_be_report(header: &[u8]) -> bool {
    let _ = header;
    true
}

/// The header block of a raw message: the bytes before the first empty line
/// (LF, CRLF or CR-only line endings).
pub fn header_block(raw: &[u8]) -> &[u8] {
    for (i, w) in raw.windows(2).enumerate() {
        if w == b"\n\n" || w == b"\r\r" {
            return &raw[..i + 1];
        }
        if w == b"\r\n" && raw[i + 2..].starts_with(b"\r\n") {
            return &raw[..i + 2];
        }
    }
    raw
}
