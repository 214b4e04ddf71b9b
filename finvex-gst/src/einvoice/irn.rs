//! Document identity: document type and number, financial year and the IRN.
//!
//! The IRN is SHA-256 over `SellerGstin + FY + DocType + DocNo` exactly as
//! sent (verified against NIC sandbox responses, research §4.4), so it can be
//! computed before calling the IRP and used to detect duplicates.

use std::fmt;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::date::Date;
use crate::error::GstError;
use crate::gstin::Gstin;

/// E-invoice document type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum DocType {
    /// Tax invoice.
    #[serde(rename = "INV")]
    Invoice,
    /// Credit note.
    #[serde(rename = "CRN")]
    CreditNote,
    /// Debit note.
    #[serde(rename = "DBN")]
    DebitNote,
}

impl DocType {
    pub fn as_str(&self) -> &'static str {
        match self {
            DocType::Invoice => "INV",
            DocType::CreditNote => "CRN",
            DocType::DebitNote => "DBN",
        }
    }
}

/// A document number the IRP accepts: 1-16 characters matching
/// `^[a-zA-Z1-9][a-zA-Z0-9/-]{0,15}$`.
///
/// Case is preserved because the IRP hashes the number as sent; NIC asks for
/// upper case, so callers should prefer it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DocNumber(String);

impl DocNumber {
    pub const MAX_CHARS: usize = 16;

    pub fn parse(input: &str) -> Result<Self, GstError> {
        let err = |reason: String| GstError::InvalidDocNumber {
            field: "number".into(),
            input: input.chars().take(40).collect(),
            reason,
        };
        let n = input.chars().count();
        if n == 0 || n > Self::MAX_CHARS {
            return Err(err(format!(
                "must be 1 to {} characters, got {n}",
                Self::MAX_CHARS
            )));
        }
        for (i, c) in input.chars().enumerate() {
            let ok = if i == 0 {
                c.is_ascii_alphabetic() || ('1'..='9').contains(&c)
            } else {
                c.is_ascii_alphanumeric() || c == '/' || c == '-'
            };
            if !ok {
                return Err(err(if i == 0 {
                    format!("must start with a letter or a digit 1-9, not '{c}'")
                } else {
                    format!(
                        "character {} '{c}' is not a letter, digit, '/' or '-'",
                        i + 1
                    )
                }));
            }
        }
        Ok(DocNumber(input.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for DocNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for DocNumber {
    type Error = GstError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        DocNumber::parse(&s)
    }
}

impl From<DocNumber> for String {
    fn from(d: DocNumber) -> String {
        d.0
    }
}

/// An Indian financial year (1 April to 31 March), written `YYYY-YY`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct FinancialYear {
    start_year: u16,
}

impl FinancialYear {
    /// Parses `YYYY-YY` where the second part is the following year.
    pub fn parse(input: &str) -> Result<Self, GstError> {
        let err = || {
            GstError::invalid(
                "financial_year",
                format!(
                    "'{}' is not a financial year like 2025-26",
                    input.chars().take(20).collect::<String>()
                ),
            )
        };
        let b = input.as_bytes();
        if b.len() != 7
            || b[4] != b'-'
            || !input[..4]
                .bytes()
                .chain(input[5..].bytes())
                .all(|c| c.is_ascii_digit())
        {
            return Err(err());
        }
        let start: u16 = input[..4].parse().map_err(|_| err())?;
        let end: u16 = input[5..].parse().map_err(|_| err())?;
        if !(2000..=2099).contains(&start) || (start + 1) % 100 != end {
            return Err(err());
        }
        Ok(FinancialYear { start_year: start })
    }

    pub fn start_year(&self) -> u16 {
        self.start_year
    }
}

impl fmt::Display for FinancialYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:02}", self.start_year, (self.start_year + 1) % 100)
    }
}

impl TryFrom<String> for FinancialYear {
    type Error = GstError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        FinancialYear::parse(&s)
    }
}

impl From<FinancialYear> for String {
    fn from(f: FinancialYear) -> String {
        f.to_string()
    }
}

/// The financial year a date falls in: January-March belong to the year
/// that started the previous April.
pub fn financial_year(date: Date) -> FinancialYear {
    let start_year = if date.month() >= 4 {
        date.year()
    } else {
        date.year() - 1
    };
    FinancialYear { start_year }
}

/// The Invoice Reference Number: lower-case hex SHA-256 of
/// `seller_gstin + fy + doc_type + doc_no`, 64 characters.
pub fn irn(
    seller_gstin: &Gstin,
    fy: &FinancialYear,
    doc_type: DocType,
    doc_no: &DocNumber,
) -> String {
    let mut h = Sha256::new();
    h.update(seller_gstin.as_str().as_bytes());
    h.update(fy.to_string().as_bytes());
    h.update(doc_type.as_str().as_bytes());
    h.update(doc_no.as_str().as_bytes());
    hex::encode(h.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn irn_known_answers() {
        // Expected values computed independently with
        // `printf '%s' '29AAFCC9980M1ZR2019-20INV2019-20/KA/1' | sha256sum`.
        let g = Gstin::parse("29AAFCC9980M1ZR").unwrap();
        let fy = FinancialYear::parse("2019-20").unwrap();
        let no = DocNumber::parse("2019-20/KA/1").unwrap();
        assert_eq!(
            irn(&g, &fy, DocType::Invoice, &no),
            "23f498ee41441ecad30f72ba5b9907506c3df70a17b0e0dff46b76a786400662"
        );
        let g = Gstin::parse("27AAPFU0939F1ZV").unwrap();
        let fy = financial_year(Date::new(2026, 3, 31).unwrap());
        let no = DocNumber::parse("FVX/2025-26/0042").unwrap();
        assert_eq!(
            irn(&g, &fy, DocType::CreditNote, &no),
            "753fa269c7f3bebdd117f14cc41cef3f19bf39fd7d4d0cdc72e4a730ea8f798c"
        );
    }

    #[test]
    fn financial_year_boundaries() {
        let fy = |y, m, d| financial_year(Date::new(y, m, d).unwrap()).to_string();
        assert_eq!(fy(2020, 1, 3), "2019-20");
        assert_eq!(fy(2025, 3, 31), "2024-25");
        assert_eq!(fy(2025, 4, 1), "2025-26");
        assert_eq!(fy(2099, 12, 31), "2099-00");
        assert!(FinancialYear::parse("2019-21").is_err());
        assert!(FinancialYear::parse("2019/20").is_err());
        assert_eq!(FinancialYear::parse("2099-00").unwrap().start_year(), 2099);
    }

    #[test]
    fn doc_number_rules() {
        for ok in ["1", "INV-1", "a/b-c", "ABCDEFGHIJKLMNOP"] {
            assert!(DocNumber::parse(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "0INV",
            "/1",
            "-1",
            "INV 1",
            "INV_1",
            "ABCDEFGHIJKLMNOPQ",
        ] {
            assert_eq!(
                DocNumber::parse(bad).unwrap_err().code(),
                "invalid_doc_number",
                "{bad}"
            );
        }
        assert_eq!(DocType::CreditNote.as_str(), "CRN");
        assert_eq!(
            serde_json::to_string(&DocType::DebitNote).unwrap(),
            "\"DBN\""
        );
    }
}
