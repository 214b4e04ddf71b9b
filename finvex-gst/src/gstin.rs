//! GSTIN: the 15-character GST registration number.
//!
//! Layout: 2-digit state code, 10-character PAN (or TAN/other ID), entity
//! number, a category letter, and a mod-36 check character. The check
//! character catches every single-character typo, which is why it is verified
//! before any GSTIN enters the system.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::GstError;
use crate::pan::Pan;
use crate::state::State;

const CHARSET: &[u8; 36] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/// The registration category, told apart by the GSTN layout it matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GstinKind {
    /// Normal taxpayer: `99AAAAA9999A1Z9` (14th char Z, 1-9, A, B, D-J).
    Regular,
    /// Tax deductor at source (14th char D; the ID is a TAN).
    Tds,
    /// E-commerce operator collecting tax (14th char C).
    Tcs,
    /// Government department ID.
    Government,
    /// Non-resident taxable person (`..NR.`).
    NonResident,
    /// Foreign online service supplier (`99..OS.`).
    Oidar,
    /// UN bodies and embassies (`..UN.` / `..ON.`).
    Uin,
}

/// A GSTIN whose layout, state code and check character have been verified.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Gstin {
    value: String,
    kind: GstinKind,
}

#[derive(Clone, Copy)]
enum Class {
    Digit,
    Letter,
    Alnum,
    /// `[1-9A-Z]`
    EntityNo,
    /// `[Z1-9ABD-J]`
    RegularCategory,
    Exact(u8),
    OneOf(&'static [u8]),
}

impl Class {
    fn matches(self, c: u8) -> bool {
        match self {
            Class::Digit => c.is_ascii_digit(),
            Class::Letter => c.is_ascii_uppercase(),
            Class::Alnum => c.is_ascii_digit() || c.is_ascii_uppercase(),
            Class::EntityNo => (b'1'..=b'9').contains(&c) || c.is_ascii_uppercase(),
            Class::RegularCategory => {
                c == b'Z' || (b'1'..=b'9').contains(&c) || b"ABDEFGHIJ".contains(&c)
            }
            Class::Exact(e) => c == e,
            Class::OneOf(set) => set.contains(&c),
        }
    }

