//! Keyed GCRA rate limits (governor): a burst of `limit` requests, refilled
//! evenly over a minute. State is per instance; with several instances each
//! enforces the limit on its own share of traffic.

use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::middleware::StateInformationMiddleware;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};

type Keyed =
    RateLimiter<String, DefaultKeyedStateStore<String>, DefaultClock, StateInformationMiddleware>;

pub struct Limiter {
    inner: Keyed,
    clock: DefaultClock,
    limit: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Allowed {
        limit: u32,
        remaining: u32,
        reset_after_secs: u64,
    },
    Denied {
        limit: u32,
        retry_after_secs: u64,
    },
}

impl Limiter {
    pub fn per_minute(limit: u32) -> Limiter {
        let limit_nz = NonZeroU32::new(limit.max(1)).unwrap_or(NonZeroU32::MIN);
        let clock = DefaultClock::default();
        Limiter {
            inner: RateLimiter::dashmap_with_clock(Quota::per_minute(limit_nz), clock.clone())
                .with_middleware(),
            clock,
            limit: limit_nz.get(),
        }
    }

    pub fn check(&self, key: &str) -> Verdict {
        match self.inner.check_key(&key.to_string()) {
            Ok(snapshot) => {
                let remaining = snapshot.remaining_burst_capacity();
                let used = u64::from(self.limit - remaining.min(self.limit));
                // Seconds until the bucket is full again: each slot refills in 60/limit s.
                let reset_after_secs = (used * 60).div_ceil(u64::from(self.limit));
                Verdict::Allowed {
                    limit: self.limit,
                    remaining,
                    reset_after_secs,
                }
            }
            Err(not_until) => {
                let wait = not_until.wait_time_from(self.clock.now());
                Verdict::Denied {
                    limit: self.limit,
                    retry_after_secs: ceil_secs(wait),
                }
            }
        }
    }

    /// Forgets keys that are back at full capacity, bounding memory.
    pub fn shrink(&self) {
        self.inner.retain_recent();
        self.inner.shrink_to_fit();
    }
}

fn ceil_secs(wait: Duration) -> u64 {
    wait.as_secs() + u64::from(wait.subsec_nanos() > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_request_after_the_burst_is_denied() {
        let limiter = Limiter::per_minute(300);
        for i in 0..300 {
            match limiter.check("key") {
                Verdict::Allowed { remaining, .. } => assert_eq!(remaining, 299 - i),
                denied => panic!("request {i} denied: {denied:?}"),
            }
        }
        match limiter.check("key") {
            Verdict::Denied {
                retry_after_secs,
                limit,
            } => {
                assert_eq!(limit, 300);
                assert!(
                    (1..=1).contains(&retry_after_secs),
                    "one slot refills in 0.2 s, rounded up: {retry_after_secs}"
                );
            }
            allowed => panic!("301st request allowed: {allowed:?}"),
        }
        assert!(
            matches!(limiter.check("other key"), Verdict::Allowed { .. }),
            "keys are independent"
        );
    }
}
