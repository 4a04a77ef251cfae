//! Timestamps as people read them. Seconds since the Unix epoch everywhere inside coach.
use std::time::{SystemTime, UNIX_EPOCH};

/// Now. `COACH_NOW` (seconds since the epoch) replaces the clock, so tests and replays can place
/// ledger events days apart without waiting.
pub fn now() -> i64 {
    if let Some(t) = std::env::var("COACH_NOW")
        .ok()
        .and_then(|s| s.trim().parse().ok())
    {
        return t;
    }
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// RFC 3339 in UTC, for reports.
pub fn rfc3339(secs: i64) -> String {
    jiff::Timestamp::from_second(secs).map_or_else(
        |_| secs.to_string(),
        |t| t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
    )
}

/// Months from a `YYYY-MM` date to the month of `now` (negative when the date is later); `None`
/// when the text is not a year and month.
pub fn months_since(now: i64, year_month: &str) -> Option<i64> {
    let (y, m) = year_month.split_once('-')?;
    let (y, m): (i64, i64) = (y.parse().ok()?, m.parse().ok()?);
    let today = jiff::Timestamp::from_second(now)
        .ok()?
        .to_zoned(jiff::tz::TimeZone::UTC);
    Some((i64::from(today.year()) * 12 + i64::from(today.month())) - (y * 12 + m))
}

/// "3 days ago", "2 hours ago", "just now", against a clock the caller passes (coaching is pure and
/// never reads the clock itself).
pub fn ago_at(now: i64, secs: i64) -> String {
    let d = (now - secs).max(0);
    let (n, unit) = match d {
        0..=59 => return "just now".into(),
        60..=3599 => (d / 60, "minute"),
        3600..=86_399 => (d / 3600, "hour"),
        _ => (d / 86_400, "day"),
    };
    format!("{n} {unit}{} ago", if n == 1 { "" } else { "s" })
}

/// The longest window accepted: longer is a typo, and would overflow timestamp arithmetic.
const MAX_WINDOW_DAYS: i64 = 100 * 365;

/// Parses "30d", "12h", "2w", "90m" into seconds; a window over 100 years is rejected, never
/// wrapped.
pub fn parse_window(s: &str) -> Result<i64, String> {
    let s = s.trim();
    let (num, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
    let out_of_range = || format!("{s:?}: out of range; the longest window is {MAX_WINDOW_DAYS}d");
    let n: i64 = num.parse().map_err(|e: std::num::ParseIntError| {
        if *e.kind() == std::num::IntErrorKind::PosOverflow {
            out_of_range()
        } else {
            format!("{s:?}: expected a number and a unit, like 30d")
        }
    })?;
    let mult = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" | "" => 86_400,
        "w" => 7 * 86_400,
        _ => return Err(format!("{s:?}: unknown unit {unit:?}; use s, m, h, d or w")),
    };
    n.checked_mul(mult)
        .filter(|&w| w <= MAX_WINDOW_DAYS * 86_400)
        .ok_or_else(out_of_range)
}

#[cfg(test)]
mod tests {
    #[test]
    fn months_since_counts_calendar_months() {
        // 2026-12-01T00:00:00Z
        let now = 1_796_083_200;
        assert_eq!(super::months_since(now, "2026-12"), Some(0));
        assert_eq!(super::months_since(now, "2025-12"), Some(12));
        assert_eq!(super::months_since(now, "2025-11"), Some(13));
        assert_eq!(super::months_since(now, "2027-01"), Some(-1));
        assert_eq!(super::months_since(now, "Dec"), None);
    }

    #[test]
    fn windows_parse() {
        assert_eq!(super::parse_window("30d"), Ok(30 * 86_400));
        assert_eq!(super::parse_window("2w"), Ok(14 * 86_400));
        assert!(super::parse_window("x").is_err());
        assert_eq!(super::parse_window("36500d"), Ok(36_500 * 86_400));
        for big in [
            "36501d",
            "99999999999999d",
            "99999999999999999999w",
            "9223372036854775807s",
        ] {
            let e = super::parse_window(big).unwrap_err();
            assert!(e.contains("out of range"), "{big}: {e}");
        }
        assert_eq!(super::rfc3339(0), "1970-01-01T00:00:00Z");
    }
}
