//! Exact conversions between integer paise and decimal rupees, and serde
//! helpers that write JSON numbers with exactly two decimals.
//!
//! Government JSON (e-invoice, GSTR-1) wants rupees as numbers like `1180.00`.
//! Going through `f64` would both lose precision on large values and print
//! `1180.0`, so amounts are formatted from integers and emitted as raw JSON.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::de::{self, Visitor};
use serde::{Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;
use std::fmt;

/// Largest amount the engine accepts for a single value: the e-invoice
/// schema's per-item maximum of Rs 999,999,999,999.99.
pub const MAX_AMOUNT_PAISE: i64 = 99_999_999_999_999;

/// Formats paise as rupees with exactly two decimals (`-1234` → `"-12.34"`).
pub fn paise_to_rupees_string(paise: i64) -> String {
    let sign = if paise < 0 { "-" } else { "" };
    let abs = paise.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// Paise as an exact two-decimal `Decimal` rupee value.
pub fn paise_to_rupees(paise: i64) -> Decimal {
    Decimal::new(paise, 2)
}

/// Converts rupees to paise, refusing values with sub-paisa precision rather
/// than silently rounding money.
pub fn rupees_to_paise(rupees: Decimal) -> Option<i64> {
    let scaled = rupees.checked_mul(Decimal::ONE_HUNDRED)?;
    if scaled.fract() != Decimal::ZERO {
        return None;
    }
    scaled.to_i64()
}

/// Rounds a paise value held as a `Decimal` to a whole paisa, half away from zero.
pub(crate) fn round_paise(value: Decimal) -> Option<i64> {
    value
        .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
        .to_i64()
}

/// `numerator / denominator` rounded to the nearest integer, halves up
/// (which for non-negative values is half away from zero). Exact for every
/// input; `denominator` must be positive.
#[inline]
pub(crate) fn div_round_half_up(numerator: u128, denominator: u64) -> u128 {
    debug_assert!(denominator > 0);
    // Amounts nearly always fit 64 bits, where dividing by a constant rate
    // denominator compiles to a multiplication rather than a call to the
    // 128-bit division routine.
    if let Ok(n) = u64::try_from(numerator) {
        let (q, r) = (n / denominator, n % denominator);
        return u128::from(q + u64::from(r >= denominator - r));
    }
    let d = u128::from(denominator);
    let (q, r) = (numerator / d, numerator % d);
    q + u128::from(r >= d - r)
}

/// Writes a decimal string as a raw JSON number.
pub(crate) fn serialize_raw_number<S: Serializer>(text: String, s: S) -> Result<S::Ok, S::Error> {
    let raw = RawValue::from_string(text).map_err(serde::ser::Error::custom)?;
    raw.serialize(s)
}

struct DecimalVisitor;

impl Visitor<'_> for DecimalVisitor {
    type Value = Decimal;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a decimal number")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Decimal, E> {
        Ok(Decimal::from(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Decimal, E> {
        Ok(Decimal::from(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Decimal, E> {
        // Display prints the shortest string that round-trips, so 0.1 becomes
        // "0.1" and is parsed exactly instead of as 0.1000000000000000055...
        if !v.is_finite() {
            return Err(E::custom("number must be finite"));
        }
        format!("{v}").parse::<Decimal>().map_err(E::custom)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Decimal, E> {
        v.trim().parse::<Decimal>().map_err(E::custom)
    }
}

pub(crate) fn deserialize_decimal<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
    d.deserialize_any(DecimalVisitor)
}

/// `#[serde(with = "crate::money::rupees")]` for `i64` paise fields.
pub mod rupees {
    use super::*;

    pub fn serialize<S: Serializer>(paise: &i64, s: S) -> Result<S::Ok, S::Error> {
        serialize_raw_number(paise_to_rupees_string(*paise), s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
        let value = deserialize_decimal(d)?;
        rupees_to_paise(value).ok_or_else(|| {
            de::Error::custom(format!(
                "{value} is not a rupee amount with at most 2 decimals"
            ))
        })
    }
}

/// `#[serde(with = "crate::money::rupees_opt")]` for `Option<i64>` paise fields.
pub mod rupees_opt {
    use super::*;

    pub fn serialize<S: Serializer>(paise: &Option<i64>, s: S) -> Result<S::Ok, S::Error> {
        match paise {
            Some(p) => super::rupees::serialize(p, s),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
        super::rupees::deserialize(d).map(Some)
    }
}

/// `#[serde(with = "crate::money::decimal")]`: a `Decimal` as a plain JSON
/// number (not the string rust_decimal writes by default), exactly.
pub mod decimal {
    use super::*;

    pub fn serialize<S: Serializer>(value: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        serialize_raw_number(value.normalize().to_string(), s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        deserialize_decimal(d)
    }
}

/// Option form of [`decimal`].
pub mod decimal_opt {
    use super::*;

    pub fn serialize<S: Serializer>(value: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(v) => super::decimal::serialize(v, s),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
        deserialize_decimal(d).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Serialize, Deserialize, PartialEq, Debug)]
    struct Amt {
        #[serde(with = "rupees")]
        v: i64,
    }

    #[test]
    fn formats_paise_exactly() {
        assert_eq!(paise_to_rupees_string(0), "0.00");
        assert_eq!(paise_to_rupees_string(5), "0.05");
        assert_eq!(paise_to_rupees_string(118000), "1180.00");
        assert_eq!(paise_to_rupees_string(-1234), "-12.34");
        assert_eq!(paise_to_rupees_string(MAX_AMOUNT_PAISE), "999999999999.99");
        assert_eq!(paise_to_rupees(12345).to_string(), "123.45");
    }

    #[test]
    fn rupee_json_numbers_have_two_decimals_and_round_trip() {
        let json = serde_json::to_string(&Amt { v: 118000 }).unwrap();
        assert_eq!(json, r#"{"v":1180.00}"#);
        assert_eq!(
            serde_json::from_str::<Amt>(r#"{"v":1180}"#).unwrap().v,
            118000
        );
        assert_eq!(serde_json::from_str::<Amt>(r#"{"v":0.1}"#).unwrap().v, 10);
        assert_eq!(
            serde_json::from_str::<Amt>(r#"{"v":"12.34"}"#).unwrap().v,
            1234
        );
        assert!(serde_json::from_str::<Amt>(r#"{"v":0.001}"#).is_err());
    }

    #[test]
    fn div_round_half_up_rounds_halves_up_in_both_widths() {
        for (n, d, want) in [
            (0u128, 7u64, 0u128),
            (14, 4, 4), // 3.5
            (13, 4, 3), // 3.25
            (15, 4, 4), // 3.75
            (5, 1, 5),
            (1, 2, 1),                      // 0.5
            (u64::MAX as u128, 2, 1 << 63), // 2^63 - 0.5 rounds up
            (u128::from(u64::MAX) * 10 + 5, 10, u128::from(u64::MAX) + 1),
            (u128::from(u64::MAX) * 10 + 4, 10, u128::from(u64::MAX)),
            (u128::MAX, u64::MAX, u128::MAX / u128::from(u64::MAX)),
        ] {
            assert_eq!(div_round_half_up(n, d), want, "{n} / {d}");
        }
    }

    #[test]
    fn rupees_to_paise_refuses_sub_paisa_values() {
        assert_eq!(rupees_to_paise(Decimal::new(1005, 1)), Some(10050));
        assert_eq!(rupees_to_paise(Decimal::new(1005, 3)), None);
    }
}
