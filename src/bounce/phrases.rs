//! Phrases that name a failure reason, as servers commonly word them.
//!
//! The table is ordered: earlier reasons win when several match, so narrow causes
//! (authentication, reverse DNS, relaying, quota) come before broad ones (blocked,
//! policy, system error). Phrases are lowercase and matched against the lowercased
//! text with runs of whitespace collapsed.

use std::borrow::Cow;
use std::sync::LazyLock;

use aho_corasick::AhoCorasick;

use super::reason::Reason;
use super::status::StatusCode;

const TABLE: &[(Reason, &[&str])] = &[
    // Greylisting defers a first attempt from an unknown sending host on purpose; it
    // often reads "Recipient address rejected: Greylisted", which is no unknown user.
    (Reason::Blocked, &["greylist", "graylist", "grey-list", "gray-list", "grey list"]),
    // Spectrum (Charter) AUP codes 1310-1340: Cloudmark's limits on connections and
    // volume per sending IP, whatever the rest of the reply says.
    (
        Reason::TooManyConn,
        &[
            "aup#in-1310",
            "aup#in-1320",
            "aup#in-1330",
            "aup#in-1340",
            "aup#i-1310",
            "aup#i-1320",
            "aup#i-1330",
            "aup#i-1340",
        ],
    ),
    // Orange/Wanadoo's spam refusal: "550 5.2.0 Mail rejete. Mail rejected. OFR_506".
    (Reason::SpamDetected, &["mail rejete", "ofr_506"]),
    // Hourly sending quotas (GoDaddy's "sent to too many recipients this hour") are
    // rate limits, even when worded with "too many recipients" and a 5.1.1.
    (Reason::Speeding, &["recipients this hour", "messages this hour", "emails this hour"]),
    // A blocklisted link in the body is a content verdict, not a block of the host.
    // Google Groups' "rejected due to spam classification" goes on to advise on SPF
    // and DKIM: the verdict is spam, the advice is not the cause.
    (
        Reason::SpamDetected,
        &[
            "blacklisted url",
            "blocklisted url",
            "url in message",
            "uribl",
            "surbl",
            "spam classification",
        ],
    ),
    // A blocklisted IP address is a refusal of the sending host; a blocklisted e-mail
    // address ("you are sending to/from an address that has been blacklisted") is a
    // refusal of the address, not of the host, whatever blocklist word it uses.
    (Reason::Blocked, &["ip address that has been blacklisted", "ip address has been blacklisted"]),
    (
        Reason::Rejected,
        &[
            "address that has been blacklisted",
            "address has been blacklisted",
            "address is blacklisted",
        ],
    ),
    // Sender ID checks the "purported responsible address": the sender's identity.
    (Reason::Rejected, &["purported responsible address"]),
    // Exim's "malformed address: ..." is a syntax error in the address itself.
    (Reason::SyntaxError, &["malformed address"]),
    // Amazon SES in its sandbox refuses senders whose identity was not verified.
    (Reason::NoRelaying, &["identities failed the check", "email address is not verified"]),
    // Narrow wordings that would otherwise be caught by a broader entry below.
    (
        Reason::NetworkError,
        &["malformed or unexpected name server reply", "host not found, try again"],
    ),
    (
        Reason::Rejected,
        &[
            "domain of sender address",
            "sender address rejected",
            "sender verify failed",
            "sender domain does not exist",
            "sender rejected",
            "sender was rejected",
        ],
    ),
    (Reason::SecurityError, &["unauthenticated senders"]),
    (Reason::NoRelaying, &["not configured to relay"]),
    (
        Reason::PolicyViolation,
        &["content presents a potential", "message was blocked because its content"],
    ),
    (
        Reason::NotCompliantRfc,
        &[
            "multiple addresses in from",
            "multiple from",
            "duplicate header",
            "rfc 5322 compliant",
            "rfc5322 compliant",
            "not rfc 5322",
            "not rfc5322",
        ],
    ),
    // "Not accepting mail with attachments or embedded images" (AOL) refuses a kind of
    // message, not all mail: a policy, not a null MX.
    (
        Reason::PolicyViolation,
        &["not accepting mail with", "does not accept mail with", "not accepting messages with"],
    ),
    (
        Reason::NotAccept,
        &[
            "does not accept mail",
            "doesn't accept mail",
            "not accepting mail",
            "null mx",
            "nullmx",
            "accepts no mail",
            "does not receive mail",
            "indicated no smtp service",
            "no mx record",
            "no mx found",
            "couldn't find a mail exchanger",
            "could not find a mail exchanger",
        ],
    ),
    (Reason::NoRelaying, &["insecure mail relay"]),
    (Reason::TooManyConn, &["frequency limited", "connection frequency"]),
    (
        Reason::MailerError,
        &[
            "mailer error",
            "command failed",
            "command died",
            "command output:",
            "unknown mailer error",
            "x-unix;",
            "pipe to |",
            "procmail",
            "exit status",
            "delivery to a pipe",
        ],
    ),
    (
        Reason::AuthFailure,
        &[
            "dmarc",
            "spf check",
            "spf fail",
            "spf validation",
            "spf record",
            "sender policy framework",
            "spf)",
            "spf=fail",
            "(spf",
            "dkim",
            "unauthenticated email",
            "authentication checks",
            "domain authentication",
            "is not allowed to send mail from",
            "not designated as permitted sender",
            "sender is not authorized",
            "sender authentication",
        ],
    ),
    (
        Reason::RequirePtr,
        &[
            "reverse dns",
            "reverse lookup",
            "reverse-dns",
            "rdns",
            "ptr record",
            "no ptr",
            "ptr lookup",
            "cannot find your hostname",
            "cannot find your reverse hostname",
            "cannot resolve your address",
            "client host name",
            "does not resolve",
            "no reverse",
            "unresolvable",
            "hostname does not match",
            "host name is unknown",
            "cannot resolve your hostname",
            "ip name lookup failed",
            "is not resolvable",
            "not fqdn",
            // Hotmail/Outlook.com: "550 domain [example.com] mismatches client ip":
            // the name we gave does not resolve to the address we connect from.
            "mismatches client ip",
            // GMX/1&1: "Bad DNS PTR resource record".
            "ptr resource record",
        ],
    ),
    (
        Reason::NoRelaying,
        &[
            "relay access denied",
            "relaying denied",
            "relay denied",
            "relaying not allowed",
            "relaying is not allowed",
            "not permitted to relay",
            "relay not permitted",
            "relaying not permitted",
            "unable to relay",
            "we do not relay",
            "not a gateway",
            "relaying mail to",
            "no relaying",
            "cannot relay",
            "can't relay",
            "relay prohibited",
            "relay not allowed",
        ],
    ),
    (
        Reason::HasMoved,
        &["has moved", "has been moved", "no longer at this address", "not our customer"],
    ),
    (
        Reason::MailboxFull,
        &[
            "mailbox full",
            "mailbox is full",
            "mailbox is over",
            "mailbox has exceeded",
            "mailbox size limit",
            "mailbox would exceed",
            "over quota",
            "overquota",
            "over the quota",
            "over its quota",
            "quota exceeded",
            "quota exceed",
            "exceeded storage",
            "exceeded its storage",
            "exceeds the quota",
            "exceeded the quota",
            "mailbox quota",
            "disk quota",
            "quota full",
            "full mailbox",
            "is full",
            "too much mail data",
            "insufficient space",
            "not enough space",
            "out of storage",
            "storage quota",
            "mailbox exceeds",
            "mailbox exceeded",
            "user is over",
            "account is full",
            "inbox is full",
            "exceeded his quota",
            "exceeded her quota",
            "exceed mailbox",
            "mail box full",
            "maildir over quota",
            "space is not enough",
        ],
    ),
    (
        Reason::MesgTooBig,
        &[
            "message too large",
            "message too big",
            "message is too large",
            "message is too big",
            "message size exceeds",
            "message size exceeded",
            "exceeds size limit",
            "exceeded size limit",
            "message exceeds maximum",
            "size limit exceeded",
            "message length exceeds",
            "mail size limit",
            "message file too big",
            "exceeds the maximum size",
            "larger than the maximum",
            "too large for",
        ],
    ),
    // A spam filter's score over its threshold ("Score 14.2 exceeds the limit of 8.0")
    // is a spam verdict, not a size limit.
    (Reason::SpamDetected, &["classified as spam", "spam score", "score exceeds", "spamassassin"]),
    (
        Reason::ExceedLimit,
        &["limit exceeded", "exceeded limit", "exceeds the limit", "message too long"],
    ),
    (
        Reason::Suspend,
        &[
            "account suspended",
            "account has been suspended",
            "account is suspended",
            "mailbox suspended",
            "mailbox has been suspended",
            "user suspended",
            "suspended account",
            "account is disabled",
            "account has been disabled",
            "mailbox is disabled",
            "mailbox disabled",
            "account disabled",
            "account is inactive",
            "inactive account",
            "mailbox is inactive",
            "mailbox inactive",
            "is deactivated",
            "has been deactivated",
            "account is locked",
            "temporarily locked",
            "temporary locked",
            "account has been locked",
            "mailbox is frozen",
            "account is frozen",
            "not active",
            "temporarily disabled",
            "account expired",
            "user account is unavailable",
            "account has been terminated",
            "mailbox unavailable or access denied",
        ],
    ),
    (
        Reason::HostUnknown,
        &[
            "host unknown",
            "unknown host",
            "host not found",
            "domain not found",
            "no such domain",
            "unknown domain",
            "domain does not exist",
            "domain doesn't exist",
            "domain is not found",
            "unrouteable mail domain",
            "unrouteable address",
            "unroutable address",
            "domain is not reachable",
            "unroutable mail domain",
            "host or domain name not found",
            "name or service not known",
            "domain name not found",
            "nxdomain",
            "name server error",
            "no such host",
            "hostname not found",
            "invalid domain",
            "domain is not valid",
            "recipient domain must exist",
            "all relevant mx records point to non-existent hosts",
            "all mx records point",
            "could not be resolved",
            "unable to resolve",
            "domain not valid",
            "no host",
            // Gmail's NOERROR answer without MX or address records: no mail server.
            "had no relevant answers",
            // cPanel's Exim words every address its routers cannot route (no MX, no
            // address record: Exim's own "Unrouteable address") this way. The sentence
            // lists guesses, but as a whole it says the domain could not be routed.
            "the account or domain may not exist, they may be blacklisted, or missing the proper dns entries",
        ],
    ),
    (
        Reason::UserUnknown,
        &[
            "user unknown",
            "unknown user",
            "userunknown",
            "no such user",
            "no such local user",
            "no such local recipient",
            "no such local mailbox",
            "no such virtual user",
            "no such mailbox",
            "no such recipient",
            "no such account",
            "no such address",
            "mailbox not found",
            "mailbox does not exist",
            "mailbox doesn't exist",
            "mailbox unavailable",
            "mailbox is unavailable",
            "mailbox not available",
            "invalid mailbox",
            "invalid recipient",
            "invalid address",
            "recipient unknown",
            "unknown recipient",
            "recipient not found",
            "recipient address rejected: user",
            "recipient address rejected: undeliverable",
            "recipient address rejected: unknown",
            "recipient address rejected: access denied",
            "user not found",
            "user doesn't exist",
            "user does not exist",
            "address does not exist",
            "account does not exist",
            "account that you tried to reach does not exist",
            "does not exist",
            "doesn't exist",
            "not a valid mailbox",
            "not a valid user",
            "not a known user",
            "unknown address",
            "address unknown",
            "bad destination mailbox",
            "no mailbox",
            "unknown local part",
            "unknown or illegal alias",
            "is not a valid",
            "no valid recipients",
            "undeliverable address",
            "recipient rejected",
            "recipient is not exist",
            "no account by that name",
            "user invalid",
            "user not exist",
            "invalid final delivery userid",
            "check if address is correct",
            "address couldn't be found",
            "address could not be found",
            "invalid user",
            "address invalid",
            "addressee unknown",
            "no longer valid",
            "not listed in",
            "recipientnotfound",
            "not found in",
            "unknown account",
            "no such person",
            "user doesn't have",
            "does not have an account",
            "mailbox name not allowed",
            "not a valid recipient",
            "recipient does not exist",
        ],
    ),
    (
        Reason::Expired,
        &[
            "retry timeout exceeded",
            "will be retried",
            "was aborted after",
            "did not accept our requests to connect",
            "unable to deliver this message after",
            "delivery attempts",
            "retry time not reached",
            "delivery time expired",
            "message expired",
            "has expired",
            "expired",
            "could not be delivered within",
            "was not delivered within",
            "too long in queue",
            "in the queue too long",
            "queue for too long",
            "message timed out",
            "giving up",
            "gave up",
            "delivery period expired",
            "maximum time",
            "no longer trying",
            "have been failing for",
            "timeout exceeded",
        ],
    ),
    (
        Reason::BadReputation,
        &[
            "bad reputation",
            "poor reputation",
            "low reputation",
            "reputation of",
            "ip reputation",
            "sender reputation",
            "domain reputation",
        ],
    ),
    (
        Reason::Blocked,
        &[
            "blacklist",
            "black list",
            "blocklist",
            "block list",
            "blacklisted",
            "spamhaus",
            "spamcop",
            "sorbs",
            "dnsbl",
            "rbl",
            "listed at",
            "listed on",
            "listed in",
            "is listed",
            "client host rejected",
            "your ip",
            "sending ip",
            "sender ip",
            "dynamic ip",
            "dial-up",
            "dialup",
            "residential",
            "use the smtp server of your isp",
            "smtp server of your isp",
            "refused to talk",
            "not allowed to send",
            "banned",
            "connection refused by",
            "connection rejected",
            "rejected because of",
            "no access from",
            "host rejected",
            "service unavailable; client",
            "your host",
            "connections not accepted",
            "rejecting connections",
            "too many bad",
            "envelope blocked",
            "not allowed to connect",
            "invalid ip",
            "not accepting connections",
            // "no access from mail server [ip] which is an open relay": the sending
            // host is refused for being (listed as) an open relay. A refusal to relay
            // for us reads "unable to relay" etc. and is caught above.
            "open relay",
        ],
    ),
    (Reason::VirusDetected, &["virus", "malware", "infected", "trojan", "worm found"]),
    (
        Reason::SpamDetected,
        &[
            "spam",
            // Mimecast's signature tags ("MCSpamSignature.sa.2.2") glue the word in.
            "spamsignature",
            "junk mail",
            "bulk mail",
            "unsolicited",
            "content filter",
            "message content rejected",
            "suspicious",
            "phishing",
            "score",
            "uce",
            "message refused",
        ],
    ),
    // "Blocked" alone says that something was refused, not what: after the spam words,
    // so "blocked by SpamAssassin" or "spam blocked" reads as a content verdict, and a
    // blocked host is caught by the narrower host phrases above.
    (Reason::Blocked, &["blocked"]),
    (
        Reason::TooManyConn,
        &[
            "too many connections",
            "connection rate limit",
            "too many recipients",
            "too many concurrent",
            "connection limit",
            "too many simultaneous",
            "too many sessions",
            "max connections",
            "too many hosts",
            "too many errors",
        ],
    ),
    (
        Reason::Speeding,
        &[
            "rate limit",
            "ratelimit",
            "rate-limit",
            "too fast",
            "throttl",
            "sending rate",
            "receiving mail at a rate",
            "too many messages",
            "recipients this hour",
            "messages this hour",
            "too many emails",
            "slow down",
        ],
    ),
    (
        Reason::Rejected,
        &[
            "sender address rejected",
            "sender rejected",
            "sender denied",
            "sender verify failed",
            "sender verification",
            "sender domain",
            "domain of sender address",
            "sender address",
            "invalid sender",
            "rejected sender",
            "sender is not allowed",
            "envelope sender",
            "address of sender",
            "from address",
            "sender not",
            "sender unknown",
            "unknown sender",
            "return path",
            "return-path",
            "bad sender",
            "sender blocked",
            "senders are not allowed",
            "permission to post",
            // Mailing-list managers (fml, Mailman, ...) refusing a post from an address
            // that is not subscribed: the sender is refused, not the list.
            "not a member of",
            "are not member",
            "non-member",
            "sender's",
        ],
    ),
    (
        Reason::Filtered,
        &[
            "filtered",
            "refused by the recipient",
            "recipient's filter",
            "user refuses",
            "user reject",
            "does not accept messages from",
            "doesn't accept messages from",
            "not accept mail from",
            "mail is not accepted",
            "message filter",
            "rejected by filter",
            "filter rule",
            "blocked by the recipient",
            "due to recipient policy",
            "recipient preferences",
        ],
    ),
    // TLS that was tried and could not be set up (as opposed to a server that
    // demands TLS, a security policy below).
    (
        Reason::FailedStartTls,
        &[
            "does not support tls",
            "does not support starttls",
            "starttls failed",
            "tls negotiation failed",
            "tls handshake failed",
            "failed to negotiate tls",
            "could not start tls",
            "cannot start tls",
        ],
    ),
    (
        Reason::SecurityError,
        &[
            // A bare "Access denied" refuses authorisation (RFC 3463's X.7.1 "delivery
            // not authorized") without saying of what; classify() reads the SMTP stage
            // to tell a refused host (before MAIL FROM) or sender (at MAIL FROM).
            "access denied",
            "authentication required",
            "must be authenticated",
            "not authenticated",
            "authentication failed",
            "authentication is required",
            "must authenticate",
            "requires authentication",
            "invalid credentials",
            "tls required",
            "must issue a starttls",
            "encryption required",
            "insecure",
            "smtp auth",
            "unauthorized",
            "not authorized",
            "authorization",
            "login",
            "password",
        ],
    ),
    (
        Reason::PolicyViolation,
        &[
            // "554 5.7.0 Header error": the receiving side's header checks (a local
            // rule on what headers it accepts), whatever security code it is sent with.
            "header error",
            "policy",
            "violat",
            "not allowed",
            "prohibited",
            "forbidden",
            "not permitted",
            "refused",
            "denied",
        ],
    ),
    (
        Reason::NotCompliantRfc,
        &[
            "rfc 5322",
            "rfc5322",
            "rfc 2822",
            "rfc2822",
            "rfc 822",
            "rfc822 compliant",
            "not compliant",
            "non-compliant",
            "multiple from",
            "duplicate header",
            "missing header",
            "malformed",
            "bare lf",
            "bare newline",
            "header line",
            "invalid header",
        ],
    ),
    (
        Reason::ContentError,
        &["content", "mime", "attachment", "disallowed", "illegal character", "8bit"],
    ),
    (
        Reason::SyntaxError,
        &[
            "syntax error",
            "command unrecognized",
            "unrecognized command",
            "bad sequence",
            "command not recognized",
            "not implemented",
            "line too long",
            "invalid command",
        ],
    ),
    (
        Reason::SystemFull,
        &["insufficient system storage", "disk full", "system full", "out of disk", "disk space"],
    ),
    (
        Reason::NetworkError,
        &[
            "connection refused",
            "connection timed out",
            "timed out",
            "network is unreachable",
            "no route to host",
            "host is unreachable",
            "could not connect",
            "couldn't connect",
            "unable to connect",
            "lost connection",
            "connection reset",
            "connection closed",
            "too many hops",
            "mail loop",
            "loops back to myself",
            "routing loop",
            "loop detected",
            "dns lookup",
            "network error",
            // Sendmail: "Name server: example.org.: host name lookup failure".
            "host name lookup failure",
            "name resolution",
            "dns error",
            "temporary failure",
            "host not reachable",
            "hop count exceeded",
            "no answer",
            "unreachable",
        ],
    ),
    (
        Reason::SystemError,
        &[
            // A list manager's duplicate check (fml's "Duplicated Message-ID in
            // <list>"): the receiving system refused a message it had already seen.
            "duplicated message-id",
            "duplicate message-id",
            "system error",
            "internal error",
            "local error",
            "server error",
            "local problem",
            "configuration error",
            "service unavailable",
            "service currently unavailable",
            "service not available",
            "temporarily unavailable",
            "try again later",
            "resources",
            "i/o error",
            "system not accepting",
            "server busy",
            "too busy",
        ],
    ),
    // Last resort: Postfix's "Recipient address rejected: <why>" names its own cause
    // in most cases, caught above; bare, it means the mailbox is unknown.
    (Reason::UserUnknown, &["recipient address rejected"]),
];

