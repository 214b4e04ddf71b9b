//! The rules of subscriptions and mandates (pure): the lifecycle table,
//! billing periods, who notifies and retries, the debit rules, the AFA
//! limits and proration. Research rows are cited as "§2.5 Execute"
//! (`billing-dunning-messaging.md`), "A.2" / "B.1.3" (`recurring-mandates.md`)
//! and "c6" (`mor-peers.md`).

use rust_decimal::{Decimal, RoundingStrategy};

use super::{
    BillingCycle, BillingPeriod, DebitRefusal, Interval, MandateCategory, MandateDebit,
    MandateFlow, Party, PeriodError, PlanChange, PreDebitNotice, ProrationError, ProrationMode,
    ProrationOutcome, Rail, Responsibility, RetryDecision, SubscriptionEventName,
    SubscriptionStatus, SubscriptionTrigger, TransitionError, UnsupportedFlow,
};
use crate::calendar::{self, Date, Time};
use crate::providers::ProviderName;

// ---------------------------------------------------------------------------
// Lifecycle
// ---------------------------------------------------------------------------

/// One row of the lifecycle: in `from`, `trigger` moves to `to` and emits `event`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TransitionRow {
    pub from: SubscriptionStatus,
    pub trigger: SubscriptionTrigger,
    pub to: SubscriptionStatus,
    pub event: SubscriptionEventName,
}

const fn row(
    from: SubscriptionStatus,
    trigger: SubscriptionTrigger,
    to: SubscriptionStatus,
    event: SubscriptionEventName,
) -> TransitionRow {
    TransitionRow {
        from,
        trigger,
        to,
        event,
    }
}

use SubscriptionEventName as Ev;
use SubscriptionStatus as St;
use SubscriptionTrigger as Tr;

/// The whole lifecycle. A (status, trigger) pair not listed is refused.
///
/// Why some rows are as they are:
/// - A revoked mandate halts rather than cancels: revocations are common and
///   tied to low balances (§2.5 "Scale of the problem"), so the merchant or
///   dunning decides whether to win the customer back with a new mandate.
/// - A customer's pause while a debit is owed halts (the debt cannot be
///   collected from a paused mandate); while paid up, it pauses.
/// - From `halted`, a new or resumed mandate returns to `past_due` (the
///   debit is still owed and may be retried); a successful charge
///   reactivates.
#[rustfmt::skip]
pub const TRANSITIONS: &[TransitionRow] = &[
    //  from               trigger                to                 event
    row(St::Created,       Tr::MandateAuthorized, St::Authenticated, Ev::Authenticated),
    row(St::Created,       Tr::MandateRejected,   St::Created,       Ev::MandateRejected),
    row(St::Created,       Tr::Cancelled,         St::Cancelled,     Ev::Cancelled),

    row(St::Authenticated, Tr::TrialStarted,      St::Trialing,      Ev::TrialStarted),
    row(St::Authenticated, Tr::Charged,           St::Active,        Ev::Activated),
    row(St::Authenticated, Tr::ChargeFailed,      St::PastDue,       Ev::PaymentFailed),
    row(St::Authenticated, Tr::MandateRevoked,    St::Halted,        Ev::MandateRevoked),
    row(St::Authenticated, Tr::Cancelled,         St::Cancelled,     Ev::Cancelled),

    row(St::Trialing,      Tr::TrialEnded,        St::Active,        Ev::Activated),
    row(St::Trialing,      Tr::MandateRevoked,    St::Halted,        Ev::MandateRevoked),
    row(St::Trialing,      Tr::Cancelled,         St::Cancelled,     Ev::Cancelled),

    row(St::Active,        Tr::Charged,           St::Active,        Ev::Charged),
    row(St::Active,        Tr::ChargeFailed,      St::PastDue,       Ev::PaymentFailed),
    row(St::Active,        Tr::Paused,            St::Paused,        Ev::Paused),
    row(St::Active,        Tr::MandatePaused,     St::Paused,        Ev::MandatePaused),
    row(St::Active,        Tr::MandateRevoked,    St::Halted,        Ev::MandateRevoked),
    row(St::Active,        Tr::Completed,         St::Completed,     Ev::Completed),
    row(St::Active,        Tr::Cancelled,         St::Cancelled,     Ev::Cancelled),

    row(St::PastDue,       Tr::Charged,           St::Active,        Ev::Charged),
    row(St::PastDue,       Tr::ChargeFailed,      St::PastDue,       Ev::PaymentFailed),
    row(St::PastDue,       Tr::RetriesExhausted,  St::Halted,        Ev::Halted),
    row(St::PastDue,       Tr::MandatePaused,     St::Halted,        Ev::MandatePaused),
    row(St::PastDue,       Tr::MandateRevoked,    St::Halted,        Ev::MandateRevoked),
    row(St::PastDue,       Tr::Cancelled,         St::Cancelled,     Ev::Cancelled),

    row(St::Halted,        Tr::Charged,           St::Active,        Ev::Activated),
    row(St::Halted,        Tr::MandateAuthorized, St::PastDue,       Ev::MandateAuthorized),
    row(St::Halted,        Tr::MandateResumed,    St::PastDue,       Ev::MandateResumed),
    row(St::Halted,        Tr::MandateRevoked,    St::Halted,        Ev::MandateRevoked),
    row(St::Halted,        Tr::Cancelled,         St::Cancelled,     Ev::Cancelled),

    row(St::Paused,        Tr::Resumed,           St::Active,        Ev::Resumed),
    row(St::Paused,        Tr::MandateResumed,    St::Active,        Ev::MandateResumed),
    row(St::Paused,        Tr::MandateRevoked,    St::Halted,        Ev::MandateRevoked),
    row(St::Paused,        Tr::Cancelled,         St::Cancelled,     Ev::Cancelled),
];

