//! Reading a Received chain's delays honestly: a hop whose clock or time zone is
//! wrong shows as skew, not as a delay, and is left out of the total.
//!
//! Two signs of a wrong clock rather than a slow hop: a gap that is a whole number of
//! hours (or half hours, as some zones are) to within two minutes, from one hour up,
//! which is a zone written wrongly; and a gap no queue keeps a message for (negative,
//! or more than four days between two hops of one path). A real delay of exactly
//! three hours is possible but rare; calling it skew costs less than calling every
//! wrong zone a delay.

use crate::bounce::Hop;

/// What one hop's delay means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HopDelay {
    /// The first hop, or a hop without a time.
    None,
    /// Seconds spent since the previous hop.
    Delay(i64),
    /// The clocks or zones of the two hosts disagree by about this much.
    Skew(i64),
}

/// Longest stay between two hops we believe.
const MOST: i64 = 4 * 86_400;
/// How close to a whole (half) hour a gap must be to count as a zone error.
const SLACK: i64 = 120;

/// Each hop's delay, judged.
pub fn judge(hops: &[Hop]) -> Vec<HopDelay> {
    hops.iter()
        .map(|h| match h.delay_secs {
            None => HopDelay::None,
            Some(d) if h.skew || is_skew(d) => HopDelay::Skew(d),
            Some(d) => HopDelay::Delay(d),
        })
        .collect()
}

fn is_skew(d: i64) -> bool {
    if !(0..=MOST).contains(&d) {
        return true;
    }
    let half_hours = (d + SLACK) / 1800;
    d >= 3600 - SLACK && (d - half_hours * 1800).abs() <= SLACK
}

/// The transit time: the sum of the believable delays (skewed hops left out).
pub fn total(hops: &[Hop]) -> Option<i64> {
    let judged = judge(hops);
    let delays: Vec<i64> = judged
        .iter()
        .filter_map(|d| match d {
            HopDelay::Delay(s) => Some(*s),
            _ => None,
        })
        .collect();
    (!delays.is_empty()).then(|| delays.iter().sum())
}

/// Whether a hop was read at all: a Received line the parser could not take apart
/// has neither `from` nor `by`.
pub fn unparsed(hop: &Hop) -> bool {
    hop.from.is_none() && hop.by.is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hop(delay: Option<i64>) -> Hop {
        Hop { delay_secs: delay, skew: delay.is_some_and(|d| d < 0), ..Hop::default() }
    }

    #[test]
    fn zone_errors_and_impossible_gaps_are_skew_and_out_of_the_total() {
        // The Office 365 sample: +9h00m, then +115 days.
        let hops =
            [hop(None), hop(Some(2)), hop(Some(9 * 3600)), hop(Some(115 * 86_400)), hop(Some(40))];
        let judged = judge(&hops);
        assert_eq!(judged[1], HopDelay::Delay(2));
        assert_eq!(judged[2], HopDelay::Skew(9 * 3600));
        assert_eq!(judged[3], HopDelay::Skew(115 * 86_400));
        assert_eq!(total(&hops), Some(42));
        // A half-hour zone (India) and a clock behind.
        assert!(is_skew(5 * 3600 + 1800 + 30));
        assert!(is_skew(-5));
        // Real queueing: 47 minutes, 2h13m, a day and a bit.
        assert!(!is_skew(47 * 60));
        assert!(!is_skew(2 * 3600 + 13 * 60));
        assert!(!is_skew(86_400 + 600));
    }
}
