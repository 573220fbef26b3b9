//! What codes say on their own: the reason an enhanced status code or a reply code
//! stands for, and which codes are too generic to decide against the text.

use crate::bounce::reason::Reason;
use crate::bounce::status::StatusCode;

/// The reason an enhanced status code stands for on its own, when it is specific
/// enough to decide.
pub fn reason_for_code(code: StatusCode) -> Option<Reason> {
    use Reason::*;
    let r = match (code.class, code.subject, code.detail) {
        (2, _, _) => Delivered,
        (_, 1, 1) | (_, 1, 3) | (_, 1, 351) => UserUnknown,
        // The registry's X.1.10 is a null MX (RFC 7505); Microsoft reuses 5.1.10 for an
        // unknown recipient and says so in words ("RecipientNotFound"), which decide.
        (_, 1, 10) => NotAccept,
        // "Other address status": the address is the problem, most often unknown.
        (_, 1, 0) => UserUnknown,
        (_, 1, 2) => HostUnknown,
        (_, 1, 6) => HasMoved,
        (_, 1, 7) | (_, 1, 8) => Rejected,
        (_, 2, 1) => Suspend,
        (_, 2, 2) => MailboxFull,
        (_, 2, 3) => ExceedLimit,
        (_, 2, 4) => SystemError,
        // "Other or undefined mail system status": the destination system failed.
        (_, 3, 0) => SystemError,
        (_, 3, 1) => SystemFull,
        (4, 3, 2) => TooManyConn,
        (_, 3, 2) => NotAccept,
        (_, 3, 4) => MesgTooBig,
        (_, 3, 5) => SystemError,
        (_, 4, 1) | (_, 4, 2) => NetworkError,
        (_, 4, 3) => SystemError,
        (_, 4, 4) => HostUnknown,
        (_, 4, 5) => SystemFull,
        (_, 4, 6) => NetworkError,
        (_, 4, 7) => Expired,
        (_, 4, 316) => Expired,
        (_, 4, d) if d >= 300 => NetworkError,
        (_, 5, 3) => TooManyConn,
        (_, 5, 2) | (_, 5, 4) | (_, 5, 5) => SyntaxError,
        (_, 6, 0) | (_, 6, 9) => ContentError,
        (_, 6, _) => ContentError,
        (_, 7, 1) => Blocked,
        (_, 7, 13) | (_, 7, 17) | (_, 7, 18) => Suspend,
        (_, 7, 23) | (_, 7, 24) | (_, 7, 26) | (_, 7, 509) => AuthFailure,
        (_, 7, 25) => RequirePtr,
        (_, 7, 27) => NotAccept,
        (_, 7, 28) => Speeding,
        (_, 7, 606) | (_, 7, 511) => Blocked,
        // IANA's title is "authentication mechanism is too weak", but Yahoo and AOL,
        // which send most of these, use it for policy refusals of the message.
        (_, 7, 9) => PolicyViolation,
        (_, 7, 6) | (_, 7, 7) | (_, 7, 8) | (_, 7, 10) | (_, 7, 11) => SecurityError,
        (_, 7, 0) => SecurityError,
        _ => return None,
    };
    Some(r)
}

/// Codes that servers reuse for many causes: the text decides before them.
pub(super) fn code_is_generic(code: StatusCode) -> bool {
    code.detail == 0 || matches!((code.subject, code.detail), (7, 1) | (1, 0) | (4, 7))
}

/// The few reply codes that name a cause on their own (RFC 5321 §4.2.3).
pub fn reason_for_reply(code: u16) -> Option<Reason> {
    match code {
        500..=504 | 555 => Some(Reason::SyntaxError),
        552 => Some(Reason::MailboxFull),
        // "Local error in processing" and "service not available".
        421 | 451 => Some(Reason::SystemError),
        _ => None,
    }
}

/// Reasons whose phrases are specific enough to overrule a specific status code.
pub(super) fn phrase_beats_code(reason: Reason) -> bool {
    matches!(
        reason,
        Reason::MailboxFull
            | Reason::NotAccept
            | Reason::UserUnknown
            | Reason::AuthFailure
            | Reason::RequirePtr
            | Reason::Suspend
            | Reason::NoRelaying
            | Reason::MailerError
            | Reason::Filtered
            | Reason::Speeding
            | Reason::HasMoved
            | Reason::NotCompliantRfc
    )
}