/// Blocklist names: evidence strong enough to overrule any status code.
/// Postfix's "Malformed or unexpected name server reply" comes stamped 5.4.4 (unable to
/// route), but it says the DNS answer was broken, not that the domain does not exist.
const STRONG: &[&str] = &[
    "spamhaus",
    "spamcop",
    "blacklist",
    "blocklist",
    "dnsbl",
    "black list",
    "block list",
    "malformed or unexpected name server reply",
];

/// True for a phrase that decides even against a specific status code.
pub fn is_strong(phrase: &str) -> bool {
    STRONG.contains(&phrase)
}

/// Phrases too vague to overrule a specific status code.
const WEAK: &[&str] = &["recipient address rejected"];

/// True for a phrase that decides only when no specific status code is known.
pub fn is_weak(phrase: &str) -> bool {
    WEAK.contains(&phrase)
}

/// Wordings by which a provider states outright that it has no such account
/// (Yahoo's "This user doesn't have a yahoo.com account", La Poste's "Invalid
/// recipient", Gmail's "The email account that you tried to reach does not exist"): a
/// missing mailbox at whatever stage they were sent, not a filter.
const DEFINITE_UNKNOWN: &[&str] = &[
    "user doesn't have",
    "does not have an account",
    "invalid recipient",
    "account that you tried to reach does not exist",
    // Exchange Online's directory lookup: "RESOLVER.ADR.RecipientNotFound".
    "recipientnotfound",
];