    fn describe(self) -> String {
        match self {
            Class::Digit => "a digit 0-9".into(),
            Class::Letter => "an upper-case letter A-Z".into(),
            Class::Alnum => "a digit or upper-case letter".into(),
            Class::EntityNo => "an entity number 1-9 or A-Z".into(),
            Class::RegularCategory => "'Z' (or 1-9, A, B, D-J)".into(),
            Class::Exact(e) => format!("'{}'", e as char),
            Class::OneOf(set) => {
                let v: Vec<String> = set.iter().map(|c| format!("'{}'", *c as char)).collect();
                format!("one of {}", v.join(", "))
            }
        }
    }
}

use Class::*;

/// GSTN layouts (india-compliance copies of the portal regexes), most common
/// first so that error messages describe the layout users usually mean.
static LAYOUTS: &[(GstinKind, [Class; 14])] = &[
    (
        GstinKind::Regular,
        [
            Digit,
            Digit,
            Letter,
            Letter,
            Letter,
            Letter,
            Letter,
            Digit,
            Digit,
            Digit,
            Digit,
            Letter,
            EntityNo,
            RegularCategory,
        ],
    ),
    (
        GstinKind::Tcs,
        [
            Digit,
            Digit,
            Letter,
            Letter,
            Letter,
            Letter,
            Letter,
            Digit,
            Digit,
            Digit,
            Digit,
            Letter,
            EntityNo,
            Exact(b'C'),
        ],
    ),
    (
        GstinKind::Tds,
        [
            Digit,
            Digit,
            Letter,
            Letter,
            Letter,
            Letter,
            Alnum,
            Digit,
            Digit,
            Digit,
            Digit,
            Letter,
            EntityNo,
            Exact(b'D'),
        ],
    ),
    (
        GstinKind::Government,
        [
            Digit,
            Digit,
            Letter,
            Letter,
            Letter,
            Letter,
            Digit,
            Digit,
            Digit,
            Digit,
            Digit,
            Letter,
            Digit,
            Exact(b'Z'),
        ],
    ),
    (
        GstinKind::NonResident,
        [
            Digit,
            Digit,
            Digit,
            Digit,
            Letter,
            Letter,
            Letter,
            Digit,
            Digit,
            Digit,
            Digit,
            Digit,
            Exact(b'N'),
            Exact(b'R'),
        ],
    ),
    (
        GstinKind::Oidar,
        [
            Exact(b'9'),
            Exact(b'9'),
            Digit,
            Digit,
            Letter,
            Letter,
            Letter,
            Digit,
            Digit,
            Digit,
            Digit,
            Digit,
            Exact(b'O'),
            Exact(b'S'),
        ],
    ),
    (
        GstinKind::Uin,
        [
            Digit,
            Digit,
            Digit,
            Digit,
            Letter,
            Letter,
            Letter,
            Digit,
            Digit,
            Digit,
            Digit,
            Digit,
            OneOf(b"UO"),
            Exact(b'N'),
        ],
    ),
];

/// Computes the mod-36 check character for the first 14 characters of a GSTIN.
///
/// Weights alternate 1, 2 from the left; each product contributes the sum of
/// its two base-36 digits. Only `[0-9A-Z]` is accepted.
pub fn gstin_check_char(first14: &str) -> Result<char, GstError> {
    let b = first14.as_bytes();
    if b.len() != 14 {
        return Err(GstError::GstinLength {
            field: "gstin".into(),
            len: first14.chars().count() + 1,
        });
    }
    let mut sum: u32 = 0;
    for (i, &c) in b.iter().enumerate() {
        let value =
            CHARSET
                .iter()
                .position(|&x| x == c)
                .ok_or_else(|| GstError::GstinStructure {
                    field: "gstin".into(),
                    position: i + 1,
                    found: c as char,
                    expected: Class::Alnum.describe(),
                })? as u32;
        let weight = if i % 2 == 0 { 1 } else { 2 };
        let p = value * weight;
        sum += p / 36 + p % 36;
    }
    let check = (36 - sum % 36) % 36;
    Ok(CHARSET[check as usize] as char)
}

/// A GSTIN is exactly 15 characters, all of them single bytes.
fn check_length(input: &str) -> Result<(), GstError> {
    let len = input.chars().count();
    if len != 15 || input.len() != 15 {
        return Err(GstError::GstinLength {
            field: "gstin".into(),
            len,
        });
    }
    Ok(())
}

/// The first two characters are digits naming a state that issues GSTINs.
/// `input` is 15 single-byte characters.
fn check_state_code(input: &str) -> Result<(), GstError> {
    let b = input.as_bytes();
    if !(b[0].is_ascii_digit() && b[1].is_ascii_digit()) {
        let (pos, c) = if b[0].is_ascii_digit() {
            (2, b[1])
        } else {
            (1, b[0])
        };
        return Err(GstError::GstinStructure {
            field: "gstin".into(),
            position: pos,
            found: c as char,
            expected: "a digit 0-9 (state code)".into(),
        });
    }
    let code = (b[0] - b'0') * 10 + (b[1] - b'0');
    match State::from_code(code) {
        Ok(s) if s.is_gstin_prefix() => Ok(()),
        _ => Err(GstError::GstinState {
            field: "gstin".into(),
            code: input[..2].to_string(),
        }),
    }
}

/// The kind of the first layout the first 14 bytes match.
fn match_layout(b: &[u8]) -> Result<GstinKind, GstError> {
    // Pick the layout that matches; if none does, report the first
    // mismatch of the layout that got furthest.
    let mut best: Option<(usize, Class)> = None;
    for (k, layout) in LAYOUTS {
        match layout.iter().zip(b).position(|(cls, &c)| !cls.matches(c)) {
            None => return Ok(*k),
            Some(pos) => {
                if best.is_none_or(|(p, _)| pos > p) {
                    best = Some((pos, layout[pos]));
                }
            }
        }
    }
    let (pos, cls) = best.expect("at least one layout was tried");
    Err(GstError::GstinStructure {
        field: "gstin".into(),
        position: pos + 1,
        found: b[pos] as char,
        expected: cls.describe(),
    })
}

/// The 15th character is alphanumeric and the check character of the
/// first 14.
fn check_last_char(input: &str) -> Result<(), GstError> {
    let b = input.as_bytes();
    if !Class::Alnum.matches(b[14]) {
        return Err(GstError::GstinStructure {
            field: "gstin".into(),
            position: 15,
            found: b[14] as char,
            expected: Class::Alnum.describe(),
        });
    }
    let expected = gstin_check_char(&input[..14])?;
    if b[14] as char != expected {
        return Err(GstError::GstinChecksum {
            field: "gstin".into(),
            found: b[14] as char,
            expected,
        });
    }
    Ok(())
}

impl Gstin {
    /// Parses and fully verifies a GSTIN. Input must already be upper case;
    /// the check character is defined over upper-case text only.
    pub fn parse(input: &str) -> Result<Self, GstError> {
        check_length(input)?;
        check_state_code(input)?;
        let kind = match_layout(input.as_bytes())?;
        check_last_char(input)?;
        Ok(Gstin {
            value: input.to_string(),
            kind,
        })
    }

