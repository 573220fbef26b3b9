//! Reading only the report parts of a huge message.
//!
//! A bounce that carries the original 20 MB attachment is still a bounce; what the
//! engine needs is its header, the delivery-status (or feedback-report) part, the
//! returned headers and the human-readable text. From BODYSTRUCTURE we plan which
//! sections to fetch, then rebuild a smaller MIME message with the same tree and
//! boundaries, leaving out the bodies of attachments and of returned messages.

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
            multipart(&mut out, &[], boundary(&common.ty.params), bodies)
        }
        // A single-part bounce is all text; read its beginning.
        _ => out.push(Piece::Section(format!("TEXT<0.{TEXT_CAP}>"))),
    }
    out
}

fn boundary(params: &imap_proto::types::BodyParams<'_>) -> Option<String> {
    params
        .as_ref()?
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("boundary"))
        .map(|(_, v)| v.to_string())
}

fn multipart(out: &mut Vec<Piece>, path: &[u32], b: Option<String>, bodies: &[BodyStructure<'_>]) {
    // Without a boundary the parts cannot be delimited; the header alone must do.
    let Some(b) = b else { return };
    for (i, child) in bodies.iter().enumerate() {
        let mut p = path.to_vec();
        p.push(i as u32 + 1);
        let name = p.iter().map(u32::to_string).collect::<Vec<_>>().join(".");
        out.push(Piece::Literal(format!("\r\n--{b}\r\n").into_bytes()));
        out.push(Piece::Section(format!("{name}.MIME")));
        match child {
            BodyStructure::Multipart { common, bodies, .. } => {
                multipart(out, &p, boundary(&common.ty.params), bodies)
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

/// Parts the engine reads: text, report fields, returned headers.
fn wanted(ty: &str, subtype: &str) -> bool {
    let (ty, sub) = (ty.to_ascii_lowercase(), subtype.to_ascii_lowercase());
    ty == "text"
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
    fn items_keep_partial_ranges() {
        let plan = vec![Piece::Section("HEADER".into()), Piece::Section("1<0.5>".into())];
        assert_eq!(fetch_items(&plan), "(UID BODY.PEEK[HEADER] BODY.PEEK[1]<0.5>)");
    }
}
