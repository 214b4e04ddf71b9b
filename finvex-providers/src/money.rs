//! Exact conversion between [`Money`] (integer minor units) and the decimal
//! major-unit amounts Cashfree speaks (`499.00` rupees).
//!
//! Never through floats, in either direction:
//!
//! - **Out:** [`DecimalAmount`] serialises as a JSON *number* whose text is
//!   written verbatim, with exactly the currency's decimals (`499.00`, `0.05`).
//!   `serde_json::Number::from_str("499.00")` would go through `f64` and print
//!   `499.0` (this crate does not turn on serde_json's workspace-wide
//!   `arbitrary_precision`), so the number is emitted as a
//!   [`serde_json::value::RawValue`] built from `rust_decimal`'s exact text.
//! - **In:** a JSON number is captured as its raw text (again a `RawValue`,
//!   never `visit_f64`) or read from a JSON string, then parsed by
//!   `rust_decimal`. `499`, `499.5` and `499.00` are all accepted; a value with
//!   more precision than the currency has (`499.005`) is refused rather than
//!   rounded. Trailing zeros past the second decimal (`499.000`) change no value
//!   and are accepted.
//!
//! Only works with serde_json (the raw text is a serde_json feature), which is
//! the only format these adapters and fakes speak.

use std::fmt;
use std::str::FromStr;

use finvex_core::money::{Currency, Money};
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;

/// Why an amount could not be converted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AmountError(pub String);

impl fmt::Display for AmountError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for AmountError {}

/// An exact decimal amount in major units (rupees), as it appears on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DecimalAmount(pub Decimal);

impl DecimalAmount {
    /// `49900` paise → `499.00` (scale = the currency's minor units).
    pub fn from_money(money: Money) -> DecimalAmount {
        DecimalAmount(money.to_major())
    }

    /// Parses the text of a JSON number or a numeric string (`"499.5"`,
    /// `1.2e3`) exactly. Signs, digits, one point and an exponent only.
    pub fn parse(text: &str) -> Result<DecimalAmount, AmountError> {
        let text = text.trim();
        let bad = || AmountError(format!("{text:?} is not a decimal amount"));
        if text.is_empty()
            || !text
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E'))
            || !text.chars().any(|c| c.is_ascii_digit())
        {
            return Err(bad());
        }
        let parsed = if text.contains(['e', 'E']) {
            Decimal::from_scientific(text)
        } else {
            Decimal::from_str(text)
        };
        parsed.map(DecimalAmount).map_err(|_| bad())
    }

    /// Converts to minor units, refusing more decimals than the currency has.
    pub fn to_money(self, currency: Currency) -> Result<Money, AmountError> {
        Money::from_major(self.0, currency).map_err(|e| AmountError(e.to_string()))
    }

    /// The exact text written on the wire (`499.00`).
    pub fn to_wire(self) -> String {
        self.0.to_string()
    }
}

impl fmt::Display for DecimalAmount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// `Money` → the rupee text with exactly the currency's decimals: `499.00`.
pub fn to_major_text(money: Money) -> String {
    DecimalAmount::from_money(money).to_wire()
}

/// `Money` → a JSON number token with exactly the currency's decimals.
pub fn to_json_number(money: Money) -> Box<RawValue> {
    raw_number(DecimalAmount::from_money(money))
}

/// A decimal's text is always a valid JSON number token (`-1.00`, `0.05`).
fn raw_number(amount: DecimalAmount) -> Box<RawValue> {
    RawValue::from_string(amount.to_wire())
        .unwrap_or_else(|_| unreachable!("a decimal's text is a JSON number"))
}

/// Parses a major-unit amount given as text (`"499.5"`) into minor units.
pub fn parse_major(text: &str, currency: Currency) -> Result<Money, AmountError> {
    DecimalAmount::parse(text)?.to_money(currency)
}

/// Parses a JSON number or JSON string token (its raw text) into minor units.
pub fn from_json_token(raw: &RawValue, currency: Currency) -> Result<Money, AmountError> {
    decimal_from_token(raw.get())?.to_money(currency)
}

