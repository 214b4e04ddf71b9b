//! API key format and secret hashing (pure).
//!
//! A key reads `finvex_test_key_01jd…:SECRET`. The prefix sets the mode of
//! every request made with it; the key id finds the stored record; the secret
//! is 256 random bits, so a single SHA-256 is a sound verifier (a slow KDF
//! only helps low-entropy passwords) and costs microseconds per request.

use rand::RngCore;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::ids::ApiKeyId;
use crate::{Error, Mode};

const SECRET_BYTES: usize = 32;
/// Hex characters in a secret.
const SECRET_LEN: usize = SECRET_BYTES * 2;
/// The longest header value worth parsing; longer is rejected unread.
const MAX_KEY_LEN: usize = 256;

/// A parsed, not yet verified, API key credential.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKeyCredential {
    pub mode: Mode,
    pub key_id: ApiKeyId,
    pub secret: String,
}

impl ApiKeyCredential {
    pub fn parse(raw: &str) -> Result<ApiKeyCredential, Error> {
        let invalid = || {
            Error::Unauthenticated(
                "invalid API key: expected finvex_test_KEYID:SECRET or finvex_live_KEYID:SECRET"
                    .into(),
            )
        };
        if raw.len() > MAX_KEY_LEN {
            return Err(invalid());
        }
        let (mode, rest) = if let Some(rest) = raw.strip_prefix("finvex_test_") {
            (Mode::Test, rest)
        } else if let Some(rest) = raw.strip_prefix("finvex_live_") {
            (Mode::Live, rest)
        } else {
            return Err(invalid());
        };
        let (key_id, secret) = rest.split_once(':').ok_or_else(invalid)?;
        let key_id = ApiKeyId::parse(key_id).map_err(|_| invalid())?;
        if secret.len() != SECRET_LEN || !secret.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(invalid());
        }
        Ok(ApiKeyCredential {
            mode,
            key_id,
            secret: secret.to_ascii_lowercase(),
        })
    }

    /// The full key as the merchant pastes it.
    pub fn to_key_string(&self) -> String {
        format!("finvex_{}_{}:{}", self.mode, self.key_id, self.secret)
    }
}

/// A publishable key: `finvex_test_KEYID` (the secret key without
/// `:SECRET`), as a web page carries it. Returns its mode and key id; an
/// error for anything else (a secret key among them).
pub fn parse_publishable(raw: &str) -> Result<(Mode, ApiKeyId), Error> {
    let invalid = || {
        Error::Unauthenticated(
            "invalid publishable key: expected finvex_test_KEYID or finvex_live_KEYID".into(),
        )
    };
    if raw.len() > MAX_KEY_LEN {
        return Err(invalid());
    }
    let (mode, key_id) = if let Some(rest) = raw.strip_prefix("finvex_test_") {
        (Mode::Test, rest)
    } else if let Some(rest) = raw.strip_prefix("finvex_live_") {
        (Mode::Live, rest)
    } else {
        return Err(invalid());
    };
    Ok((mode, ApiKeyId::parse(key_id).map_err(|_| invalid())?))
}

/// A fresh credential with a random secret.
pub fn generate(mode: Mode) -> ApiKeyCredential {
    let mut bytes = [0u8; SECRET_BYTES];
    rand::rng().fill_bytes(&mut bytes);
    ApiKeyCredential {
        mode,
        key_id: ApiKeyId::generate(),
        secret: hex::encode(bytes),
    }
}

/// The at-rest form of a secret: lowercase hex SHA-256.
pub fn hash_secret(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Compares a presented secret with a stored hash in constant time.
pub fn secret_matches(secret: &str, stored_sha256_hex: &str) -> bool {
    let presented = hash_secret(secret);
    presented
        .as_bytes()
        .ct_eq(stored_sha256_hex.as_bytes())
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_publishable_key_is_the_secret_key_before_its_colon() {
        for mode in [Mode::Test, Mode::Live] {
            let cred = generate(mode);
            let text = cred.to_key_string();
            let (publishable, _) = text.split_once(':').unwrap();
            assert_eq!(
                parse_publishable(publishable).unwrap(),
                (mode, cred.key_id.clone())
            );
            assert!(
                parse_publishable(&text).is_err(),
                "a secret key is not publishable"
            );
        }
        for bad in [
            "garbage",
            "finvex_test_",
            "finvex_prod_key_01jd0000000000000000000000",
            "key_01jd0000000000000000000000",
        ] {
            assert!(parse_publishable(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn generated_keys_parse_back_with_their_mode() {
        for mode in [Mode::Test, Mode::Live] {
            let cred = generate(mode);
            let text = cred.to_key_string();
            assert!(text.starts_with(&format!("finvex_{mode}_key_")));
            assert_eq!(ApiKeyCredential::parse(&text).unwrap(), cred);
        }
    }

    #[test]
    fn malformed_keys_are_unauthenticated() {
        let good = generate(Mode::Test).to_key_string();
        let cases = [
            String::new(),
            good.replace("finvex_test_", "finvex_prod_"),
            good.replace(':', ""),
            format!("{good}0"),
            good.replace("key_", "kez_"),
            "x".repeat(1000),
        ];
        for bad in cases {
            assert_eq!(
                ApiKeyCredential::parse(&bad).unwrap_err().code(),
                "unauthenticated",
                "{bad}"
            );
        }
    }

    #[test]
    fn secrets_verify_only_against_their_own_hash() {
        let a = generate(Mode::Test);
        let b = generate(Mode::Test);
        let stored = hash_secret(&a.secret);
        assert!(secret_matches(&a.secret, &stored));
        assert!(!secret_matches(&b.secret, &stored));
        assert_eq!(stored.len(), 64);
    }

    proptest! {
        #[test]
        fn parse_never_panics(raw in "finvex_(test|live)_.{0,100}") {
            let _ = ApiKeyCredential::parse(&raw);
        }
    }
}
