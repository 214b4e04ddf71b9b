use std::collections::HashSet;

use proptest::prelude::*;

use super::*;
use crate::subscriptions::Interval;

/// Unix seconds of a wall-clock time in India (`"2026-01-31T09:15:00"`).
fn ist(text: &str) -> i64 {
    calendar::parse_timestamp(text).unwrap_or_else(|| panic!("bad test time {text}"))
}

fn cycle(interval: Interval, count: u16) -> BillingCycle {
    BillingCycle::new(interval, count).unwrap()
}

// ---------------------------------------------------------------------------
// Lifecycle
// ---------------------------------------------------------------------------

#[test]
fn every_status_and_trigger_pair_is_in_the_table_or_refused_by_name() {
    let listed: HashSet<_> = TRANSITIONS.iter().map(|r| (r.from, r.trigger)).collect();
    assert_eq!(
        listed.len(),
        TRANSITIONS.len(),
        "one row per (status, trigger)"
    );
    for &from in SubscriptionStatus::ALL {
        for &trigger in SubscriptionTrigger::ALL {
            match transition(from, trigger) {
                Ok((to, event)) => {
                    let row = TRANSITIONS
                        .iter()
                        .find(|r| r.from == from && r.trigger == trigger)
                        .expect("an accepted pair has its row");
                    assert_eq!((row.to, row.event), (to, event));
                }
                Err(err) => {
                    assert!(!listed.contains(&(from, trigger)));
                    assert_eq!(err, TransitionError { from, trigger });
                    let message = err.to_string();
                    assert!(message.contains(from.as_str()), "{message}");
                    assert!(message.contains(trigger.as_str()), "{message}");
                }
            }
        }
    }
}

#[test]
fn final_states_accept_nothing_and_every_other_state_can_be_cancelled() {
    for &from in SubscriptionStatus::ALL {
        for &trigger in SubscriptionTrigger::ALL {
            if from.is_final() {
                assert!(transition(from, trigger).is_err(), "{from} took {trigger}");
            }
        }
        if !from.is_final() {
            assert_eq!(
                transition(from, SubscriptionTrigger::Cancelled).unwrap(),
                (
                    SubscriptionStatus::Cancelled,
                    SubscriptionEventName::Cancelled
                )
            );
        }
    }
}

#[test]
fn every_status_is_reachable_from_created() {
    let mut reached = HashSet::from([SubscriptionStatus::Created]);
    loop {
        let before = reached.len();
        for r in TRANSITIONS {
            if reached.contains(&r.from) {
                reached.insert(r.to);
            }
        }
        if reached.len() == before {
            break;
        }
    }
    assert_eq!(reached.len(), SubscriptionStatus::ALL.len());
}

fn walk(from: SubscriptionStatus, triggers: &[SubscriptionTrigger]) -> Vec<&'static str> {
    let mut status = from;
    triggers
        .iter()
        .map(|&trigger| {
            let (to, event) = transition(status, trigger).unwrap();
            status = to;
            event.as_str()
        })
        .collect()
}

#[test]
fn a_trial_converts_renews_and_completes() {
    use SubscriptionTrigger::*;
    let events = walk(
        SubscriptionStatus::Created,
        &[
            MandateAuthorized,
            TrialStarted,
            TrialEnded,
            Charged,
            Charged,
            Completed,
        ],
    );
    assert_eq!(
        events,
        [
            "subscription.authenticated",
            "subscription.trial_started",
            "subscription.activated",
            "subscription.charged",
            "subscription.charged",
            "subscription.completed",
        ]
    );
}

#[test]
fn dunning_halts_and_a_fixed_mandate_recovers() {
    use SubscriptionStatus as S;
    use SubscriptionTrigger::*;
    assert_eq!(transition(S::Active, ChargeFailed).unwrap().0, S::PastDue);
    assert_eq!(transition(S::PastDue, ChargeFailed).unwrap().0, S::PastDue);
    assert_eq!(transition(S::PastDue, Charged).unwrap().0, S::Active);
    assert_eq!(
        transition(S::PastDue, RetriesExhausted).unwrap(),
        (S::Halted, SubscriptionEventName::Halted)
    );
    assert_eq!(
        transition(S::Halted, MandateAuthorized).unwrap(),
        (S::PastDue, SubscriptionEventName::MandateAuthorized)
    );
    assert_eq!(
        transition(S::Halted, Charged).unwrap(),
        (S::Active, SubscriptionEventName::Activated)
    );
    assert!(
        transition(S::Halted, ChargeFailed).is_err(),
        "a halted subscription is not charged"
    );
}

