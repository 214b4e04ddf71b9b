//! Indian GST state codes.
//!
//! The numeric code is what every government JSON uses (GSTIN prefix,
//! e-invoice `Stcd`/`Pos`, GSTR-1 `pos`), but people type letters ("KA") or
//! names. Letter codes differ between sources, so parsing accepts the
//! canonical letters, known aliases and names, and always stores the number.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::GstError;

/// How the territory is governed, which decides SGST versus UTGST.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StateKind {
    State,
    /// Treated as a State for GST (CGST Act s.2(103)): SGST applies.
    UtWithLegislature,
    /// UTGST applies instead of SGST (UTGST Act s.2(8)).
    UtWithoutLegislature,
    /// Codes still valid in old documents but not for new registrations (25, 28).
    Legacy,
    /// Code 96: place of supply outside India. Never a GSTIN prefix.
    ForeignCountry,
    /// Code 99: Centre jurisdiction, a GSTIN prefix only (e.g. OIDAR).
    CentreJurisdiction,
}

struct StateInfo {
    code: u8,
    name: &'static str,
    alpha: Option<&'static str>,
    aliases: &'static [&'static str],
    names: &'static [&'static str],
    kind: StateKind,
}

use StateKind::{
    CentreJurisdiction, ForeignCountry, Legacy, UtWithLegislature, UtWithoutLegislature,
};
const ST: StateKind = StateKind::State;

const fn s(
    code: u8,
    name: &'static str,
    alpha: Option<&'static str>,
    aliases: &'static [&'static str],
    names: &'static [&'static str],
    kind: StateKind,
) -> StateInfo {
    StateInfo {
        code,
        name,
        alpha,
        aliases,
        names,
        kind,
    }
}

/// The state table (research note §2). "DD" resolves to 26 because code 25
/// merged into it on 26-01-2020 and is not issued any more.
static STATES: &[StateInfo] = &[
    s(
        1,
        "Jammu and Kashmir",
        Some("JK"),
        &[],
        &[],
        UtWithLegislature,
    ),
    s(2, "Himachal Pradesh", Some("HP"), &[], &[], ST),
    s(3, "Punjab", Some("PB"), &[], &[], ST),
    s(4, "Chandigarh", Some("CH"), &[], &[], UtWithoutLegislature),
    s(
        5,
        "Uttarakhand",
        Some("UK"),
        &["UT", "UA"],
        &["uttaranchal"],
        ST,
    ),
    s(6, "Haryana", Some("HR"), &[], &[], ST),
    s(
        7,
        "Delhi",
        Some("DL"),
        &[],
        &["new delhi", "nct of delhi"],
        UtWithLegislature,
    ),
    s(8, "Rajasthan", Some("RJ"), &[], &[], ST),
    s(9, "Uttar Pradesh", Some("UP"), &[], &[], ST),
    s(10, "Bihar", Some("BR"), &["BH"], &[], ST),
    s(11, "Sikkim", Some("SK"), &[], &[], ST),
    s(12, "Arunachal Pradesh", Some("AR"), &[], &[], ST),
    s(13, "Nagaland", Some("NL"), &[], &[], ST),
    s(14, "Manipur", Some("MN"), &[], &[], ST),
    s(15, "Mizoram", Some("MZ"), &["MI"], &[], ST),
    s(16, "Tripura", Some("TR"), &[], &[], ST),
    s(17, "Meghalaya", Some("ML"), &["ME"], &[], ST),
    s(18, "Assam", Some("AS"), &[], &[], ST),
    s(19, "West Bengal", Some("WB"), &[], &[], ST),
    s(20, "Jharkhand", Some("JH"), &[], &[], ST),
    s(21, "Odisha", Some("OD"), &["OR"], &["orissa"], ST),
    s(
        22,
        "Chhattisgarh",
        Some("CG"),
        &["CT"],
        &["chattisgarh"],
        ST,
    ),
    s(23, "Madhya Pradesh", Some("MP"), &[], &[], ST),
    s(24, "Gujarat", Some("GJ"), &[], &[], ST),
    s(25, "Daman and Diu", None, &[], &[], Legacy),
    s(
        26,
        "Dadra and Nagar Haveli and Daman and Diu",
        Some("DN"),
        &["DH", "DNHDD", "DD"],
        &["dadra and nagar haveli"],
        UtWithoutLegislature,
    ),
    s(27, "Maharashtra", Some("MH"), &[], &[], ST),
    s(
        28,
        "Andhra Pradesh (before division)",
        None,
        &[],
        &[],
        Legacy,
    ),
    s(29, "Karnataka", Some("KA"), &[], &[], ST),
    s(30, "Goa", Some("GA"), &[], &[], ST),
    s(
        31,
        "Lakshadweep",
        Some("LD"),
        &[],
        &[],
        UtWithoutLegislature,
    ),
    s(32, "Kerala", Some("KL"), &[], &[], ST),
    s(33, "Tamil Nadu", Some("TN"), &[], &[], ST),
    s(
        34,
        "Puducherry",
        Some("PY"),
        &[],
        &["pondicherry"],
        UtWithLegislature,
    ),
    s(
        35,
        "Andaman and Nicobar Islands",
        Some("AN"),
        &[],
        &["andaman and nicobar"],
        UtWithoutLegislature,
    ),
    s(36, "Telangana", Some("TS"), &["TG"], &[], ST),
    s(37, "Andhra Pradesh", Some("AP"), &["AD"], &[], ST),
    s(38, "Ladakh", Some("LA"), &[], &[], UtWithoutLegislature),
    s(
        96,
        "Other Countries",
        None,
        &[],
        &["foreign", "outside india"],
        ForeignCountry,
    ),
    s(
        97,
        "Other Territory",
        Some("OT"),
        &[],
        &[],
        UtWithoutLegislature,
    ),
    s(
        99,
        "Centre Jurisdiction",
        None,
        &[],
        &[],
        CentreJurisdiction,
    ),
];

