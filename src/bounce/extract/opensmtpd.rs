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
    generic::read_marked(n, MARKERS, "opensmtpd")
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_a_real_sample() {
        super::super::testing::assert_reads(
            "lhost-opensmtpd-01.eml",
            "opensmtpd",
            "apdugoaidugoaidugoaeiudggadi@gmail.com",
        );
    }
}