/// The status `trigger` moves a subscription in `from` to, and the event
/// that move emits; a pair outside [`TRANSITIONS`] is an error naming both.
pub fn transition(
    from: SubscriptionStatus,
    trigger: SubscriptionTrigger,
) -> Result<(SubscriptionStatus, SubscriptionEventName), TransitionError> {
    TRANSITIONS
        .iter()
        .find(|r| r.from == from && r.trigger == trigger)
        .map(|r| (r.to, r.event))
        .ok_or(TransitionError { from, trigger })
}

// ---------------------------------------------------------------------------
// Billing periods (anchor-based, in India's calendar)
// ---------------------------------------------------------------------------

const SECS_PER_DAY: i64 = 24 * 60 * 60;
/// No calendar month is longer: bounds a period's length for the search in
/// [`period_containing`].
const MAX_DAYS_PER_MONTH: i64 = 31;

/// One period's length in calendar units.
enum CalendarStep {
    Days(i64),
    Months(i64),
}

impl Interval {
    /// The largest `interval_count`: a cycle of at most one year. Yearly is
    /// the longest UPI AutoPay frequency (§2.5 "Create"), so a longer cycle
    /// could not be matched by a mandate's frequency.
    pub fn max_count(self) -> u16 {
        match self {
            Interval::Daily => 365,
            Interval::Weekly => 52,
            Interval::Monthly => 12,
            Interval::Quarterly => 4,
            Interval::HalfYearly => 2,
            Interval::Yearly => 1,
        }
    }

    fn step(self) -> CalendarStep {
        match self {
            Interval::Daily => CalendarStep::Days(1),
            Interval::Weekly => CalendarStep::Days(7),
            Interval::Monthly => CalendarStep::Months(1),
            Interval::Quarterly => CalendarStep::Months(3),
            Interval::HalfYearly => CalendarStep::Months(6),
            Interval::Yearly => CalendarStep::Months(12),
        }
    }
}