/// True when a squashed text names a missing mailbox in a provider's own words, valid
/// even when answered after DATA.
pub fn says_definitely_unknown(squashed: &str) -> bool {
    DEFINITE_UNKNOWN.iter().any(|p| squashed.contains(p))
}

/// Lowercase and collapse whitespace, so phrases match across folded lines.
///
/// Hot: every notice and diagnostic goes through here. Nearly all are ASCII: split
/// on bytes, copied a word at a time, lowercased in one pass. Other text goes word by
/// word, ASCII words copied whole and lowercased in place rather than char by char.
pub fn squash(text: &str) -> String {
    if text.is_ascii() {
        // The ASCII characters `char::is_whitespace` accepts (\x0b among them).
        let is_space = |b: &u8| matches!(b, b' ' | b'\t'..=b'\r');
        let mut out = Vec::with_capacity(text.len());
        for word in text.as_bytes().split(is_space).filter(|w| !w.is_empty()) {
            if !out.is_empty() {
                out.push(b' ');
            }
            out.extend_from_slice(word);
        }
        out.make_ascii_lowercase();
        return String::from_utf8(out).expect("ASCII stays ASCII");
    }
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        if word.is_ascii() {
            let start = out.len();
            out.push_str(word);
            out[start..].make_ascii_lowercase();
        } else {
            out.extend(word.chars().flat_map(char::to_lowercase));
        }
    }
    out
}

