//! Order and payment state machines (pure). Illegal transitions are errors,
//! never silent updates; a stale provider status (a late `authorized` after
//! `captured`) is recognised and ignored rather than moving state backwards.

use serde::{Deserialize, Serialize};

use crate::Error;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    Created,
    Attempted,
    Paid,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PaymentStatus {
    Created,
    Pending,
    Authorized,
    Captured,
    PartiallyRefunded,
    Refunded,
    Failed,
}

impl OrderStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::Created => "created",
            OrderStatus::Attempted => "attempted",
            OrderStatus::Paid => "paid",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, Error> {
        match raw {
            "created" => Ok(OrderStatus::Created),
            "attempted" => Ok(OrderStatus::Attempted),
            "paid" => Ok(OrderStatus::Paid),
            other => Err(Error::Internal(format!("unknown order status {other:?}"))),
        }
    }
}

impl PaymentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            PaymentStatus::Created => "created",
            PaymentStatus::Pending => "pending",
            PaymentStatus::Authorized => "authorized",
            PaymentStatus::Captured => "captured",
            PaymentStatus::PartiallyRefunded => "partially_refunded",
            PaymentStatus::Refunded => "refunded",
            PaymentStatus::Failed => "failed",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, Error> {
        Ok(match raw {
            "created" => PaymentStatus::Created,
            "pending" => PaymentStatus::Pending,
            "authorized" => PaymentStatus::Authorized,
            "captured" => PaymentStatus::Captured,
            "partially_refunded" => PaymentStatus::PartiallyRefunded,
            "refunded" => PaymentStatus::Refunded,
            "failed" => PaymentStatus::Failed,
            other => return Err(Error::Internal(format!("unknown payment status {other:?}"))),
        })
    }

    /// How far along the lifecycle a status is; provider updates only move forward.
    fn rank(self) -> u8 {
        match self {
            PaymentStatus::Created => 0,
            PaymentStatus::Pending => 1,
            PaymentStatus::Authorized => 2,
            PaymentStatus::Failed => 2,
            PaymentStatus::Captured => 3,
            PaymentStatus::PartiallyRefunded => 4,
            PaymentStatus::Refunded => 5,
        }
    }

    /// Money has been taken (and perhaps partly given back).
    pub fn is_captured(self) -> bool {
        matches!(
            self,
            PaymentStatus::Captured | PaymentStatus::PartiallyRefunded | PaymentStatus::Refunded
        )
    }
}

/// What to do with a status reported for a payment we already know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transition {
    Apply,
    /// Same state, or an out-of-order report of an earlier state: ignore.
    Stale,
}

/// Checks a payment transition. Refund states are reached through refunds
/// only; a provider cannot report them directly.
pub fn payment_transition(from: PaymentStatus, to: PaymentStatus) -> Result<Transition, Error> {
    use PaymentStatus::*;
    if from == to || to.rank() < from.rank() {
        return Ok(Transition::Stale);
    }
    let legal = matches!(
        (from, to),
        (Created | Pending, Pending | Authorized | Captured | Failed)
            | (Authorized, Captured | Failed)
            // Late authorisation: the bank approved after the provider had
            // given up. Money was taken, so the payment (and order) must follow.
            | (Failed, Authorized | Captured)
            | (Captured, PartiallyRefunded | Refunded)
            | (PartiallyRefunded, Refunded)
    );
    if legal {
        Ok(Transition::Apply)
    } else if from.is_captured() && to == Failed {
        // A captured payment never fails: a stale report.
        Ok(Transition::Stale)
    } else {
        Err(Error::business(
            None,
            format!(
                "a payment cannot go from {} to {}",
                from.as_str(),
                to.as_str()
            ),
        ))
    }
}

/// The order status after one of its payments reached `payment`.
pub fn order_after_payment(order: OrderStatus, payment: PaymentStatus) -> OrderStatus {
    match (order, payment) {
        (OrderStatus::Paid, _) => OrderStatus::Paid,
        (_, p) if p.is_captured() => OrderStatus::Paid,
        _ => OrderStatus::Attempted,
    }
}

/// The payment status once `refunded` of `captured` has gone back.
pub fn status_after_refunds(amount: i64, refunded: i64) -> PaymentStatus {
    if refunded >= amount {
        PaymentStatus::Refunded
    } else if refunded > 0 {
        PaymentStatus::PartiallyRefunded
    } else {
        PaymentStatus::Captured
    }
}

#[cfg(test)]
mod tests {
    use super::PaymentStatus::*;
    use super::*;

    #[test]
    fn late_reports_never_move_a_payment_back() {
        assert_eq!(
            payment_transition(Captured, Authorized).unwrap(),
            Transition::Stale
        );
        assert_eq!(
            payment_transition(Refunded, Captured).unwrap(),
            Transition::Stale
        );
        assert_eq!(
            payment_transition(Captured, Failed).unwrap(),
            Transition::Stale
        );
    }

    #[test]
    fn a_late_authorisation_revives_a_failed_payment() {
        assert_eq!(
            payment_transition(Failed, Authorized).unwrap(),
            Transition::Apply
        );
        assert_eq!(
            payment_transition(Failed, Captured).unwrap(),
            Transition::Apply
        );
        assert_eq!(
            order_after_payment(OrderStatus::Attempted, Captured),
            OrderStatus::Paid
        );
        assert!(payment_transition(Failed, Refunded).is_err());
    }

    #[test]
    fn forward_moves_apply_and_skips_are_refused() {
        assert_eq!(
            payment_transition(Created, Authorized).unwrap(),
            Transition::Apply
        );
        assert_eq!(
            payment_transition(Authorized, Captured).unwrap(),
            Transition::Apply
        );
        assert_eq!(
            payment_transition(Captured, PartiallyRefunded).unwrap(),
            Transition::Apply
        );
        assert!(payment_transition(Authorized, Refunded).is_err());
        assert!(payment_transition(Created, Refunded).is_err());
    }

    #[test]
    fn orders_follow_their_payments() {
        assert_eq!(
            order_after_payment(OrderStatus::Created, Failed),
            OrderStatus::Attempted
        );
        assert_eq!(
            order_after_payment(OrderStatus::Attempted, Captured),
            OrderStatus::Paid
        );
        assert_eq!(
            order_after_payment(OrderStatus::Paid, Failed),
            OrderStatus::Paid
        );
        assert_eq!(status_after_refunds(100, 30), PartiallyRefunded);
        assert_eq!(status_after_refunds(100, 100), Refunded);
    }
}