#[test]
fn pauses_by_merchant_or_customer_resume_and_revocation_halts() {
    use SubscriptionStatus as S;
    use SubscriptionTrigger::*;
    assert_eq!(
        walk(S::Active, &[Paused, Resumed]),
        ["subscription.paused", "subscription.resumed"]
    );
    assert_eq!(
        walk(S::Active, &[MandatePaused, MandateResumed]),
        ["mandate.paused", "mandate.resumed"]
    );
    assert_eq!(transition(S::PastDue, MandatePaused).unwrap().0, S::Halted);
    for from in [
        S::Authenticated,
        S::Trialing,
        S::Active,
        S::PastDue,
        S::Paused,
        S::Halted,
    ] {
        assert_eq!(
            transition(from, MandateRevoked).unwrap(),
            (S::Halted, SubscriptionEventName::MandateRevoked),
            "{from}"
        );
    }
    assert!(
        transition(S::Created, MandateRevoked).is_err(),
        "no mandate to revoke yet"
    );
    assert!(
        transition(S::Paused, Charged).is_err(),
        "a paused subscription is not charged"
    );
}

#[test]
fn trial_will_end_is_a_name_no_transition_emits() {
    assert!(TRANSITIONS
        .iter()
        .all(|r| r.event != SubscriptionEventName::TrialWillEnd));
    assert_eq!(
        SubscriptionEventName::TrialWillEnd.as_str(),
        "subscription.trial_will_end"
    );
}

#[test]
fn wire_names_are_unique_serde_equal_and_parse_back() {
    fn check<T>(all: &[T], well_formed: fn(&str) -> bool)
    where
        T: Copy
            + std::fmt::Debug
            + PartialEq
            + std::str::FromStr
            + serde::Serialize
            + std::fmt::Display,
    {
        let mut seen = HashSet::new();
        for value in all {
            let name = value.to_string();
            assert!(seen.insert(name.clone()), "{name} twice");
            assert!(well_formed(&name), "{name}");
            assert_eq!(serde_json::to_string(value).unwrap(), format!("\"{name}\""));
            assert!(name.parse::<T>().ok() == Some(*value));
        }
    }
    fn snake(name: &str) -> bool {
        name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
    }
    check(SubscriptionStatus::ALL, snake);
    check(SubscriptionTrigger::ALL, snake);
    check(Interval::ALL, snake);
    check(Rail::ALL, snake);
    check(MandateFlow::ALL, snake);
    check(MandateCategory::ALL, snake);
    check(ProrationMode::ALL, snake);
    check(SubscriptionEventName::ALL, |name| {
        name.split_once('.').is_some_and(|(area, what)| {
            ["subscription", "mandate"].contains(&area) && !what.is_empty() && snake(what)
        })
    });
    assert_eq!(
        "past-due"
            .parse::<SubscriptionStatus>()
            .unwrap_err()
            .field(),
        Some("status")
    );
    assert_eq!(
        serde_json::from_str::<SubscriptionStatus>("\"past_due\"").unwrap(),
        SubscriptionStatus::PastDue
    );
}

// ---------------------------------------------------------------------------
// Billing periods
// ---------------------------------------------------------------------------

#[test]
fn monthly_on_the_31st_clamps_to_the_month_end_and_returns_to_the_31st() {
    let anchor = ist("2026-01-31T09:15:00");
    let monthly = cycle(Interval::Monthly, 1);
    let starts: Vec<_> = (0..5)
        .map(|n| calendar::rfc3339_in_india(next_period_start(anchor, monthly, n).unwrap()))
        .collect();
    assert_eq!(
        starts,
        [
            "2026-01-31T09:15:00+05:30",
            "2026-02-28T09:15:00+05:30",
            "2026-03-31T09:15:00+05:30",
            "2026-04-30T09:15:00+05:30",
            "2026-05-31T09:15:00+05:30",
        ]
    );
    let leap = next_period_start(anchor, monthly, 25).unwrap();
    assert_eq!(
        calendar::rfc3339_in_india(leap),
        "2028-02-29T09:15:00+05:30"
    );
}

#[test]
fn other_intervals_step_in_their_calendar_units() {
    let anchor = ist("2028-02-29T23:30:00");
    let start = |interval, count, n| {
        calendar::rfc3339_in_india(next_period_start(anchor, cycle(interval, count), n).unwrap())
    };
    assert_eq!(start(Interval::Yearly, 1, 1), "2029-02-28T23:30:00+05:30");
    assert_eq!(start(Interval::Yearly, 1, 4), "2032-02-29T23:30:00+05:30");
    assert_eq!(
        start(Interval::Quarterly, 1, 1),
        "2028-05-29T23:30:00+05:30"
    );
    assert_eq!(
        start(Interval::HalfYearly, 1, 1),
        "2028-08-29T23:30:00+05:30"
    );
    assert_eq!(start(Interval::Weekly, 2, 1), "2028-03-14T23:30:00+05:30");
    assert_eq!(start(Interval::Daily, 1, 1), "2028-03-01T23:30:00+05:30");
    assert_eq!(start(Interval::Monthly, 3, 0), "2028-02-29T23:30:00+05:30");
}