/// The first reason (in table order) whose phrase occurs in the text, with the phrase.
pub fn match_phrase(text: &str) -> Option<(Reason, &'static str)> {
    match_phrase_squashed(&squash(text))
}

/// [`match_phrase`] for text already squashed (by [`squash`]): the reply prefixes are
/// dropped here, so a notice squashed once for other searches is not squashed again.
pub fn match_phrase_squashed(squashed: &str) -> Option<(Reason, &'static str)> {
    let text = without_reply_prefixes(squashed);
    match without_noise(&text) {
        Some(clean) => match_squashed(&clean),
        None => match_squashed(&text),
    }
}

/// Sentences of MTAs' own notice templates that hold words of the table without saying
/// anything about this failure: Exim's promise to keep trying, OpenSMTPD's note that a
/// report is only temporary. They are the reporting MTA's boilerplate, not the reply.
const TEMPLATES: &[&str] = &[
    "delivery attempts will continue to be made for",
    "delivery attempts will continue",
    "please note that this is only a temporary failure report",
    "this is only a temporary failure report",
    "the message is kept in the queue for up to",
    "you do not need to re-send the message",
];

/// Blocklist operators whose lookup pages servers link to when they refuse a listed IP.
const BLOCKLIST_OPERATORS: &[&str] =
    &["spamhaus", "spamcop", "sorbs", "barracudacentral", "abuseat"];

