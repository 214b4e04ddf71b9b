//! Subscriptions and mandates (UPI AutoPay, card e-mandates, eNACH): the
//! pure rules a subscription service runs on. No I/O, no clock, no store:
//! every function takes the instant it reasons about (unix seconds) and
//! answers from its arguments alone, so the service, the scheduler, the
//! dunning planner and the tests all get the same answer.
//!
//! What lives here (the functions are in [`rules`]):
//! - the lifecycle: [`SubscriptionStatus`], the triggers that move it
//!   ([`SubscriptionTrigger`]), the event each move emits
//!   ([`SubscriptionEventName`]) and one explicit transition table
//!   ([`rules::transition`]);
//! - billing periods in India's calendar, anchor-based ([`BillingCycle`],
//!   [`BillingPeriod`], [`rules::next_period_start`]);
//! - who sends the pre-debit notice and who retries, per provider, rail and
//!   flow ([`rules::responsibility`], mirrored in `docs/RECURRING.md`);
//! - the debit rules of RBI's e-mandate framework and NPCI's AutoPay rules:
//!   a notice ≥ 24 h ahead for the exact amount, one successful debit per
//!   period and none on its last day, off-peak execution windows, 1 + 3
//!   attempts, the additional-factor-of-authentication limits;
//! - proration of plan changes and the mandate's ceiling.
//!
//! Research: `recurring-mandates.md` (providers' contracts),
//! `billing-dunning-messaging.md` §2.4–2.6 (RBI, NPCI, retries) and
//! `mor-peers.md` c6 (proration); each rule cites its row.
//!
//! Money is integer paise (`*_paise: i64`), times are unix seconds
//! (`*_secs: i64`); calendar questions go through [`crate::calendar`] (IST).

pub mod rules;

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::calendar::Date;
use crate::providers::ProviderName;
use crate::Error;

/// An enum with one wire name per variant: serde, `as_str`, `Display` and
/// `FromStr` all use the same name, so they cannot drift apart.
macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident ($field:literal) {
            $($(#[$vmeta:meta])* $variant:ident => $wire:literal,)+
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
            Serialize, Deserialize, schemars::JsonSchema,
        )]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $wire)] $variant,)+
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The wire name, as serialised and stored.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $wire,)+
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = Error;

            fn from_str(raw: &str) -> Result<$name, Error> {
                $name::ALL
                    .iter()
                    .copied()
                    .find(|value| value.as_str() == raw)
                    .ok_or_else(|| {
                        let names: Vec<&str> = $name::ALL.iter().map(|v| v.as_str()).collect();
                        Error::validation(
                            $field,
                            format!("{raw:?} is not a valid {}; use one of {}", $field, names.join(", ")),
                        )
                    })
            }
        }
    };
}

wire_enum! {
    /// Where a subscription is in its life. `cancelled` and `completed` are
    /// final: no trigger moves a subscription out of them.
    pub enum SubscriptionStatus ("status") {
        /// Created; the customer has not authorised a mandate yet.
        Created => "created",
        /// The mandate is authorised; nothing has been charged yet.
        Authenticated => "authenticated",
        /// In a free trial on an authorised mandate.
        Trialing => "trialing",
        /// Paid up for the current period.
        Active => "active",
        /// The period's debit failed; retries may still recover it.
        PastDue => "past_due",
        /// Retries are exhausted or the mandate cannot be debited (revoked,
        /// paused by the customer): nothing is charged until it is fixed.
        Halted => "halted",
        /// Paused by the merchant or, in the UPI app, by the customer.
        Paused => "paused",
        Cancelled => "cancelled",
        /// The last period was charged; the subscription ran its course.
        Completed => "completed",
    }
}

