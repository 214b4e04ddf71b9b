//! How GST treats a line: taxable, or one of the three kinds of supply that
//! carry no tax and are reported in GSTR-1 Table 8 (`nil`).

use serde::{Deserialize, Serialize};

use crate::error::GstError;
use crate::rate::GstRate;

/// CGST Act s.2(47) and s.2(78): nil-rated supplies are taxable at a 0 %
/// tariff rate, exempt ones are exempted by notification, and non-GST ones
/// are outside the levy. Zero-rated exports and SEZ supplies are *taxable*
/// (they go to `exp` and `b2b`), never nil.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Treatment {
    #[default]
    Taxable,
    NilRated,
    Exempt,
    NonGst,
}

impl Treatment {
    pub fn is_taxable(&self) -> bool {
        matches!(self, Treatment::Taxable)
    }

    pub fn as_str(&self) -> &'static str {
        match self {
            Treatment::Taxable => "taxable",
            Treatment::NilRated => "nil_rated",
            Treatment::Exempt => "exempt",
            Treatment::NonGst => "non_gst",
        }
    }

    /// A line that carries no tax has a 0 % rate; a taxable one may have any
    /// rate of the slabs, 0 % included (reported at `rt` 0 in its section).
    pub fn check_rate(&self, field: &str, rate: GstRate) -> Result<(), GstError> {
        match (self.is_taxable(), rate == GstRate::ZERO) {
            (false, false) => Err(GstError::inconsistent(
                field,
                format!(
                    "a {} line carries no GST: its rate must be 0, not {}",
                    self.as_str(),
                    rate.percent()
                ),
            )),
            _ => Ok(()),
        }
    }

    /// Whether the field can be left out of a serialised line.
    pub fn is_default(&self) -> bool {
        self.is_taxable()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn untaxed_lines_must_be_at_zero_percent() {
        assert!(Treatment::Exempt
            .check_rate("lines[0].rate", GstRate::STANDARD)
            .is_err());
        assert!(Treatment::NonGst.check_rate("r", GstRate::ZERO).is_ok());
        assert!(Treatment::Taxable
            .check_rate("r", GstRate::STANDARD)
            .is_ok());
        assert_eq!(
            serde_json::to_string(&Treatment::NilRated).unwrap(),
            "\"nil_rated\""
        );
    }
}
