//! Per-provider circuit breaker and recent success rate (pure, clock passed in).
//!
//! Closed: calls flow. After `failure_threshold` consecutive failures, or when
//! the error rate over the last `window` outcomes reaches `error_rate_percent`
//! (with at least `min_samples`), it opens for `open_for_ms`. Then one probe is
//! let through (half-open): success closes it, failure opens it again.

use std::collections::VecDeque;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BreakerSettings {
    pub failure_threshold: u32,
    pub error_rate_percent: u32,
    pub min_samples: usize,
    pub window: usize,
    pub open_for_ms: i64,
}

impl Default for BreakerSettings {
    fn default() -> Self {
        BreakerSettings {
            failure_threshold: 5,
            error_rate_percent: 50,
            min_samples: 20,
            window: 100,
            open_for_ms: 30_000,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BreakerState {
    Closed,
    Open { until_ms: i64 },
    HalfOpen { probe_in_flight: bool },
}

#[derive(Debug, Clone)]
pub struct CircuitBreaker {
    settings: BreakerSettings,
    state: BreakerState,
    consecutive_failures: u32,
    recent: VecDeque<bool>,
}

impl CircuitBreaker {
    pub fn new(settings: BreakerSettings) -> Self {
        CircuitBreaker {
            settings,
            state: BreakerState::Closed,
            consecutive_failures: 0,
            recent: VecDeque::with_capacity(settings.window),
        }
    }

    pub fn state(&self, now_ms: i64) -> BreakerState {
        match self.state {
            BreakerState::Open { until_ms } if now_ms >= until_ms => BreakerState::HalfOpen {
                probe_in_flight: false,
            },
            other => other,
        }
    }

    /// Whether a call may go to this provider now; a half-open breaker lets one probe through.
    pub fn try_acquire(&mut self, now_ms: i64) -> bool {
        match self.state(now_ms) {
            BreakerState::Closed => true,
            BreakerState::Open { .. } => false,
            BreakerState::HalfOpen {
                probe_in_flight: true,
            } => false,
            BreakerState::HalfOpen {
                probe_in_flight: false,
            } => {
                self.state = BreakerState::HalfOpen {
                    probe_in_flight: true,
                };
                true
            }
        }
    }

    /// True when routing may consider the provider healthy (closed, or ready for a probe).
    pub fn is_available(&self, now_ms: i64) -> bool {
        matches!(
            self.state(now_ms),
            BreakerState::Closed
                | BreakerState::HalfOpen {
                    probe_in_flight: false
                }
        )
    }

    pub fn record(&mut self, success: bool, now_ms: i64) {
        if self.recent.len() == self.settings.window {
            self.recent.pop_front();
        }
        self.recent.push_back(success);
        if success {
            self.consecutive_failures = 0;
            if matches!(self.state(now_ms), BreakerState::HalfOpen { .. }) {
                self.state = BreakerState::Closed;
                self.recent.clear();
            }
            return;
        }
        self.consecutive_failures += 1;
        let open = || BreakerState::Open {
            until_ms: now_ms + self.settings.open_for_ms,
        };
        let tripped = match self.state(now_ms) {
            BreakerState::HalfOpen { .. } => true,
            BreakerState::Open { .. } => false,
            BreakerState::Closed => {
                self.consecutive_failures >= self.settings.failure_threshold
                    || (self.recent.len() >= self.settings.min_samples
                        && self.error_rate_percent() >= self.settings.error_rate_percent)
            }
        };
        if tripped {
            self.state = open();
        }
    }

    /// Failures among recent outcomes, in whole percent (100 when there are none: unknown is not healthy-proven).
    pub fn error_rate_percent(&self) -> u32 {
        if self.recent.is_empty() {
            return 0;
        }
        let failures = self.recent.iter().filter(|ok| !**ok).count();
        u32::try_from(failures * 100 / self.recent.len()).unwrap_or(100)
    }

    /// Successes among recent outcomes in basis points (10000 = 100 %), `None` without data.
    pub fn success_rate_bps(&self) -> Option<u32> {
        if self.recent.is_empty() {
            return None;
        }
        let ok = self.recent.iter().filter(|ok| **ok).count();
        u32::try_from(ok * 10_000 / self.recent.len()).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_after_consecutive_failures_and_probes_after_the_cool_down() {
        let mut breaker = CircuitBreaker::new(BreakerSettings {
            failure_threshold: 3,
            open_for_ms: 1_000,
            ..BreakerSettings::default()
        });
        for _ in 0..3 {
            assert!(breaker.try_acquire(0));
            breaker.record(false, 0);
        }
        assert!(!breaker.try_acquire(10));
        assert!(!breaker.is_available(999));
        assert!(breaker.try_acquire(1_000), "one probe after the cool-down");
        assert!(!breaker.try_acquire(1_001), "only one probe at a time");
        breaker.record(false, 1_002);
        assert!(!breaker.try_acquire(1_500), "a failed probe opens it again");
        assert!(breaker.try_acquire(2_002));
        breaker.record(true, 2_003);
        assert_eq!(breaker.state(2_004), BreakerState::Closed);
    }

    #[test]
    fn opens_on_error_rate_without_a_streak() {
        let mut breaker = CircuitBreaker::new(BreakerSettings {
            failure_threshold: 100,
            min_samples: 10,
            error_rate_percent: 50,
            ..BreakerSettings::default()
        });
        for i in 0..10 {
            breaker.record(i % 2 == 0, 0);
        }
        assert!(!breaker.is_available(1));
    }
}
