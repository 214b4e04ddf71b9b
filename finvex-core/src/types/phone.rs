use super::string_newtype_serde;
use crate::Error;

/// A phone number in E.164 (`+919876543210`). Indian numbers written the
/// local ways (`9876543210`, `09876543210`, `91 98765 43210`) become +91.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Phone(String);

impl Phone {
    pub fn parse(raw: &str) -> Result<Phone, Error> {
        let bad = |why: &str| {
            Error::validation(
                "phone",
                format!("{raw:?} is not a valid phone number: {why}"),
            )
        };
        let has_plus = raw.trim_start().starts_with('+');
        let mut digits = String::with_capacity(16);
        for c in raw.trim().trim_start_matches('+').chars() {
            match c {
                '0'..='9' => digits.push(c),
                ' ' | '-' | '(' | ')' | '.' => {}
                _ => {
                    return Err(bad(
                        "only digits, spaces, dashes and a leading + are allowed",
                    ))
                }
            }
        }
        let indian_mobile = |d: &str| d.len() == 10 && matches!(d.as_bytes()[0], b'6'..=b'9');
        let e164 = if has_plus {
            digits
        } else if indian_mobile(&digits) {
            format!("91{digits}")
        } else if digits.len() == 11 && digits.starts_with('0') && indian_mobile(&digits[1..]) {
            format!("91{}", &digits[1..])
        } else if digits.len() == 12 && digits.starts_with("91") && indian_mobile(&digits[2..]) {
            digits
        } else {
            return Err(bad("use E.164 with a country code, e.g. +919876543210"));
        };
        if !(8..=15).contains(&e164.len()) || e164.starts_with('0') {
            return Err(bad(
                "E.164 numbers have 8 to 15 digits after + and no leading zero",
            ));
        }
        if e164.starts_with("91") && e164.len() != 12 {
            return Err(bad("Indian numbers have 10 digits after +91"));
        }
        Ok(Phone(format!("+{e164}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

string_newtype_serde!(Phone);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indian_numbers_are_normalised_to_plus_91() {
        for raw in [
            "+919876543210",
            "9876543210",
            "09876543210",
            "91 98765 43210",
            "+91-98765-43210",
        ] {
            assert_eq!(
                Phone::parse(raw).unwrap().as_str(),
                "+919876543210",
                "{raw}"
            );
        }
    }

    #[test]
    fn foreign_e164_numbers_are_kept() {
        assert_eq!(
            Phone::parse("+1 (415) 555-2671").unwrap().as_str(),
            "+14155552671"
        );
    }

    #[test]
    fn junk_is_rejected() {
        for raw in [
            "",
            "12345",
            "abc",
            "+0123456789",
            "+1234567890123456",
            "5876543210",
        ] {
            assert_eq!(
                Phone::parse(raw).unwrap_err().field(),
                Some("phone"),
                "{raw}"
            );
        }
    }
}