impl BillingCycle {
    /// `count` × `interval`, with `count` in `1..=interval.max_count()`.
    pub fn new(interval: Interval, count: u16) -> Result<BillingCycle, PeriodError> {
        let max = interval.max_count();
        if count == 0 || count > max {
            return Err(PeriodError::InvalidCount {
                interval,
                count,
                max,
            });
        }
        Ok(BillingCycle { interval, count })
    }

    fn step(self) -> CalendarStep {
        match self.interval.step() {
            CalendarStep::Days(days) => CalendarStep::Days(days * i64::from(self.count)),
            CalendarStep::Months(months) => CalendarStep::Months(months * i64::from(self.count)),
        }
    }

    /// An upper bound on one period's length in seconds.
    fn longest_secs(self) -> i64 {
        match self.step() {
            CalendarStep::Days(days) => days * SECS_PER_DAY,
            CalendarStep::Months(months) => months * MAX_DAYS_PER_MONTH * SECS_PER_DAY,
        }
    }
}

/// The start of period `n` (0 is the anchor): `n` cycles after the anchor,
/// counted from the anchor each time, never from the previous period, so a
/// monthly cycle anchored on the 31st clamps to a shorter month's end and
/// comes back to the 31st (31 Jan → 28 Feb → 31 Mar). The wall-clock time
/// in India is the anchor's.
pub fn next_period_start(
    anchor_secs: i64,
    cycle: BillingCycle,
    n: u32,
) -> Result<i64, PeriodError> {
    let n = i64::from(n);
    let start = match cycle.step() {
        CalendarStep::Days(days) => calendar::add_days_in_india(anchor_secs, days * n),
        CalendarStep::Months(months) => calendar::add_months_in_india(anchor_secs, months * n),
    };
    start.ok_or(PeriodError::OutOfRange)
}

/// Period `index`: from its start to the next period's start.
pub fn billing_period(
    anchor_secs: i64,
    cycle: BillingCycle,
    index: u32,
) -> Result<BillingPeriod, PeriodError> {
    let next = index.checked_add(1).ok_or(PeriodError::OutOfRange)?;
    Ok(BillingPeriod {
        index,
        start_secs: next_period_start(anchor_secs, cycle, index)?,
        end_secs: next_period_start(anchor_secs, cycle, next)?,
    })
}

/// The period that contains `at_secs` (at or after the anchor).
pub fn period_containing(
    anchor_secs: i64,
    cycle: BillingCycle,
    at_secs: i64,
) -> Result<BillingPeriod, PeriodError> {
    if at_secs < anchor_secs {
        return Err(PeriodError::BeforeAnchor {
            anchor_secs,
            at_secs,
        });
    }
    // No period is longer than `longest_secs`, so this index is at or before
    // the answer; walk forward from it (and back, should the bound be off).
    let estimate = (at_secs - anchor_secs) / cycle.longest_secs();
    let mut index = u32::try_from(estimate).map_err(|_| PeriodError::OutOfRange)?;
    loop {
        let period = billing_period(anchor_secs, cycle, index)?;
        if at_secs >= period.end_secs {
            index = index.checked_add(1).ok_or(PeriodError::OutOfRange)?;
        } else if at_secs < period.start_secs && index > 0 {
            index -= 1;
        } else {
            return Ok(period);
        }
    }
}

// ---------------------------------------------------------------------------
// Who notifies and who retries
// ---------------------------------------------------------------------------

const FINVEX_DRIVES: Responsibility = Responsibility {
    notice_by: Party::Finvex,
    retries_by: Party::Finvex,
};
const PROVIDER_DRIVES: Responsibility = Responsibility {
    notice_by: Party::Provider,
    retries_by: Party::Provider,
};
const PROVIDER_NOTIFIES_FINVEX_RETRIES: Responsibility = Responsibility {
    notice_by: Party::Provider,
    retries_by: Party::Finvex,
};

