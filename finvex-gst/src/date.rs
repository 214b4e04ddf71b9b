//! A minimal calendar date.
//!
//! GST only needs day-precision civil dates (document dates, return periods,
//! rate and threshold effective dates), so a 4-byte value type with the
//! engine's narrow range is enough; the calendar itself (leap years, month
//! lengths) comes from jiff, the workspace's one date library.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::GstError;

/// A validated civil date between 2000-01-01 and 2099-12-31.
///
/// The range is deliberately narrow: GST started on 2017-07-01 and every
/// format we emit (`dd/mm/yyyy`, `YYYY-YY` financial years) assumes a 21st
/// century year. Serialises as ISO `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Date {
    // Field order matters: derived Ord compares year, then month, then day.
    year: u16,
    month: u8,
    day: u8,
}

impl Date {
    /// Builds a date, rejecting impossible days (31 April, 29 Feb in common years).
    pub fn new(year: u16, month: u8, day: u8) -> Result<Self, GstError> {
        let err = |reason: &str| GstError::InvalidDate {
            field: "date".into(),
            input: format!("{year:04}-{month:02}-{day:02}"),
            reason: reason.into(),
        };
        if !(2000..=2099).contains(&year) {
            return Err(err("year must be between 2000 and 2099"));
        }
        if !(1..=12).contains(&month) {
            return Err(err("month must be 1-12"));
        }
        let max_day = days_in_month(year, month);
        if day == 0 || day > max_day {
            return Err(err(&format!("day must be 1-{max_day} in this month")));
        }
        Ok(Date { year, month, day })
    }

    /// Parses ISO `YYYY-MM-DD`.
    pub fn parse_iso(input: &str) -> Result<Self, GstError> {
        let b = input.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(bad_format(input, "expected YYYY-MM-DD"));
        }
        Self::from_parts(input, &input[0..4], &input[5..7], &input[8..10])
    }

    /// Parses `dd/mm/yyyy` (e-invoice) or `dd-mm-yyyy` (GSTR-1).
    pub fn parse_dmy(input: &str) -> Result<Self, GstError> {
        let b = input.as_bytes();
        if b.len() != 10 || b[2] != b[5] || !(b[2] == b'/' || b[2] == b'-') {
            return Err(bad_format(input, "expected dd/mm/yyyy or dd-mm-yyyy"));
        }
        Self::from_parts(input, &input[6..10], &input[3..5], &input[0..2])
    }

    fn from_parts(input: &str, y: &str, m: &str, d: &str) -> Result<Self, GstError> {
        let num = |s: &str| -> Result<u16, GstError> {
            if s.bytes().all(|c| c.is_ascii_digit()) {
                s.parse::<u16>()
                    .map_err(|_| bad_format(input, "not a number"))
            } else {
                Err(bad_format(input, "date parts must be digits"))
            }
        };
        let (year, month, day) = (num(y)?, num(m)?, num(d)?);
        let month = u8::try_from(month).map_err(|_| bad_format(input, "month out of range"))?;
        let day = u8::try_from(day).map_err(|_| bad_format(input, "day out of range"))?;
        Date::new(year, month, day).map_err(|e| match e {
            GstError::InvalidDate { field, reason, .. } => GstError::InvalidDate {
                field,
                input: input.to_string(),
                reason,
            },
            other => other,
        })
    }

    pub fn year(&self) -> u16 {
        self.year
    }
    pub fn month(&self) -> u8 {
        self.month
    }
    pub fn day(&self) -> u8 {
        self.day
    }

    /// `dd/mm/yyyy`, the e-invoice format.
    pub fn to_dmy_slash(&self) -> String {
        format!("{:02}/{:02}/{:04}", self.day, self.month, self.year)
    }

    /// `dd-mm-yyyy`, the GSTR-1 format.
    pub fn to_dmy_dash(&self) -> String {
        format!("{:02}-{:02}-{:04}", self.day, self.month, self.year)
    }
}

fn bad_format(input: &str, reason: &str) -> GstError {
    GstError::InvalidDate {
        field: "date".into(),
        input: input.chars().take(40).collect(),
        reason: reason.into(),
    }
}

/// From the calendar library; `month` is 1-12 and `year` 2000-2099 here.
fn days_in_month(year: u16, month: u8) -> u8 {
    jiff::civil::Date::new(year as i16, month as i8, 1)
        .map_or(0, |first| first.days_in_month() as u8)
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl FromStr for Date {
    type Err = GstError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Date::parse_iso(s)
    }
}

impl TryFrom<String> for Date {
    type Error = GstError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Date::parse_iso(&s)
    }
}

impl From<Date> for String {
    fn from(d: Date) -> String {
        d.to_string()
    }
}

/// What a date serialises as: ISO `YYYY-MM-DD`.
impl schemars::JsonSchema for Date {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Date".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "format": "date",
            "pattern": "^20[0-9]{2}-[0-9]{2}-[0-9]{2}$",
            "description": "A civil date, ISO `YYYY-MM-DD`, between 2000-01-01 and 2099-12-31.",
            "examples": ["2026-04-01"]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_impossible_days_and_accepts_leap_day() {
        assert!(Date::new(2024, 2, 29).is_ok());
        assert!(Date::new(2023, 2, 29).is_err());
        assert!(Date::new(2000, 2, 29).is_ok());
        assert!(Date::new(2025, 4, 31).is_err());
        assert!(Date::new(2025, 13, 1).is_err());
        assert!(Date::new(1999, 12, 31).is_err());
    }

    #[test]
    fn parses_and_formats_all_three_layouts() {
        let d = Date::parse_iso("2026-04-03").unwrap();
        assert_eq!(d.to_dmy_slash(), "03/04/2026");
        assert_eq!(d.to_dmy_dash(), "03-04-2026");
        assert_eq!(Date::parse_dmy("03/04/2026").unwrap(), d);
        assert_eq!(Date::parse_dmy("03-04-2026").unwrap(), d);
        assert!(Date::parse_dmy("03/04-2026").is_err());
        assert!(Date::parse_iso("2026-4-03").is_err());
        assert!(Date::parse_iso("2026-02-30").is_err());
        let json = serde_json::to_string(&d).unwrap();
        assert_eq!(json, "\"2026-04-03\"");
        assert_eq!(serde_json::from_str::<Date>(&json).unwrap(), d);
    }

    #[test]
    fn orders_chronologically() {
        assert!(Date::new(2024, 12, 31).unwrap() < Date::new(2025, 1, 1).unwrap());
        assert!(Date::new(2025, 1, 2).unwrap() > Date::new(2025, 1, 1).unwrap());
    }
}
