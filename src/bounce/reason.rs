//! Why a delivery failed, in sisimai's vocabulary (a common language among bounce
//! tools), and whether that reason makes the bounce hard or soft.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

macro_rules! reasons {
    ($( $variant:ident => $name:literal, $summary:literal; )*) => {
        /// The cause of a failed (or otherwise reported) delivery.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "lowercase")]
        pub enum Reason { $( $variant, )* }

        impl Reason {
            /// Every reason, in declaration order.
            pub const ALL: &'static [Reason] = &[ $( Reason::$variant, )* ];

            /// The lowercase name used in exports and filters (`userunknown`).
            pub fn as_str(self) -> &'static str {
                match self { $( Reason::$variant => $name, )* }
            }

            /// A few words saying what the reason means.
            pub fn summary(self) -> &'static str {
                match self { $( Reason::$variant => $summary, )* }
            }
        }

        impl FromStr for Reason {
            type Err = UnknownReason;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s.to_ascii_lowercase().as_str() {
                    $( $name => Ok(Reason::$variant), )*
                    _ => Err(UnknownReason(s.to_string())),
                }
            }
        }
    };
}

reasons! {
    UserUnknown => "userunknown", "the mailbox does not exist";
    HostUnknown => "hostunknown", "the recipient domain does not exist or has no mail server";
    MailboxFull => "mailboxfull", "the mailbox is over its quota";
    HasMoved => "hasmoved", "the recipient has moved and left no forwarding address";
    Suspend => "suspend", "the mailbox is disabled or suspended";
    Blocked => "blocked", "the sending IP or host is refused";
    RequirePtr => "requireptr", "the sending IP has no valid reverse DNS";
    BadReputation => "badreputation", "the sender's reputation is too low";
    SpamDetected => "spamdetected", "the message was judged to be spam";
    VirusDetected => "virusdetected", "the message carried malware";
    PolicyViolation => "policyviolation", "the message broke a local policy";
    Filtered => "filtered", "a filter at the recipient refused the message";
    AuthFailure => "authfailure", "SPF, DKIM or DMARC did not pass";
    NoRelaying => "norelaying", "the server refused to relay for the sender";
    Rejected => "rejected", "the sender address was refused";
    SecurityError => "securityerror", "authentication or another security check failed";
    ContentError => "contenterror", "the message content was refused";
    MesgTooBig => "mesgtoobig", "the message is too large";
    ExceedLimit => "exceedlimit", "the message exceeds a size or count limit";
    Speeding => "speeding", "too many messages too quickly";
    TooManyConn => "toomanyconn", "too many connections or recipients at once";
    SystemFull => "systemfull", "the receiving system is out of storage";
    SystemError => "systemerror", "the receiving system failed";
    NetworkError => "networkerror", "a network or DNS problem on the way";
    Expired => "expired", "delivery was attempted until the message expired";
    NotAccept => "notaccept", "the domain does not accept mail (null MX)";
    NotCompliantRfc => "notcompliantrfc", "the message breaks the mail standards";
    FailedStartTls => "failedstarttls", "TLS could not be negotiated";
    SyntaxError => "syntaxerror", "an SMTP command was malformed";
    MailerError => "mailererror", "a local delivery program failed";
    OnHold => "onhold", "the report does not say enough to decide";
    Undefined => "undefined", "no known reason could be recognised";
    Feedback => "feedback", "an abuse or feedback report, not a failure";
    Vacation => "vacation", "an automatic reply";
    Delivered => "delivered", "the message was delivered";
}

/// A reason name that rebound does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown reason {0:?}")]
pub struct UnknownReason(pub String);

impl Reason {
    /// The registered enhanced status code whose meaning is this reason's, for a failure
    /// that came without any code (`userunknown`: 5.1.1). Reasons too vague for one code
    /// (`onhold`, `undefined`, `badreputation`, `virusdetected`, `toomanyconn`,
    /// `speeding`, `notcompliantrfc`) have none: a wrong stand-in would mislead.
    pub fn stand_in_code(self) -> Option<super::StatusCode> {
        let (class, subject, detail) = match self {
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
        Some(super::StatusCode::new(class, subject, detail))
    }

    /// Reasons that say the report does not tell the cause.
    pub fn is_vague(self) -> bool {
        matches!(self, Reason::OnHold | Reason::Undefined)
    }

    /// The default hard/soft verdict for this reason: hard means the address itself is
    /// bad and resending to it will keep failing. Everything else (reputation blocks,
    /// full mailboxes, policy, network) can succeed later or once the sender fixes
    /// something, so it is soft, whatever the class digit says.
    pub fn is_hard(self) -> bool {
        matches!(
            self,
            Reason::UserUnknown | Reason::HostUnknown | Reason::HasMoved | Reason::NotAccept
        )
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for r in Reason::ALL {
            assert_eq!(r.as_str().parse::<Reason>().unwrap(), *r);
        }
        assert!("nonsense".parse::<Reason>().is_err());
    }

    #[test]
    fn full_mailbox_is_soft_and_unknown_user_hard() {
        assert!(!Reason::MailboxFull.is_hard());
        assert!(Reason::UserUnknown.is_hard());
        assert!(!Reason::Blocked.is_hard());
    }
}
