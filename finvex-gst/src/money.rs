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
    fn rupees_to_paise_refuses_sub_paisa_values() {
        assert_eq!(rupees_to_paise(Decimal::new(1005, 1)), Some(10050));
        assert_eq!(rupees_to_paise(Decimal::new(1005, 3)), None);
    }
}