/// A GST state or UT, stored as its numeric code.
///
/// Serialises as the 2-digit string used in government JSON (`"29"`);
/// deserialises from any form [`State::parse`] accepts, so API clients may
/// send `"KA"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct State(u8);

impl State {
    /// Place of supply outside India (exports).
    pub const FOREIGN: State = State(96);

    /// From the numeric code (1..=38, 96, 97, 99).
    pub fn from_code(code: u8) -> Result<Self, GstError> {
        if info(code).is_some() {
            Ok(State(code))
        } else {
            Err(GstError::UnknownState {
                field: "state".into(),
                input: format!("{code:02}"),
            })
        }
    }

    /// Accepts "29" / "9", a GSTIN (uses its first two digits), "KA" or an
    /// alias, or the name ("Karnataka", case and `&`/`and` insensitive).
    pub fn parse(input: &str) -> Result<Self, GstError> {
        let unknown = || GstError::UnknownState {
            field: "state".into(),
            input: input.chars().take(60).collect(),
        };
        let t = input.trim();
        if t.is_empty() || t.len() > 60 {
            return Err(unknown());
        }
        let b = t.as_bytes();
        if b.iter().all(u8::is_ascii_digit) && b.len() <= 2 {
            return t
                .parse::<u8>()
                .map_err(|_| unknown())
                .and_then(|c| Self::from_code(c).map_err(|_| unknown()));
        }
        if b.len() == 15 && b[0].is_ascii_digit() && b[1].is_ascii_digit() {
            return Self::from_code((b[0] - b'0') * 10 + (b[1] - b'0')).map_err(|_| unknown());
        }
        let upper = t.to_ascii_uppercase();
        if let Some(i) = STATES
            .iter()
            .find(|i| i.alpha == Some(upper.as_str()) || i.aliases.contains(&upper.as_str()))
        {
            return Ok(State(i.code));
        }
        let wanted = normalise_name(t);
        STATES
            .iter()
            .find(|i| normalise_name(i.name) == wanted || i.names.contains(&wanted.as_str()))
            .map(|i| State(i.code))
            .ok_or_else(unknown)
    }

    pub fn code(&self) -> u8 {
        self.0
    }

    /// The 2-digit code as used in JSON ("07").
    pub fn code_str(&self) -> String {
        format!("{:02}", self.0)
    }

