//! Automatic replies (RFC 3834): vacation notices, out-of-office, challenge-response.

use super::headers::Headers;

/// Subject starts that mark an automatic reply, lowercase.
const SUBJECTS: &[&str] = &[
    "auto:",
    "auto-reply",
    "autoreply",
    "auto reply",
    "automatic reply",
    "autoresponse",
    "auto response",
    "out of office",
    "out of the office",
    "away from",
    "vacation",
    "on vacation",
    "abwesenheit",
    "réponse automatique",
    "respuesta automática",
    "risposta automatica",
    "automatisch antwoord",
    "automatische antwort",
    "fuera de la oficina",
];

/// Why the message is an automatic reply, or `None` when it is not one.
pub fn detect(h: &Headers) -> Option<String> {
    if let Some(v) = h.get("auto-submitted") {
        let v = v.trim().to_ascii_lowercase();
        if v.starts_with("auto-replied") {
            return Some(format!("Auto-Submitted: {v}"));
        }
    }
    for name in ["x-autoreply", "x-autorespond", "x-autoresponder", "x-auto-response-suppress"] {
        if name != "x-auto-response-suppress"
            && let Some(v) = h.get(name)
        {
            return Some(format!("{name}: {}", v.trim()));
        }
    }
    if let Some(p) = h.get("precedence") {
        let p = p.trim().to_ascii_lowercase();
        if p == "auto_reply" || p == "auto-reply" {
            return Some(format!("Precedence: {p}"));
        }
    }
    let subject = h.decoded("subject").unwrap_or_default().to_lowercase();
    let s = subject.trim();
    SUBJECTS
        .iter()
        .find(|p| s.starts_with(*p) || p.len() > 10 && s.contains(&format!(" {p}")))
        .map(|p| format!("Subject says \"{p}\""))
}

/// Bounces often carry `Auto-Submitted: auto-replied` too; these marks say the
/// message is a delivery notice rather than a personal automatic reply.
pub fn looks_like_bounce(h: &Headers) -> bool {
    if h.get("x-failed-recipients").is_some() {
        return true;
    }
    let from = h.get("from").unwrap_or("").to_ascii_lowercase();
    if ["mailer-daemon", "postmaster", "mail delivery", "mail-daemon"]
        .iter()
        .any(|m| from.contains(m))
    {
        return true;
    }
    let subject = h.decoded("subject").unwrap_or_default().to_lowercase();
    [
        "undeliver",
        "delivery fail",
        "delivery status",
        "failure notice",
        "returned mail",
        "mail delivery",
        "bounce",
        "not delivered",
        "delivery problem",
    ]
    .iter()
    .any(|m| subject.contains(m))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_vacation_headers_and_subjects() {
        let h = Headers::parse("Auto-Submitted: auto-replied (vacation)\nSubject: x");
        assert!(detect(&h).is_some());
        let h = Headers::parse("Subject: Out of Office: back Monday");
        assert!(detect(&h).is_some());
        let h = Headers::parse("Subject: lunch?\nAuto-Submitted: no");
        assert!(detect(&h).is_none());
    }
}