/// The text without web addresses (a help link's path, `.../reason/#blocked`, is no
/// evidence) and without the template sentences above; `None` when there are none.
fn without_noise(squashed: &str) -> Option<String> {
    // One pass over the text for every template and both link starts.
    static NOISE: LazyLock<Option<AhoCorasick>> =
        LazyLock::new(|| AhoCorasick::new(TEMPLATES.iter().copied().chain(["http", "www."])).ok());
    let noise = NOISE.as_ref()?;
    let mut has_url = false;
    let mut has_template = false;
    for m in noise.find_iter(squashed) {
        if m.pattern().as_usize() < TEMPLATES.len() {
            has_template = true;
        } else {
            has_url = true;
        }
    }
    if !has_url && !has_template {
        return None;
    }
    let mut out = squashed.to_string();
    for t in TEMPLATES {
        while let Some(at) = out.find(t) {
            out.replace_range(at..at + t.len(), " ");
        }
    }
    if has_url {
        // A link to a blocklist operator's lookup page (GoDaddy's whole reply is one)
        // does say the sending IP is listed: its name stays.
        let is_url = |w: &str| {
            let w = w.trim_start_matches(['<', '(', '[', '"', '\'']);
            let link =
                w.starts_with("http://") || w.starts_with("https://") || w.starts_with("www.");
            link && !BLOCKLIST_OPERATORS.iter().any(|b| w.contains(b))
        };
        out = out.split(' ').filter(|w| !is_url(w)).collect::<Vec<_>>().join(" ");
    }
    Some(out)
}