wire_enum! {
    /// What happened to a subscription or its mandate: the input of
    /// [`rules::transition`].
    pub enum SubscriptionTrigger ("trigger") {
        /// The customer authorised the mandate (Razorpay `token.confirmed`,
        /// Cashfree `SUBSCRIPTION_STATUS_CHANGED` → `ACTIVE`).
        MandateAuthorized => "mandate_authorized",
        /// The mandate's registration failed (Razorpay `token.rejected`).
        MandateRejected => "mandate_rejected",
        TrialStarted => "trial_started",
        TrialEnded => "trial_ended",
        /// A period's debit succeeded.
        Charged => "charged",
        /// A debit attempt failed.
        ChargeFailed => "charge_failed",
        /// The last allowed attempt failed ([`rules::retry_at`] said so).
        RetriesExhausted => "retries_exhausted",
        /// The merchant paused the subscription.
        Paused => "paused",
        /// The merchant resumed the subscription.
        Resumed => "resumed",
        /// The customer paused the mandate in their UPI app (only they can:
        /// research §2.5 "Pause / unpause").
        MandatePaused => "mandate_paused",
        /// The customer unpaused the mandate.
        MandateResumed => "mandate_resumed",
        /// The mandate was revoked (customer or merchant, research §2.5
        /// "Revoke"; Razorpay `token.cancelled`, Cashfree `CUSTOMER_CANCELLED`).
        MandateRevoked => "mandate_revoked",
        Cancelled => "cancelled",
        /// The last period was charged.
        Completed => "completed",
    }
}

wire_enum! {
    /// The event a transition emits, named as merchants will see it.
    pub enum SubscriptionEventName ("event") {
        Authenticated => "subscription.authenticated",
        TrialStarted => "subscription.trial_started",
        /// Not emitted by a transition: the scheduler sends it ahead of a
        /// trial's end, so the customer hears before the first debit's notice.
        TrialWillEnd => "subscription.trial_will_end",
        Activated => "subscription.activated",
        Charged => "subscription.charged",
        PaymentFailed => "subscription.payment_failed",
        Halted => "subscription.halted",
        Paused => "subscription.paused",
        Resumed => "subscription.resumed",
        Cancelled => "subscription.cancelled",
        Completed => "subscription.completed",
        MandateAuthorized => "mandate.authorized",
        MandateRejected => "mandate.rejected",
        MandatePaused => "mandate.paused",
        MandateResumed => "mandate.resumed",
        MandateRevoked => "mandate.revoked",
    }
}

impl SubscriptionStatus {
    /// Final states accept no trigger.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            SubscriptionStatus::Cancelled | SubscriptionStatus::Completed
        )
    }
}

/// A trigger the transition table has no row for in this state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a subscription in status {from} cannot take the trigger {trigger}")]
pub struct TransitionError {
    pub from: SubscriptionStatus,
    pub trigger: SubscriptionTrigger,
}

impl From<TransitionError> for Error {
    fn from(err: TransitionError) -> Error {
        Error::business(Some("status"), err.to_string())
    }
}

wire_enum! {
    /// The unit of a billing cycle. Each is a UPI AutoPay frequency (research
    /// §2.5 "Create"), so a plan's cycle always has a mandate frequency.
    pub enum Interval ("interval") {
        Daily => "daily",
        Weekly => "weekly",
        Monthly => "monthly",
        Quarterly => "quarterly",
        HalfYearly => "half_yearly",
        Yearly => "yearly",
    }
}

/// A billing cycle: `count` × `interval` (every 2 weeks, every 3 months).
/// Built only through [`BillingCycle::new`], which bounds `count` to at most
/// a year's worth (see [`Interval::max_count`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BillingCycle {
    interval: Interval,
    count: u16,
}

impl BillingCycle {
    pub fn interval(self) -> Interval {
        self.interval
    }

    pub fn count(self) -> u16 {
        self.count
    }
}

