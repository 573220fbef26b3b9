//! Text helpers for the views: clean mail-derived text and fit it into a width,
//! marking a cut with `…`.

use std::borrow::Cow;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Mail-derived text made safe for one terminal line.
pub fn safe(s: &str) -> Cow<'_, str> {
    crate::text::clean_line(s)
}

/// Cut `s` to at most `width` columns; a cut ends with `…`.
pub fn fit(s: &str, width: usize) -> String {
    if s.width() <= width {
        return s.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > width - 1 {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// `fit`, then pad with spaces to exactly `width` columns.
pub fn cell(s: &str, width: usize) -> String {
    let mut out = fit(s, width);
    let w = out.width();
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(w)));
    out
}

/// Cut `s` to at most `width` columns keeping its end: `…/Maildir/.Bounces`. For paths,
/// whose last part names what is open.
pub fn fit_left(s: &str, width: usize) -> String {
    if s.width() <= width {
        return s.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let mut kept: Vec<char> = Vec::new();
    let mut used = 0;
    for c in s.chars().rev() {
        let w = c.width().unwrap_or(0);
        if used + w > width - 1 {
            break;
        }
        kept.push(c);
        used += w;
    }
    let mut out = String::from("…");
    out.extend(kept.into_iter().rev());
    out
}

/// An address in a cell of `width` columns: when it does not fit, the local part is
/// cut in its middle so the domain stays whole (`jo…ith@example.org`).
pub fn fit_address(s: &str, width: usize) -> String {
    if s.width() <= width {
        return cell(s, width);
    }
    let Some(at) = s.rfind('@') else { return cell(s, width) };
    let (local, domain) = s.split_at(at);
    let room = width.saturating_sub(domain.width() + 1);
    if room < 2 {
        return cell(s, width);
    }
    let head = room.div_ceil(2);
    let tail = room - head;
    let start: String = fit(local, head + 1).trim_end_matches('…').to_string();
    let end: String = fit_left(local, tail + 1).trim_start_matches('…').to_string();
    cell(&format!("{start}…{end}{domain}"), width)
}

/// 1234567 -> "1,234,567".
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A signed duration in the shortest readable unit: `+2s`, `-1m05s`, `+3h12m`.
pub fn duration(secs: i64) -> String {
    let sign = if secs < 0 { '-' } else { '+' };
    let s = secs.unsigned_abs();
    match s {
        0..60 => format!("{sign}{s}s"),
        60..3600 => format!("{sign}{}m{:02}s", s / 60, s % 60),
        3600..86400 => format!("{sign}{}h{:02}m", s / 3600, (s % 3600) / 60),
        _ => format!("{sign}{}d{:02}h", s / 86400, (s % 86400) / 3600),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_marks_a_cut_and_respects_wide_characters() {
        assert_eq!(fit("hello", 5), "hello");
        assert_eq!(fit("hello world", 6), "hello…");
        assert_eq!(fit("日本語です", 5), "日本…");
        assert_eq!(cell("ab", 4), "ab  ");
    }

    #[test]
    fn paths_keep_their_end_and_addresses_their_domain() {
        assert_eq!(fit_left("/home/me/Maildir/.Bounces", 12), "…ir/.Bounces");
        assert_eq!(fit_left("short", 12), "short");
        let a = fit_address("john.smith.longname@example.org", 24);
        assert!(a.ends_with("@example.org"), "{a}");
        assert!(a.contains('…') && a.width() == 24, "{a}");
        assert_eq!(fit_address("a@b.example", 14), "a@b.example   ");
    }

    #[test]
    fn numbers_and_durations_read_well() {
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(thousands(12), "12");
        assert_eq!(duration(-5), "-5s");
        assert_eq!(duration(125), "+2m05s");
        assert_eq!(duration(7260), "+2h01m");
    }
}
