//! The CSV report: one row per recipient record. The first four columns are the ones
//! bounce services import (`address,code,error,created_at`); ours follow.
//!
//! Spreadsheets evaluate a cell that starts with `=`, `+`, `-`, `@`, TAB, CR or NUL;
//! such cells get a leading `'` so a hostile diagnostic stays text.

use std::borrow::Cow;
use std::io::Write;

use super::document::clean_line;

use super::document::{Document, Row, date_text, hardness, owners};

const HEADER: &[&str] = &[
    "address",
    "code",
    "error",
    "created_at",
    "status",
    "reply_code",
    "reason",
    "hard_soft",
    "kind",
    "action",
    "domain",
    "remote_mta",
    "reporting_mta",
    "subject",
    "why",
    "guidance",
    "fix_owner",
    "origin",
];

/// `cell` made safe to open in a spreadsheet.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\0') => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

fn row_cells(row: &Row<'_>) -> Vec<String> {
    let r = row.record;
    let rc = r.recipient();
    let status = rc.status.map(|s| s.to_string()).unwrap_or_default();
    let reply = rc.reply_code.map(|c| c.to_string()).unwrap_or_default();
    // Importers expect the SMTP reply code; fall back to the status code.
    let code = if reply.is_empty() { status.clone() } else { reply.clone() };
    vec![
        clean_line(&rc.recipient).into_owned(),
        code,
        clean_line(&rc.diagnostic).into_owned(),
        date_text(r),
        status,
        reply,
        rc.reason.as_str().to_string(),
        hardness(r).to_string(),
        r.kind().as_str().to_string(),
        clean_line(rc.action.as_deref().unwrap_or("")).into_owned(),
        r.domain().map(|d| clean_line(&d).into_owned()).unwrap_or_default(),
        clean_line(rc.remote_mta.as_deref().unwrap_or("")).into_owned(),
        clean_line(r.reporting_mta().unwrap_or("")).into_owned(),
        clean_line(r.subject().unwrap_or("")).into_owned(),
        clean_line(&rc.why).into_owned(),
        clean_line(&row.guidance.entry.title).into_owned(),
        owners(&row.guidance),
        clean_line(&r.origin.to_string()).into_owned(),
    ]
}

/// The address column: a real address stays as it is, even one starting with `-` or
/// `+` (importers would otherwise suppress `'-2+3@example.org`, nobody's address).
pub fn neutralise_address(cell: &str) -> Cow<'_, str> {
    if crate::text::is_plain_address(cell) { Cow::Borrowed(cell) } else { neutralise(cell) }
}

pub fn write(doc: &Document<'_>, out: &mut impl Write) -> Result<(), super::ReportError> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(HEADER)?;
    for row in &doc.rows {
        let cells = row_cells(row);
        w.write_record(cells.iter().enumerate().map(|(i, c)| {
            // Column 0 is `address`.
            if i == 0 { neutralise_address(c) } else { neutralise(c) }.into_owned()
        }))?;
    }
    w.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_get_a_quote() {
        for bad in ["=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx", "\0x"] {
            assert!(neutralise(bad).starts_with('\''), "{bad:?}");
        }
        assert_eq!(neutralise("550 5.1.1 unknown"), "550 5.1.1 unknown");
        assert_eq!(neutralise(""), "");
    }

    #[test]
    fn a_real_address_is_not_a_formula() {
        assert_eq!(neutralise_address("-2+3@example.org"), "-2+3@example.org");
        assert_eq!(neutralise_address("=1+1@example.org"), "'=1+1@example.org");
        assert_eq!(neutralise_address("-2+3"), "'-2+3");
    }
}