/// Period `index` of a subscription: `[start_secs, end_secs)`, so one
/// period's end is the next one's start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct BillingPeriod {
    /// 0 for the period that starts at the anchor.
    pub index: u32,
    pub start_secs: i64,
    pub end_secs: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    #[error("a {interval} cycle takes an interval_count of 1 to {max}, not {count}")]
    InvalidCount {
        interval: Interval,
        count: u16,
        max: u16,
    },
    #[error("{at_secs} is before the subscription's anchor {anchor_secs}")]
    BeforeAnchor { anchor_secs: i64, at_secs: i64 },
    #[error("the billing period is outside the supported calendar range")]
    OutOfRange,
}

impl From<PeriodError> for Error {
    fn from(err: PeriodError) -> Error {
        match err {
            PeriodError::InvalidCount { .. } => {
                Error::validation("interval_count", err.to_string())
            }
            _ => Error::validation("anchor", err.to_string()),
        }
    }
}

wire_enum! {
    /// The payment rail a mandate runs on.
    pub enum Rail ("rail") {
        /// NPCI UPI AutoPay.
        UpiAutopay => "upi_autopay",
        /// A card e-mandate (RBI's e-mandate framework).
        Card => "card",
        /// eNACH / eMandate on a bank account (Razorpay `emandate`/`nach`,
        /// Cashfree `enach`/`pnach`).
        Emandate => "emandate",
    }
}

wire_enum! {
    /// How a debit on a mandate is driven at the provider.
    pub enum MandateFlow ("flow") {
        /// Finvex asks for each pre-debit notice and triggers each debit:
        /// Razorpay's order `notification` object, Cashfree's
        /// `notify-mandate` then `execute-mandate`.
        Controlled => "controlled",
        /// One call per debit; the provider notifies, debits on its schedule
        /// and retries by its own policy: a Razorpay order without
        /// `notification`, Cashfree's `/subscriptions/pay` `CHARGE`.
        Managed => "managed",
    }
}

/// Who does a step of a mandate debit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Party {
    /// Finvex initiates it (the customer still receives the notice from
    /// their bank or UPI app, as RBI requires).
    Finvex,
    /// The provider does it on its own.
    Provider,
}

/// Who sends the pre-debit notice and who decides on retries, for one
/// (provider, rail, flow).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Responsibility {
    pub notice_by: Party,
    pub retries_by: Party,
}

/// A (provider, rail, flow) the provider does not offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{} has no {flow} flow for {rail} mandates", provider.as_str())]
pub struct UnsupportedFlow {
    pub provider: ProviderName,
    pub rail: Rail,
    pub flow: MandateFlow,
}

impl From<UnsupportedFlow> for Error {
    fn from(err: UnsupportedFlow) -> Error {
        Error::business(Some("flow"), err.to_string())
    }
}

/// A pre-debit notice as delivered: the amount it announced and when it
/// reached the customer. Time counts from delivery, not from the request:
/// an undelivered notice (Razorpay `order.notification.failed`) is no notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreDebitNotice {
    pub amount_paise: i64,
    pub delivered_at_secs: i64,
}

/// One debit Finvex is about to trigger on a mandate, with what the rules
/// need to know about it ([`rules::check_mandate_debit`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MandateDebit {
    pub rail: Rail,
    pub notice: PreDebitNotice,
    pub amount_paise: i64,
    pub at_secs: i64,
    /// The billing period the debit pays for.
    pub period: BillingPeriod,
    /// Debits already successful in that period.
    pub successful_debits_in_period: u32,
    /// 1 for an execution's original attempt, 2 to 4 for its retries.
    pub attempt: u8,
}

