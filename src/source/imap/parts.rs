//! Reading only the report parts of a huge message.
//!
//! A bounce that carries the original 20 MB attachment is still a bounce; what the
//! engine needs is its header, the delivery-status (or feedback-report) part, the
//! returned headers and the human-readable text. From BODYSTRUCTURE we plan which
//! sections to fetch, then rebuild a smaller MIME message with the same tree and
//! boundaries, leaving out the bodies of attachments and of returned messages.
//!
//! Servers describe broken structures in their own ways (Dovecot, Cyrus and Courier
//! differ), so the plan never trusts a description that leaves nothing to read: a
//! type that is empty or unknown is text (RFC 2045 §5.2), a multipart without a
//! usable boundary is read as raw text, and a plan without any text or report part,
//! or with a part that comes back empty, gives way to the raw start of the message
//! ([`fallback`], `BODY.PEEK[]<0.256k>`): Cyrus describes a report it cannot parse as
//! an empty text part and answers `BODY[TEXT]` with nothing, but never hides raw bytes.

use imap_proto::types::{BodyStructure, MessageSection, SectionPath};

/// How much of one text part we read at most.
pub const TEXT_CAP: u32 = 256 * 1024;

/// One piece of the rebuilt message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Literal(Vec<u8>),
    /// A section to fetch, e.g. `HEADER`, `2.MIME`, `1<0.262144>` (FETCH item syntax).
    Section(String),
}

/// The FETCH items a plan needs, for `UID FETCH uid (...)`.
pub fn fetch_items(plan: &[Piece]) -> String {
    let items: Vec<String> = plan
        .iter()
        .filter_map(|p| match p {
            Piece::Section(s) => Some(format!("BODY.PEEK[{}]{}", section_name(s), partial(s))),
            Piece::Literal(_) => None,
        })
        .collect();
    format!("(UID {})", items.join(" "))
}

fn section_name(s: &str) -> &str {
    s.split('<').next().unwrap_or(s)
}

fn partial(s: &str) -> &str {
    s.find('<').map_or("", |i| &s[i..])
}

/// The `SectionPath` the `imap` crate files a fetched section under.
pub fn section_path(s: &str) -> Option<SectionPath> {
    let name = section_name(s);
    match name {
        "HEADER" => return Some(SectionPath::Full(MessageSection::Header)),
        "TEXT" => return Some(SectionPath::Full(MessageSection::Text)),
        _ => {}
    }
    let mut numbers = Vec::new();
    let mut text = None;
    for token in name.split('.') {
        match token {
            "MIME" => text = Some(MessageSection::Mime),
            "HEADER" => text = Some(MessageSection::Header),
            "TEXT" => text = Some(MessageSection::Text),
            n => numbers.push(n.parse().ok()?),
        }
    }
    Some(SectionPath::Part(numbers, text))
}

/// Plan the sections of a message whose structure is `bs`.
pub fn plan(bs: &BodyStructure<'_>) -> Vec<Piece> {
    let mut out = vec![Piece::Section("HEADER".into())];
    match bs {
        BodyStructure::Multipart { common, bodies, .. } => {
            match boundary(&common.ty.params).filter(|_| !bodies.is_empty()) {
                Some(b) => multipart(&mut out, &[], b, bodies),
                // Parts that cannot be delimited: the body as it is.
                None => return fallback(),
            }
        }
        // A single-part bounce is all text; read its beginning.
        _ => out.push(Piece::Section(format!("TEXT<0.{TEXT_CAP}>"))),
    }
    if !out.iter().any(is_content) {
        // No text and no report part: what the structure says cannot be what the
        // engine needs (a report described as an empty part, say).
        return fallback();
    }
    out
}

/// The plan that trusts no structure: the raw start of the message, header included.
pub fn fallback() -> Vec<Piece> {
    vec![Piece::Section(format!("<0.{TEXT_CAP}>"))]
}

/// The bytes of the section `name` in a fetched message (`<0.N>` is the raw start).
pub fn lookup<'a>(f: &'a imap::types::Fetch<'_>, name: &str) -> Option<&'a [u8]> {
    if name.starts_with('<') {
        return f.body();
    }
    section_path(name).and_then(|p| f.section(&p))
}

/// A piece that carries text or report fields (not only headers).
fn is_content(piece: &Piece) -> bool {
    matches!(piece, Piece::Section(s) if s.contains('<'))
}

/// True when a fetched plan should give way to [`fallback`]: one of its text or
/// report parts came back empty or missing (what a server says of a part it could not
/// parse), or it is the fallback already.
pub fn needs_fallback<'a>(plan: &[Piece], get: impl Fn(&str) -> Option<&'a [u8]>) -> bool {
    plan != fallback().as_slice()
        && plan.iter().filter(|p| is_content(p)).any(|p| match p {
            Piece::Section(name) => get(name).is_none_or(<[u8]>::is_empty),
            Piece::Literal(_) => false,
        })
}

