//! Sessions: HS256 JWTs with an expiry and an audience. A dashboard
//! (merchant) session, an admin session and a customer-portal session are
//! told apart by `aud`, checked on every verification, so no kind of token
//! is accepted where another is expected (admin sessions are also signed
//! with a key of their own).

use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use crate::ids::MerchantId;
use crate::merchants::Role;
use crate::{Error, Mode};

pub const SESSION_TTL_SECS: i64 = 12 * 60 * 60;
/// HS256 keys shorter than the hash output are weak (RFC 7518 §3.2).
pub const MIN_SECRET_BYTES: usize = 32;

/// Which kind of session a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// A merchant's dashboard (tokens issued before audiences existed are these).
    #[default]
    Dashboard,
    /// The installation's admin console.
    Admin,
    /// A buyer in one store's customer portal.
    Portal,
}

impl Audience {
    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Dashboard => "dashboard",
            Audience::Admin => "admin",
            Audience::Portal => "portal",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// The merchant (dashboard, portal) or the admin.
    pub sub: String,
    pub role: Role,
    #[serde(default)]
    pub aud: Audience,
    /// Portal sessions: the store's mode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<Mode>,
    /// Portal sessions: the buyer's email.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    pub iat: i64,
    pub exp: i64,
}

#[derive(Clone)]
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
}

impl JwtKeys {
    pub fn new(secret: &[u8]) -> Result<JwtKeys, Error> {
        if secret.len() < MIN_SECRET_BYTES {
            return Err(Error::validation(
                "jwt_secret",
                format!("the JWT secret must have at least {MIN_SECRET_BYTES} bytes"),
            ));
        }
        Ok(JwtKeys {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
        })
    }

    /// A dashboard session for the merchant.
    pub fn issue(
        &self,
        merchant_id: &MerchantId,
        role: Role,
        now_secs: i64,
    ) -> Result<(String, i64), Error> {
        self.issue_claims(Claims {
            sub: merchant_id.to_string(),
            role,
            aud: Audience::Dashboard,
            mode: None,
            email: None,
            iat: now_secs,
            exp: now_secs + SESSION_TTL_SECS,
        })
    }

    /// Signs the claims as they are; returns the token and its expiry.
    pub fn issue_claims(&self, claims: Claims) -> Result<(String, i64), Error> {
        encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map(|token| (token, claims.exp))
            .map_err(|e| Error::Internal(format!("jwt encoding failed: {e}")))
    }

    /// Verifies a dashboard session.
    pub fn verify(&self, token: &str, now_secs: i64) -> Result<Claims, Error> {
        self.verify_for(token, Audience::Dashboard, now_secs)
    }

    /// Checks signature, algorithm, audience and expiry against `now_secs`
    /// (our clock, not the library's, so expiry is testable).
    pub fn verify_for(
        &self,
        token: &str,
        audience: Audience,
        now_secs: i64,
    ) -> Result<Claims, Error> {
        let unauthenticated =
            |why: &str| Error::Unauthenticated(format!("invalid session token: {why}"));
        let mut validation = Validation::new(Algorithm::HS256);
        validation.validate_exp = false;
        // Our `aud` is checked below, as one of our audiences.
        validation.validate_aud = false;
        validation.required_spec_claims = ["exp", "sub"].iter().map(|s| s.to_string()).collect();
        let claims = decode::<Claims>(token, &self.decoding, &validation)
            .map_err(|_| unauthenticated("bad signature or format"))?
            .claims;
        if claims.aud != audience {
            return Err(Error::Unauthenticated(format!(
                "this is a {} session; this endpoint needs a {} session",
                claims.aud.as_str(),
                audience.as_str()
            )));
        }
        if claims.exp <= now_secs {
            return Err(unauthenticated("expired; log in again"));
        }
        Ok(claims)
    }

    /// The audience a token names, after its signature is checked (which
    /// kind of caller presents it); expiry is checked by [`Self::verify_for`].
    pub fn audience(&self, token: &str) -> Result<Audience, Error> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.validate_exp = false;
        validation.validate_aud = false;
        validation.required_spec_claims = ["exp", "sub"].iter().map(|s| s.to_string()).collect();
        decode::<Claims>(token, &self.decoding, &validation)
            .map(|data| data.claims.aud)
            .map_err(|_| {
                Error::Unauthenticated("invalid session token: bad signature or format".into())
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";

    #[test]
    fn issued_tokens_verify_until_they_expire() {
        let keys = JwtKeys::new(SECRET).unwrap();
        let id = MerchantId::generate();
        let (token, exp) = keys.issue(&id, Role::Admin, 1_000).unwrap();
        let claims = keys.verify(&token, 1_001).unwrap();
        assert_eq!(claims.sub, id.to_string());
        assert_eq!(claims.role, Role::Admin);
        assert!(keys.verify(&token, exp).is_err());
    }

    #[test]
    fn tokens_from_another_secret_are_rejected() {
        let other = JwtKeys::new(b"another-secret-that-is-32-bytes!").unwrap();
        let (token, _) = other
            .issue(&MerchantId::generate(), Role::Merchant, 0)
            .unwrap();
        let keys = JwtKeys::new(SECRET).unwrap();
        assert_eq!(
            keys.verify(&token, 1).unwrap_err().code(),
            "unauthenticated"
        );
    }

    #[test]
    fn a_session_is_accepted_only_by_its_own_audience() {
        let keys = JwtKeys::new(SECRET).unwrap();
        let (dashboard, _) = keys
            .issue(&MerchantId::generate(), Role::Merchant, 0)
            .unwrap();
        let (portal, _) = keys
            .issue_claims(Claims {
                sub: MerchantId::generate().to_string(),
                role: Role::Merchant,
                aud: Audience::Portal,
                mode: Some(Mode::Test),
                email: Some("buyer@example.com".into()),
                iat: 0,
                exp: 100,
            })
            .unwrap();
        assert_eq!(keys.audience(&portal).unwrap(), Audience::Portal);
        assert!(keys.verify(&portal, 1).is_err());
        assert!(keys.verify_for(&dashboard, Audience::Portal, 1).is_err());
        assert!(keys.verify_for(&dashboard, Audience::Admin, 1).is_err());
        let claims = keys.verify_for(&portal, Audience::Portal, 1).unwrap();
        assert_eq!(claims.email.as_deref(), Some("buyer@example.com"));
    }

    #[test]
    fn tokens_without_an_audience_are_dashboard_sessions() {
        #[derive(Serialize)]
        struct Old {
            sub: String,
            role: Role,
            iat: i64,
            exp: i64,
        }
        let old = Old {
            sub: MerchantId::generate().to_string(),
            role: Role::Merchant,
            iat: 0,
            exp: 100,
        };
        let token = encode(
            &Header::new(Algorithm::HS256),
            &old,
            &EncodingKey::from_secret(SECRET),
        )
        .unwrap();
        let keys = JwtKeys::new(SECRET).unwrap();
        assert_eq!(keys.verify(&token, 1).unwrap().aud, Audience::Dashboard);
    }

    #[test]
    fn short_secrets_are_refused() {
        assert!(JwtKeys::new(b"short").is_err());
    }
}
