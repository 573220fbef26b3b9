//! Guidance for a failure that carries no code at all ("[User unknown]", a text-only
//! notice): the engine's reason stands in for the code it did not get. Each reason maps
//! to the registered enhanced status code that says the same thing, and the record
//! gets that code's general entry, marked as found by reason so no one mistakes it for
//! a code the server sent.
//!
//! Reasons too vague for one code (`onhold`, `undefined`, `badreputation`,
//! `virusdetected`, `toomanyconn`, `speeding`, `notcompliantrfc`) keep the fallback:
//! a wrong stand-in would give wrong advice with a confident title.

use crate::bounce::{Reason, StatusCode};

/// The registered code whose meaning is this reason's, if one fits.
pub(super) fn stand_in_code(reason: Reason) -> Option<StatusCode> {
    let (class, subject, detail) = match reason {
        Reason::UserUnknown => (5, 1, 1),
        Reason::HostUnknown => (5, 1, 2),
        Reason::HasMoved => (5, 1, 6),
        Reason::NotAccept => (5, 1, 10),
        Reason::Suspend => (5, 2, 1),
        Reason::MailboxFull => (5, 2, 2),
        Reason::ExceedLimit => (5, 2, 3),
        Reason::MesgTooBig => (5, 3, 4),
        Reason::MailerError => (5, 3, 0),
        Reason::SyntaxError => (5, 5, 2),
        Reason::ContentError => (5, 6, 0),
        Reason::SecurityError => (5, 7, 0),
        Reason::Blocked
        | Reason::Rejected
        | Reason::NoRelaying
        | Reason::PolicyViolation
        | Reason::SpamDetected
        | Reason::Filtered => (5, 7, 1),
        Reason::FailedStartTls => (5, 7, 10),
        Reason::RequirePtr => (5, 7, 25),
        Reason::AuthFailure => (5, 7, 26),
        Reason::SystemError => (4, 3, 0),
        Reason::SystemFull => (4, 3, 1),
        Reason::NetworkError => (4, 4, 0),
        Reason::Expired => (4, 4, 7),
        _ => return None,
    };
    Some(StatusCode::new(class, subject, detail))
}
