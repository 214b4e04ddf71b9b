use serde::{Deserialize, Serialize};

use crate::ids::MerchantId;
use crate::types::Email;
use crate::Error;

/// What a merchant may do. Admin endpoints require `Admin`; storefront
/// features gated on verification require `VerifiedSeller` or `Admin`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Merchant,
    VerifiedSeller,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Merchant => "merchant",
            Role::VerifiedSeller => "verified_seller",
            Role::Admin => "admin",
        }
    }

    /// Live mode (live keys, live orders, later live payouts) is for
    /// merchants the operator (later: KYC) has verified.
    pub fn may_use_live_mode(self) -> bool {
        matches!(self, Role::VerifiedSeller | Role::Admin)
    }

    pub fn parse(raw: &str) -> Result<Role, Error> {
        match raw {
            "merchant" => Ok(Role::Merchant),
            "verified_seller" => Ok(Role::VerifiedSeller),
            "admin" => Ok(Role::Admin),
            _ => Err(Error::validation(
                "role",
                "role must be one of merchant, verified_seller, admin",
            )),
        }
    }
}

/// A merchant as the API shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Merchant {
    pub id: MerchantId,
    pub entity: String,
    pub name: String,
    pub email: Email,
    pub role: Role,
    /// Whether the installation's own provider accounts serve this
    /// merchant's live payments (the operator allows it per merchant);
    /// otherwise live payments need the merchant's own accounts.
    pub installation_accounts_live: bool,
    /// Unix seconds.
    pub created_at: i64,
}

impl Merchant {
    pub fn new(id: MerchantId, name: String, email: Email, role: Role, created_at: i64) -> Self {
        Merchant {
            id,
            entity: "merchant".into(),
            name,
            email,
            role,
            installation_accounts_live: false,
            created_at,
        }
    }
}

/// A merchant with its password hash; never leaves the services.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MerchantRecord {
    pub merchant: Merchant,
    /// Argon2id PHC string.
    pub password_hash: String,
}
