//! Orders (seed: "Orders") and the payment ledger they head: the records of
//! orders, payments and refunds (`model`) and their store (`OrderStore`,
//! `sql`), which changes them together in one transaction. One order may
//! have several attempts, each at one provider with its own provider order
//! id; the routing decision and its reason are stored on the order.
//! `OrdersService` creates orders; the payments, refunds and
//! provider-webhook services change them; `reconcile` asks the providers
//! about what is left unfinished.

mod model;
mod reconcile;
pub mod rules;
mod service;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
mod sql;

use async_trait::async_trait;

pub use model::{
    CheckoutSession, CreateOrder, CreateRefund, Order, OrderRouting, Payment, Refund, RefundStatus,
    RoutingAttempt, SandboxPayResult, VerifyResult,
};
pub use reconcile::{ReconcileJob, ReconcileReport, ReconcileWindow, Reconciler};
pub(crate) use service::load_order;
pub use service::OrdersService;

use crate::events::NewEvent;
use crate::ids::{OrderId, PaymentId, RefundId};
use crate::pagination::ListParams;
use crate::payments::state::{OrderStatus, PaymentStatus};
use crate::providers::ProviderName;
use crate::routing::rules::RoutingConfig;
use crate::{Error, Scope};

/// Which records the reconciler is due to look at: created between the two
/// times, next check at or before `now_secs`, at most `limit`.
#[derive(Debug, Clone, Copy)]
pub struct DueWindow {
    pub now_secs: i64,
    pub created_after_secs: i64,
    pub created_before_secs: i64,
    pub limit: u32,
}

/// What the reconciler checks.
#[derive(Debug, Clone, Copy)]
pub enum CheckTarget<'a> {
    Order(&'a OrderId),
    Refund(&'a RefundId),
}

#[async_trait]
pub trait OrderStore: Send + Sync {
    async fn insert_order(
        &self,
        scope: &Scope,
        order: &Order,
        events: &[NewEvent],
    ) -> Result<(), Error>;
    async fn order(&self, scope: &Scope, id: &OrderId) -> Result<Option<Order>, Error>;
    async fn list_orders(&self, scope: &Scope, params: &ListParams) -> Result<Vec<Order>, Error>;
    async fn payment(&self, scope: &Scope, id: &PaymentId) -> Result<Option<Payment>, Error>;
    async fn payment_by_provider_id(
        &self,
        scope: &Scope,
        provider: ProviderName,
        provider_payment_id: &str,
    ) -> Result<Option<Payment>, Error>;
    async fn list_payments(
        &self,
        scope: &Scope,
        params: &ListParams,
    ) -> Result<Vec<Payment>, Error>;
    /// In one transaction: inserts the payment (when `previous` is `None`) or
    /// moves it from `previous` to its new status (compare-and-swap), sets the
    /// order's status and amount paid, and writes the events. `false` when the
    /// payment changed underneath (the caller re-reads and decides again).
    async fn save_payment(
        &self,
        scope: &Scope,
        payment: &Payment,
        previous: Option<PaymentStatus>,
        order_status: OrderStatus,
        events: &[NewEvent],
    ) -> Result<bool, Error>;
    /// Reserves the refund against the payment's captured amount and inserts it
    /// as pending, atomically: concurrent refunds can never exceed the capture.
    /// `false` when the payment is not refundable or the amount is too large.
    /// `idempotency_key` binds the refund to the client's key: a second
    /// refund under the same key fails with `Conflict` and reserves nothing.
    async fn reserve_refund(
        &self,
        scope: &Scope,
        refund: &Refund,
        idempotency_key: Option<&str>,
    ) -> Result<bool, Error>;
    /// The refund created under this client `Idempotency-Key`, if any.
    async fn refund_by_idempotency_key(
        &self,
        scope: &Scope,
        idempotency_key: &str,
    ) -> Result<Option<Refund>, Error>;
    /// Finishes a pending refund: processed (the payment's refunded amount and
    /// status move on) or failed (the reservation is released), with events.
    async fn finish_refund(
        &self,
        scope: &Scope,
        refund: &Refund,
        events: &[NewEvent],
    ) -> Result<bool, Error>;
    /// Records the provider's id for a refund still pending there.
    async fn set_refund_provider_id(
        &self,
        scope: &Scope,
        id: &RefundId,
        provider_refund_id: &str,
    ) -> Result<(), Error>;
    async fn refund(&self, scope: &Scope, id: &RefundId) -> Result<Option<Refund>, Error>;
    /// The refund a provider refund id names, in this tenant.
    async fn refund_by_provider_id(
        &self,
        scope: &Scope,
        provider_refund_id: &str,
    ) -> Result<Option<Refund>, Error>;
    async fn list_refunds(&self, scope: &Scope, params: &ListParams) -> Result<Vec<Refund>, Error>;
    /// Records a handled provider event; `false` when it was handled before.
    async fn record_provider_event(
        &self,
        scope: &Scope,
        provider: ProviderName,
        event_id: &str,
        now_secs: i64,
    ) -> Result<bool, Error>;
    /// When the reconciler next looks at this order or refund.
    async fn set_next_check(
        &self,
        scope: &Scope,
        target: CheckTarget<'_>,
        next_check_secs: i64,
    ) -> Result<(), Error>;
    async fn routing_config(&self, scope: &Scope) -> Result<Option<RoutingConfig>, Error>;
    async fn set_routing_config(
        &self,
        scope: &Scope,
        config: &RoutingConfig,
        now_secs: i64,
    ) -> Result<(), Error>;
}

/// Cross-tenant reads of the payment ledger: finding the tenant of a
/// provider's id (webhooks) and the reconciler's due work in every tenant.
#[async_trait]
pub trait OrderSystemStore: Send + Sync {
    /// Webhook tenant look-up: the order a provider order id belongs to, in any tenant.
    async fn order_by_provider_order(
        &self,
        provider: ProviderName,
        provider_order_id: &str,
    ) -> Result<Option<(Scope, OrderId)>, Error>;
    /// Webhook tenant look-up: the refund a provider refund id belongs to, in any tenant.
    async fn refund_by_provider_refund(
        &self,
        provider_refund_id: &str,
    ) -> Result<Option<(Scope, Refund)>, Error>;
    /// Reconciler, any tenant: orders still `created` or `attempted` in the
    /// window whose next check is due; oldest first.
    async fn orders_due_for_check(&self, window: &DueWindow) -> Result<Vec<(Scope, Order)>, Error>;
    /// Reconciler, any tenant: pending refunds in the window whose next
    /// check is due; oldest first.
    async fn refunds_due_for_check(
        &self,
        window: &DueWindow,
    ) -> Result<Vec<(Scope, Refund)>, Error>;
}