fn decimal_from_token(token: &str) -> Result<DecimalAmount, AmountError> {
    let token = token.trim();
    if token.starts_with('"') {
        let text: String = serde_json::from_str(token)
            .map_err(|e| AmountError(format!("invalid string amount: {e}")))?;
        DecimalAmount::parse(&text)
    } else {
        DecimalAmount::parse(token)
    }
}

impl Serialize for DecimalAmount {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        raw_number(*self).serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for DecimalAmount {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = Box::<RawValue>::deserialize(deserializer)?;
        decimal_from_token(raw.get()).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[derive(Serialize, Deserialize)]
    struct Body {
        amount: DecimalAmount,
    }

    #[test]
    fn serialises_exactly_two_decimals() {
        let cases = [
            (49_900, "499.00"),
            (49_950, "499.50"),
            (5, "0.05"),
            (0, "0.00"),
            (100, "1.00"),
        ];
        for (paise, text) in cases {
            let json = serde_json::to_string(&Body {
                amount: DecimalAmount::from_money(Money::inr(paise)),
            })
            .unwrap();
            assert_eq!(json, format!("{{\"amount\":{text}}}"));
            assert_eq!(to_json_number(Money::inr(paise)).get(), text);
        }
    }

    #[test]
    fn parses_numbers_and_strings() {
        for (json, paise) in [
            ("499", 49_900),
            ("499.5", 49_950),
            ("499.00", 49_900),
            ("\"499.05\"", 49_905),
            ("0.01", 1),
            ("1.5e2", 15_000),
            ("499.000", 49_900),
            ("123456789012.34", 12_345_678_901_234),
        ] {
            let body: Body = serde_json::from_str(&format!("{{\"amount\":{json}}}")).unwrap();
            assert_eq!(
                body.amount.to_money(Currency::INR).unwrap(),
                Money::inr(paise),
                "{json}"
            );
        }
    }

    #[test]
    fn refuses_more_than_two_decimals_and_junk() {
        assert!(parse_major("499.005", Currency::INR).is_err());
        assert!(parse_major("0.001", Currency::INR).is_err());
        for junk in ["", "abc", "1,000", "NaN", "Infinity", "--", "."] {
            assert!(parse_major(junk, Currency::INR).is_err(), "{junk}");
        }
        assert!(serde_json::from_str::<Body>("{\"amount\":true}").is_err());
        assert!(serde_json::from_str::<Body>("{\"amount\":\"1.234\"}")
            .unwrap()
            .amount
            .to_money(Currency::INR)
            .is_err());
    }

    proptest! {
        #[test]
        fn paise_round_trip_through_rupees(paise in any::<i64>()) {
            let money = Money::inr(paise);
            let json = serde_json::to_string(&Body { amount: DecimalAmount::from_money(money) }).unwrap();
            let text = to_major_text(money);
            let (_, decimals) = text.split_once('.').unwrap();
            prop_assert_eq!(decimals.len(), 2);
            let back: Body = serde_json::from_str(&json).unwrap();
            prop_assert_eq!(back.amount.to_money(Currency::INR).unwrap(), money);
            prop_assert_eq!(parse_major(&text, Currency::INR).unwrap(), money);
        }

        #[test]
        fn two_decimal_strings_parse_exactly(
            rupees in 0u64..10_000_000_000_000,
            fraction in 0u32..100,
            digits in 0usize..3,
        ) {
            let (text, paise) = match digits {
                0 => (rupees.to_string(), rupees as i64 * 100),
                1 => {
                    let tenth = fraction / 10;
                    (format!("{rupees}.{tenth}"), rupees as i64 * 100 + i64::from(tenth) * 10)
                }
                _ => (format!("{rupees}.{fraction:02}"), rupees as i64 * 100 + i64::from(fraction)),
            };
            prop_assert_eq!(parse_major(&text, Currency::INR).unwrap(), Money::inr(paise));
            let body: Body = serde_json::from_str(&format!("{{\"amount\":{text}}}")).unwrap();
            prop_assert_eq!(body.amount.to_money(Currency::INR).unwrap(), Money::inr(paise));
        }

        #[test]
        fn a_third_nonzero_decimal_is_refused(rupees in 0u64..1_000_000, thousandths in 1u32..10) {
            let text = format!("{rupees}.00{thousandths}");
            prop_assert!(parse_major(&text, Currency::INR).is_err());
        }
    }
}
