//! Describing a server certificate we refused: subject, issuer, SHA-256 fingerprint.
//!
//! native-tls gives us the DER bytes but no names, so we walk just enough of the X.509
//! structure (RFC 5280: Certificate → tbsCertificate → issuer, validity, subject) to
//! print the readable attributes. Anything unexpected yields "(unreadable)", never a panic.

use sha2::{Digest, Sha256};

/// `AB:CD:...`, the form `openssl x509 -fingerprint -sha256` prints.
pub fn sha256_fingerprint(der: &[u8]) -> String {
    Sha256::digest(der).iter().map(|b| format!("{b:02X}")).collect::<Vec<_>>().join(":")
}

/// (subject, issuer) as `CN=..., O=...`.
pub fn names(der: &[u8]) -> (String, String) {
    fn unreadable() -> String {
        "(unreadable)".to_string()
    }
    let Some(fields) = tbs_fields(der) else { return (unreadable(), unreadable()) };
    // tbsCertificate: [0] version (optional), serial, signature, issuer, validity, subject.
    let skip = usize::from(fields.first().is_some_and(|(tag, _)| *tag == 0xA0));
    let issuer = fields.get(skip + 2).and_then(|(_, v)| name_text(v)).unwrap_or_else(unreadable);
    let subject = fields.get(skip + 4).and_then(|(_, v)| name_text(v)).unwrap_or_else(unreadable);
    (subject, issuer)
}

fn tbs_fields(der: &[u8]) -> Option<Vec<(u8, &[u8])>> {
    let (_, cert, _) = read_tlv(der)?;
    let (_, tbs, _) = read_tlv(cert)?;
    let mut out = Vec::new();
    let mut rest = tbs;
    while !rest.is_empty() && out.len() < 8 {
        let (tag, value, next) = read_tlv(rest)?;
        out.push((tag, value));
        rest = next;
    }
    Some(out)
}

/// One DER element: (tag, contents, the bytes after it).
fn read_tlv(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let tag = *input.first()?;
    let first = *input.get(1)?;
    let (len, header) = if first < 0x80 {
        (usize::from(first), 2)
    } else {
        let n = usize::from(first & 0x7F);
        if n == 0 || n > 4 {
            return None;
        }
        let bytes = input.get(2..2 + n)?;
        (bytes.iter().fold(0usize, |acc, &b| (acc << 8) | usize::from(b)), 2 + n)
    };
    let value = input.get(header..header.checked_add(len)?)?;
    Some((tag, value, &input[header + len..]))
}

/// A Name (SEQUENCE OF SET OF AttributeTypeAndValue) as `CN=x, O=y`.
fn name_text(name: &[u8]) -> Option<String> {
    let mut parts = Vec::new();
    let mut rest = name;
    while !rest.is_empty() {
        let (_, set, next) = read_tlv(rest)?;
        rest = next;
        let (_, atv, _) = read_tlv(set)?;
        let (_, oid, after) = read_tlv(atv)?;
        let (_, value, _) = read_tlv(after)?;
        let label = match oid {
            [0x55, 0x04, 0x03] => "CN",
            [0x55, 0x04, 0x0A] => "O",
            [0x55, 0x04, 0x0B] => "OU",
            [0x55, 0x04, 0x06] => "C",
            _ => continue,
        };
        let text = String::from_utf8_lossy(value);
        parts.push(format!("{label}={}", crate::text::clean_line(&text)));
    }
    Some(if parts.is_empty() { "(no name)".to_string() } else { parts.join(", ") })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_never_panics() {
        for bytes in [&b""[..], b"\x30", b"\x30\x84\xff\xff\xff\xff", b"\x30\x03\x30\x01\x00"] {
            let (s, i) = names(bytes);
            assert!(!s.is_empty() && !i.is_empty());
        }
        assert_eq!(sha256_fingerprint(b"").len(), 32 * 3 - 1);
    }
}