#[test]
fn interval_counts_are_bounded_to_a_year() {
    for &interval in Interval::ALL {
        let max = interval.max_count();
        assert!(BillingCycle::new(interval, 1).is_ok());
        assert!(BillingCycle::new(interval, max).is_ok());
        assert_eq!(
            BillingCycle::new(interval, 0).unwrap_err(),
            PeriodError::InvalidCount {
                interval,
                count: 0,
                max
            }
        );
        assert!(BillingCycle::new(interval, max + 1).is_err());
        let longest = cycle(interval, max).longest_secs();
        assert!(
            longest <= MAX_DAYS_PER_MONTH * 12 * SECS_PER_DAY,
            "{interval}"
        );
    }
    let err: crate::Error = BillingCycle::new(Interval::Monthly, 13).unwrap_err().into();
    assert_eq!(err.field(), Some("interval_count"));
}

#[test]
fn the_period_containing_an_instant_is_found() {
    let anchor = ist("2026-01-31T09:15:00");
    let monthly = cycle(Interval::Monthly, 1);
    let period = period_containing(anchor, monthly, ist("2026-03-31T09:14:59")).unwrap();
    assert_eq!(period.index, 1);
    assert_eq!(period.start_secs, ist("2026-02-28T09:15:00"));
    assert_eq!(period.end_secs, ist("2026-03-31T09:15:00"));
    let next = period_containing(anchor, monthly, ist("2026-03-31T09:15:00")).unwrap();
    assert_eq!(next.index, 2);
    assert_eq!(period_containing(anchor, monthly, anchor).unwrap().index, 0);
    assert_eq!(
        period_containing(anchor, monthly, anchor - 1).unwrap_err(),
        PeriodError::BeforeAnchor {
            anchor_secs: anchor,
            at_secs: anchor - 1
        }
    );
    assert_eq!(
        next_period_start(anchor, cycle(Interval::Yearly, 1), 9_000),
        Err(PeriodError::OutOfRange)
    );
}

fn any_cycle() -> impl Strategy<Value = BillingCycle> {
    prop::sample::select(Interval::ALL.to_vec()).prop_flat_map(|interval| {
        (1..=interval.max_count()).prop_map(move |count| cycle(interval, count))
    })
}

/// Anchors between 2000 and 2100.
fn any_anchor() -> impl Strategy<Value = i64> {
    946_684_800i64..4_102_444_800i64
}

proptest! {
    #[test]
    fn periods_strictly_increase_and_are_contiguous(
        anchor in any_anchor(), cycle in any_cycle(), n in 0u32..120,
    ) {
        let this = billing_period(anchor, cycle, n).unwrap();
        let next = billing_period(anchor, cycle, n + 1).unwrap();
        prop_assert!(this.start_secs < this.end_secs);
        prop_assert_eq!(this.end_secs, next.start_secs);
        prop_assert!(this.end_secs - this.start_secs <= cycle.longest_secs());
        if n == 0 {
            prop_assert_eq!(this.start_secs, anchor);
        }
    }

    #[test]
    fn periods_are_anchor_stable(anchor in any_anchor(), cycle in any_cycle(), n in 0u32..120) {
        let at_anchor = calendar::datetime_in_india(anchor);
        let start = next_period_start(anchor, cycle, n).unwrap();
        let at_start = calendar::datetime_in_india(start);
        prop_assert_eq!(at_start.time(), at_anchor.time(), "the wall clock is the anchor's");
        match cycle.step() {
            CalendarStep::Days(days) => {
                prop_assert_eq!(start - anchor, days * i64::from(n) * SECS_PER_DAY);
            }
            CalendarStep::Months(_) => {
                // No drift: the anchor's day, or the month's last day when shorter.
                let expected_day = at_anchor.day().min(at_start.days_in_month());
                prop_assert_eq!(at_start.day(), expected_day);
            }
        }
    }

    #[test]
    fn the_containing_period_contains(
        anchor in any_anchor(), cycle in any_cycle(), offset in 0i64..(40 * 366 * SECS_PER_DAY),
    ) {
        let at = anchor + offset;
        let period = period_containing(anchor, cycle, at).unwrap();
        prop_assert!(period.start_secs <= at && at < period.end_secs);
        prop_assert_eq!(period, billing_period(anchor, cycle, period.index).unwrap());
    }
}

