//! Test and live mode, and the tenant scope every stored record belongs to.

use serde::{Deserialize, Serialize};

use crate::ids::MerchantId;
use crate::Error;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Test,
    Live,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Test => "test",
            Mode::Live => "live",
        }
    }

    pub fn parse(s: &str) -> Result<Mode, Error> {
        match s {
            "test" => Ok(Mode::Test),
            "live" => Ok(Mode::Live),
            _ => Err(Error::validation(
                "mode",
                "mode must be \"test\" or \"live\"",
            )),
        }
    }
}

impl std::str::FromStr for Mode {
    type Err = Error;

    fn from_str(s: &str) -> Result<Mode, Error> {
        Mode::parse(s)
    }
}

impl std::fmt::Display for Mode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The tenant boundary: one merchant in one mode. Every store method that
/// reads or writes tenant data takes a `Scope`, so no query can forget it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Scope {
    pub merchant_id: MerchantId,
    pub mode: Mode,
}

impl Scope {
    pub fn new(merchant_id: MerchantId, mode: Mode) -> Self {
        Scope { merchant_id, mode }
    }
}
