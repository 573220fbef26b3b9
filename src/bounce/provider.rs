//! Which provider or MTA family wrote a report.
//!
//! Ids are lowercase and hyphenated; the catalog keys provider-specific meanings on
//! them. The full list is documented on `Report::provider` in model.rs.

use super::headers::Headers;
use super::model::Report;

/// Marks that identify a provider, checked against the lowercased Reporting-MTA,
/// From, Message-ID, Received and X-Mailer headers, then against the notice.
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

/// The provider implied by the reader that understood the notice.
fn from_format(format: &str) -> Option<&'static str> {
    Some(match format {
        "exim" => "exim",
        "qmail" => "qmail",
        "postfix" => "postfix",
        "sendmail" => "sendmail",
        "gmail" | "google-groups" => "gmail",
        "yahoo" => "yahoo",
        "dragonfly" => "dragonfly",
        "opensmtpd" => "opensmtpd",
        "exchange" => "exchange",
        "amazon-ses" => "amazon-ses",
        _ => return None,
    })
}

/// Recognise the provider of a report.
pub fn detect(h: &Headers, report: &Report, notice: &str) -> Option<String> {
    detect_by_marks(h, report, notice).or_else(|| from_format(&report.format).map(str::to_string))
}

fn detect_by_marks(h: &Headers, report: &Report, notice: &str) -> Option<String> {
    let mut hay = String::new();
    for name in ["from", "message-id", "x-mailer", "x-ms-exchange-crosstenant-id"] {
        for v in h.all(name) {
            hay.push_str(v);
            hay.push(' ');
        }
    }
    if let Some(m) = &report.reporting_mta {
        hay.push_str(m);
    }
    let hay = hay.to_ascii_lowercase();
    let hit = |marks: &[(&'static str, &[&str])], text: &str| {
        marks
            .iter()
            .find(|(_, ms)| ms.iter().any(|m| text.contains(m)))
            .map(|(id, _)| (*id).to_string())
    };
    if let Some(id) = hit(HEADER_MARKS, &hay) {
        return Some(id);
    }
    if h.iter().any(|(n, _)| n.to_ascii_lowercase().starts_with("x-ms-exchange")) {
        return Some("exchange-online".into());
    }
    if h.get("x-failed-recipients").is_some() {
        return Some("exim".into());
    }
    let notice = notice.to_ascii_lowercase();
    hit(NOTICE_MARKS, &notice)
}