/// Who sends the pre-debit notice and who decides on retries for a debit on
/// `rail` at `provider` through `flow` (the table in `docs/RECURRING.md`).
/// "Finvex" means Finvex must act: a missed notice or retry is never
/// covered by the provider.
pub fn responsibility(
    provider: ProviderName,
    rail: Rail,
    flow: MandateFlow,
) -> Result<Responsibility, UnsupportedFlow> {
    use MandateFlow::{Controlled, Managed};
    use ProviderName::{Cashfree, Razorpay, Sandbox};
    use Rail::{Card, Emandate, UpiAutopay};
    match (provider, rail, flow) {
        // Razorpay, order with `notification{token_id, payment_after}` (UPI and
        // cards only): "We will not attempt any retry ... You should manually
        // retry" (A.1.3, A.2; §2.6 "Razorpay custom recurring").
        (Razorpay, UpiAutopay | Card, Controlled) => Ok(FINVEX_DRIVES),
        // Without `notification` Razorpay sends the notice and debits 25 h
        // (UPI) / 36 h 5 min (cards) later; it disclaims retries only for
        // orders with `notification`, so the retries are its own (A.1.4,
        // A.2; how many is undocumented, open point 7).
        (Razorpay, UpiAutopay | Card, Managed) => Ok(PROVIDER_DRIVES),
        // eMandate: Razorpay notifies and runs the T..T+2 batch; a retry is
        // the merchant's, "only after the previous attempt's confirmation or
        // rejection" (A.1.4, A.2 eMandate row).
        (Razorpay, Emandate, Managed) => Ok(PROVIDER_NOTIFIES_FINVEX_RETRIES),
        // Controlled flow: `notify-mandate` then `execute-mandate`, UPI only;
        // "Cashfree does not retry" (B.1.3; §2.6).
        (Cashfree, UpiAutopay, Controlled) => Ok(FINVEX_DRIVES),
        // Managed `CHARGE`: Cashfree sends the notice; UPI gets 1 + 3 hourly
        // attempts (B.1.2; §2.6).
        (Cashfree, UpiAutopay, Managed) => Ok(PROVIDER_DRIVES),
        // "eNACH and card: no automatic retries" (B.1.2; §2.6): a retry is a
        // new `CHARGE` that Finvex raises.
        (Cashfree, Card | Emandate, Managed) => Ok(PROVIDER_NOTIFIES_FINVEX_RETRIES),
        // Finvex's own simulated provider offers both flows on every rail, so
        // tests exercise both paths (our choice, not research).
        (Sandbox, _, Controlled) => Ok(FINVEX_DRIVES),
        (Sandbox, _, Managed) => Ok(PROVIDER_DRIVES),
        // Razorpay's `notification` is UPI and cards only (A.1.3); Cashfree's
        // controlled flow is UPI only, cards "planned" (B.1.3).
        (Razorpay, Emandate, Controlled) | (Cashfree, Card | Emandate, Controlled) => {
            Err(UnsupportedFlow {
                provider,
                rail,
                flow,
            })
        }
    }
}

// ---------------------------------------------------------------------------
// The pre-debit notice
// ---------------------------------------------------------------------------

/// A debit may follow its notice's delivery after this long: "at least 24 h
/// before the debit" (RBI, §2.4 "Pre-debit notification"). Providers add
/// their own margin (Razorpay: 25 h for UPI, 36 h 5 min for cards, A.2),
/// which a later debit satisfies too.
pub const PRE_DEBIT_NOTICE_LEAD_SECS: i64 = 24 * 60 * 60;

/// The earliest instant a debit may follow a notice delivered at
/// `notice_delivered_at_secs`.
pub fn debit_allowed_at(notice_delivered_at_secs: i64) -> i64 {
    notice_delivered_at_secs.saturating_add(PRE_DEBIT_NOTICE_LEAD_SECS)
}