// ---------------------------------------------------------------------------
// Who notifies and who retries
// ---------------------------------------------------------------------------

#[test]
fn responsibilities_follow_the_research_table() {
    use MandateFlow::{Controlled, Managed};
    use Party::{Finvex, Provider};
    use ProviderName::{Cashfree, Razorpay, Sandbox};
    use Rail::{Card, Emandate, UpiAutopay};
    let both = |party| Responsibility {
        notice_by: party,
        retries_by: party,
    };
    let notice_then_finvex = Responsibility {
        notice_by: Provider,
        retries_by: Finvex,
    };
    let expected = [
        (Razorpay, UpiAutopay, Controlled, Some(both(Finvex))),
        (Razorpay, UpiAutopay, Managed, Some(both(Provider))),
        (Razorpay, Card, Controlled, Some(both(Finvex))),
        (Razorpay, Card, Managed, Some(both(Provider))),
        (Razorpay, Emandate, Controlled, None),
        (Razorpay, Emandate, Managed, Some(notice_then_finvex)),
        (Cashfree, UpiAutopay, Controlled, Some(both(Finvex))),
        (Cashfree, UpiAutopay, Managed, Some(both(Provider))),
        (Cashfree, Card, Controlled, None),
        (Cashfree, Card, Managed, Some(notice_then_finvex)),
        (Cashfree, Emandate, Controlled, None),
        (Cashfree, Emandate, Managed, Some(notice_then_finvex)),
        (Sandbox, UpiAutopay, Controlled, Some(both(Finvex))),
        (Sandbox, Card, Managed, Some(both(Provider))),
        (Sandbox, Emandate, Controlled, Some(both(Finvex))),
    ];
    for (provider, rail, flow, want) in expected {
        let got = responsibility(provider, rail, flow);
        match want {
            Some(want) => assert_eq!(got, Ok(want), "{provider:?} {rail} {flow}"),
            None => assert_eq!(
                got,
                Err(UnsupportedFlow {
                    provider,
                    rail,
                    flow
                })
            ),
        }
    }
    let err: crate::Error = responsibility(Cashfree, Card, Controlled)
        .unwrap_err()
        .into();
    assert!(
        err.to_string()
            .contains("cashfree has no controlled flow for card"),
        "{err}"
    );
}

#[test]
fn every_provider_offers_a_managed_flow_on_every_rail() {
    for provider in ProviderName::ALL {
        for &rail in Rail::ALL {
            assert!(responsibility(provider, rail, MandateFlow::Managed).is_ok());
        }
    }
}

// ---------------------------------------------------------------------------
// The pre-debit notice
// ---------------------------------------------------------------------------

#[test]
fn a_debit_waits_24_hours_after_delivery_and_matches_the_amount() {
    let delivered = ist("2026-05-04T11:00:00");
    let notice = PreDebitNotice {
        amount_paise: 99_900,
        delivered_at_secs: delivered,
    };
    assert_eq!(debit_allowed_at(delivered), ist("2026-05-05T11:00:00"));
    assert_eq!(
        check_debit(&notice, 99_900, ist("2026-05-05T11:00:00")),
        Ok(())
    );
    assert_eq!(
        check_debit(&notice, 99_900, ist("2026-05-05T10:59:59")),
        Err(DebitRefusal::TooSoonAfterNotice {
            allowed_at_secs: ist("2026-05-05T11:00:00")
        })
    );
    assert_eq!(
        check_debit(&notice, 99_901, ist("2026-05-06T11:00:00")),
        Err(DebitRefusal::AmountDiffersFromNotice {
            notified_paise: 99_900,
            debit_paise: 99_901
        })
    );
    assert_eq!(debit_allowed_at(i64::MAX), i64::MAX, "saturates");
}

proptest! {
    #[test]
    fn a_debit_passes_only_at_the_notified_amount_24_hours_on(
        notified in 1i64..10_000_000, debit in 1i64..10_000_000,
        delivered in any_anchor(), wait in -SECS_PER_DAY..(3 * SECS_PER_DAY),
    ) {
        let notice = PreDebitNotice { amount_paise: notified, delivered_at_secs: delivered };
        let ok = check_debit(&notice, debit, delivered + wait).is_ok();
        prop_assert_eq!(ok, debit == notified && wait >= PRE_DEBIT_NOTICE_LEAD_SECS);
    }
}

// ---------------------------------------------------------------------------
// One debit per period, never on its last day
// ---------------------------------------------------------------------------

