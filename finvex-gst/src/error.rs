//! The single error type of the crate.
//!
//! Every variant names the offending input `field` (a JSON-style path such as
//! `lines[2].rate`) so that an HTTP layer can answer
//! `{"error":{"code","message","field"}}` without string matching.

use serde::{Deserialize, Serialize};

/// Errors produced while parsing or computing GST data.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum GstError {
    /// The state could not be recognised in any accepted form.
    #[error("{field}: unknown state '{input}'; expected a 2-digit state code (e.g. 29), a GSTIN, a 2-letter abbreviation (e.g. KA) or a state name")]
    UnknownState { field: String, input: String },

    /// A real state code used in a role it cannot play (e.g. 96 "Other Countries" as a seller).
    #[error("{field}: state {code} cannot be used here: {reason}")]
    StateNotAllowed {
        field: String,
        code: String,
        reason: String,
    },

    /// GSTINs are always exactly 15 characters.
    #[error("{field}: GSTIN must be exactly 15 characters, got {len}")]
    GstinLength { field: String, len: usize },

    /// The first two characters are not a state code that can prefix a GSTIN.
    #[error("{field}: GSTIN starts with '{code}', which is not a GSTIN state code")]
    GstinState { field: String, code: String },

    /// A character does not fit any GSTIN layout; `position` is 1-based.
    #[error("{field}: GSTIN character {position} is '{found}', expected {expected}")]
    GstinStructure {
        field: String,
        position: usize,
        found: char,
        expected: String,
    },

    /// The 15th character does not match the mod-36 check character.
    #[error("{field}: GSTIN check character is '{found}', expected '{expected}'")]
    GstinChecksum {
        field: String,
        found: char,
        expected: char,
    },

    /// PANs are always exactly 10 characters.
    #[error("{field}: PAN must be exactly 10 characters, got {len}")]
    PanLength { field: String, len: usize },

    /// A PAN character is out of place; `position` is 1-based.
    #[error("{field}: PAN character {position} is '{found}', expected {expected}")]
    PanStructure {
        field: String,
        position: usize,
        found: char,
        expected: String,
    },

    /// The rate is not a notified GST slab, or not one allowed on the document date.
    #[error("{field}: {rate}% is not an allowed GST rate{detail}")]
    InvalidRate {
        field: String,
        rate: String,
        detail: String,
    },

    /// A calendar date that does not exist or is out of the supported range.
    #[error("{field}: invalid date '{input}': {reason}")]
    InvalidDate {
        field: String,
        input: String,
        reason: String,
    },

    /// A document number the IRP would reject.
    #[error("{field}: invalid document number '{input}': {reason}")]
    InvalidDocNumber {
        field: String,
        input: String,
        reason: String,
    },

    /// A value that is out of range or malformed (negative amount, too many decimals, ...).
    #[error("{field}: {reason}")]
    InvalidValue { field: String, reason: String },

    /// An input list or string is larger than the engine accepts.
    #[error("{field}: at most {limit} allowed, got {actual}")]
    LimitExceeded {
        field: String,
        limit: usize,
        actual: usize,
    },

    /// Inputs that are individually valid but contradict each other.
    #[error("{field}: {reason}")]
    Inconsistent { field: String, reason: String },

    /// The HSN/SAC code is not in the GST master.
    #[error("{field}: HSN/SAC code '{code}' is not in the GST master")]
    UnknownHsn { field: String, code: String },
}

impl GstError {
    /// The input field (JSON path) the error refers to.
    pub fn field(&self) -> Option<&str> {
        let field = match self {
            GstError::UnknownState { field, .. }
            | GstError::StateNotAllowed { field, .. }
            | GstError::GstinLength { field, .. }
            | GstError::GstinState { field, .. }
            | GstError::GstinStructure { field, .. }
            | GstError::GstinChecksum { field, .. }
            | GstError::PanLength { field, .. }
            | GstError::PanStructure { field, .. }
            | GstError::InvalidRate { field, .. }
            | GstError::InvalidDate { field, .. }
            | GstError::InvalidDocNumber { field, .. }
            | GstError::InvalidValue { field, .. }
            | GstError::LimitExceeded { field, .. }
            | GstError::Inconsistent { field, .. }
            | GstError::UnknownHsn { field, .. } => field,
        };
        if field.is_empty() {
            None
        } else {
            Some(field)
        }
    }

    /// A stable machine-readable code for API clients.
    pub fn code(&self) -> &'static str {
        match self {
            GstError::UnknownState { .. } => "unknown_state",
            GstError::StateNotAllowed { .. } => "state_not_allowed",
            GstError::GstinLength { .. } => "gstin_length",
            GstError::GstinState { .. } => "gstin_state",
            GstError::GstinStructure { .. } => "gstin_structure",
            GstError::GstinChecksum { .. } => "gstin_checksum",
            GstError::PanLength { .. } => "pan_length",
            GstError::PanStructure { .. } => "pan_structure",
            GstError::InvalidRate { .. } => "invalid_rate",
            GstError::InvalidDate { .. } => "invalid_date",
            GstError::InvalidDocNumber { .. } => "invalid_doc_number",
            GstError::InvalidValue { .. } => "invalid_value",
            GstError::LimitExceeded { .. } => "limit_exceeded",
            GstError::Inconsistent { .. } => "inconsistent_input",
            GstError::UnknownHsn { .. } => "unknown_hsn",
        }
    }

    /// Re-anchors the error at `field`.
    ///
    /// Parsers such as [`crate::Gstin::parse`] do not know where their input came
    /// from, so callers that do (e.g. `buyer.gstin`) attach the path here.
    pub fn at(mut self, new_field: impl Into<String>) -> Self {
        let new_field = new_field.into();
        match &mut self {
            GstError::UnknownState { field, .. }
            | GstError::StateNotAllowed { field, .. }
            | GstError::GstinLength { field, .. }
            | GstError::GstinState { field, .. }
            | GstError::GstinStructure { field, .. }
            | GstError::GstinChecksum { field, .. }
            | GstError::PanLength { field, .. }
            | GstError::PanStructure { field, .. }
            | GstError::InvalidRate { field, .. }
            | GstError::InvalidDate { field, .. }
            | GstError::InvalidDocNumber { field, .. }
            | GstError::InvalidValue { field, .. }
            | GstError::LimitExceeded { field, .. }
            | GstError::Inconsistent { field, .. }
            | GstError::UnknownHsn { field, .. } => *field = new_field,
        }
        self
    }

    pub(crate) fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        GstError::InvalidValue {
            field: field.into(),
            reason: reason.into(),
        }
    }

    pub(crate) fn inconsistent(field: impl Into<String>, reason: impl Into<String>) -> Self {
        GstError::Inconsistent {
            field: field.into(),
            reason: reason.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_and_code_are_exposed_and_at_rewrites_the_field() {
        let e = GstError::GstinLength {
            field: "gstin".into(),
            len: 3,
        };
        assert_eq!(e.code(), "gstin_length");
        assert_eq!(e.field(), Some("gstin"));
        let e = e.at("buyer.gstin");
        assert_eq!(e.field(), Some("buyer.gstin"));
        assert_eq!(
            e.to_string(),
            "buyer.gstin: GSTIN must be exactly 15 characters, got 3"
        );
        assert_eq!(GstError::invalid("", "x").field(), None);
    }
}
