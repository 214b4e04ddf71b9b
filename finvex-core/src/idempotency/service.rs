use std::sync::Arc;

use super::rules::{decide, validate_key, Decision};
use crate::clock::Clock;
use crate::crypto::SecretBox;
use crate::store::{Store, SystemStore};
use crate::{Error, Scope};

/// Proof that this request owns its idempotency key until it finishes.
#[derive(Debug)]
pub struct Ticket {
    scope: Scope,
    key: String,
}

#[derive(Debug)]
pub enum Claim {
    /// Run the request, then call [`IdempotencyService::finish`].
    Proceed(Ticket),
    /// Return this stored response instead of running the request again.
    Replay { status: u16, body: String },
}

const SEALED_PREFIX: &str = "v1.";

/// Stored responses are sealed: some carry secrets shown once (a new API
/// key, a webhook signing secret) and all carry tenant data, so a copy of
/// the database alone reveals none of them.
pub struct IdempotencyService {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    sealer: SecretBox,
}

impl IdempotencyService {
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>, sealer: SecretBox) -> Self {
        IdempotencyService {
            store,
            clock,
            sealer,
        }
    }

    pub async fn begin(
        &self,
        scope: &Scope,
        key: &str,
        request_sha256: &str,
    ) -> Result<Claim, Error> {
        validate_key(key)?;
        let now = self.clock.now().unix_secs();
        let proceed = || {
            Claim::Proceed(Ticket {
                scope: scope.clone(),
                key: key.to_string(),
            })
        };
        // Bounded: each round either wins, replays, or sees another request win.
        for _ in 0..3 {
            if self
                .store
                .idempotency_insert(scope, key, request_sha256, now)
                .await?
            {
                return Ok(proceed());
            }
            let Some(existing) = self.store.idempotency_get(scope, key).await? else {
                continue; // released or purged in between: try to insert again
            };
            match decide(&existing, request_sha256, now) {
                Decision::Replay { status, body } => {
                    // Records stored before responses were sealed are plain JSON.
                    let body = if body.starts_with(SEALED_PREFIX) {
                        self.sealer.open(&body)?
                    } else {
                        body
                    };
                    return Ok(Claim::Replay { status, body });
                }
                Decision::InProgress => return Err(Error::IdempotencyInProgress),
                Decision::KeyReused => return Err(Error::IdempotencyKeyReused),
                Decision::Retake => {
                    if self
                        .store
                        .idempotency_retake(scope, key, &existing, request_sha256, now)
                        .await?
                    {
                        return Ok(proceed());
                    }
                    return Err(Error::IdempotencyInProgress);
                }
            }
        }
        Err(Error::IdempotencyInProgress)
    }

    /// Stores the response for replay, or forgets the key after a server-side
    /// failure (5xx, 429) so that a retry runs the request for real.
    pub async fn finish(&self, ticket: Ticket, status: u16, body: &str) -> Result<(), Error> {
        if status >= 500 || status == 429 {
            self.store
                .idempotency_release(&ticket.scope, &ticket.key)
                .await
        } else {
            self.store
                .idempotency_complete(&ticket.scope, &ticket.key, status, &self.sealer.seal(body)?)
                .await
        }
    }
}

/// Upkeep: deletes expired records (every tenant's) in bounded batches;
/// returns how many went.
pub async fn purge_expired(
    system: &dyn SystemStore,
    clock: &dyn Clock,
    batch: u32,
) -> Result<u64, Error> {
    let cutoff = clock.now().unix_secs() - super::KEY_TTL_SECS;
    system.idempotency_purge(cutoff, batch).await
}