fn may_period() -> BillingPeriod {
    BillingPeriod {
        index: 4,
        start_secs: ist("2026-05-01T00:00:00"),
        end_secs: ist("2026-06-01T00:00:00"),
    }
}

#[test]
fn one_successful_debit_per_period_and_none_on_its_last_day() {
    let may = may_period();
    assert_eq!(last_day_of_period(&may), Date::constant(2026, 5, 31));
    assert_eq!(
        check_period_debit(&may, 0, ist("2026-05-30T23:59:59")),
        Ok(())
    );
    assert_eq!(
        check_period_debit(&may, 0, ist("2026-05-31T00:00:00")),
        Err(DebitRefusal::LastDayOfPeriod {
            day: Date::constant(2026, 5, 31)
        })
    );
    assert_eq!(
        check_period_debit(&may, 1, ist("2026-05-10T14:00:00")),
        Err(DebitRefusal::AlreadyDebitedThisPeriod)
    );
    let outside = Err(DebitRefusal::OutsidePeriod {
        start_secs: may.start_secs,
        end_secs: may.end_secs,
    });
    assert_eq!(check_period_debit(&may, 0, may.end_secs), outside);
    assert_eq!(check_period_debit(&may, 0, may.start_secs - 1), outside);
    // The last notice whose debit still fits: delivered before 30 May 00:00.
    assert_eq!(notice_deadline(&may), ist("2026-05-30T00:00:00"));
    let latest_debit = debit_allowed_at(notice_deadline(&may) - 1);
    assert_eq!(check_period_debit(&may, 0, latest_debit), Ok(()));
    assert!(check_period_debit(&may, 0, debit_allowed_at(notice_deadline(&may))).is_err());
}

proptest! {
    #[test]
    fn no_debit_is_ever_allowed_on_a_periods_last_day(
        anchor in any_anchor(), cycle in any_cycle(), n in 0u32..60, offset in 0i64..(366 * SECS_PER_DAY),
    ) {
        let period = billing_period(anchor, cycle, n).unwrap();
        let at = period.start_secs + offset % (period.end_secs - period.start_secs);
        let allowed = check_period_debit(&period, 0, at).is_ok();
        prop_assert_eq!(allowed, calendar::date_in_india(at) != last_day_of_period(&period));
    }
}

// ---------------------------------------------------------------------------
// UPI AutoPay execution windows and retries
// ---------------------------------------------------------------------------

#[test]
fn off_peak_windows_have_exact_boundaries() {
    for (time, off_peak) in [
        ("00:00:00", true),
        ("09:59:59", true),
        ("10:00:00", false),
        ("12:59:59", false),
        ("13:00:00", true),
        ("16:59:59", true),
        ("17:00:00", false),
        ("21:29:59", false),
        ("21:30:00", true),
        ("23:59:59", true),
    ] {
        assert_eq!(
            is_off_peak(ist(&format!("2026-05-04T{time}"))),
            off_peak,
            "{time}"
        );
    }
}

#[test]
fn a_peak_instant_waits_for_the_next_window() {
    let slot = |time: &str| {
        calendar::rfc3339_in_india(next_execution_slot(ist(&format!("2026-05-04T{time}"))))
    };
    assert_eq!(slot("08:00:00"), "2026-05-04T08:00:00+05:30");
    assert_eq!(slot("10:00:00"), "2026-05-04T13:00:00+05:30");
    assert_eq!(slot("12:59:59"), "2026-05-04T13:00:00+05:30");
    assert_eq!(slot("17:00:00"), "2026-05-04T21:30:00+05:30");
    assert_eq!(slot("21:29:59"), "2026-05-04T21:30:00+05:30");
    assert_eq!(slot("23:59:59"), "2026-05-04T23:59:59+05:30");
}

#[test]
fn an_execution_gets_one_attempt_and_three_hourly_off_peak_retries() {
    let mut failed_at = ist("2026-05-04T08:30:00");
    let mut attempts = vec![calendar::rfc3339_in_india(failed_at)];
    for failed_attempt in 1..=MAX_UPI_ATTEMPTS {
        match retry_at(failed_attempt, failed_at) {
            RetryDecision::RetryAt { attempt, at_secs } => {
                assert_eq!(attempt, failed_attempt + 1);
                attempts.push(calendar::rfc3339_in_india(at_secs));
                failed_at = at_secs;
            }
            RetryDecision::Exhausted => assert_eq!(failed_attempt, MAX_UPI_ATTEMPTS),
        }
    }
    assert_eq!(
        attempts,
        [
            "2026-05-04T08:30:00+05:30",
            "2026-05-04T09:30:00+05:30",
            "2026-05-04T13:00:00+05:30",
            "2026-05-04T14:00:00+05:30",
        ]
    );
    assert_eq!(MAX_UPI_ATTEMPTS, 4);
}

