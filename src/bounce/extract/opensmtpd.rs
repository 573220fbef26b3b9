//! OpenSMTPD: "This is the MAILER-DAEMON, please DO NOT REPLY to this e-mail", then
//! `address: reply` lines under "the following list of recipients".

use super::{Found, Notice, generic};

/// Phrases of this family's notice, lowercase.
const MARKERS: &[&str] = &[
    "this is the mailer-daemon, please do not reply",
    "error has occurred while attempting to deliver a message for",
    "following list of recipients",
];

pub fn read(n: &Notice<'_>) -> Option<Found> {
    if !n.mentions(MARKERS) {
        return None;
    }
    generic::read_as(n, "opensmtpd")
}

#[cfg(test)]
mod tests {
    use crate::bounce::analyze;

    #[test]
    fn reads_a_real_sample() {
        let path =
            concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus/maildir/bsd/lhost-opensmtpd-01.eml");
        let report = analyze(&std::fs::read(path).expect("corpus sample")).expect("a report");
        assert_eq!(report.format, "opensmtpd");
        assert_eq!(report.recipients[0].recipient, "apdugoaidugoaidugoaeiudggadi@gmail.com");
        assert!(
            report.recipients[0].status.is_some() || !report.recipients[0].diagnostic.is_empty()
        );
    }
}
