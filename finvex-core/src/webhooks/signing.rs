//! Webhook signatures, exactly as the API reference documents them:
//! `X-Finvex-Signature: sha256=<hex HMAC-SHA256(raw body, endpoint secret)>`.
//! Pure functions; `verify` is the helper for Rust receivers.

use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;
use subtle::ConstantTimeEq;

pub const SIGNATURE_HEADER: &str = "X-Finvex-Signature";
/// During the 24 h after a secret rotation: the signature with the old secret.
pub const PREVIOUS_SIGNATURE_HEADER: &str = "X-Finvex-Signature-Previous";
pub const EVENT_ID_HEADER: &str = "X-Finvex-Event-Id";
pub const TIMESTAMP_HEADER: &str = "X-Finvex-Timestamp";

/// `sha256=<hex>` over the raw body.
pub fn sign(secret: &str, raw_body: &[u8]) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC accepts keys of any length");
    mac.update(raw_body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// True when `signature_header` is the signature of `raw_body` under `secret`.
/// Constant-time in the signature's content.
pub fn verify(secret: &str, raw_body: &[u8], signature_header: &str) -> bool {
    let expected = sign(secret, raw_body);
    expected
        .as_bytes()
        .ct_eq(signature_header.trim().as_bytes())
        .into()
}

/// A new endpoint secret: `whsec_` and 256 random bits in hex.
pub fn generate_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    format!("whsec_{}", hex::encode(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_answer() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
        assert_eq!(
            sign("Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    proptest! {
        #[test]
        fn any_change_breaks_the_signature(body in proptest::collection::vec(any::<u8>(), 1..200), flip in any::<usize>()) {
            let secret = "whsec_test";
            let header = sign(secret, &body);
            prop_assert!(verify(secret, &body, &header));
            let mut tampered = body.clone();
            let i = flip % tampered.len();
            tampered[i] ^= 1;
            prop_assert!(!verify(secret, &tampered, &header));
            prop_assert!(!verify("whsec_other", &body, &header));
        }
    }
}
