//! ISO-8601 timestamps as Cashfree writes them (`2023-08-11T18:02:46+05:30`),
//! to and from unix seconds, without a date-time dependency.

use finvex_core::gst::rules::civil_from_days;

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year - era * 400;
    let month = i64::from(month);
    let doy = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Unix seconds → `YYYY-MM-DDTHH:MM:SS+05:30` (IST, as Cashfree answers).
pub fn to_ist_iso(secs: i64) -> String {
    format_with_offset(secs, 5 * 3600 + 30 * 60)
}

/// Unix seconds → `YYYY-MM-DDTHH:MM:SSZ`.
pub fn to_utc_iso(secs: i64) -> String {
    format_with_offset(secs, 0)
}

fn format_with_offset(secs: i64, offset_secs: i64) -> String {
    let local = secs + offset_secs;
    let (year, month, day) = civil_from_days(local.div_euclid(86_400));
    let rem = local.rem_euclid(86_400);
    let time = format!("{:02}:{:02}:{:02}", rem / 3600, rem % 3600 / 60, rem % 60);
    let zone = if offset_secs == 0 {
        "Z".to_string()
    } else {
        let sign = if offset_secs < 0 { '-' } else { '+' };
        let abs = offset_secs.abs();
        format!("{sign}{:02}:{:02}", abs / 3600, abs % 3600 / 60)
    };
    format!("{year:04}-{month:02}-{day:02}T{time}{zone}")
}

/// Parses `YYYY-MM-DD[T ]HH:MM:SS[.fraction][Z|±HH:MM|±HHMM]` (no zone means
/// IST, Cashfree's zone) or a bare `YYYY-MM-DD` into unix seconds.
pub fn parse_iso(text: &str) -> Option<i64> {
    let text = text.trim();
    let bytes = text.as_bytes();
    let number = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = text.get(range)?;
        part.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    if bytes.len() < 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let year = number(0..4)?;
    let month = u32::try_from(number(5..7)?).ok()?;
    let day = u32::try_from(number(8..10)?).ok()?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let days = days_from_civil(year, month, day);
    const IST: i64 = 5 * 3600 + 30 * 60;
    if bytes.len() == 10 {
        return Some(days * 86_400 - IST);
    }
    if !matches!(bytes[10], b'T' | b't' | b' ')
        || bytes.len() < 19
        || bytes[13] != b':'
        || bytes[16] != b':'
    {
        return None;
    }
    let (hour, minute, second) = (number(11..13)?, number(14..16)?, number(17..19)?);
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let mut rest = &text[19..];
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        rest = &fraction[digits..];
    }
    let offset = match rest {
        "" => IST,
        "Z" | "z" => 0,
        zone => {
            let sign = match zone.as_bytes()[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let digits: String = zone[1..].chars().filter(|c| *c != ':').collect();
            if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let hours: i64 = digits[..2].parse().ok()?;
            let minutes: i64 = digits[2..].parse().ok()?;
            sign * (hours * 3600 + minutes * 60)
        }
    };
    Some(days * 86_400 + hour * 3600 + minute * 60 + second - offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_instants() {
        assert_eq!(parse_iso("2023-08-11T18:02:46+05:30"), Some(1_691_757_166));
        assert_eq!(parse_iso("2023-08-11T12:32:46Z"), Some(1_691_757_166));
        assert_eq!(parse_iso("2023-08-11T12:32:46.123Z"), Some(1_691_757_166));
        assert_eq!(parse_iso("2023-08-11 18:02:46"), Some(1_691_757_166));
        assert_eq!(parse_iso("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(to_ist_iso(1_691_757_166), "2023-08-11T18:02:46+05:30");
        assert_eq!(to_utc_iso(1_691_757_166), "2023-08-11T12:32:46Z");
        assert_eq!(parse_iso("2024-02-29T00:00:00Z"), Some(1_709_164_800));
        for bad in [
            "",
            "2023-13-01T00:00:00Z",
            "2023-08-11T18:02",
            "x023-08-11T00:00:00Z",
            "2023-08-11T18:02:46+5",
        ] {
            assert_eq!(parse_iso(bad), None, "{bad}");
        }
    }

    #[test]
    fn round_trips() {
        for secs in [
            -86_400 * 400,
            -1,
            0,
            1,
            951_782_400,
            1_746_427_759,
            4_102_444_800,
        ] {
            assert_eq!(parse_iso(&to_ist_iso(secs)), Some(secs));
            assert_eq!(parse_iso(&to_utc_iso(secs)), Some(secs));
        }
    }
}