    pub fn as_str(&self) -> &str {
        &self.value
    }

    pub fn kind(&self) -> GstinKind {
        self.kind
    }

    /// The registration state (first two digits). For OIDAR GSTINs this is 99.
    pub fn state(&self) -> State {
        let b = self.value.as_bytes();
        State::from_code((b[0] - b'0') * 10 + (b[1] - b'0'))
            .expect("state code verified at parse time")
    }

    /// The holder's PAN (characters 3-12) for layouts that embed one;
    /// TDS, NRI, OIDAR and UIN registrations carry other identifiers.
    pub fn pan(&self) -> Option<Pan> {
        match self.kind {
            GstinKind::Regular | GstinKind::Tcs => Pan::parse(&self.value[2..12]).ok(),
            _ => None,
        }
    }
}

impl fmt::Display for Gstin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.value)
    }
}

impl FromStr for Gstin {
    type Err = GstError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Gstin::parse(s)
    }
}

impl TryFrom<String> for Gstin {
    type Error = GstError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Gstin::parse(&s)
    }
}

impl From<Gstin> for String {
    fn from(g: Gstin) -> String {
        g.value
    }
}

/// What a GSTIN serialises as: its 15 characters.
impl schemars::JsonSchema for Gstin {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Gstin".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "minLength": 15,
            "maxLength": 15,
            "pattern": "^[0-9]{2}[0-9A-Z]{13}$",
            "description": "A GSTIN: 2-digit state code, PAN (or other ID), entity number, category and a mod-36 check character.",
            "examples": ["29AAFCC9980M1ZR"]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn research_test_vectors() {
        for ok in ["27AAPFU0939F1ZV", "29AAFCC9980M1ZR", "24AANFA2641L1ZF"] {
            let g = Gstin::parse(ok).unwrap();
            assert_eq!(g.kind(), GstinKind::Regular);
        }
        assert_eq!(
            Gstin::parse("29ABCDE1234F1Z5").unwrap_err(),
            GstError::GstinChecksum {
                field: "gstin".into(),
                found: '5',
                expected: 'W'
            }
        );
        assert_eq!(
            Gstin::parse("37ARZPT4384Q1MT").unwrap_err().code(),
            "gstin_structure"
        );
        assert!(Gstin::parse("01AMBPG7773M002").is_err());
    }

    #[test]
    fn worked_example_check_char_is_v() {
        assert_eq!(gstin_check_char("27AAPFU0939F1Z").unwrap(), 'V');
        assert_eq!(gstin_check_char("29ABCDE1234F1Z").unwrap(), 'W');
    }

    #[test]
    fn exposes_state_and_pan() {
        let g = Gstin::parse("27AAPFU0939F1ZV").unwrap();
        assert_eq!(g.state().code(), 27);
        assert_eq!(g.pan().unwrap().as_str(), "AAPFU0939F");
        assert_eq!(serde_json::to_string(&g).unwrap(), "\"27AAPFU0939F1ZV\"");
    }

    #[test]
    fn errors_say_exactly_what_is_wrong() {
        assert_eq!(
            Gstin::parse("27AAPFU0939F1Z").unwrap_err(),
            GstError::GstinLength {
                field: "gstin".into(),
                len: 14
            }
        );
        assert_eq!(
            Gstin::parse("00AAPFU0939F1ZV").unwrap_err(),
            GstError::GstinState {
                field: "gstin".into(),
                code: "00".into()
            }
        );
        assert_eq!(
            Gstin::parse("96AAPFU0939F1ZV").unwrap_err().code(),
            "gstin_state"
        );
        match Gstin::parse("27AA1FU0939F1ZV").unwrap_err() {
            GstError::GstinStructure {
                position,
                found,
                expected,
                ..
            } => assert_eq!(
                (position, found, expected.as_str()),
                (5, '1', "an upper-case letter A-Z")
            ),
            e => panic!("unexpected {e:?}"),
        }
        assert_eq!(
            Gstin::parse("27aapfu0939f1zv").unwrap_err().code(),
            "gstin_structure"
        );
    }

    #[test]
    fn other_layouts_are_recognised() {
        let tcs14 = "27AAPFU0939F1C";
        let tcs = format!("{tcs14}{}", gstin_check_char(tcs14).unwrap());
        assert_eq!(Gstin::parse(&tcs).unwrap().kind(), GstinKind::Tcs);
        let oidar14 = "9917USA29001OS";
        let oidar = format!("{oidar14}{}", gstin_check_char(oidar14).unwrap());
        let g = Gstin::parse(&oidar).unwrap();
        assert_eq!(g.kind(), GstinKind::Oidar);
        assert!(g.pan().is_none());
        assert_eq!(g.state().code(), 99);
    }
}
