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
        .find(|p| s.starts_with(*p) || s.contains(&format!(" {p}")) && p.len() > 10)
        .map(|p| format!("Subject says \"{p}\""))
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
