//! ISO 4217 currencies with their minor units (INR 2, JPY 0, KWD 3).

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::Error;

/// (code, minor units). The currencies Indian merchants price in or settle
/// from; each entry is ISO 4217's own exponent.
const CURRENCIES: &[(&str, u8)] = &[
    ("INR", 2),
    ("USD", 2),
    ("EUR", 2),
    ("GBP", 2),
    ("AED", 2),
    ("AUD", 2),
    ("CAD", 2),
    ("CHF", 2),
    ("CNY", 2),
    ("DKK", 2),
    ("HKD", 2),
    ("IDR", 2),
    ("LKR", 2),
    ("MYR", 2),
    ("NOK", 2),
    ("NPR", 2),
    ("NZD", 2),
    ("PHP", 2),
    ("QAR", 2),
    ("SAR", 2),
    ("SEK", 2),
    ("SGD", 2),
    ("THB", 2),
    ("BDT", 2),
    ("ZAR", 2),
    ("JPY", 0),
    ("KRW", 0),
    ("VND", 0),
    ("BHD", 3),
    ("JOD", 3),
    ("KWD", 3),
    ("OMR", 3),
];

/// A supported ISO 4217 currency. Only values from the table above exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Currency {
    code: &'static str,
    minor_units: u8,
}

impl Currency {
    pub const INR: Currency = Currency {
        code: "INR",
        minor_units: 2,
    };

    /// Parses an ISO code, case-insensitively (`"inr"` is INR).
    pub fn parse(raw: &str) -> Result<Currency, Error> {
        let upper = raw.trim().to_ascii_uppercase();
        CURRENCIES
            .iter()
            .find(|(code, _)| *code == upper)
            .map(|&(code, minor_units)| Currency { code, minor_units })
            .ok_or_else(|| {
                Error::validation(
                    "currency",
                    format!("{raw:?} is not a supported ISO 4217 currency code"),
                )
            })
    }

    pub fn code(self) -> &'static str {
        self.code
    }

    /// Digits after the decimal point in the major unit (2 for INR: paise).
    pub fn minor_units(self) -> u8 {
        self.minor_units
    }

    pub fn all() -> impl Iterator<Item = Currency> {
        CURRENCIES
            .iter()
            .map(|&(code, minor_units)| Currency { code, minor_units })
    }
}

impl Default for Currency {
    fn default() -> Self {
        Currency::INR
    }
}

impl std::fmt::Display for Currency {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code)
    }
}

impl Serialize for Currency {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code)
    }
}

impl schemars::JsonSchema for Currency {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Currency".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^[A-Za-z]{3}$",
            "description": "An ISO 4217 currency code, e.g. INR.",
            "examples": ["INR"]
        })
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Currency::parse(&raw).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minor_units_follow_iso_4217() {
        assert_eq!(Currency::parse("INR").unwrap().minor_units(), 2);
        assert_eq!(Currency::parse("jpy").unwrap().minor_units(), 0);
        assert_eq!(Currency::parse("KWD").unwrap().minor_units(), 3);
    }

    #[test]
    fn unknown_codes_name_the_field() {
        let err = Currency::parse("XYZ").unwrap_err();
        assert_eq!(err.field(), Some("currency"));
    }

    #[test]
    fn the_table_has_no_duplicates() {
        let codes: std::collections::HashSet<_> = Currency::all().map(Currency::code).collect();
        assert_eq!(codes.len(), CURRENCIES.len());
    }
}