    pub fn name(&self) -> &'static str {
        self.info().name
    }

    /// Canonical letters, if the territory has any.
    pub fn alpha(&self) -> Option<&'static str> {
        self.info().alpha
    }

    pub fn kind(&self) -> StateKind {
        self.info().kind
    }

    /// Intra-territory supplies here are CGST + UTGST rather than CGST + SGST.
    pub fn uses_utgst(&self) -> bool {
        matches!(self.info().kind, UtWithoutLegislature) || self.0 == 25 // legacy Daman and Diu was a UT without legislature too
    }

    /// Whether a GSTIN can begin with this code (96 "Other Countries" cannot).
    pub fn is_gstin_prefix(&self) -> bool {
        self.0 != 96
    }

    /// Whether a supplier can be located here for tax purposes. 96 is abroad
    /// and 99 is an administrative jurisdiction, not a location.
    pub fn check_supplier_location(&self) -> Result<(), GstError> {
        match self.0 {
            96 | 99 => Err(GstError::StateNotAllowed {
                field: "seller_state".into(),
                code: self.code_str(),
                reason: format!("{} is not a supplier location in India", self.name()),
            }),
            _ => Ok(()),
        }
    }

    fn info(&self) -> &'static StateInfo {
        // Invariant: constructors only admit codes present in STATES.
        info(self.0).expect("State holds a code from the table")
    }
}

fn info(code: u8) -> Option<&'static StateInfo> {
    STATES.iter().find(|i| i.code == code)
}

fn normalise_name(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s
        .to_ascii_lowercase()
        .replace('&', " and ")
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}", self.0)
    }
}

impl FromStr for State {
    type Err = GstError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        State::parse(s)
    }
}

impl TryFrom<String> for State {
    type Error = GstError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        State::parse(&s)
    }
}

impl From<State> for String {
    fn from(s: State) -> String {
        s.code_str()
    }
}

/// A state serialises as its 2-digit code; requests may also name it by
/// its letters or its name.
impl schemars::JsonSchema for State {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "State".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "minLength": 1,
            "maxLength": 60,
            "description": "A GST state or union territory. Answers give its 2-digit code (`\"29\"`); requests may also give the code, its letters (`\"KA\"`) or its name (`\"Karnataka\"`).",
            "examples": ["29", "KA"]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_accepted_form_to_the_numeric_code() {
        for input in [
            "29",
            "KA",
            "ka",
            "Karnataka",
            " karnataka ",
            "29AAFCC9980M1ZR",
        ] {
            assert_eq!(State::parse(input).unwrap().code(), 29, "{input}");
        }
        assert_eq!(State::parse("7").unwrap().code(), 7);
        assert_eq!(State::parse("MH").unwrap().code(), 27);
        assert_eq!(State::parse("OR").unwrap().code(), 21);
        assert_eq!(State::parse("TG").unwrap().code(), 36);
        assert_eq!(
            State::parse("Andaman & Nicobar Islands").unwrap().code(),
            35
        );
        assert_eq!(State::parse("DD").unwrap().code(), 26);
        assert_eq!(State::parse("orissa").unwrap().code(), 21);
    }

    #[test]
    fn unknown_state_is_a_precise_error() {
        for bad in ["00", "39", "95", "XX", "Atlantis", "", "123"] {
            let e = State::parse(bad).unwrap_err();
            assert_eq!(e.code(), "unknown_state", "{bad}");
        }
        let e = State::parse("ZZ").unwrap_err();
        assert!(e.to_string().contains("'ZZ'"));
    }

    #[test]
    fn utgst_territories_are_exactly_the_uts_without_legislature() {
        let utgst: Vec<u8> = STATES
            .iter()
            .map(|i| State(i.code))
            .filter(State::uses_utgst)
            .map(|s| s.code())
            .collect();
        assert_eq!(utgst, vec![4, 25, 26, 31, 35, 38, 97]);
        // Delhi, Puducherry and J&K have legislatures: SGST.
        for c in [1, 7, 34] {
            assert!(!State::from_code(c).unwrap().uses_utgst());
        }
    }

    #[test]
    fn serialises_as_two_digit_code_and_reads_letters() {
        let s: State = serde_json::from_str("\"KA\"").unwrap();
        assert_eq!(serde_json::to_string(&s).unwrap(), "\"29\"");
        let s: State = serde_json::from_str("\"04\"").unwrap();
        assert_eq!(s.name(), "Chandigarh");
        assert_eq!(s.alpha(), Some("CH"));
    }

    #[test]
    fn foreign_and_centre_codes_cannot_be_seller_locations() {
        assert!(State::FOREIGN.check_supplier_location().is_err());
        assert!(State::from_code(99)
            .unwrap()
            .check_supplier_location()
            .is_err());
        assert!(State::from_code(29)
            .unwrap()
            .check_supplier_location()
            .is_ok());
        assert!(!State::FOREIGN.is_gstin_prefix());
    }
}
