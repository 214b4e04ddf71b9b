//! `Amount` (signed integer minor units) and `Money` (an amount in a currency).

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use super::Currency;
use crate::Error;

/// An amount in minor units of some currency (paise for INR). Serialised as a
/// bare JSON integer: `"amount": 50000` is Rs 500.00.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(transparent)]
pub struct Amount(i64);

impl Amount {
    pub const ZERO: Amount = Amount(0);

    pub const fn from_minor(minor: i64) -> Self {
        Amount(minor)
    }

    pub const fn minor(self) -> i64 {
        self.0
    }

    pub fn checked_add(self, other: Amount) -> Result<Amount, Error> {
        self.0.checked_add(other.0).map(Amount).ok_or_else(overflow)
    }

    pub fn checked_sub(self, other: Amount) -> Result<Amount, Error> {
        self.0.checked_sub(other.0).map(Amount).ok_or_else(overflow)
    }

    pub fn checked_mul(self, factor: i64) -> Result<Amount, Error> {
        self.0.checked_mul(factor).map(Amount).ok_or_else(overflow)
    }

    /// `self * rate`, rounded half away from zero to a whole minor unit.
    /// Rates and percentages are decimals; money stays integral.
    pub fn mul_decimal(self, rate: Decimal) -> Result<Amount, Error> {
        let product = Decimal::from(self.0)
            .checked_mul(rate)
            .ok_or_else(overflow)?
            .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero);
        i64::try_from(product).map(Amount).map_err(|_| overflow())
    }

    /// An amount that must be strictly positive, as every charge is.
    pub fn positive(minor: i64, field: &'static str) -> Result<Amount, Error> {
        if minor <= 0 {
            return Err(Error::validation(field, format!("{field} must be a positive integer in the currency's minor unit (paise for INR)")));
        }
        Ok(Amount(minor))
    }
}

fn overflow() -> Error {
    Error::validation("amount", "amount is out of range")
}

/// An amount together with its currency. Arithmetic is checked: overflow and
/// mixing currencies are errors, never a wrap or a silent conversion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Money {
    pub amount: Amount,
    pub currency: Currency,
}

impl Money {
    pub fn new(amount: Amount, currency: Currency) -> Self {
        Money { amount, currency }
    }

    pub fn inr(paise: i64) -> Self {
        Money::new(Amount(paise), Currency::INR)
    }

    pub fn zero(currency: Currency) -> Self {
        Money::new(Amount::ZERO, currency)
    }

    pub fn checked_add(self, other: Money) -> Result<Money, Error> {
        self.same_currency(other)?;
        Ok(Money::new(
            self.amount.checked_add(other.amount)?,
            self.currency,
        ))
    }

    pub fn checked_sub(self, other: Money) -> Result<Money, Error> {
        self.same_currency(other)?;
        Ok(Money::new(
            self.amount.checked_sub(other.amount)?,
            self.currency,
        ))
    }

    fn same_currency(self, other: Money) -> Result<(), Error> {
        if self.currency != other.currency {
            return Err(Error::validation(
                "currency",
                format!("cannot combine {} with {}", self.currency, other.currency),
            ));
        }
        Ok(())
    }

    /// The amount in major units, exactly (`50000` paise is `500.00`).
    pub fn to_major(self) -> Decimal {
        Decimal::new(self.amount.0, u32::from(self.currency.minor_units()))
    }

    /// Converts a major-unit decimal (`"500.00"` rupees) to minor units.
    /// Refuses more precision than the currency has instead of rounding money away.
    pub fn from_major(major: Decimal, currency: Currency) -> Result<Money, Error> {
        let scale = u32::from(currency.minor_units());
        let normalized = major.normalize();
        if normalized.scale() > scale {
            return Err(Error::validation(
                "amount",
                format!("{major} has more than {scale} decimal places for {currency}"),
            ));
        }
        let minor = normalized
            .checked_mul(Decimal::from(10_i64.pow(scale)))
            .ok_or_else(overflow)?;
        i64::try_from(minor)
            .map(|m| Money::new(Amount(m), currency))
            .map_err(|_| overflow())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::str::FromStr;

    #[test]
    fn serialises_as_integer_minor_units() {
        let json = serde_json::to_string(&Money::inr(50_000)).unwrap();
        assert_eq!(json, r#"{"amount":50000,"currency":"INR"}"#);
    }

    #[test]
    fn overflow_is_an_error_not_a_wrap() {
        assert!(Amount::from_minor(i64::MAX)
            .checked_add(Amount::from_minor(1))
            .is_err());
        assert!(Amount::from_minor(i64::MIN)
            .checked_sub(Amount::from_minor(1))
            .is_err());
        assert!(Amount::from_minor(i64::MAX).checked_mul(2).is_err());
    }

    #[test]
    fn mixing_currencies_is_refused() {
        let usd = Money::new(Amount::from_minor(1), Currency::parse("USD").unwrap());
        assert!(Money::inr(1).checked_add(usd).is_err());
    }

    #[test]
    fn major_units_respect_the_currency_exponent() {
        assert_eq!(Money::inr(50_000).to_major().to_string(), "500.00");
        let jpy = Currency::parse("JPY").unwrap();
        assert_eq!(
            Money::new(Amount::from_minor(500), jpy)
                .to_major()
                .to_string(),
            "500"
        );
        let kwd = Currency::parse("KWD").unwrap();
        assert_eq!(
            Money::new(Amount::from_minor(1_234), kwd)
                .to_major()
                .to_string(),
            "1.234"
        );
    }

    #[test]
    fn from_major_refuses_sub_minor_precision() {
        assert!(Money::from_major(Decimal::from_str("10.005").unwrap(), Currency::INR).is_err());
        assert_eq!(
            Money::from_major(Decimal::from_str("10.50").unwrap(), Currency::INR).unwrap(),
            Money::inr(1_050)
        );
    }

    #[test]
    fn mul_decimal_rounds_half_away_from_zero() {
        let rate = Decimal::from_str("0.09").unwrap();
        assert_eq!(
            Amount::from_minor(50).mul_decimal(rate).unwrap(),
            Amount::from_minor(5)
        ); // 4.5 -> 5
        assert_eq!(
            Amount::from_minor(-50).mul_decimal(rate).unwrap(),
            Amount::from_minor(-5)
        );
    }

    #[test]
    fn positive_amounts_only() {
        assert!(Amount::positive(0, "amount").is_err());
        assert!(Amount::positive(-1, "amount").is_err());
        assert_eq!(Amount::positive(1, "amount").unwrap().minor(), 1);
    }

    proptest! {
        #[test]
        fn major_minor_round_trip(minor in -10_000_000_000_000i64..10_000_000_000_000i64) {
            for currency in Currency::all() {
                let money = Money::new(Amount::from_minor(minor), currency);
                prop_assert_eq!(Money::from_major(money.to_major(), currency).unwrap(), money);
            }
        }

        #[test]
        fn checked_add_matches_i128(a in any::<i64>(), b in any::<i64>()) {
            let exact = i128::from(a) + i128::from(b);
            match Amount::from_minor(a).checked_add(Amount::from_minor(b)) {
                Ok(sum) => prop_assert_eq!(i128::from(sum.minor()), exact),
                Err(_) => prop_assert!(exact > i128::from(i64::MAX) || exact < i128::from(i64::MIN)),
            }
        }
    }
}