#[test]
fn retries_stay_on_the_executions_day() {
    assert_eq!(
        retry_at(1, ist("2026-05-04T23:10:00")),
        RetryDecision::Exhausted
    );
    assert_eq!(
        retry_at(1, ist("2026-05-04T22:10:00")),
        RetryDecision::RetryAt {
            attempt: 2,
            at_secs: ist("2026-05-04T23:10:00")
        }
    );
    assert_eq!(
        retry_at(0, ist("2026-05-04T16:00:00")),
        retry_at(1, ist("2026-05-04T16:00:00")),
        "0 counts as the original attempt"
    );
}

proptest! {
    #[test]
    fn the_execution_slot_is_the_earliest_off_peak_instant(at in any_anchor()) {
        let slot = next_execution_slot(at);
        prop_assert!(slot >= at);
        prop_assert!(is_off_peak(slot));
        // Peak stretches are at most 4 h 30 min (17:00-21:30).
        prop_assert!(slot - at <= 4 * 3_600 + 1_800);
        if slot > at {
            prop_assert!(!is_off_peak(slot - 1) && !is_off_peak(at));
        }
    }

    #[test]
    fn retries_are_off_peak_spaced_same_day_and_at_most_three(
        first_at in any_anchor(), gaps in prop::collection::vec(0i64..7_200, 4),
    ) {
        let first = next_execution_slot(first_at);
        let mut failed_at = first;
        let mut attempts = 1u8;
        for gap in gaps {
            match retry_at(attempts, failed_at) {
                RetryDecision::RetryAt { attempt, at_secs } => {
                    prop_assert_eq!(attempt, attempts + 1);
                    prop_assert!(at_secs >= failed_at + UPI_RETRY_SPACING_SECS);
                    prop_assert!(is_off_peak(at_secs));
                    prop_assert_eq!(calendar::date_in_india(at_secs), calendar::date_in_india(failed_at));
                    attempts = attempt;
                    // The attempt may fail a little after it started.
                    failed_at = at_secs + gap.min(60);
                }
                RetryDecision::Exhausted => break,
            }
        }
        prop_assert!(attempts <= MAX_UPI_ATTEMPTS);
    }
}

#[test]
fn a_controlled_upi_debit_passes_every_rule_or_names_the_one_it_breaks() {
    let notice = PreDebitNotice {
        amount_paise: 49_900,
        delivered_at_secs: ist("2026-05-10T09:00:00"),
    };
    let ok = MandateDebit {
        rail: Rail::UpiAutopay,
        notice,
        amount_paise: 49_900,
        at_secs: ist("2026-05-11T09:30:00"),
        period: may_period(),
        successful_debits_in_period: 0,
        attempt: 1,
    };
    assert_eq!(check_mandate_debit(&ok), Ok(()));
    let peak = MandateDebit {
        at_secs: ist("2026-05-11T10:30:00"),
        ..ok
    };
    assert_eq!(
        check_mandate_debit(&peak),
        Err(DebitRefusal::PeakHours {
            next_slot_secs: ist("2026-05-11T13:00:00")
        })
    );
    assert_eq!(
        check_mandate_debit(&MandateDebit {
            rail: Rail::Card,
            ..peak
        }),
        Ok(()),
        "the windows are UPI's"
    );
    assert_eq!(
        check_mandate_debit(&MandateDebit { attempt: 5, ..ok }),
        Err(DebitRefusal::AttemptsExhausted { attempt: 5, max: 4 })
    );
    assert_eq!(
        check_mandate_debit(&MandateDebit {
            successful_debits_in_period: 1,
            ..ok
        }),
        Err(DebitRefusal::AlreadyDebitedThisPeriod)
    );
    assert!(matches!(
        check_mandate_debit(&MandateDebit {
            amount_paise: 50_000,
            ..ok
        }),
        Err(DebitRefusal::AmountDiffersFromNotice { .. })
    ));
    let err: crate::Error = check_mandate_debit(&peak).unwrap_err().into();
    assert_eq!(err.field(), Some("debit"));
}

// ---------------------------------------------------------------------------
// AFA
// ---------------------------------------------------------------------------

#[test]
fn afa_free_limits_are_15_000_or_1_00_000_rupees_inclusive() {
    use MandateCategory::*;
    assert!(!needs_customer_approval(
        Rail::UpiAutopay,
        1_500_000,
        General
    ));
    assert!(needs_customer_approval(
        Rail::UpiAutopay,
        1_500_001,
        General
    ));
    assert!(needs_customer_approval(Rail::Card, 1_500_001, General));
    for category in [MutualFund, Insurance, CreditCardBill] {
        assert!(!needs_customer_approval(Rail::Card, 10_000_000, category));
        assert!(needs_customer_approval(
            Rail::UpiAutopay,
            10_000_001,
            category
        ));
    }
    assert!(!needs_customer_approval(
        Rail::Emandate,
        500_000_000,
        General
    ));
}

