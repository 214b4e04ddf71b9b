//! Webhook signatures, exactly as the API reference documents them:
//! `X-Finvex-Signature: sha256=<hex HMAC-SHA256(raw body, endpoint secret)>`.
//!
//! The body signature cannot tell a fresh delivery from a replayed one, so
//! every delivery also carries `Finvex-Signature: t=<send time>,v1=<hex
//! HMAC-SHA256("<t>.<raw body>")>` (one `v1` per valid secret during a
//! rotation): a receiver that checks `t` against its clock refuses replays.
//! Pure functions; `verify` and `verify_timestamped` are the helpers for
//! Rust receivers.

use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;
use subtle::ConstantTimeEq;

pub const SIGNATURE_HEADER: &str = "X-Finvex-Signature";
/// During the 24 h after a secret rotation: the signature with the old secret.
pub const PREVIOUS_SIGNATURE_HEADER: &str = "X-Finvex-Signature-Previous";
pub const EVENT_ID_HEADER: &str = "X-Finvex-Event-Id";
pub const TIMESTAMP_HEADER: &str = "X-Finvex-Timestamp";
/// `t=<unix seconds at sending>,v1=<hex>[,v1=<hex>]`.
pub const TIMESTAMPED_SIGNATURE_HEADER: &str = "Finvex-Signature";
/// How far a receiver should accept `t` from its own clock (Stripe's default).
pub const DEFAULT_TOLERANCE_SECS: i64 = 300;

fn hmac_hex(secret: &str, parts: &[&[u8]]) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC accepts keys of any length");
    for part in parts {
        mac.update(part);
    }
    hex::encode(mac.finalize().into_bytes())
}

/// `t=…,v1=…` for a delivery sent at `sent_at_secs`, one `v1` per secret.
pub fn sign_timestamped(secrets: &[&str], sent_at_secs: i64, raw_body: &[u8]) -> String {
    let t = sent_at_secs.to_string();
    let mut header = format!("t={t}");
    for secret in secrets {
        header.push_str(",v1=");
        header.push_str(&hmac_hex(secret, &[t.as_bytes(), b".", raw_body]));
    }
    header
}

/// True when one `v1` of the header signs `t.body` under `secret` and `t`
/// is within `tolerance_secs` of `now_secs`. Constant-time in the signatures.
pub fn verify_timestamped(
    secret: &str,
    raw_body: &[u8],
    header: &str,
    now_secs: i64,
    tolerance_secs: i64,
) -> bool {
    let mut t = None;
    let mut candidates = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", value)) => t = value.parse::<i64>().ok(),
            Some(("v1", value)) => candidates.push(value),
            _ => {}
        }
    }
    let Some(t) = t else { return false };
    if (now_secs - t).abs() > tolerance_secs {
        return false;
    }
    let expected = hmac_hex(secret, &[t.to_string().as_bytes(), b".", raw_body]);
    candidates.iter().fold(false, |found, c| {
        found | bool::from(expected.as_bytes().ct_eq(c.as_bytes()))
    })
}

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

    #[test]
    fn timestamped_signatures_refuse_replays_and_other_times() {
        let body = br#"{"id":"evt_1"}"#;
        let header = sign_timestamped(&["whsec_new", "whsec_old"], 1_700_000_000, body);
        assert!(header.starts_with("t=1700000000,v1="));
        assert_eq!(header.matches("v1=").count(), 2);
        assert!(verify_timestamped(
            "whsec_new",
            body,
            &header,
            1_700_000_100,
            300
        ));
        assert!(verify_timestamped(
            "whsec_old",
            body,
            &header,
            1_700_000_100,
            300
        ));
        assert!(!verify_timestamped(
            "whsec_other",
            body,
            &header,
            1_700_000_100,
            300
        ));
        // The same delivery replayed an hour later.
        assert!(!verify_timestamped(
            "whsec_new",
            body,
            &header,
            1_700_003_600,
            300
        ));
        // A changed timestamp breaks the signature.
        let moved = header.replacen("t=1700000000", "t=1700003600", 1);
        assert!(!verify_timestamped(
            "whsec_new",
            body,
            &moved,
            1_700_003_600,
            300
        ));
        // Independent check of the documented algorithm: HMAC("t.body").
        let v1 = header.split(",v1=").nth(1).unwrap();
        assert_eq!(
            v1,
            hmac_hex("whsec_new", &[b"1700000000.{\"id\":\"evt_1\"}"])
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
