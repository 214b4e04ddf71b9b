//! Dashboard sessions: HS256 JWTs with an expiry.

use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use crate::ids::MerchantId;
use crate::merchants::Role;
use crate::Error;

pub const SESSION_TTL_SECS: i64 = 12 * 60 * 60;
/// HS256 keys shorter than the hash output are weak (RFC 7518 §3.2).
pub const MIN_SECRET_BYTES: usize = 32;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    pub role: Role,
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

    pub fn issue(
        &self,
        merchant_id: &MerchantId,
        role: Role,
        now_secs: i64,
    ) -> Result<(String, i64), Error> {
        let exp = now_secs + SESSION_TTL_SECS;
        let claims = Claims {
            sub: merchant_id.to_string(),
            role,
            iat: now_secs,
            exp,
        };
        encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map(|token| (token, exp))
            .map_err(|e| Error::Internal(format!("jwt encoding failed: {e}")))
    }

    /// Checks signature, algorithm and expiry against `now_secs` (our clock,
    /// not the library's, so expiry is testable).
    pub fn verify(&self, token: &str, now_secs: i64) -> Result<Claims, Error> {
        let unauthenticated =
            |why: &str| Error::Unauthenticated(format!("invalid session token: {why}"));
        let mut validation = Validation::new(Algorithm::HS256);
        validation.validate_exp = false;
        validation.required_spec_claims = ["exp", "sub"].iter().map(|s| s.to_string()).collect();
        let claims = decode::<Claims>(token, &self.decoding, &validation)
            .map_err(|_| unauthenticated("bad signature or format"))?
            .claims;
        if claims.exp <= now_secs {
            return Err(unauthenticated("expired; log in again"));
        }
        Ok(claims)
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
    fn short_secrets_are_refused() {
        assert!(JwtKeys::new(b"short").is_err());
    }
}