/// Refuses a debit that differs from the notified amount (the issuer
/// declines it, §2.5 "Exact amount"; B.1.3) or comes less than
/// [`PRE_DEBIT_NOTICE_LEAD_SECS`] after the notice's delivery.
pub fn check_debit(
    notice: &PreDebitNotice,
    debit_amount_paise: i64,
    at_secs: i64,
) -> Result<(), DebitRefusal> {
    if debit_amount_paise != notice.amount_paise {
        return Err(DebitRefusal::AmountDiffersFromNotice {
            notified_paise: notice.amount_paise,
            debit_paise: debit_amount_paise,
        });
    }
    let allowed_at_secs = debit_allowed_at(notice.delivered_at_secs);
    if at_secs < allowed_at_secs {
        return Err(DebitRefusal::TooSoonAfterNotice { allowed_at_secs });
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// One debit per period, never on its last day
// ---------------------------------------------------------------------------

/// "Only one successful debit per token per billing cycle" (NPCI, via
/// Razorpay: §2.5 "Execute", A.2).
pub const MAX_SUCCESSFUL_DEBITS_PER_PERIOD: u32 = 1;

/// The period's last calendar day in India (the day of its last second).
pub fn last_day_of_period(period: &BillingPeriod) -> Date {
    calendar::date_in_india(period.end_secs - 1)
}

/// A notice must be delivered before this instant for its debit, 24 h
/// later, to fall before the period's last day.
pub fn notice_deadline(period: &BillingPeriod) -> i64 {
    calendar::start_of_day_in_india(last_day_of_period(period)) - PRE_DEBIT_NOTICE_LEAD_SECS
}

/// Refuses a debit outside `period`, a second successful debit in it, and a
/// debit on its last day: "do not start a debit on the last day of the cycle,
/// because it lands in the next cycle and fails" (Razorpay's S2S
/// execute-subsequent-payments page; §2.5 "Execute", A.2).
///
/// A period that lies within one IST date (a daily cycle anchored at
/// midnight) is all last day, so nothing passes: anchor daily plans at the
/// subscription's creation time, as [`next_period_start`] keeps it.
pub fn check_period_debit(
    period: &BillingPeriod,
    successful_debits_in_period: u32,
    at_secs: i64,
) -> Result<(), DebitRefusal> {
    if at_secs < period.start_secs || at_secs >= period.end_secs {
        return Err(DebitRefusal::OutsidePeriod {
            start_secs: period.start_secs,
            end_secs: period.end_secs,
        });
    }
    if successful_debits_in_period >= MAX_SUCCESSFUL_DEBITS_PER_PERIOD {
        return Err(DebitRefusal::AlreadyDebitedThisPeriod);
    }
    let last_day = last_day_of_period(period);
    if calendar::date_in_india(at_secs) == last_day {
        return Err(DebitRefusal::LastDayOfPeriod { day: last_day });
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// UPI AutoPay: off-peak execution and 1 + 3 attempts
// ---------------------------------------------------------------------------

/// NPCI's off-peak windows for AutoPay executions, IST, each `[start, end)`:
/// "before 10:00, 13:00–17:00, after 21:30" (peak is 10:00–13:00 and
/// 17:00–21:30), in force from 1 Aug 2025 (§2.5 "Retries"). The circular was
/// seen only through news reports (open point 3); the boundaries follow the
/// peak hours' wording: 10:00 and 17:00 are peak, 13:00 and 21:30 are not.
pub const UPI_OFF_PEAK_WINDOWS: [(Time, Time); 3] = [
    (Time::MIN, Time::constant(10, 0, 0, 0)),
    (Time::constant(13, 0, 0, 0), Time::constant(17, 0, 0, 0)),
    // To midnight: `Time::MAX` is 23:59:59.999999999, after every whole second.
    (Time::constant(21, 30, 0, 0), Time::MAX),
];

/// Retries after an execution's original attempt: "1 original attempt + 3
/// retries = 4 chances per mandate execution" (NPCI, §2.5 "Retries").
pub const MAX_UPI_RETRIES: u8 = 3;
/// Attempts in one execution, the original one included.
pub const MAX_UPI_ATTEMPTS: u8 = 1 + MAX_UPI_RETRIES;
/// Attempts an hour apart, as Cashfree runs them ("1 + 3 attempts at hourly
/// intervals", B.1.2, §2.6).
pub const UPI_RETRY_SPACING_SECS: i64 = 60 * 60;

fn in_off_peak_window(time: Time) -> bool {
    UPI_OFF_PEAK_WINDOWS
        .iter()
        .any(|(start, end)| *start <= time && time < *end)
}

/// Unix seconds of `time` on `date` in India; "never" (`i64::MAX`) outside
/// the calendar's range, so a debit is never scheduled by mistake.
fn india_instant(date: Date, time: Time) -> i64 {
    calendar::unix_secs_in_india(date.to_datetime(time)).unwrap_or(i64::MAX)
}

/// Whether `at_secs` is in an off-peak window (IST).
pub fn is_off_peak(at_secs: i64) -> bool {
    in_off_peak_window(calendar::datetime_in_india(at_secs).time())
}

/// The earliest instant at or after `at_secs` at which a UPI AutoPay
/// execution may run: `at_secs` itself when off-peak, else the start of the
/// next off-peak window (13:00 or 21:30 IST).
pub fn next_execution_slot(at_secs: i64) -> i64 {
    let now = calendar::datetime_in_india(at_secs);
    if in_off_peak_window(now.time()) {
        return at_secs;
    }
    let later_today = UPI_OFF_PEAK_WINDOWS
        .iter()
        .map(|(start, _)| *start)
        .find(|start| *start > now.time());
    match (later_today, now.date().tomorrow()) {
        (Some(start), _) => india_instant(now.date(), start),
        (None, Ok(tomorrow)) => india_instant(tomorrow, UPI_OFF_PEAK_WINDOWS[0].0),
        (None, Err(_)) => i64::MAX,
    }
}

/// After attempt `failed_attempt` (1 = the original) of an execution failed
/// at `failed_at_secs`: the next attempt, [`UPI_RETRY_SPACING_SECS`] later
/// and off-peak, or [`RetryDecision::Exhausted`] after the 4th attempt or
/// when no slot is left on the failure's IST day. The retries of one
/// execution are same-day (§2.4 "Finvex consequences"); a later debit is a
/// new execution with a new notice, planned by dunning, not here.
pub fn retry_at(failed_attempt: u8, failed_at_secs: i64) -> RetryDecision {
    let failed_attempt = failed_attempt.max(1);
    if failed_attempt >= MAX_UPI_ATTEMPTS {
        return RetryDecision::Exhausted;
    }
    let at_secs = next_execution_slot(failed_at_secs.saturating_add(UPI_RETRY_SPACING_SECS));
    if at_secs == i64::MAX
        || calendar::date_in_india(at_secs) != calendar::date_in_india(failed_at_secs)
    {
        return RetryDecision::Exhausted;
    }
    RetryDecision::RetryAt {
        attempt: failed_attempt + 1,
        at_secs,
    }
}

/// Every rule for a debit Finvex triggers itself (a `Controlled` flow, or a
/// retry Finvex owns per [`responsibility`]): the notice, the period, and for
/// UPI AutoPay the attempt count and the off-peak windows.
pub fn check_mandate_debit(debit: &MandateDebit) -> Result<(), DebitRefusal> {
    check_debit(&debit.notice, debit.amount_paise, debit.at_secs)?;
    check_period_debit(
        &debit.period,
        debit.successful_debits_in_period,
        debit.at_secs,
    )?;
    if debit.rail == Rail::UpiAutopay {
        check_upi_execution(debit.attempt, debit.at_secs)?;
    }
    Ok(())
}

fn check_upi_execution(attempt: u8, at_secs: i64) -> Result<(), DebitRefusal> {
    if attempt > MAX_UPI_ATTEMPTS {
        return Err(DebitRefusal::AttemptsExhausted {
            attempt,
            max: MAX_UPI_ATTEMPTS,
        });
    }
    if !is_off_peak(at_secs) {
        return Err(DebitRefusal::PeakHours {
            next_slot_secs: next_execution_slot(at_secs),
        });
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Additional factor of authentication (AFA)
// ---------------------------------------------------------------------------

/// ₹15,000: a mandate debit up to this needs no AFA (RBI, §2.4 "AFA-free
/// subsequent debits"; Razorpay and Cashfree say the same, §2.5, B.4).
pub const AFA_FREE_LIMIT_PAISE: i64 = 1_500_000;
/// ₹1,00,000 for mutual funds, insurance premiums and credit-card bills
/// (RBI, Dec 2023, §2.4 "Higher limit").
pub const AFA_FREE_LIMIT_HIGHER_PAISE: i64 = 10_000_000;

/// The largest debit in `category` that needs no AFA.
pub fn afa_free_limit_paise(category: MandateCategory) -> i64 {
    match category {
        MandateCategory::General => AFA_FREE_LIMIT_PAISE,
        MandateCategory::MutualFund
        | MandateCategory::Insurance
        | MandateCategory::CreditCardBill => AFA_FREE_LIMIT_HIGHER_PAISE,
    }
}

/// Whether the customer must approve this debit (PIN or OTP) even though
/// the mandate exists: above the AFA-free limit, on the rails RBI's
/// e-mandate framework covers (cards, UPI: §2.4 "Scope"). eNACH debits are
/// capped only by the mandate (₹1 crore on Cashfree, B.4), never by AFA.
/// Registration's own AFA (and a first debit combined with it) belongs to the
/// authorisation flow, not to this check.
pub fn needs_customer_approval(rail: Rail, amount_paise: i64, category: MandateCategory) -> bool {
    match rail {
        Rail::UpiAutopay | Rail::Card => amount_paise > afa_free_limit_paise(category),
        Rail::Emandate => false,
    }
}

// ---------------------------------------------------------------------------
// Plan changes: proration and the mandate's ceiling
// ---------------------------------------------------------------------------

/// ₹1 lakh crore: far above any plan's price; a typo guard that also keeps
/// the decimal arithmetic far from its limits.
pub const MAX_PLAN_AMOUNT_PAISE: i64 = 10_000_000_000_000;
/// The longest billing period (a year with 29 February); see
/// [`Interval::max_count`].
pub const MAX_PERIOD_SECS: i64 = 366 * SECS_PER_DAY;

/// What `change` bills under `mode`.
///
/// Both plans' shares of the rest of the period are computed to the second:
/// `price × remaining_secs / period_secs`, exactly in `rust_decimal` (the
/// product is an exact integer, the one division is far more precise than
/// half a paisa) and rounded once, half away from zero, to whole paise, each
/// line on its own. So the invoice's lines add up exactly and an upgrade is
/// the mirror image of the opposite downgrade.
///
/// - `prorate_now`: the difference now: charged if positive, a credit if not.
/// - `prorate_next`: the difference folded into the next invoice; a credit
///   larger than that invoice is kept as credit.
/// - `full_now`: the new price in full now, no credit for the old plan.
/// - `full_next`: the same full price on the next invoice, beside the next
///   period's own price (Paddle's `full_next_billing_period`). To switch plans
///   at renewal with nothing extra, change at the period's end with `none`.
/// - `none`: nothing now; the next period at the new price.
///
/// Both plans share the period: a change of cycle (monthly to yearly)
/// starts a new period and is not a proration.
pub fn prorate(
    change: &PlanChange,
    mode: ProrationMode,
) -> Result<ProrationOutcome, ProrationError> {
    validate_plan_change(change)?;
    let period_secs = change.period_end_secs - change.period_start_secs;
    let remaining_secs = change.period_end_secs - change.change_at_secs;
    let unused_old_paise = share_paise(change.old_amount_paise, remaining_secs, period_secs)?;
    let remaining_new_paise = share_paise(change.new_amount_paise, remaining_secs, period_secs)?;
    let difference_paise = remaining_new_paise - unused_old_paise;
    let new_paise = change.new_amount_paise;
    let (charge_now_paise, credit_paise, next_cycle_amount_paise) = match mode {
        ProrationMode::ProrateNow => (
            difference_paise.max(0),
            (-difference_paise).max(0),
            new_paise,
        ),
        ProrationMode::ProrateNext => {
            let next_paise = new_paise + difference_paise;
            (0, (-next_paise).max(0), next_paise.max(0))
        }
        ProrationMode::FullNow => (new_paise, 0, new_paise),
        ProrationMode::FullNext => (0, 0, new_paise * 2),
        ProrationMode::DoNotBill => (0, 0, new_paise),
    };
    Ok(ProrationOutcome {
        mode,
        unused_old_paise,
        remaining_new_paise,
        charge_now_paise,
        credit_paise,
        next_cycle_amount_paise,
    })
}

fn validate_plan_change(change: &PlanChange) -> Result<(), ProrationError> {
    for (field, amount_paise) in [
        ("old_amount", change.old_amount_paise),
        ("new_amount", change.new_amount_paise),
    ] {
        if !(0..=MAX_PLAN_AMOUNT_PAISE).contains(&amount_paise) {
            return Err(ProrationError::AmountOutOfRange {
                field,
                max: MAX_PLAN_AMOUNT_PAISE,
            });
        }
    }
    let period_secs = change.period_end_secs.checked_sub(change.period_start_secs);
    if !period_secs.is_some_and(|secs| (1..=MAX_PERIOD_SECS).contains(&secs)) {
        return Err(ProrationError::InvalidPeriod {
            max_secs: MAX_PERIOD_SECS,
        });
    }
    if !(change.period_start_secs..=change.period_end_secs).contains(&change.change_at_secs) {
        return Err(ProrationError::ChangeOutsidePeriod);
    }
    Ok(())
}

/// `amount_paise × part_secs / whole_secs`, rounded half away from zero.
fn share_paise(amount_paise: i64, part_secs: i64, whole_secs: i64) -> Result<i64, ProrationError> {
    let out_of_range = ProrationError::AmountOutOfRange {
        field: "amount",
        max: MAX_PLAN_AMOUNT_PAISE,
    };
    let share = Decimal::from(amount_paise)
        .checked_mul(Decimal::from(part_secs))
        .and_then(|product| product.checked_div(Decimal::from(whole_secs)))
        .ok_or(out_of_range)?
        .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero);
    i64::try_from(share).map_err(|_| out_of_range)
}

impl ProrationOutcome {
    /// The larger of the two debits this outcome asks of a mandate; check it
    /// with [`needs_new_mandate`] (and [`needs_customer_approval`]).
    pub fn largest_debit_paise(&self) -> i64 {
        self.charge_now_paise.max(self.next_cycle_amount_paise)
    }
}

/// Whether a debit of `amount_paise` is above the mandate's authorised
/// maximum per debit: then it cannot be charged silently and the customer
/// must authorise a new mandate (c6 "Mandate ceiling"; Razorpay refuses such
/// an order: "cannot be greater than the token max amount", A.1.1, A.5).
pub fn needs_new_mandate(amount_paise: i64, mandate_max_amount_paise: i64) -> bool {
    amount_paise > mandate_max_amount_paise
}

#[cfg(test)]
mod tests;
