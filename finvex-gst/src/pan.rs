//! Permanent Account Number.
//!
//! The PAN's own check letter uses an unpublished algorithm, so only the
//! structure `AAAAA9999A` can be enforced.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::GstError;

/// A structurally valid PAN (`[A-Z]{5}[0-9]{4}[A-Z]`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Pan(String);

/// The holder category encoded in the 4th character.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PanHolder {
    Individual,
    Company,
    Huf,
    Firm,
    AssociationOfPersons,
    Trust,
    BodyOfIndividuals,
    LocalAuthority,
    ArtificialJuridicalPerson,
    Government,
    Other,
}

impl Pan {
    pub fn parse(input: &str) -> Result<Self, GstError> {
        let len = input.chars().count();
        if len != 10 {
            return Err(GstError::PanLength {
                field: "pan".into(),
                len,
            });
        }
        for (i, c) in input.chars().enumerate() {
            let (ok, expected) = match i {
                0..=4 | 9 => (c.is_ascii_uppercase(), "an upper-case letter A-Z"),
                _ => (c.is_ascii_digit(), "a digit 0-9"),
            };
            if !ok {
                return Err(GstError::PanStructure {
                    field: "pan".into(),
                    position: i + 1,
                    found: c,
                    expected: expected.into(),
                });
            }
        }
        Ok(Pan(input.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn holder(&self) -> PanHolder {
        match self.0.as_bytes()[3] {
            b'P' => PanHolder::Individual,
            b'C' => PanHolder::Company,
            b'H' => PanHolder::Huf,
            b'F' => PanHolder::Firm,
            b'A' => PanHolder::AssociationOfPersons,
            b'T' => PanHolder::Trust,
            b'B' => PanHolder::BodyOfIndividuals,
            b'L' => PanHolder::LocalAuthority,
            b'J' => PanHolder::ArtificialJuridicalPerson,
            b'G' => PanHolder::Government,
            _ => PanHolder::Other,
        }
    }
}

impl fmt::Display for Pan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for Pan {
    type Err = GstError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Pan::parse(s)
    }
}

impl TryFrom<String> for Pan {
    type Error = GstError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Pan::parse(&s)
    }
}

impl From<Pan> for String {
    fn from(p: Pan) -> String {
        p.0
    }
}

/// What a PAN serialises as: its 10 characters.
impl schemars::JsonSchema for Pan {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Pan".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^[A-Z]{5}[0-9]{4}[A-Z]$",
            "description": "A PAN: five letters, four digits and a letter.",
            "examples": ["AAFCC9980M"]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_valid_pan_and_reads_holder() {
        let p = Pan::parse("AAPFU0939F").unwrap();
        assert_eq!(p.holder(), PanHolder::Firm);
        assert_eq!(
            Pan::parse("AAFCC9980M").unwrap().holder(),
            PanHolder::Company
        );
    }

    #[test]
    fn reports_length_and_position() {
        assert_eq!(
            Pan::parse("AAPFU0939").unwrap_err(),
            GstError::PanLength {
                field: "pan".into(),
                len: 9
            }
        );
        match Pan::parse("AAPF10939F").unwrap_err() {
            GstError::PanStructure {
                position, found, ..
            } => {
                assert_eq!((position, found), (5, '1'));
            }
            e => panic!("unexpected {e:?}"),
        }
        assert!(Pan::parse("aapfu0939f").is_err());
    }
}
