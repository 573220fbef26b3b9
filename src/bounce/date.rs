//! Lenient date parsing for mail headers (Date, Received, Arrival-Date...).
//!
//! Real MTAs stray far from RFC 5322: no weekday or seconds, obsolete zone names,
//! `(PDT)` comments, two-digit years, `18-Sep-2008`, ISO 8601, asctime order, even
//! `April 10, 2008 9:43 AM`. Instead of one grammar we classify whitespace-separated
//! tokens (a month name, a number, a time, a zone) and accept them in any order, which
//! covers all of these with one small routine and no regex on the hot path (every
//! Received header of every message goes through here).

use chrono::{FixedOffset, NaiveDate, NaiveTime, TimeZone};

use super::model::Timestamp;

/// Parse an RFC 5322 date as real MTAs write it (missing weekday or seconds, obsolete
/// zone names, comments, two-digit years). `None` when no date can be read.
pub fn parse_date(s: &str) -> Option<Timestamp> {
    let text = strip_comments(s);
    let mut fields = Fields::default();
    for token in text
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '<' | '>' | '"' | '\''))
        .filter(|t| !t.is_empty())
    {
        fields.take(token.trim_end_matches('.'));
        if fields.is_complete() {
            break;
        }
    }
    fields.build()
}

/// Remove `(comments)`, nested ones included. A zone written only in a comment is
/// lost, which is fine: the numeric zone before it is what counts.
fn strip_comments(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains('(') {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut depth = 0usize;
    for c in s.chars() {
        match c {
            '(' => depth += 1,
            ')' if depth > 0 => {
                depth -= 1;
                out.push(' ');
            }
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    std::borrow::Cow::Owned(out)
}

/// The parts of a date found so far.
#[derive(Default)]
struct Fields {
    year: Option<i32>,
    month: Option<u32>,
    day: Option<u32>,
    /// Hour, minute, second.
    time: Option<(u32, u32, u32)>,
    /// Offset east of UTC in seconds.
    zone: Option<i32>,
    pm: Option<bool>,
}

impl Fields {
    fn is_complete(&self) -> bool {
        self.year.is_some()
            && self.month.is_some()
            && self.day.is_some()
            && self.time.is_some()
            && self.zone.is_some()
    }

    /// Classify one token and store what it says.
    fn take(&mut self, token: &str) {
        let Some(&first) = token.as_bytes().first() else {
            return;
        };
        if (first == b'+' || first == b'-') && token.len() > 1 {
            if self.zone.is_none() {
                self.zone = numeric_zone(token);
            }
            return;
        }
        if first.is_ascii_digit() {
            self.take_numeric(token);
        } else {
            self.take_word(token);
        }
    }

    fn take_numeric(&mut self, token: &str) {
        // The first separator decides: `17:54:04+09:00` is a time, `2008-09-18T17:54` a date.
        match token.find([':', '-', '/']).map(|i| token.as_bytes()[i]) {
            Some(b':') => self.take_time(token),
            Some(_) => self.take_dashed(token),
            None => {
                if let Ok(n) = token.parse::<u32>() {
                    self.take_number(n, token.len());
                }
            }
        }
    }

    /// A bare number: a 4-digit year, or the day, or a two/three-digit year.
    fn take_number(&mut self, n: u32, digits: usize) {
        if digits >= 4 {
            if self.year.is_none() {
                self.year = i32::try_from(n).ok();
            }
        } else if self.day.is_none() && digits <= 2 && (1..=31).contains(&n) {
            self.day = Some(n);
        } else if self.year.is_none() {
            self.year = Some(expand_year(n, digits));
        }
    }

    /// `hh:mm[:ss][.frac][zone]`, the zone glued on as in ISO 8601 (`Z`, `+09:00`).
    fn take_time(&mut self, token: &str) {
        if self.time.is_some() {
            return;
        }
        let end = token.find(|c: char| !(c.is_ascii_digit() || c == ':')).unwrap_or(token.len());
        let (clock, rest) = token.split_at(end);
        let mut parts = clock.split(':').map(|p| p.parse::<u32>().ok());
        let hour = parts.next().flatten();
        let minute = parts.next().flatten();
        let second = parts.next().flatten().unwrap_or(0);
        if let (Some(h), Some(m)) = (hour, minute)
            && h <= 24
            && m < 60
            && second <= 60
        {
            self.time = Some((h, m, second.min(59)));
        }
        let rest = rest.trim_start_matches(|c: char| c == '.' || c.is_ascii_digit());
        if !rest.is_empty() && self.zone.is_none() {
            self.zone = numeric_zone(rest).or_else(|| named_zone(rest));
        }
    }

    /// `18-Sep-2008`, `2008-09-18`, `2008-09-18T17:54:04Z`, `18/09/2008`, and the
    /// `17-54-04` time some writers put after an ISO date.
    fn take_dashed(&mut self, token: &str) {
        let iso_start = token.len() > 4 && token.as_bytes()[..4].iter().all(u8::is_ascii_digit);
        if let Some((date, time)) = token.split_once(['T', 't']).filter(|_| iso_start) {
            self.take_dashed(date);
            self.take_time(time);
            return;
        }
        let parts: Vec<&str> = token.split(['-', '/']).filter(|p| !p.is_empty()).collect();
        if parts.len() != 3 {
            return;
        }
        let numbers: Vec<Option<u32>> = parts.iter().map(|p| p.parse().ok()).collect();
        match (numbers[0], numbers[1], numbers[2]) {
            (Some(a), Some(b), Some(c)) if parts[0].len() == 4 => {
                self.set_date(i32::try_from(a).ok(), Some(b), Some(c));
            }
            (Some(h), Some(m), Some(s))
                if self.year.is_some() && self.time.is_none() && h < 24 && m < 60 && s <= 60 =>
            {
                self.time = Some((h, m, s.min(59)));
            }
            (Some(a), Some(b), Some(c)) => {
                // Day and month order is ambiguous; prefer day first unless that
                // cannot be.
                let (day, month) = if b > 12 { (b, a) } else { (a, b) };
                self.set_date(Some(expand_year(c, parts[2].len())), Some(month), Some(day));
            }
            (Some(day), None, Some(year)) => {
                let month = month_number(parts[1]);
                self.set_date(Some(expand_year(year, parts[2].len())), month, Some(day));
            }
            _ => {}
        }
    }

    fn set_date(&mut self, year: Option<i32>, month: Option<u32>, day: Option<u32>) {
        if self.year.is_none() && self.month.is_none() && self.day.is_none() {
            self.year = year;
            self.month = month.filter(|m| (1..=12).contains(m));
            self.day = day;
        }
    }

    /// A month, AM/PM, a zone name, a `GMT+0900` zone; weekdays and noise are ignored.
    fn take_word(&mut self, token: &str) {
        if token.eq_ignore_ascii_case("am") || token.eq_ignore_ascii_case("pm") {
            self.pm = Some(token.eq_ignore_ascii_case("pm"));
            return;
        }
        if self.month.is_none()
            && let Some(m) = month_number(token)
        {
            self.month = Some(m);
            return;
        }
        if self.zone.is_some() || self.time.is_none() {
            return;
        }
        self.zone = named_zone(token).or_else(|| {
            let upper = token.get(..3)?;
            let rest = &token[3..];
            let is_utc_prefix =
                upper.eq_ignore_ascii_case("gmt") || upper.eq_ignore_ascii_case("utc");
            is_utc_prefix.then(|| numeric_zone(rest)).flatten()
        });
    }

    fn build(self) -> Option<Timestamp> {
        let year = self.year.filter(|y| PLAUSIBLE_YEARS.contains(y))?;
        let date = NaiveDate::from_ymd_opt(year, self.month?, self.day?)?;
        let (mut hour, minute, second) = self.time?;
        match self.pm {
            Some(true) if hour < 12 => hour += 12,
            Some(false) if hour == 12 => hour = 0,
            _ => {}
        }
        // 24:00 is the end of the day; chrono wants the next day's midnight.
        let (date, hour) = if hour == 24 { (date.succ_opt()?, 0) } else { (date, hour) };
        let time = NaiveTime::from_hms_opt(hour, minute, second)?;
        let offset = FixedOffset::east_opt(self.zone.unwrap_or(0))?;
        offset.from_local_datetime(&date.and_time(time)).single()
    }
}

/// Years a mail header can really carry. Before 1980 there was no SMTP (RFC 821 is
/// from 1982), so a bounce dated 1970 has a clock at zero, not a date; past 2199 is a
/// typo or an attack (year 0000 or +99999 made a report's per-day chart 73 million
/// pixels wide). Such a date is no date: `None`.
const PLAUSIBLE_YEARS: std::ops::RangeInclusive<i32> = 1980..=2199;

/// Two-digit years per RFC 5322 §4.3: 00-49 are 2000-2049, 50-99 are 1950-1999;
/// three-digit years count from 1900.
fn expand_year(n: u32, digits: usize) -> i32 {
    let n = i32::try_from(n).unwrap_or(0);
    match digits {
        0..=2 if n < 50 => 2000 + n,
        0..=2 => 1900 + n,
        3 => 1900 + n,
        _ => n,
    }
}

fn month_number(token: &str) -> Option<u32> {
    const MONTHS: [&str; 12] =
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    // Lowercased once and compared whole: this runs for every word of every date.
    let prefix = token.get(..3)?.as_bytes();
    let key = [0, 1, 2].map(|i| prefix[i].to_ascii_lowercase());
    let index = MONTHS.iter().position(|m| m.as_bytes() == key)?;
    // "Mayday" or "Decimal" are not months: only the abbreviation, the full English
    // name, or the abbreviation with a trailing dot are accepted.
    let rest = &token[3..];
    const FULL_TAILS: [&str; 12] =
        ["uary", "ruary", "ch", "il", "", "e", "y", "ust", "tember", "ober", "ember", "ember"];
    let ok = rest.is_empty()
        || rest.eq_ignore_ascii_case(FULL_TAILS[index])
        || (index == 8 && rest.eq_ignore_ascii_case("t"));
    ok.then_some(index as u32 + 1)
}

/// `+0900`, `-0700`, `+09:00`, `+9`, `+09`: seconds east of UTC.
fn numeric_zone(token: &str) -> Option<i32> {
    let (sign, digits) = match token.as_bytes().first()? {
        b'+' => (1, &token[1..]),
        b'-' => (-1, &token[1..]),
        _ => return None,
    };
    // `+09:00` reads as `+0900`; counted without allocating (this runs per Received).
    let mut value: i32 = 0;
    let mut count = 0usize;
    for b in digits.bytes().filter(|b| *b != b':') {
        if !b.is_ascii_digit() || count == 4 {
            return None;
        }
        value = value * 10 + i32::from(b - b'0');
        count += 1;
    }
    if count == 0 {
        return None;
    }
    let (hours, minutes) = if count <= 2 { (value, 0) } else { (value / 100, value % 100) };
    (hours < 24 && minutes < 60).then_some(sign * (hours * 3600 + minutes * 60))
}

/// Zone names: the obsolete ones RFC 5322 §4.3 defines, a few common others, and
/// military letters (which RFC 5322 says to read as unknown, i.e. UTC, except `Z`).
fn named_zone(token: &str) -> Option<i32> {
    const ZONES: [(&str, i32); 20] = [
        ("UT", 0),
        ("UTC", 0),
        ("GMT", 0),
        ("Z", 0),
        ("EST", -5),
        ("EDT", -4),
        ("CST", -6),
        ("CDT", -5),
        ("MST", -7),
        ("MDT", -6),
        ("PST", -8),
        ("PDT", -7),
        ("JST", 9),
        ("KST", 9),
        ("CET", 1),
        ("CEST", 2),
        ("MET", 1),
        ("MEST", 2),
        ("BST", 1),
        ("MSK", 3),
    ];
    if let Some((_, hours)) = ZONES.iter().find(|(name, _)| token.eq_ignore_ascii_case(name)) {
        return Some(hours * 3600);
    }
    let is_military = token.len() == 1
        && token.bytes().all(|b| b.is_ascii_alphabetic() && !b.eq_ignore_ascii_case(&b'j'));
    is_military.then_some(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> String {
        parse_date(s).map(|d| d.to_rfc3339()).unwrap_or_else(|| "none".into())
    }

    #[test]
    fn reads_rfc5322_and_keeps_the_offset() {
        assert_eq!(utc("Thu, 18 Sep 2008 17:54:04 +0900"), "2008-09-18T17:54:04+09:00");
        assert_eq!(utc("Thu, 18 Sep 2008 17:54:04 +0900 (JST)"), "2008-09-18T17:54:04+09:00");
        assert_eq!(utc("Sun, 6 Apr 2014 10:01:02 -0700 (PDT)"), "2014-04-06T10:01:02-07:00");
        assert_eq!(utc("Mon, 1 Jan 2024 00:00:00 +0000 (UTC)"), "2024-01-01T00:00:00+00:00");
    }

    #[test]
    fn tolerates_missing_weekday_seconds_and_extra_spaces() {
        assert_eq!(utc("18 Sep 2008 17:54 +0900"), "2008-09-18T17:54:00+09:00");
        assert_eq!(utc("Thu,  4 Nov 2010  01:02:03   -0500"), "2010-11-04T01:02:03-05:00");
        assert_eq!(utc("Thu,4 Nov 2010 01:02:03 -0500"), "2010-11-04T01:02:03-05:00");
        assert_eq!(utc("  Thu, 18 Sep 2008 17:54:04 +0900  "), "2008-09-18T17:54:04+09:00");
    }

    #[test]
    fn reads_obsolete_and_military_zones() {
        assert_eq!(utc("Thu, 18 Sep 2008 17:54:04 EST"), "2008-09-18T17:54:04-05:00");
        assert_eq!(utc("Thu, 18 Sep 2008 17:54:04 PDT"), "2008-09-18T17:54:04-07:00");
        assert_eq!(utc("Thu, 18 Sep 2008 17:54:04 GMT"), "2008-09-18T17:54:04+00:00");
        assert_eq!(utc("Thu, 18 Sep 2008 17:54:04 UT"), "2008-09-18T17:54:04+00:00");
        assert_eq!(utc("Thu, 18 Sep 2008 17:54:04 Z"), "2008-09-18T17:54:04+00:00");
        assert_eq!(utc("Thu, 18 Sep 2008 17:54:04 Q"), "2008-09-18T17:54:04+00:00");
        assert_eq!(utc("Thu, 18 Sep 2008 17:54:04 GMT+09:00"), "2008-09-18T17:54:04+09:00");
        assert_eq!(utc("Thu, 18 Sep 2008 17:54:04 +09:00"), "2008-09-18T17:54:04+09:00");
    }

    #[test]
    fn expands_two_and_three_digit_years() {
        assert_eq!(utc("18 Sep 08 17:54:04 +0900"), "2008-09-18T17:54:04+09:00");
        assert_eq!(utc("18 Sep 98 17:54:04 +0900"), "1998-09-18T17:54:04+09:00");
        assert_eq!(utc("18 Sep 108 17:54:04 +0900"), "2008-09-18T17:54:04+09:00");
    }

    #[test]
    fn reads_dashed_iso_and_asctime_forms() {
        assert_eq!(utc("18-Sep-2008 17:54:04 +0900"), "2008-09-18T17:54:04+09:00");
        assert_eq!(utc("28-Oct-2008 17:54:04 -0000"), "2008-10-28T17:54:04+00:00");
        assert_eq!(utc("2008-09-18 17:54:04"), "2008-09-18T17:54:04+00:00");
        assert_eq!(utc("2008-09-18T17:54:04Z"), "2008-09-18T17:54:04+00:00");
        assert_eq!(utc("2008-09-18T17:54:04.123+09:00"), "2008-09-18T17:54:04+09:00");
        assert_eq!(utc("2010-04-29 18-46-00"), "2010-04-29T18:46:00+00:00");
        assert_eq!(utc("Thu Sep 18 17:54:04 2008"), "2008-09-18T17:54:04+00:00");
        assert_eq!(utc("Thu Sep 18 17:54:04 JST 2008"), "2008-09-18T17:54:04+09:00");
        assert_eq!(utc("Thursday, April 10, 2008 9:43 PM"), "2008-04-10T21:43:00+00:00");
        assert_eq!(utc("Thursday, April 10, 2008 12:05:00 AM"), "2008-04-10T00:05:00+00:00");
    }

    #[test]
    fn ignores_nested_comments_and_trailing_noise() {
        assert_eq!(
            utc("Thu, 18 Sep 2008 17:54:04 +0900 (JST (Tokyo)) From: someone"),
            "2008-09-18T17:54:04+09:00"
        );
        assert_eq!(
            utc("Tue, 1 Jun 2010 10:00:00 -0400 From: Mail Delivery Subsystem"),
            "2010-06-01T10:00:00-04:00"
        );
    }

    #[test]
    fn refuses_what_is_not_a_date() {
        for s in [
            "",
            "   ",
            "(comment only)",
            "hello world",
            "Thu, 31 Feb 2008 10:00:00 +0000",
            "Thu, 18 Sep 2008",
            "18 Sep 2008 25:61:00 +0000",
            "Mayday 18 2008 10:00",
            "+",
            "-",
            "::",
        ] {
            assert_eq!(parse_date(s), None, "{s:?}");
        }
    }

    #[test]
    fn agrees_with_chrono_on_strict_rfc2822() {
        for s in [
            "Mon, 07 Jul 2014 04:56:35 +0200",
            "Fri, 21 Nov 1997 09:55:06 -0600",
            "Tue, 1 Jul 2003 10:52:37 +0200",
        ] {
            assert_eq!(parse_date(s), chrono::DateTime::parse_from_rfc2822(s).ok(), "{s}");
        }
    }

    #[test]
    fn impossible_years_are_no_date() {
        for bad in [
            "Thu, 01 Jan 1970 00:00:00 +0000",
            "Mon, 1 Jan 0000 10:00:00 +0000",
            "Tue, 3 Mar 99999 09:00:00 +0000",
            "Tue, 3 Mar 2200 09:00:00 +0000",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
        for good in [
            "Fri, 1 Feb 1980 00:00:00 +0000",
            "Tue, 3 Mar 2026 09:00:00 +0000",
            "1 Jan 99 10:00 +0000",
        ] {
            assert!(parse_date(good).is_some(), "{good}");
        }
    }
}
