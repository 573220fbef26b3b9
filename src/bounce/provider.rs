//! Which provider or MTA family wrote a report.
//!
//! Ids are lowercase and hyphenated; the catalog keys provider-specific meanings on
//! them. The full list is documented on `Report::provider` in model.rs.

use std::sync::LazyLock;

use memchr::memmem::Finder;

use super::headers::Headers;
use super::model::Report;

/// Marks that identify a provider, checked against the lowercased Reporting-MTA,
/// From, Message-ID, X-Mailer and Exchange tenant headers, then against the notice.
const HEADER_MARKS: &[(&str, &[&str])] = &[
    ("exchange-online", &["outlook.com", "protection.outlook", "office365", "exchangelabs"]),
    ("outlook-com", &["hotmail.", "live.com", "msn.com"]),
    ("gmail", &["google.com", "googlemail.com", "gmail.com"]),
    ("yahoo", &["yahoo.", "yahoodns", "ymail"]),
    ("aol", &["aol.com"]),
    ("icloud", &["icloud.com", "me.com", "mac.com"]),
    ("amazon-ses", &["amazonses.com"]),
    ("amazon-workmail", &["awsapps.com", "workmail"]),
    ("mail-ru", &["mail.ru"]),
    ("yandex", &["yandex."]),
    ("zoho", &["zoho."]),
    ("gmx", &["gmx."]),
    ("tencent", &["qq.com"]),
    ("sendgrid", &["sendgrid"]),
];

/// The header fields searched for [`HEADER_MARKS`], with the Reporting-MTA.
const HEADERS_WITH_MARKS: [&str; 4] =
    ["from", "message-id", "x-mailer", "x-ms-exchange-crosstenant-id"];

const NOTICE_MARKS: &[(&str, &[&str])] = &[
    ("postfix", &["this is the mail system at host", "x-postfix", "postfix program"]),
    ("exim", &["this message was created automatically by mail delivery software"]),
    ("qmail", &["qmail-send program", "(#5.", "(#4."]),
    ("sendmail", &["----- transcript of session follows -----", "sendmail"]),
    ("courier", &["courier mail server", "courier-mta"]),
    ("domino", &["lotus domino", "domino"]),
    ("groupwise", &["groupwise"]),
    ("opensmtpd", &["opensmtpd"]),
    ("dragonfly", &["dragonfly mail agent"]),
    ("exchange", &["diagnostic information for administrators", "microsoft exchange"]),
    ("messaging-server", &["oracle communications messaging", "sun java system messaging"]),
];

/// The provider implied by the reader that understood the notice: (format, provider).
const FROM_FORMAT: &[(&str, &str)] = &[
    ("exim", "exim"),
    ("qmail", "qmail"),
    ("postfix", "postfix"),
    ("sendmail", "sendmail"),
    ("gmail", "gmail"),
    ("google-groups", "gmail"),
    ("yahoo", "yahoo"),
    ("dragonfly", "dragonfly"),
    ("opensmtpd", "opensmtpd"),
    ("exchange", "exchange"),
    ("amazon-ses", "amazon-ses"),
];

fn from_format(format: &str) -> Option<&'static str> {
    FROM_FORMAT.iter().find(|(f, _)| *f == format).map(|&(_, id)| id)
}

/// Every provider id [`detect`] can give: what a record's `provider` may hold.
pub fn ids() -> impl Iterator<Item = &'static str> {
    let marks = HEADER_MARKS.iter().chain(NOTICE_MARKS).map(|&(id, _)| id);
    marks.chain(FROM_FORMAT.iter().map(|&(_, id)| id))
}

/// Recognise the provider of a report.
pub fn detect<'n>(
    h: &Headers,
    report: &Report,
    notice: impl FnOnce() -> &'n str,
) -> Option<String> {
    detect_by_marks(h, report, notice).or_else(|| from_format(&report.format).map(str::to_string))
}

/// `notice` is asked for only when the headers say nothing (decoding it has a cost).
fn detect_by_marks<'n>(
    h: &Headers,
    report: &Report,
    notice: impl FnOnce() -> &'n str,
) -> Option<String> {
    static BY_HEADER: LazyLock<Marks> = LazyLock::new(|| Marks::new(HEADER_MARKS));
    static BY_NOTICE: LazyLock<Marks> = LazyLock::new(|| Marks::new(NOTICE_MARKS));
    // One pass over the header: the fields searched for marks (each value followed by
    // a space, which no mark holds, so the order of values does not matter), and
    // whether Exchange stamped any of its own.
    let mut hay = String::new();
    let mut exchange_header = false;
    for (name, value) in h.iter() {
        if HEADERS_WITH_MARKS.iter().any(|f| name.eq_ignore_ascii_case(f)) {
            hay.push_str(value);
            hay.push(' ');
        }
        exchange_header |= name.get(..13).is_some_and(|p| p.eq_ignore_ascii_case("x-ms-exchange"));
    }
    if let Some(m) = &report.reporting_mta {
        hay.push_str(m);
    }
    hay.make_ascii_lowercase();
    if let Some(id) = BY_HEADER.first_in(&hay) {
        return Some(id.to_string());
    }
    if exchange_header {
        return Some("exchange-online".into());
    }
    if h.get("x-failed-recipients").is_some() {
        return Some("exim".into());
    }
    BY_NOTICE.first_in(&notice().to_ascii_lowercase()).map(str::to_string)
}

/// A table of marks with their searchers, built once: building a searcher costs more
/// than most searches with it.
struct Marks(Vec<(&'static str, Vec<Finder<'static>>)>);

impl Marks {
    fn new(table: &[(&'static str, &'static [&'static str])]) -> Marks {
        let finders = |marks: &'static [&'static str]| marks.iter().map(Finder::new).collect();
        Marks(table.iter().map(|(id, marks)| (*id, finders(marks))).collect())
    }

    /// The first provider in table order with a mark in the (lowercased) text.
    fn first_in(&self, lower: &str) -> Option<&'static str> {
        let found = |fs: &[Finder<'_>]| fs.iter().any(|f| f.find(lower.as_bytes()).is_some());
        self.0.iter().find(|(_, fs)| found(fs)).map(|(id, _)| *id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_marks_hold_no_space() {
        // The header values are joined with spaces in any order: a mark with a space
        // could match across two of them.
        for (_, marks) in HEADER_MARKS {
            assert!(marks.iter().all(|m| !m.contains(' ')), "{marks:?}");
        }
    }

    #[test]
    fn a_provider_is_known_by_its_headers_then_by_its_notice() {
        let h = Headers::parse("From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>");
        assert_eq!(detect(&h, &Report::default(), || "").as_deref(), Some("gmail"));
        let h = Headers::parse("From: postmaster@example.org\nX-MS-Exchange-Organization-Id: x");
        assert_eq!(detect(&h, &Report::default(), || "").as_deref(), Some("exchange-online"));
        let h = Headers::parse("From: postmaster@example.org");
        let notice = "This is the mail system at host mx.example.org.";
        assert_eq!(detect(&h, &Report::default(), || notice).as_deref(), Some("postfix"));
        assert_eq!(detect(&h, &Report::default(), || "nothing known"), None);
    }
}
