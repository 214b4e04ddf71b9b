use sha2::{Digest, Sha256};

use super::IdempotencyRecord;
use crate::Error;

/// Keys are honoured for 24 hours, as Stripe and Razorpay do.
pub const KEY_TTL_SECS: i64 = 24 * 60 * 60;
/// An in-progress record older than this belongs to a request that died
/// (requests time out after 30 s), so a retry may take it over.
pub const IN_PROGRESS_STALE_SECS: i64 = 120;
pub const MAX_KEY_LEN: usize = 255;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoredState {
    InProgress,
    Done,
}

impl StoredState {
    pub fn as_str(self) -> &'static str {
        match self {
            StoredState::InProgress => "in_progress",
            StoredState::Done => "done",
        }
    }

    pub fn parse(raw: &str) -> Result<StoredState, Error> {
        match raw {
            "in_progress" => Ok(StoredState::InProgress),
            "done" => Ok(StoredState::Done),
            other => Err(Error::Internal(format!(
                "unknown idempotency state {other:?}"
            ))),
        }
    }
}

/// What to do with a request whose key already has a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Expired or abandoned: start over (compare-and-swap on the record).
    Retake,
    Replay {
        status: u16,
        body: String,
    },
    InProgress,
    KeyReused,
}

/// The idempotency key sent to a provider for a merchant's request: never
/// the merchant's own key, which other tenants of a shared (installation)
/// account may use too, but a derivation bound to the tenant and purpose.
/// `fvx` + 32 hex characters fits every provider's key rules.
pub fn provider_key(scope: &crate::Scope, purpose: &str, client_key: &str) -> String {
    let mut hasher = Sha256::new();
    for part in [
        scope.merchant_id.as_str(),
        scope.mode.as_str(),
        purpose,
        client_key,
    ] {
        hasher.update(part.len().to_be_bytes());
        hasher.update(part.as_bytes());
    }
    format!("fvx{}", &hex::encode(hasher.finalize())[..32])
}

pub fn validate_key(key: &str) -> Result<(), Error> {
    if key.is_empty() || key.len() > MAX_KEY_LEN || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(Error::validation(
            "Idempotency-Key",
            format!("Idempotency-Key must be 1 to {MAX_KEY_LEN} printable ASCII characters"),
        ));
    }
    Ok(())
}

/// What makes two requests "the same": method, path and exact body bytes.
pub fn fingerprint(method: &str, path_and_query: &str, body: &[u8]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(method.as_bytes());
    hasher.update(b"\n");
    hasher.update(path_and_query.as_bytes());
    hasher.update(b"\n");
    hasher.update(body);
    hex::encode(hasher.finalize())
}

pub fn decide(existing: &IdempotencyRecord, request_sha256: &str, now_secs: i64) -> Decision {
    if existing.created_at <= now_secs - KEY_TTL_SECS {
        return Decision::Retake;
    }
    if existing.request_sha256 != request_sha256 {
        return Decision::KeyReused;
    }
    match (
        existing.state,
        existing.response_status,
        &existing.response_body,
    ) {
        (StoredState::Done, Some(status), Some(body)) => Decision::Replay {
            status,
            body: body.clone(),
        },
        (StoredState::InProgress, _, _)
            if existing.locked_at <= now_secs - IN_PROGRESS_STALE_SECS =>
        {
            Decision::Retake
        }
        _ => Decision::InProgress,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(state: StoredState, created_at: i64) -> IdempotencyRecord {
        IdempotencyRecord {
            request_sha256: "h".into(),
            state,
            response_status: (state == StoredState::Done).then_some(201),
            response_body: (state == StoredState::Done).then(|| "{}".to_string()),
            created_at,
            locked_at: created_at,
        }
    }

    #[test]
    fn same_request_replays_within_the_ttl() {
        let done = record(StoredState::Done, 1_000);
        assert_eq!(
            decide(&done, "h", 1_000 + KEY_TTL_SECS - 1),
            Decision::Replay {
                status: 201,
                body: "{}".into()
            }
        );
        assert_eq!(decide(&done, "h", 1_000 + KEY_TTL_SECS), Decision::Retake);
    }

    #[test]
    fn a_different_request_is_a_conflict() {
        assert_eq!(
            decide(&record(StoredState::Done, 0), "other", 10),
            Decision::KeyReused
        );
        assert_eq!(
            decide(&record(StoredState::InProgress, 0), "other", 10),
            Decision::KeyReused
        );
    }

    #[test]
    fn in_progress_waits_until_stale() {
        let running = record(StoredState::InProgress, 0);
        assert_eq!(
            decide(&running, "h", IN_PROGRESS_STALE_SECS - 1),
            Decision::InProgress
        );
        assert_eq!(
            decide(&running, "h", IN_PROGRESS_STALE_SECS),
            Decision::Retake
        );
    }

    #[test]
    fn fingerprints_cover_method_path_and_body() {
        let base = fingerprint("POST", "/v1/orders", b"{}");
        assert_ne!(base, fingerprint("POST", "/v1/orders", b"{ }"));
        assert_ne!(base, fingerprint("POST", "/v1/refunds", b"{}"));
        assert_ne!(base, fingerprint("PUT", "/v1/orders", b"{}"));
        assert_eq!(base, fingerprint("POST", "/v1/orders", b"{}"));
    }

    #[test]
    fn keys_are_bounded_printable_ascii() {
        assert!(validate_key("order-123").is_ok());
        assert!(validate_key("").is_err());
        assert!(validate_key("has space").is_err());
        assert!(validate_key(&"k".repeat(256)).is_err());
    }

    #[test]
    fn provider_keys_are_per_tenant_and_stable() {
        use crate::ids::MerchantId;
        use crate::{Mode, Scope};
        let a = Scope::new(MerchantId::generate(), Mode::Test);
        let b = Scope::new(MerchantId::generate(), Mode::Test);
        let live_a = Scope::new(a.merchant_id.clone(), Mode::Live);
        let key = provider_key(&a, "order", "order-1");
        assert_eq!(
            key,
            provider_key(&a, "order", "order-1"),
            "a retry sends the same key"
        );
        assert_ne!(
            key,
            provider_key(&b, "order", "order-1"),
            "tenants never collide"
        );
        assert_ne!(key, provider_key(&live_a, "order", "order-1"));
        assert_ne!(key, provider_key(&a, "refund", "order-1"));
        assert_eq!(key.len(), 35);
        assert!(key.bytes().all(|c| c.is_ascii_alphanumeric()));
        assert!(!key.contains("order-1"));
    }
}