/// Squashed text without the `550-5.7.1` prefixes that multi-line replies repeat on
/// every line, so a phrase split across reply lines still reads as one. Only words
/// starting with a digit can be one, so the text between them is copied in runs.
fn without_reply_prefixes(squashed: &str) -> Cow<'_, str> {
    let b = squashed.as_bytes();
    let word_end = |start: usize| memchr::memchr(b' ', &b[start..]).map_or(b.len(), |i| start + i);
    let mut out = String::new();
    let mut copied = 0;
    let starts = std::iter::once(0).chain(memchr::memchr_iter(b' ', b).map(|i| i + 1));
    for start in starts {
        if start < copied || !b.get(start).is_some_and(u8::is_ascii_digit) {
            continue;
        }
        let end = word_end(start);
        let next = (end + 1).min(b.len());
        if is_reply_prefix(&squashed[start..end], || &squashed[next..word_end(next)]) {
            out.push_str(&squashed[copied..start]);
            copied = next;
        }
    }
    if copied == 0 {
        return Cow::Borrowed(squashed);
    }
    out.push_str(&squashed[copied.min(b.len())..]);
    // A prefix word at the very end leaves the space before it.
    if out.ends_with(' ') {
        out.pop();
    }
    Cow::Owned(out)
}

/// The phrase search proper, over squashed text without reply prefixes.
fn match_squashed(t: &str) -> Option<(Reason, &'static str)> {
    first_in_table_order(t).map(|id| FLAT[id])
}

/// Every (reason, phrase) of the table, in table order.
static FLAT: LazyLock<Vec<(Reason, &'static str)>> =
    LazyLock::new(|| TABLE.iter().flat_map(|(r, ps)| ps.iter().map(move |p| (*r, *p))).collect());

/// One automaton for every phrase. A DFA searches faster, but building it was measured
/// at 45M instructions: more than a scan of the whole corpus spends in this search.
static MATCHER: LazyLock<AhoCorasick> =
    LazyLock::new(|| AhoCorasick::new(FLAT.iter().map(|(_, p)| *p)).expect("static phrase table"));

/// Build the phrase automaton now. It is otherwise built by the first message that
/// needs it, about a millisecond during which every other analysing thread waits.
pub fn build_matcher() {
    LazyLock::force(&MATCHER);
}

/// The earliest table entry found (word-bounded where it must be), as if the table
/// were tried in order: one pass over the text for every phrase.
fn first_in_table_order(text: &str) -> Option<usize> {
    let mut best: Option<usize> = None;
    for m in MATCHER.find_overlapping_iter(text) {
        let id = m.pattern().as_usize();
        if best.is_some_and(|b| b <= id) {
            continue;
        }
        let phrase = FLAT[id].1;
        if word_bounded(text, m.start(), m.end(), phrase)
            && !(is_weak(phrase) && names_its_cause(&text[m.end()..]))
            && !is_hedged(&text[..m.start()])
        {
            best = Some(id);
        }
    }
    best
}

/// True when a weak phrase is followed by its own cause (`Recipient address rejected:
/// On hold`): the cause, when no rule knows it, must not be read as the weak phrase's
/// usual meaning.
fn names_its_cause(after: &str) -> bool {
    after
        .trim_start()
        .strip_prefix(':')
        .is_some_and(|rest| rest.trim_start().starts_with(char::is_alphanumeric))
}

/// True when the words just before a phrase make it a guess (`they may be
/// blacklisted`): a server listing what might be wrong has not said what is.
fn is_hedged(before: &str) -> bool {
    ["may be ", "might be ", "may ", "might ", "could be ", "possibly "]
        .iter()
        .any(|h| before.ends_with(h))
}

/// A word that only repeats a reply's codes: `550-`, `5.7.1`, and `550` before
/// `5.7.1` (`next` gives the following word, looked at only then).
fn is_reply_prefix<'a>(word: &str, next: impl FnOnce() -> &'a str) -> bool {
    let b = word.as_bytes();
    if !b.first().is_some_and(u8::is_ascii_digit) {
        return false;
    }
    let digits = b.len() >= 3 && b[..3].iter().all(u8::is_ascii_digit);
    let continued = digits && b.len() == 4 && b[3] == b'-';
    // "550 5.7.1" in the middle of a reply is a repeated prefix too.
    let paired = digits && b.len() == 3 && is_status(next());
    continued || paired || is_status(word)
}

/// Exactly an enhanced status code.
fn is_status(word: &str) -> bool {
    StatusCode::parse(word).is_some()
}

/// A short phrase must not match inside a longer word (`rbl` inside `herbal`, `uce`
/// inside `reduce`); longer phrases match anywhere.
fn word_bounded(text: &str, start: usize, end: usize, phrase: &str) -> bool {
    if phrase.len() > 5 || phrase.ends_with(['(', ')', ';', ':']) {
        return true;
    }
    let before = text.get(..start).and_then(|t| t.chars().next_back());
    let after = text.get(end..).and_then(|t| t.chars().next());
    let is_word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric());
    !is_word(before) && !is_word(after)
}