/// Why a debit must not be triggered now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DebitRefusal {
    #[error("the debit of {debit_paise} paise differs from the {notified_paise} paise notified; send a new notice")]
    AmountDiffersFromNotice {
        notified_paise: i64,
        debit_paise: i64,
    },
    #[error("the pre-debit notice needs 24 hours; the debit may go at {allowed_at_secs} at the earliest")]
    TooSoonAfterNotice { allowed_at_secs: i64 },
    #[error("the debit is outside its billing period [{start_secs}, {end_secs})")]
    OutsidePeriod { start_secs: i64, end_secs: i64 },
    #[error("the billing period already has its one successful debit")]
    AlreadyDebitedThisPeriod,
    #[error("no debit on the billing period's last day ({day}): it would land in the next period")]
    LastDayOfPeriod { day: Date },
    #[error("UPI AutoPay executes only off-peak; the next slot is at {next_slot_secs}")]
    PeakHours { next_slot_secs: i64 },
    #[error("attempt {attempt} is past the {max} attempts of one UPI AutoPay execution")]
    AttemptsExhausted { attempt: u8, max: u8 },
}

impl From<DebitRefusal> for Error {
    fn from(err: DebitRefusal) -> Error {
        Error::business(Some("debit"), err.to_string())
    }
}

/// What to do after a failed UPI AutoPay attempt ([`rules::retry_at`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryDecision {
    /// Try again: `attempt` is the new attempt's number (2 to 4).
    RetryAt { attempt: u8, at_secs: i64 },
    /// No attempt is left in this execution: the subscription takes
    /// [`SubscriptionTrigger::RetriesExhausted`] (and halts).
    Exhausted,
}

wire_enum! {
    /// What a mandate pays for, as far as the AFA-free limit cares (research
    /// §2.4 "Higher limit").
    pub enum MandateCategory ("category") {
        General => "general",
        MutualFund => "mutual_fund",
        Insurance => "insurance",
        CreditCardBill => "credit_card_bill",
    }
}

wire_enum! {
    /// How a mid-period plan change is billed (mor-peers c6: Paddle's five
    /// modes in Finvex's names).
    pub enum ProrationMode ("proration_mode") {
        /// The prorated difference now: an upgrade's extra is charged, a
        /// downgrade's is credited.
        ProrateNow => "prorate_now",
        /// The prorated difference folded into the next period's invoice.
        ProrateNext => "prorate_next",
        /// The new plan's full price now; no credit for the old plan.
        FullNow => "full_now",
        /// The new plan's full price added to the next period's invoice.
        FullNext => "full_next",
        /// Nothing now; the next period is billed at the new price.
        DoNotBill => "none",
    }
}

/// A plan change inside a billing period `[period_start_secs, period_end_secs)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlanChange {
    /// The old plan's price per period (already paid for this one).
    pub old_amount_paise: i64,
    /// The new plan's price per period.
    pub new_amount_paise: i64,
    pub period_start_secs: i64,
    pub period_end_secs: i64,
    /// When the new plan takes effect, inside the period.
    pub change_at_secs: i64,
}

/// What a plan change bills. Every amount is ≥ 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProrationOutcome {
    pub mode: ProrationMode,
    /// The old price's share for the rest of the period (the line "unused
    /// time on the old plan"), whatever the mode.
    pub unused_old_paise: i64,
    /// The new price's share for the rest of the period.
    pub remaining_new_paise: i64,
    /// To debit now (after its pre-debit notice, on a mandate).
    pub charge_now_paise: i64,
    /// Owed to the customer and not yet applied to any invoice.
    pub credit_paise: i64,
    /// The next period's invoice, with whatever this change defers to it.
    pub next_cycle_amount_paise: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ProrationError {
    #[error("{field} must be between 0 and {max} paise")]
    AmountOutOfRange { field: &'static str, max: i64 },
    #[error("the period must end after it starts and last at most {max_secs} seconds")]
    InvalidPeriod { max_secs: i64 },
    #[error("the change must fall inside the billing period")]
    ChangeOutsidePeriod,
}

impl From<ProrationError> for Error {
    fn from(err: ProrationError) -> Error {
        let field = match err {
            ProrationError::AmountOutOfRange { field, .. } => field,
            ProrationError::InvalidPeriod { .. } => "period",
            ProrationError::ChangeOutsidePeriod => "change_at",
        };
        Error::validation(field, err.to_string())
    }
}