proptest! {
    #[test]
    fn approval_is_needed_exactly_above_the_categorys_limit(
        amount in 0i64..20_000_000,
        category in prop::sample::select(MandateCategory::ALL.to_vec()),
        rail in prop::sample::select(Rail::ALL.to_vec()),
    ) {
        let needs = needs_customer_approval(rail, amount, category);
        prop_assert_eq!(needs, rail != Rail::Emandate && amount > afa_free_limit_paise(category));
        if needs {
            prop_assert!(needs_customer_approval(rail, amount + 1, category), "monotone");
        }
    }
}

// ---------------------------------------------------------------------------
// Proration
// ---------------------------------------------------------------------------

/// ₹999 → ₹1,999 halfway through a 30-day period.
fn halfway_upgrade() -> PlanChange {
    PlanChange {
        old_amount_paise: 99_900,
        new_amount_paise: 199_900,
        period_start_secs: ist("2026-06-01T00:00:00"),
        period_end_secs: ist("2026-07-01T00:00:00"),
        change_at_secs: ist("2026-06-16T00:00:00"),
    }
}

#[test]
fn each_mode_bills_a_halfway_upgrade_as_documented() {
    let change = halfway_upgrade();
    let outcome = |mode| {
        let o = prorate(&change, mode).unwrap();
        (
            o.charge_now_paise,
            o.credit_paise,
            o.next_cycle_amount_paise,
        )
    };
    let now = prorate(&change, ProrationMode::ProrateNow).unwrap();
    assert_eq!(
        (now.unused_old_paise, now.remaining_new_paise),
        (49_950, 99_950)
    );
    assert_eq!(outcome(ProrationMode::ProrateNow), (50_000, 0, 199_900));
    assert_eq!(outcome(ProrationMode::ProrateNext), (0, 0, 249_900));
    assert_eq!(outcome(ProrationMode::FullNow), (199_900, 0, 199_900));
    assert_eq!(outcome(ProrationMode::FullNext), (0, 0, 399_800));
    assert_eq!(outcome(ProrationMode::DoNotBill), (0, 0, 199_900));
}

#[test]
fn a_downgrade_credits_and_a_large_credit_outlives_the_next_invoice() {
    let change = PlanChange {
        old_amount_paise: 199_900,
        new_amount_paise: 99_900,
        ..halfway_upgrade()
    };
    let now = prorate(&change, ProrationMode::ProrateNow).unwrap();
    assert_eq!(
        (
            now.charge_now_paise,
            now.credit_paise,
            now.next_cycle_amount_paise
        ),
        (0, 50_000, 99_900)
    );
    let next = prorate(&change, ProrationMode::ProrateNext).unwrap();
    assert_eq!(
        (next.credit_paise, next.next_cycle_amount_paise),
        (0, 49_900)
    );
    // A yearly plan dropped to a cheap one early: the credit exceeds the next invoice.
    let big = PlanChange {
        old_amount_paise: 1_200_000,
        new_amount_paise: 10_000,
        change_at_secs: change.period_start_secs,
        ..change
    };
    let next = prorate(&big, ProrationMode::ProrateNext).unwrap();
    assert_eq!(
        (next.next_cycle_amount_paise, next.credit_paise),
        (0, 1_180_000)
    );
}

#[test]
fn shares_round_half_away_from_zero_per_line() {
    // 3 paise over 6 s with 5 s left: exactly 2.5 → 3 (never 2 through a
    // rounded ratio 5/6 = 0.8333…).
    let change = PlanChange {
        old_amount_paise: 0,
        new_amount_paise: 3,
        period_start_secs: 0,
        period_end_secs: 6,
        change_at_secs: 1,
    };
    assert_eq!(
        prorate(&change, ProrationMode::ProrateNow)
            .unwrap()
            .remaining_new_paise,
        3
    );
    assert_eq!(share_paise(1, 1, 3).unwrap(), 0);
    assert_eq!(share_paise(2, 1, 3).unwrap(), 1);
}