#[cfg(test)]
mod noise_tests {
    use super::*;

    #[test]
    fn links_and_mta_templates_are_no_evidence() {
        // A help link's path names a reason; the reply before it does not.
        let d = squash(
            "550 5.7.25 Reverse DNS validation failed: See https://example.org/reason/#blocked",
        );
        assert_eq!(match_phrase_squashed(&d).map(|(r, _)| r), Some(Reason::RequirePtr));
        let link_only = squash("550 rejected, see http://example.org/blocklist/lookup");
        assert_ne!(match_phrase_squashed(&link_only).map(|(r, _)| r), Some(Reason::Blocked));
        // OpenSMTPD's "only a temporary failure report" is its template, not the cause.
        let d = squash(
            "No MX found for domain Please note that this is only a temporary failure report.",
        );
        assert_eq!(match_phrase_squashed(&d).map(|(r, _)| r), Some(Reason::NotAccept));
        let d = squash("Delivery attempts will continue to be made for 2 days");
        assert_eq!(match_phrase_squashed(&d), None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn squash_lowercases_and_leaves_one_space_between_words() {
        // The meaning squash must keep: words as `split_whitespace` sees them,
        // lowercased, joined by single spaces.
        let plain = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
        for t in [
            "",
            "   ",
            "550 5.1.1 <A@B.example>:\r\n    Recipient Address REJECTED",
            "\t lead and trail \x0b\x0c ",
            "one",
            "Ünknown   Benutzer\n\tGEFUNDEN",
            "a\u{a0}b  C",
        ] {
            assert_eq!(squash(t), plain(t), "{t:?}");
        }
    }

    #[test]
    fn narrow_reasons_win_over_broad_ones() {
        let (r, _) = match_phrase("550 5.7.1 Rejected: IP listed at spamhaus").unwrap();
        assert_eq!(r, Reason::Blocked);
        let (r, _) = match_phrase("550 5.7.26 DMARC policy of example.jp").unwrap();
        assert_eq!(r, Reason::AuthFailure);
        let (r, _) = match_phrase("552 Mailbox is   full\n  try later").unwrap();
        assert_eq!(r, Reason::MailboxFull);
    }

    #[test]
    fn greylisting_is_not_an_unknown_user() {
        let text = "450 4.7.1 <x@example.org>: Recipient address rejected: Greylisted, try again in 5 minutes";
        assert_eq!(match_phrase(text).map(|m| m.0), Some(Reason::Blocked));
    }

    #[test]
    fn a_bare_recipient_rejection_is_an_unknown_user_but_one_with_a_cause_is_not() {
        let bare = "550 <neko@example.jp>: Recipient address rejected.";
        assert_eq!(match_phrase(bare).map(|m| m.0), Some(Reason::UserUnknown));
        let caused = "550 5.0.0 <x@example.org>: Recipient address rejected: On hold.";
        assert_eq!(match_phrase(caused), None);
    }

    #[test]
    fn a_hedged_cause_is_no_evidence() {
        let hedged = "Delivery failed. The sending server may be blacklisted somewhere.";
        assert_eq!(match_phrase(hedged), None);
        // A template known as a whole says more than its hedged words.
        let cpanel = "The mail server could not deliver mail to a@example.net.  The account or \
                      domain may not exist, they may be blacklisted, or missing the proper dns \
                      entries.";
        assert_eq!(match_phrase(cpanel).map(|m| m.0), Some(Reason::HostUnknown));
        // The same template in a sender check speaks of the sender's domain.
        let callout = format!(
            "550-Verification failed for <a@example.net> {cpanel} 550 Sender verify failed"
        );
        assert_eq!(match_phrase(&callout).map(|m| m.0), Some(Reason::Rejected));
        let stated = "550 5.7.1 IP address blacklisted by recipient";
        assert_eq!(match_phrase(stated).map(|m| m.0), Some(Reason::Blocked));
    }

    #[test]
    fn provider_code_tables_name_their_cause() {
        let orange = "550 5.2.0 Mail rejete. Mail rejected. OFR_506 [506]";
        assert_eq!(match_phrase(orange).map(|m| m.0), Some(Reason::SpamDetected));
        let spectrum = "550 5.1.0 <a@example.com> sender rejected. AUP#In-1310";
        assert_eq!(match_phrase(spectrum).map(|m| m.0), Some(Reason::TooManyConn));
    }

    /// The plain definitions the fast paths must agree with.
    fn reference_squash(text: &str) -> String {
        let mut out = String::new();
        let mut space = false;
        for c in text.chars() {
            if c.is_whitespace() {
                space = true;
            } else {
                if space && !out.is_empty() {
                    out.push(' ');
                }
                space = false;
                out.extend(c.to_lowercase());
            }
        }
        out
    }

    fn reference_strip(text: &str) -> String {
        let tokens: Vec<&str> = text.split_whitespace().collect();
        let is_status = |t: &str| t.parse::<super::super::status::StatusCode>().is_ok();
        let mut out = String::new();
        for (i, token) in tokens.iter().enumerate() {
            let digits = token.len() >= 3 && token.as_bytes()[..3].iter().all(u8::is_ascii_digit);
            let continued = digits && token.len() == 4 && token.as_bytes()[3] == b'-';
            let paired =
                digits && token.len() == 3 && tokens.get(i + 1).is_some_and(|t| is_status(t));
            if !(continued || paired || is_status(token)) {
                out.push_str(token);
                out.push(' ');
            }
        }
        reference_squash(&out)
    }

    #[test]
    fn fast_squash_agrees_with_the_plain_definition() {
        let tricky = [
            "",
            "   ",
            "Mailbox\u{a0}FULL\u{2003}\u{3000}now\u{85}x",
            "\u{212a}elvin \u{130}stanbul \u{1e9e} ÀÉÎ\tTab\x0bVT\x0cFF\r\nCRLF",
            "ctl\x1cchars\x1f stay \u{feff}bom",
            "ASCII\x0bVT\x0cFF\r\nCRLF\t\tTAB \x1c\x1f\x7f  ",
            "550-5.7.1 The user 550 5.7.1 is over quota 5.1.10 550 4.2.2 552-",
            "5.7.1 6.1.1 5.1.1234 5.a.1 550 550- 55 5.1 end 550",
            "  lead and trail  \n",
            "5.1.1",
            "550 5.1.1",
            "ends with 550-",
            "550-5.1.1 550 5.1.1 only prefixes 4.4.7",
        ];
        for t in tricky {
            assert_eq!(squash(t), reference_squash(t), "{t:?}");
            assert_eq!(without_reply_prefixes(&squash(t)), reference_strip(t), "{t:?}");
            let via_squashed = match_phrase_squashed(&squash(t));
            assert_eq!(via_squashed, match_phrase(t), "{t:?}");
        }
        // And every message of the corpus, as the engine would see its text.
        let root =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/maildir/bsd");
        let mut checked = 0;
        for entry in std::fs::read_dir(root).expect("corpus").flatten() {
            let raw = std::fs::read(entry.path()).expect("read");
            let t = String::from_utf8_lossy(&raw);
            assert_eq!(squash(&t), reference_squash(&t), "{}", entry.path().display());
            assert_eq!(without_reply_prefixes(&squash(&t)), reference_strip(&t));
            assert_eq!(match_phrase_squashed(&squash(&t)), match_phrase(&t));
            checked += 1;
        }
        assert!(checked > 500, "{checked}");
    }

    #[test]
    fn phrases_are_lowercase_ascii_as_the_matcher_expects() {
        for (_, p) in FLAT.iter() {
            assert!(p.is_ascii() && !p.bytes().any(|b| b.is_ascii_uppercase()), "{p:?}");
        }
    }

    #[test]
    fn wording_names_the_cause_not_the_wrapper() {
        let hotmail = "550 domain [example.com] mismatches client ip 192.0.2.225.";
        assert_eq!(match_phrase(hotmail).map(|m| m.0), Some(Reason::RequirePtr));
        let tls = "500 Remote server does not support TLS (state 6).";
        assert_eq!(match_phrase(tls).map(|m| m.0), Some(Reason::FailedStartTls));
        let listed = "501 <a@example.co.jp>... no access from mail server [192.0.2.55] which is an open relay.";
        assert_eq!(match_phrase(listed).map(|m| m.0), Some(Reason::Blocked));
        let relay = "554 5.7.1 Unable to relay: we are not an open relay";
        assert_eq!(match_phrase(relay).map(|m| m.0), Some(Reason::NoRelaying));
        // Gmail's wrapper around every remote refusal is not a filter verdict.
        let gmail =
            "Google tried to deliver your message, but it was rejected by the recipient domain.";
        assert_eq!(match_phrase(gmail), None);
        assert!(is_strong("malformed or unexpected name server reply"));
    }

    #[test]
    fn list_non_members_and_header_checks() {
        let fml = "You are not a member of this mailing list <neko-nyaan@example.org>.";
        assert_eq!(match_phrase(fml).map(|m| m.0), Some(Reason::Rejected));
        let exim = "SMTP error from remote mail server after end of data: 554 5.7.0 Header error";
        assert_eq!(match_phrase(exim).map(|m| m.0), Some(Reason::PolicyViolation));
    }

    #[test]
    fn a_blocklisted_address_is_not_a_blocklisted_host() {
        let exim = "\"Sorry, you are sending to/from an address that has been blacklisted\"";
        assert_eq!(match_phrase(exim).map(|m| m.0), Some(Reason::Rejected));
        let ip = "550 5.7.1 Your IP address has been blacklisted";
        assert_eq!(match_phrase(ip).map(|m| m.0), Some(Reason::Blocked));
        let sendmail = "550 5.7.1 IP address blacklisted by recipient";
        assert_eq!(match_phrase(sendmail).map(|m| m.0), Some(Reason::Blocked));
        let mimecast = "554 email rejected due to security policies - MCSpamSignature.sa.2.2";
        assert_eq!(match_phrase(mimecast).map(|m| m.0), Some(Reason::SpamDetected));
    }

    #[test]
    fn short_phrases_need_word_boundaries() {
        assert_eq!(match_phrase("herbal tea"), None);
        assert_eq!(match_phrase("listed in RBL").map(|m| m.0), Some(Reason::Blocked));
    }
}
