//! Secrets that must be read back (webhook signing secrets, provider
//! credentials) are sealed at rest with XChaCha20-Poly1305 under a master key
//! that never enters the database.

use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};

use crate::Error;

const VERSION_PREFIX: &str = "v1.";
const NONCE_LEN: usize = 24;
pub const MASTER_KEY_HEX_LEN: usize = 64;

#[derive(Clone)]
pub struct SecretBox {
    cipher: XChaCha20Poly1305,
}

impl SecretBox {
    /// From 64 hex characters (32 bytes).
    pub fn from_hex(master_key_hex: &str) -> Result<SecretBox, Error> {
        let bytes = hex::decode(master_key_hex.trim())
            .ok()
            .filter(|b| b.len() == 32)
            .ok_or_else(|| {
                Error::validation(
                    "master_key",
                    format!(
                        "the master key must be {MASTER_KEY_HEX_LEN} hex characters (32 bytes)"
                    ),
                )
            })?;
        let cipher = XChaCha20Poly1305::new_from_slice(&bytes)
            .map_err(|_| Error::Internal("bad master key length".into()))?;
        Ok(SecretBox { cipher })
    }

    /// A new random master key, hex encoded.
    pub fn generate_key_hex() -> String {
        hex::encode(XChaCha20Poly1305::generate_key(&mut OsRng))
    }

    pub fn seal(&self, plaintext: &str) -> Result<String, Error> {
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let sealed = self
            .cipher
            .encrypt(&nonce, plaintext.as_bytes())
            .map_err(|_| Error::Internal("sealing a secret failed".into()))?;
        Ok(format!(
            "{VERSION_PREFIX}{}{}",
            hex::encode(nonce),
            hex::encode(sealed)
        ))
    }

    pub fn open(&self, sealed: &str) -> Result<String, Error> {
        let broken = || {
            Error::Internal(
                "a sealed secret does not open: wrong master key or damaged data".into(),
            )
        };
        let body = sealed.strip_prefix(VERSION_PREFIX).ok_or_else(broken)?;
        let bytes = hex::decode(body).map_err(|_| broken())?;
        if bytes.len() <= NONCE_LEN {
            return Err(broken());
        }
        let (nonce, ciphertext) = bytes.split_at(NONCE_LEN);
        let plain = self
            .cipher
            .decrypt(XNonce::from_slice(nonce), ciphertext)
            .map_err(|_| broken())?;
        String::from_utf8(plain).map_err(|_| broken())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_secrets_open_only_with_their_key() {
        let sealer = SecretBox::from_hex(&SecretBox::generate_key_hex()).unwrap();
        let sealed = sealer.seal("whsec_abc").unwrap();
        assert!(!sealed.contains("whsec_abc"));
        assert_eq!(sealer.open(&sealed).unwrap(), "whsec_abc");
        assert_ne!(
            sealer.seal("whsec_abc").unwrap(),
            sealed,
            "fresh nonce each time"
        );
        let other = SecretBox::from_hex(&SecretBox::generate_key_hex()).unwrap();
        assert!(other.open(&sealed).is_err());
        let mut tampered = sealed.clone();
        tampered.pop();
        tampered.push('0');
        assert!(sealer.open(&tampered).is_err() || tampered == sealed);
        assert!(SecretBox::from_hex("abcd").is_err());
    }
}