#[test]
fn invalid_plan_changes_are_refused_by_field() {
    let ok = halfway_upgrade();
    let field = |change: PlanChange| {
        let err: crate::Error = prorate(&change, ProrationMode::ProrateNow)
            .unwrap_err()
            .into();
        err.field().map(str::to_string)
    };
    assert_eq!(
        field(PlanChange {
            old_amount_paise: -1,
            ..ok
        })
        .as_deref(),
        Some("old_amount")
    );
    assert_eq!(
        field(PlanChange {
            new_amount_paise: MAX_PLAN_AMOUNT_PAISE + 1,
            ..ok
        })
        .as_deref(),
        Some("new_amount")
    );
    assert_eq!(
        field(PlanChange {
            period_end_secs: ok.period_start_secs,
            ..ok
        })
        .as_deref(),
        Some("period")
    );
    assert_eq!(
        field(PlanChange {
            period_end_secs: ok.period_start_secs + MAX_PERIOD_SECS + 1,
            ..ok
        })
        .as_deref(),
        Some("period")
    );
    assert_eq!(
        field(PlanChange {
            change_at_secs: ok.period_end_secs + 1,
            ..ok
        })
        .as_deref(),
        Some("change_at")
    );
    assert_eq!(
        field(PlanChange {
            change_at_secs: i64::MIN,
            ..ok
        })
        .as_deref(),
        Some("change_at")
    );
}

#[test]
fn an_upgrade_above_the_mandate_ceiling_needs_a_new_mandate() {
    assert!(!needs_new_mandate(1_500_000, 1_500_000));
    assert!(needs_new_mandate(1_500_001, 1_500_000));
    let full_next = prorate(&halfway_upgrade(), ProrationMode::FullNext).unwrap();
    assert_eq!(full_next.largest_debit_paise(), 399_800);
    assert!(needs_new_mandate(full_next.largest_debit_paise(), 250_000));
}

fn any_plan_change() -> impl Strategy<Value = PlanChange> {
    (
        0i64..=MAX_PLAN_AMOUNT_PAISE,
        0i64..=MAX_PLAN_AMOUNT_PAISE,
        any_anchor(),
        1i64..=MAX_PERIOD_SECS,
    )
        .prop_flat_map(|(old, new, start, length)| {
            (0..=length).prop_map(move |elapsed| PlanChange {
                old_amount_paise: old,
                new_amount_paise: new,
                period_start_secs: start,
                period_end_secs: start + length,
                change_at_secs: start + elapsed,
            })
        })
}

fn any_mode() -> impl Strategy<Value = ProrationMode> {
    prop::sample::select(ProrationMode::ALL.to_vec())
}

proptest! {
    #[test]
    fn proration_is_never_negative_nor_above_the_new_price(change in any_plan_change(), mode in any_mode()) {
        let o = prorate(&change, mode).unwrap();
        for amount in [o.unused_old_paise, o.remaining_new_paise, o.charge_now_paise, o.credit_paise, o.next_cycle_amount_paise] {
            prop_assert!(amount >= 0);
        }
        prop_assert!(o.charge_now_paise <= change.new_amount_paise);
        prop_assert!(o.remaining_new_paise <= change.new_amount_paise);
        prop_assert!(o.unused_old_paise <= change.old_amount_paise);
        if matches!(mode, ProrationMode::ProrateNow | ProrationMode::ProrateNext) {
            prop_assert!(o.charge_now_paise <= o.remaining_new_paise);
        }
    }

    #[test]
    fn an_upgrade_mirrors_the_opposite_downgrade(change in any_plan_change()) {
        let back = PlanChange {
            old_amount_paise: change.new_amount_paise,
            new_amount_paise: change.old_amount_paise,
            ..change
        };
        let up = prorate(&change, ProrationMode::ProrateNow).unwrap();
        let down = prorate(&back, ProrationMode::ProrateNow).unwrap();
        prop_assert_eq!(up.charge_now_paise, down.credit_paise);
        prop_assert_eq!(up.credit_paise, down.charge_now_paise);
        let net = |o: ProrationOutcome, new: i64| o.next_cycle_amount_paise - o.credit_paise - new;
        let up = prorate(&change, ProrationMode::ProrateNext).unwrap();
        let down = prorate(&back, ProrationMode::ProrateNext).unwrap();
        prop_assert_eq!(net(up, change.new_amount_paise), -net(down, back.new_amount_paise));
    }

    #[test]
    fn prorate_now_settles_exactly_the_two_lines(change in any_plan_change()) {
        let o = prorate(&change, ProrationMode::ProrateNow).unwrap();
        prop_assert_eq!(o.charge_now_paise - o.credit_paise, o.remaining_new_paise - o.unused_old_paise);
        prop_assert!(o.charge_now_paise == 0 || o.credit_paise == 0);
        if change.old_amount_paise == change.new_amount_paise {
            prop_assert_eq!((o.charge_now_paise, o.credit_paise), (0, 0));
        }
    }
}
