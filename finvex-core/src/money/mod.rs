//! Money as integer minor units (paise for INR) with its currency.
//! Never floats: conversions to major units go through `rust_decimal`.

mod amount;
mod currency;

pub use amount::{Amount, Money};
pub use currency::Currency;