fn boundary(params: &imap_proto::types::BodyParams<'_>) -> Option<String> {
    params
        .as_ref()?
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("boundary"))
        .map(|(_, v)| v.to_string())
}

fn multipart(out: &mut Vec<Piece>, path: &[u32], b: String, bodies: &[BodyStructure<'_>]) {
    for (i, child) in bodies.iter().enumerate() {
        let mut p = path.to_vec();
        p.push(i as u32 + 1);
        let name = p.iter().map(u32::to_string).collect::<Vec<_>>().join(".");
        out.push(Piece::Literal(format!("\r\n--{b}\r\n").into_bytes()));
        out.push(Piece::Section(format!("{name}.MIME")));
        match child {
            BodyStructure::Multipart { common, bodies, .. } => {
                match boundary(&common.ty.params).filter(|_| !bodies.is_empty()) {
                    Some(inner) => multipart(out, &p, inner, bodies),
                    // Its parts cannot be delimited: its body as raw text.
                    None => out.push(Piece::Section(format!("{name}<0.{TEXT_CAP}>"))),
                }
            }
            // The returned message: its header tells who, when and how; its body is bulk.
            BodyStructure::Message { .. } => out.push(Piece::Section(format!("{name}.HEADER"))),
            BodyStructure::Text { common, .. } | BodyStructure::Basic { common, .. } => {
                if wanted(&common.ty.ty, &common.ty.subtype) {
                    out.push(Piece::Section(format!("{name}<0.{TEXT_CAP}>")));
                }
            }
        }
    }
    out.push(Piece::Literal(format!("\r\n--{b}--\r\n").into_bytes()));
}

/// Parts the engine reads: text, report fields, returned headers. An empty or unknown
/// type is text (RFC 2045 §5.2: an unparseable Content-Type means text/plain; Cyrus
/// describes one as `("" "")`).
fn wanted(ty: &str, subtype: &str) -> bool {
    let (ty, sub) = (ty.to_ascii_lowercase(), subtype.to_ascii_lowercase());
    const KNOWN: [&str; 8] =
        ["application", "audio", "image", "video", "model", "font", "message", "multipart"];
    ty == "text"
        || !KNOWN.contains(&ty.as_str())
        || (ty == "message"
            && matches!(
                sub.as_str(),
                "delivery-status"
                    | "global-delivery-status"
                    | "feedback-report"
                    | "disposition-notification"
                    | "global-headers"
                    | "rfc822-headers"
            ))
}

/// Put the fetched sections together; `get` returns a section's bytes by name.
pub fn assemble<'a>(plan: &[Piece], get: impl Fn(&str) -> Option<&'a [u8]>) -> Vec<u8> {
    let mut out = Vec::new();
    for piece in plan {
        match piece {
            Piece::Literal(bytes) => out.extend_from_slice(bytes),
            Piece::Section(name) => {
                let bytes = get(name).unwrap_or_default();
                // A MIME header ends with its blank line; the part body follows directly.
                out.extend_from_slice(bytes);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn section_names_map_to_paths() {
        assert_eq!(section_path("HEADER"), Some(SectionPath::Full(MessageSection::Header)));
        assert_eq!(
            section_path("2.MIME"),
            Some(SectionPath::Part(vec![2], Some(MessageSection::Mime)))
        );
        assert_eq!(section_path("1.3<0.10>"), Some(SectionPath::Part(vec![1, 3], None)));
        assert_eq!(section_path("x.y"), None);
    }

    #[test]
    fn empty_and_unknown_types_are_text() {
        assert!(wanted("", ""));
        assert!(wanted("x-weird", "thing"));
        assert!(wanted("TEXT", "plain"));
        assert!(!wanted("application", "octet-stream"));
        assert!(!wanted("image", "png"));
    }

    #[test]
    fn a_plan_without_content_falls_back_to_the_body() {
        let plan = [Piece::Section("HEADER".into()), Piece::Section("1.MIME".into())];
        assert!(!plan.iter().any(is_content));
        let got = |name: &str| -> Option<&'static [u8]> {
            (name == "HEADER" || name == "2<0.262144>").then_some(b"text\r\n".as_slice())
        };
        let parts = [
            Piece::Section("HEADER".into()),
            Piece::Section("1<0.262144>".into()),
            Piece::Section("2<0.262144>".into()),
        ];
        assert!(needs_fallback(&parts, got), "part 1 came back empty");
        assert!(!needs_fallback(&parts[2..], got), "part 2 has its text");
        assert!(!needs_fallback(&fallback(), got), "the fallback is final");
        assert_eq!(fetch_items(&fallback()), "(UID BODY.PEEK[]<0.262144>)");
    }

    #[test]
    fn items_keep_partial_ranges() {
        let plan = vec![Piece::Section("HEADER".into()), Piece::Section("1<0.5>".into())];
        assert_eq!(fetch_items(&plan), "(UID BODY.PEEK[HEADER] BODY.PEEK[1]<0.5>)");
    }
}
