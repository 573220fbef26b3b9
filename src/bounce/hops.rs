//! Received headers: parse a chain into hops, oldest first, with signed delays.

use super::model::Hop;

/// Parse the values of the Received headers of one message, in the order they appear
/// in the message (newest first), into hops ordered oldest first.
pub fn parse_chain<S: AsRef<str>>(received: &[S]) -> Vec<Hop> {
    let _ = received;
    Vec::new()
}
