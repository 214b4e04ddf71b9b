//! The retry schedule (pure). Attempt n (1-based) that failed is retried after
//! `base × 2^(n-1)`, capped at 12 h, with ±20 % jitter, until the event is
//! 3 days old; then the delivery is marked failed. With the default 30 s base:
//! 30 s, 1 m, 2 m, 4 m, 8 m, 16 m, 32 m, 64 m, 2.1 h, 4.3 h, 8.5 h, then every 12 h.

pub const DEFAULT_RETRY_BASE_MS: i64 = 30_000;
pub const MAX_RETRY_DELAY_MS: i64 = 12 * 60 * 60 * 1000;
pub const RETRY_WINDOW_MS: i64 = 3 * 24 * 60 * 60 * 1000;
/// An endpoint that has failed every delivery for this long is disabled.
pub const DISABLE_AFTER_FAILING_MS: i64 = RETRY_WINDOW_MS;

/// Delay before the next attempt after `failed_attempts` failures.
/// `jitter` in [-1, 1] scales the ±20 % spread (pass a random value).
pub fn retry_delay_ms(base_ms: i64, failed_attempts: u32, jitter: f64) -> i64 {
    let exponent = failed_attempts.saturating_sub(1).min(40);
    let raw = base_ms
        .saturating_mul(1_i64 << exponent.min(40))
        .min(MAX_RETRY_DELAY_MS);
    // Jitter is a proportion of a delay, not money; f64 is fine here.
    let spread = (raw as f64 * 0.2 * jitter.clamp(-1.0, 1.0)) as i64;
    (raw + spread).max(1)
}

/// When to try next, or `None` when the retry window has closed.
pub fn next_attempt_at_ms(
    event_created_at_ms: i64,
    now_ms: i64,
    base_ms: i64,
    failed_attempts: u32,
    jitter: f64,
) -> Option<i64> {
    let next = now_ms + retry_delay_ms(base_ms, failed_attempts, jitter);
    (next <= event_created_at_ms + RETRY_WINDOW_MS).then_some(next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn delays_double_then_cap() {
        assert_eq!(retry_delay_ms(30_000, 1, 0.0), 30_000);
        assert_eq!(retry_delay_ms(30_000, 2, 0.0), 60_000);
        assert_eq!(retry_delay_ms(30_000, 11, 0.0), 30_000 * 1024);
        assert_eq!(retry_delay_ms(30_000, 30, 0.0), MAX_RETRY_DELAY_MS);
    }

    #[test]
    fn the_window_closes_after_three_days() {
        let day = 24 * 60 * 60 * 1000;
        assert!(next_attempt_at_ms(0, day, DEFAULT_RETRY_BASE_MS, 5, 0.0).is_some());
        assert_eq!(
            next_attempt_at_ms(0, 3 * day - 1000, DEFAULT_RETRY_BASE_MS, 5, 0.0),
            None
        );
    }

    #[test]
    fn the_default_schedule_makes_about_seventeen_attempts() {
        let (mut now, mut failures) = (0_i64, 1_u32);
        while let Some(next) = next_attempt_at_ms(0, now, DEFAULT_RETRY_BASE_MS, failures, 0.0) {
            now = next;
            failures += 1;
        }
        assert!((15..=20).contains(&failures), "{failures}");
    }

    proptest! {
        #[test]
        fn jitter_stays_within_twenty_percent(failures in 1u32..60, jitter in -1.0f64..1.0) {
            let plain = retry_delay_ms(1_000, failures, 0.0);
            let jittered = retry_delay_ms(1_000, failures, jitter);
            prop_assert!((jittered - plain).abs() <= plain / 5 + 1);
            prop_assert!(jittered > 0);
        }
    }
}
