//! Dates and times in India, from one well-kept library (jiff) and the IANA
//! time-zone database (bundled, so `Asia/Kolkata` never depends on the host).
//! Every calendar computation goes through here: no hand-written calendars.

use std::sync::OnceLock;

pub use jiff::civil::{Date, DateTime, Time};
use jiff::tz::TimeZone;
use jiff::{Span, Timestamp};

/// The zone India's rules (GST dates, settlement days, mandate windows) use.
pub fn india() -> &'static TimeZone {
    static INDIA: OnceLock<TimeZone> = OnceLock::new();
    INDIA.get_or_init(|| {
        jiff::tz::db()
            .get("Asia/Kolkata")
            .unwrap_or_else(|_| TimeZone::fixed(jiff::tz::offset(5)))
    })
}

fn timestamp(unix_secs: i64) -> Timestamp {
    Timestamp::from_second(unix_secs).unwrap_or(Timestamp::UNIX_EPOCH)
}

/// The civil date and time in India at `unix_secs`.
pub fn datetime_in_india(unix_secs: i64) -> DateTime {
    india().to_datetime(timestamp(unix_secs))
}

/// The calendar date in India at `unix_secs`.
pub fn date_in_india(unix_secs: i64) -> Date {
    datetime_in_india(unix_secs).date()
}

/// Unix seconds of the first instant of `date` in India.
pub fn start_of_day_in_india(date: Date) -> i64 {
    date.to_zoned(india().clone())
        .map_or(0, |zoned| zoned.timestamp().as_second())
}

/// Unix seconds of the civil `datetime` in India (`None` outside jiff's range).
pub fn unix_secs_in_india(datetime: DateTime) -> Option<i64> {
    datetime
        .to_zoned(india().clone())
        .ok()
        .map(|zoned| zoned.timestamp().as_second())
}

/// The instant `months` calendar months after `unix_secs`, at the same
/// wall-clock time in India. A day past the end of the target month is
/// clamped to its last day: a month after 31 January is 28 (or 29)
/// February, two months after it 31 March. `None` outside jiff's range
/// (years ±9999).
pub fn add_months_in_india(unix_secs: i64, months: i64) -> Option<i64> {
    add_span_in_india(unix_secs, Span::new().try_months(months).ok()?)
}

/// The instant `days` calendar days after `unix_secs`, at the same
/// wall-clock time in India. `None` outside jiff's range.
pub fn add_days_in_india(unix_secs: i64, days: i64) -> Option<i64> {
    add_span_in_india(unix_secs, Span::new().try_days(days).ok()?)
}

fn add_span_in_india(unix_secs: i64, span: Span) -> Option<i64> {
    Timestamp::from_second(unix_secs)
        .ok()?
        .to_zoned(india().clone())
        .checked_add(span)
        .ok()
        .map(|zoned| zoned.timestamp().as_second())
}

/// `2023-08-11T18:02:46+05:30`: RFC 3339 in India's offset.
pub fn rfc3339_in_india(unix_secs: i64) -> String {
    timestamp(unix_secs)
        .to_zoned(india().clone())
        .strftime("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

/// `2023-08-11T12:32:46Z`: RFC 3339 in UTC.
pub fn rfc3339_utc(unix_secs: i64) -> String {
    timestamp(unix_secs)
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

/// Parses RFC 3339 / ISO 8601 (`2023-08-11T18:02:46+05:30`, `…Z`, a `' '`
/// instead of `T`, fractions) into unix seconds; a time without a zone, or
/// a bare date (its first instant), is taken as India's.
pub fn parse_timestamp(text: &str) -> Option<i64> {
    let text = text.trim();
    if let Ok(ts) = text.parse::<Timestamp>() {
        return Some(ts.as_second());
    }
    if let Ok(local) = text.parse::<DateTime>() {
        return local
            .to_zoned(india().clone())
            .ok()
            .map(|z| z.timestamp().as_second());
    }
    text.parse::<Date>().ok().map(start_of_day_in_india)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn india_is_utc_plus_five_thirty_all_year() {
        // 2026-03-31 18:29:59 UTC is still 23:59:59 on 31 March in India.
        assert_eq!(date_in_india(1_774_981_799).to_string(), "2026-03-31");
        assert_eq!(date_in_india(1_774_981_800).to_string(), "2026-04-01");
        assert_eq!(
            start_of_day_in_india(Date::constant(2026, 4, 1)),
            1_774_981_800
        );
        // No daylight saving: midsummer and midwinter agree.
        for date in [Date::constant(2026, 1, 15), Date::constant(2026, 7, 15)] {
            let start = start_of_day_in_india(date);
            assert_eq!((start + 19_800).rem_euclid(86_400), 0, "{date}");
        }
    }

    #[test]
    fn calendar_months_clamp_to_the_month_end_and_keep_the_wall_clock() {
        let jan_31 = parse_timestamp("2026-01-31T09:15:00+05:30").unwrap();
        let expect = |text: &str| parse_timestamp(text).unwrap();
        assert_eq!(
            add_months_in_india(jan_31, 1),
            Some(expect("2026-02-28T09:15:00+05:30"))
        );
        assert_eq!(
            add_months_in_india(jan_31, 2),
            Some(expect("2026-03-31T09:15:00+05:30"))
        );
        assert_eq!(
            add_months_in_india(jan_31, 25),
            Some(expect("2028-02-29T09:15:00+05:30")),
            "a leap February"
        );
        assert_eq!(
            add_days_in_india(jan_31, 1),
            Some(expect("2026-02-01T09:15:00+05:30"))
        );
        assert_eq!(add_months_in_india(jan_31, 12 * 9_000), None);
        assert_eq!(
            unix_secs_in_india(Date::constant(2026, 4, 1).at(0, 0, 0, 0)),
            Some(1_774_981_800)
        );
    }

    #[test]
    fn timestamps_round_trip_in_both_spellings() {
        assert_eq!(rfc3339_in_india(0), "1970-01-01T05:30:00+05:30");
        assert_eq!(rfc3339_utc(0), "1970-01-01T00:00:00Z");
        for secs in [0, 1_691_757_166, 1_774_981_800, 4_102_444_799] {
            assert_eq!(parse_timestamp(&rfc3339_in_india(secs)), Some(secs));
            assert_eq!(parse_timestamp(&rfc3339_utc(secs)), Some(secs));
        }
        assert_eq!(
            parse_timestamp("2023-08-11T18:02:46+05:30"),
            Some(1_691_757_166)
        );
        assert_eq!(
            parse_timestamp("2023-08-11 18:02:46"),
            Some(1_691_757_166),
            "no zone: India"
        );
        assert_eq!(
            parse_timestamp("2023-08-11T12:32:46.250Z"),
            Some(1_691_757_166)
        );
        assert_eq!(
            parse_timestamp("2023-08-11"),
            Some(1_691_692_200),
            "India's midnight"
        );
        assert_eq!(parse_timestamp("2024-02-29T00:00:00Z"), Some(1_709_164_800));
        for secs in [-86_400 * 400, -1, 1, 951_782_400] {
            assert_eq!(parse_timestamp(&rfc3339_in_india(secs)), Some(secs));
        }
        for bad in [
            "",
            "yesterday",
            "2023-13-01",
            "2023-02-30T00:00:00Z",
            "x023-08-11T00:00:00Z",
            "2023-08-11T18:02:46+5",
        ] {
            assert_eq!(parse_timestamp(bad), None, "{bad}");
        }
    }
}
