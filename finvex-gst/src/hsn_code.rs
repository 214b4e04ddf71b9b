//! The HSN (goods) or SAC (services) code on a taxed line.
//!
//! Every line of every [`crate::TaxBreakup`] carries one, so it is held
//! inline: copying it costs no allocation, where a `String` cost a heap
//! allocation and a free per line.

use std::fmt;
use std::ops::Deref;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::GstError;

/// Longest code: 8 digits (the e-invoice `HsnCd` allows 4 to 8; the
/// calculation also accepts the 2-digit chapter).
const MAX_DIGITS: usize = 8;
const MIN_DIGITS: usize = 2;

/// 2 to 8 ASCII digits. Serialises as a JSON string (`"998316"`) and
/// dereferences to `&str`.
///
/// Aligned to 8 so that the digits move as one machine word: built byte by
/// byte in memory, then read back whole, they stalled the CPU's
/// store-to-load forwarding on every line.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(align(8))]
pub struct HsnCode {
    /// The digits, then zero bytes. The length is where the zeros start
    /// (a digit is never zero), and zero sorts before any digit, so the
    /// derived ordering is the ordering of the strings.
    digits: [u8; MAX_DIGITS],
}

impl HsnCode {
    /// Accepts 2 to 8 ASCII digits, nothing else (no trimming).
    pub fn parse(code: &str) -> Result<Self, GstError> {
        let b = code.as_bytes();
        if !(MIN_DIGITS..=MAX_DIGITS).contains(&b.len()) || !b.iter().all(u8::is_ascii_digit) {
            return Err(GstError::invalid("hsn_code", "must be 2 to 8 digits"));
        }
        // Packed in a register (little-endian: first digit in the low byte)
        // and stored once.
        let packed = b
            .iter()
            .rev()
            .fold(0u64, |word, &digit| (word << 8) | u64::from(digit));
        Ok(HsnCode {
            digits: packed.to_le_bytes(),
        })
    }

    pub fn as_str(&self) -> &str {
        let zero_bytes = u64::from_le_bytes(self.digits).leading_zeros() / 8;
        // At most 8 zero bytes, so this is 0..=8.
        let len = MAX_DIGITS - zero_bytes as usize;
        // Only ASCII digits are ever stored.
        std::str::from_utf8(&self.digits[..len]).expect("an HsnCode holds ASCII digits")
    }

    /// A SAC (services) code: chapter 99.
    pub fn is_service(&self) -> bool {
        self.as_str().starts_with("99")
    }
}

impl Deref for HsnCode {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for HsnCode {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq<str> for HsnCode {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for HsnCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// Debug shows the code as the string it was (`"998316"`).
impl fmt::Debug for HsnCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for HsnCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<HsnCode> for String {
    fn from(code: HsnCode) -> String {
        code.as_str().to_string()
    }
}

impl TryFrom<&str> for HsnCode {
    type Error = GstError;
    fn try_from(code: &str) -> Result<Self, GstError> {
        HsnCode::parse(code)
    }
}

impl Serialize for HsnCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for HsnCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let code = String::deserialize(d)?;
        HsnCode::parse(&code).map_err(serde::de::Error::custom)
    }
}

/// Exactly the schema of the `String` it replaced, so API documents do
/// not change.
impl schemars::JsonSchema for HsnCode {
    fn inline_schema() -> bool {
        String::inline_schema()
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        String::schema_name()
    }

    fn schema_id() -> std::borrow::Cow<'static, str> {
        String::schema_id()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        String::json_schema(generator)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_2_to_8_digits_and_reads_back_as_the_string() {
        for ok in ["99", "5205", "998316", "12345678"] {
            let code = HsnCode::parse(ok).unwrap();
            assert_eq!(code.as_str(), ok);
            assert_eq!(code, ok);
            assert_eq!(format!("{code}|{code:?}"), format!("{ok}|{ok:?}"));
            assert_eq!(serde_json::to_string(&code).unwrap(), format!("\"{ok}\""));
            let back: HsnCode = serde_json::from_str(&format!("\"{ok}\"")).unwrap();
            assert_eq!(back, code);
        }
        for bad in ["", "9", "123456789", "99831a", " 9983", "९९"] {
            let e = HsnCode::parse(bad).unwrap_err();
            assert_eq!(e.field(), Some("hsn_code"), "{bad}");
        }
        assert!(serde_json::from_str::<HsnCode>("\"1\"").is_err());
        assert!(HsnCode::parse("998316").unwrap().is_service());
        assert!(!HsnCode::parse("5205").unwrap().is_service());
    }

    #[test]
    fn orders_like_the_strings() {
        let mut codes = ["998316", "12", "120", "5205", "1200", "99"];
        let mut parsed: Vec<HsnCode> = codes.iter().map(|c| HsnCode::parse(c).unwrap()).collect();
        codes.sort();
        parsed.sort();
        let back: Vec<&str> = parsed.iter().map(HsnCode::as_str).collect();
        assert_eq!(back, codes);
    }
}
