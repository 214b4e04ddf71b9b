use async_trait::async_trait;

use super::{
    CheckTarget, DueWindow, Order, OrderStore, OrderSystemStore, Payment, Refund, RefundStatus,
};
use crate::events::sql::{event_statements, write_events};
use crate::events::NewEvent;
use crate::ids::{MerchantId, OrderId, PaymentId, RefundId};
use crate::money::{Amount, Currency};
use crate::pagination::ListParams;
use crate::payments::state::{status_after_refunds, OrderStatus, PaymentStatus};
use crate::providers::ProviderName;
use crate::routing::rules::RoutingConfig;
use crate::store::sql::{paged, scope_params, Executor, Row, SqlValue, Statement};
use crate::store::SqlStore;
use crate::{Error, Mode, Scope};

const ORDER_COLUMNS: &str = "order_id, mode, amount, currency, amount_paid, receipt, description, customer, notes, status, provider, provider_order_id, routing, checkout, created_at";
const PAYMENT_COLUMNS: &str = "payment_id, order_id, amount, currency, status, method, provider, provider_payment_id, amount_refunded, error_code, error_description, fee, tax, created_at, updated_at";
const REFUND_COLUMNS: &str = "refund_id, payment_id, amount, currency, status, speed, notes, provider_refund_id, error, created_at, updated_at";

fn order_from_row(row: &Row) -> Result<Order, Error> {
    let amount = Amount::from_minor(row.int("amount")?);
    let paid = Amount::from_minor(row.int("amount_paid")?);
    Ok(Order {
        id: OrderId::parse(&row.text("order_id")?)?,
        entity: "order".into(),
        mode: row.parsed("mode")?,
        amount,
        currency: Currency::parse(&row.text("currency")?)?,
        amount_paid: paid,
        amount_due: amount.checked_sub(paid)?,
        receipt: row.opt_text("receipt")?,
        description: row.opt_text("description")?,
        customer: row.json("customer")?,
        notes: row.json("notes")?,
        status: OrderStatus::parse(&row.text("status")?)?,
        provider: row.parsed("provider")?,
        provider_order_id: row.text("provider_order_id")?,
        routing: row.json("routing")?,
        checkout: row.json("checkout")?,
        created_at: row.int("created_at")?,
    })
}

fn payment_from_row(row: &Row) -> Result<Payment, Error> {
    Ok(Payment {
        id: PaymentId::parse(&row.text("payment_id")?)?,
        entity: "payment".into(),
        order_id: OrderId::parse(&row.text("order_id")?)?,
        amount: Amount::from_minor(row.int("amount")?),
        currency: Currency::parse(&row.text("currency")?)?,
        status: PaymentStatus::parse(&row.text("status")?)?,
        method: row.opt_text("method")?,
        provider: row.parsed("provider")?,
        provider_payment_id: row.text("provider_payment_id")?,
        amount_refunded: Amount::from_minor(row.int("amount_refunded")?),
        error_code: row.opt_text("error_code")?,
        error_description: row.opt_text("error_description")?,
        fee: row.opt_int("fee")?.map(Amount::from_minor),
        tax: row.opt_int("tax")?.map(Amount::from_minor),
        created_at: row.int("created_at")?,
        updated_at: row.int("updated_at")?,
    })
}

fn refund_from_row(row: &Row) -> Result<Refund, Error> {
    Ok(Refund {
        id: RefundId::parse(&row.text("refund_id")?)?,
        entity: "refund".into(),
        payment_id: PaymentId::parse(&row.text("payment_id")?)?,
        amount: Amount::from_minor(row.int("amount")?),
        currency: Currency::parse(&row.text("currency")?)?,
        status: row.parsed("status")?,
        speed: row.parsed("speed")?,
        notes: row.json("notes")?,
        provider_refund_id: row.opt_text("provider_refund_id")?,
        error: row.opt_text("error")?,
        created_at: row.int("created_at")?,
        updated_at: row.int("updated_at")?,
    })
}

/// A new payment (once per provider payment id: a repeat is a no-op, 0 rows).
async fn insert_payment(tx: &dyn Executor, scope: &Scope, p: &Payment) -> Result<u64, Error> {
    let mut params = Vec::from(scope_params(scope));
    params.extend([
        p.id.as_str().into(),
        p.order_id.as_str().into(),
        p.amount.minor().into(),
        p.currency.code().into(),
        p.status.as_str().into(),
        p.method.clone().into(),
        p.provider.as_str().into(),
        p.provider_payment_id.as_str().into(),
        p.error_code.clone().into(),
        p.error_description.clone().into(),
        p.fee.map(Amount::minor).into(),
        p.tax.map(Amount::minor).into(),
        p.updated_at.into(),
    ]);
    tx.execute(
        "INSERT INTO payments (merchant_id, mode, payment_id, order_id, amount, currency, status, method, provider, provider_payment_id,
             amount_refunded, refund_reserved, error_code, error_description, fee, tax, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 0, 0, $11, $12, $13, $14, $15, $15)
         ON CONFLICT (merchant_id, mode, provider, provider_payment_id) DO NOTHING",
        &params,
    )
    .await
}

/// A payment's new status, only if it is still in `previous` (0 rows if not).
async fn update_payment(
    tx: &dyn Executor,
    scope: &Scope,
    p: &Payment,
    previous: PaymentStatus,
) -> Result<u64, Error> {
    let mut params = Vec::from(scope_params(scope));
    params.extend([
        p.id.as_str().into(),
        p.status.as_str().into(),
        previous.as_str().into(),
        p.error_code.clone().into(),
        p.error_description.clone().into(),
        p.method.clone().into(),
        p.updated_at.into(),
    ]);
    tx.execute(
        "UPDATE payments SET status = $4, error_code = $6, error_description = $7, method = COALESCE($8, method), updated_at = $9
         WHERE merchant_id = $1 AND mode = $2 AND payment_id = $3 AND status = $5",
        &params,
    )
    .await
}

impl SqlStore {
    /// Rows of `select` in `status`, created in the window, whose next check
    /// is due, oldest first (any tenant: the reconciler's own query).
    async fn due_rows(&self, select: &str, status: &str, w: &DueWindow) -> Result<Vec<Row>, Error> {
        let sql = format!(
            "{select} WHERE {status} AND created_at >= $1 AND created_at <= $2
               AND (next_check_at IS NULL OR next_check_at <= $3)
             ORDER BY created_at LIMIT $4"
        );
        self.db
            .query(
                &sql,
                &[
                    w.created_after_secs.into(),
                    w.created_before_secs.into(),
                    w.now_secs.into(),
                    i64::from(w.limit).into(),
                ],
            )
            .await
    }
}

#[async_trait]
impl OrderStore for SqlStore {
    async fn insert_order(
        &self,
        scope: &Scope,
        order: &Order,
        events: &[NewEvent],
    ) -> Result<(), Error> {
        let mut params = Vec::from(scope_params(scope));
        params.extend([
            order.id.as_str().into(),
            order.amount.minor().into(),
            order.currency.code().into(),
            order.amount_paid.minor().into(),
            order.receipt.clone().into(),
            order.description.clone().into(),
            SqlValue::json(&order.customer)?,
            SqlValue::json(&order.notes)?,
            order.status.as_str().into(),
            order.provider.as_str().into(),
            order.provider_order_id.as_str().into(),
            SqlValue::json(&order.routing)?,
            SqlValue::json(&order.checkout)?,
            order.created_at.into(),
        ]);
        // The hot path of POST /v1/orders: the order, its event and their
        // deliveries are independent inserts, written as one statement on
        // Postgres and one writer job on SQLite.
        let mut statements = vec![Statement::new(
            "INSERT INTO orders (merchant_id, mode, order_id, amount, currency, amount_paid, receipt, description, customer, notes,
                 status, provider, provider_order_id, routing, checkout, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16)",
            params,
        )];
        statements.extend(event_statements(self, scope, events, order.created_at * 1000).await?);
        self.db.write_inserts(statements).await
    }

    async fn order(&self, scope: &Scope, id: &OrderId) -> Result<Option<Order>, Error> {
        let mut params = Vec::from(scope_params(scope));
        params.push(id.as_str().into());
        let sql = format!("SELECT {ORDER_COLUMNS} FROM orders WHERE merchant_id = $1 AND mode = $2 AND order_id = $3");
        self.db
            .query_opt(&sql, &params)
            .await?
            .map(|r| order_from_row(&r))
            .transpose()
    }

    async fn list_orders(&self, scope: &Scope, params: &ListParams) -> Result<Vec<Order>, Error> {
        let (sql, values) = paged(
            format!("SELECT {ORDER_COLUMNS} FROM orders WHERE merchant_id = $1 AND mode = $2"),
            Vec::from(scope_params(scope)),
            params,
            "created_at",
            "order_id",
        );
        self.db
            .query(&sql, &values)
            .await?
            .iter()
            .map(order_from_row)
            .collect()
    }

    async fn payment(&self, scope: &Scope, id: &PaymentId) -> Result<Option<Payment>, Error> {
        let mut params = Vec::from(scope_params(scope));
        params.push(id.as_str().into());
        let sql = format!("SELECT {PAYMENT_COLUMNS} FROM payments WHERE merchant_id = $1 AND mode = $2 AND payment_id = $3");
        self.db
            .query_opt(&sql, &params)
            .await?
            .map(|r| payment_from_row(&r))
            .transpose()
    }

    async fn payment_by_provider_id(
        &self,
        scope: &Scope,
        provider: ProviderName,
        provider_payment_id: &str,
    ) -> Result<Option<Payment>, Error> {
        let mut params = Vec::from(scope_params(scope));
        params.extend([provider.as_str().into(), provider_payment_id.into()]);
        let sql = format!("SELECT {PAYMENT_COLUMNS} FROM payments WHERE merchant_id = $1 AND mode = $2 AND provider = $3 AND provider_payment_id = $4");
        self.db
            .query_opt(&sql, &params)
            .await?
            .map(|r| payment_from_row(&r))
            .transpose()
    }

    async fn list_payments(
        &self,
        scope: &Scope,
        params: &ListParams,
    ) -> Result<Vec<Payment>, Error> {
        let (sql, values) = paged(
            format!("SELECT {PAYMENT_COLUMNS} FROM payments WHERE merchant_id = $1 AND mode = $2"),
            Vec::from(scope_params(scope)),
            params,
            "created_at",
            "payment_id",
        );
        self.db
            .query(&sql, &values)
            .await?
            .iter()
            .map(payment_from_row)
            .collect()
    }

    async fn save_payment(
        &self,
        scope: &Scope,
        p: &Payment,
        previous: Option<PaymentStatus>,
        order_status: OrderStatus,
        events: &[NewEvent],
    ) -> Result<bool, Error> {
        let tx = self.db.begin().await?;
        let changed = match previous {
            None => insert_payment(&tx, scope, p).await?,
            Some(previous) => update_payment(&tx, scope, p, previous).await?,
        };
        if changed != 1 {
            return Ok(false);
        }
        let paid = if p.status.is_captured() {
            p.amount.minor()
        } else {
            0
        };
        let mut params = Vec::from(scope_params(scope));
        params.extend([
            p.order_id.as_str().into(),
            order_status.as_str().into(),
            paid.into(),
            p.updated_at.into(),
        ]);
        tx.execute(
            "UPDATE orders SET status = $4, amount_paid = CASE WHEN $5 > amount_paid THEN $5 ELSE amount_paid END, updated_at = $6
             WHERE merchant_id = $1 AND mode = $2 AND order_id = $3",
            &params,
        )
        .await?;
        write_events(&tx, scope, events, p.updated_at * 1000).await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn reserve_refund(
        &self,
        scope: &Scope,
        r: &Refund,
        idempotency_key: Option<&str>,
    ) -> Result<bool, Error> {
        let tx = self.db.begin().await?;
        let mut params = Vec::from(scope_params(scope));
        params.extend([
            r.payment_id.as_str().into(),
            r.amount.minor().into(),
            r.created_at.into(),
        ]);
        let reserved = tx
            .execute(
                "UPDATE payments SET refund_reserved = refund_reserved + $4, updated_at = $5
                 WHERE merchant_id = $1 AND mode = $2 AND payment_id = $3
                   AND status IN ('captured', 'partially_refunded') AND refund_reserved + $4 <= amount",
                &params,
            )
            .await?;
        if reserved != 1 {
            return Ok(false);
        }
        let mut params = Vec::from(scope_params(scope));
        params.extend([
            r.id.as_str().into(),
            r.payment_id.as_str().into(),
            r.amount.minor().into(),
            r.currency.code().into(),
            r.status.as_str().into(),
            r.speed.as_str().into(),
            SqlValue::json(&r.notes)?,
            r.created_at.into(),
            idempotency_key.into(),
        ]);
        tx.execute(
            "INSERT INTO refunds (merchant_id, mode, refund_id, payment_id, amount, currency, status, speed, notes, created_at, updated_at, idempotency_key)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11)",
            &params,
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn finish_refund(
        &self,
        scope: &Scope,
        r: &Refund,
        events: &[NewEvent],
    ) -> Result<bool, Error> {
        let tx = self.db.begin().await?;
        let mut params = Vec::from(scope_params(scope));
        params.extend([
            r.id.as_str().into(),
            r.status.as_str().into(),
            r.provider_refund_id.clone().into(),
            r.error.clone().into(),
            r.updated_at.into(),
        ]);
        let changed = tx
            .execute(
                "UPDATE refunds SET status = $4, provider_refund_id = COALESCE($5, provider_refund_id), error = $6, updated_at = $7
                 WHERE merchant_id = $1 AND mode = $2 AND refund_id = $3 AND status = 'pending'",
                &params,
            )
            .await?;
        if changed != 1 {
            return Ok(false);
        }
        let mut params = Vec::from(scope_params(scope));
        params.extend([
            r.payment_id.as_str().into(),
            r.amount.minor().into(),
            r.updated_at.into(),
        ]);
        match r.status {
            RefundStatus::Processed => {
                let row = tx
                    .query_one(
                        "UPDATE payments SET amount_refunded = amount_refunded + $4, updated_at = $5
                         WHERE merchant_id = $1 AND mode = $2 AND payment_id = $3 RETURNING amount, amount_refunded",
                        &params,
                    )
                    .await?;
                let status = status_after_refunds(row.int("amount")?, row.int("amount_refunded")?);
                let mut params = Vec::from(scope_params(scope));
                params.extend([r.payment_id.as_str().into(), status.as_str().into()]);
                tx.execute("UPDATE payments SET status = $4 WHERE merchant_id = $1 AND mode = $2 AND payment_id = $3", &params).await?;
            }
            RefundStatus::Failed => {
                tx.execute(
                    "UPDATE payments SET refund_reserved = refund_reserved - $4, updated_at = $5 WHERE merchant_id = $1 AND mode = $2 AND payment_id = $3",
                    &params,
                )
                .await?;
            }
            RefundStatus::Pending => {
                return Err(Error::Internal("finish_refund needs a final status".into()))
            }
        }
        write_events(&tx, scope, events, r.updated_at * 1000).await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn refund_by_idempotency_key(
        &self,
        scope: &Scope,
        idempotency_key: &str,
    ) -> Result<Option<Refund>, Error> {
        let mut params = Vec::from(scope_params(scope));
        params.push(idempotency_key.into());
        let sql = format!("SELECT {REFUND_COLUMNS} FROM refunds WHERE merchant_id = $1 AND mode = $2 AND idempotency_key = $3");
        self.db
            .query_opt(&sql, &params)
            .await?
            .map(|r| refund_from_row(&r))
            .transpose()
    }

    async fn refund(&self, scope: &Scope, id: &RefundId) -> Result<Option<Refund>, Error> {
        let mut params = Vec::from(scope_params(scope));
        params.push(id.as_str().into());
        let sql = format!("SELECT {REFUND_COLUMNS} FROM refunds WHERE merchant_id = $1 AND mode = $2 AND refund_id = $3");
        self.db
            .query_opt(&sql, &params)
            .await?
            .map(|r| refund_from_row(&r))
            .transpose()
    }

    async fn refund_by_provider_id(
        &self,
        scope: &Scope,
        provider_refund_id: &str,
    ) -> Result<Option<Refund>, Error> {
        let mut params = Vec::from(scope_params(scope));
        params.push(provider_refund_id.into());
        let sql = format!("SELECT {REFUND_COLUMNS} FROM refunds WHERE merchant_id = $1 AND mode = $2 AND provider_refund_id = $3");
        self.db
            .query_opt(&sql, &params)
            .await?
            .map(|r| refund_from_row(&r))
            .transpose()
    }

    async fn list_refunds(&self, scope: &Scope, params: &ListParams) -> Result<Vec<Refund>, Error> {
        let (sql, values) = paged(
            format!("SELECT {REFUND_COLUMNS} FROM refunds WHERE merchant_id = $1 AND mode = $2"),
            Vec::from(scope_params(scope)),
            params,
            "created_at",
            "refund_id",
        );
        self.db
            .query(&sql, &values)
            .await?
            .iter()
            .map(refund_from_row)
            .collect()
    }

    async fn routing_config(&self, scope: &Scope) -> Result<Option<RoutingConfig>, Error> {
        self.db
            .query_opt(
                "SELECT config FROM routing_rules WHERE merchant_id = $1 AND mode = $2",
                &Vec::from(scope_params(scope)),
            )
            .await?
            .map(|row| row.json("config"))
            .transpose()
    }

    async fn set_routing_config(
        &self,
        scope: &Scope,
        config: &RoutingConfig,
        now_secs: i64,
    ) -> Result<(), Error> {
        let mut params = Vec::from(scope_params(scope));
        params.extend([SqlValue::json(config)?, now_secs.into()]);
        self.db
            .execute(
                "INSERT INTO routing_rules (merchant_id, mode, config, updated_at) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (merchant_id, mode) DO UPDATE SET config = excluded.config, updated_at = excluded.updated_at",
                &params,
            )
            .await
            .map(drop)
    }

    async fn record_provider_event(
        &self,
        scope: &Scope,
        provider: ProviderName,
        event_id: &str,
        now_secs: i64,
    ) -> Result<bool, Error> {
        let mut params = Vec::from(scope_params(scope));
        params.extend([provider.as_str().into(), event_id.into(), now_secs.into()]);
        let inserted = self
            .db
            .execute(
                "INSERT INTO provider_events (merchant_id, mode, provider, event_id, received_at) VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (provider, event_id) DO NOTHING",
                &params,
            )
            .await?;
        Ok(inserted == 1)
    }

    async fn set_refund_provider_id(
        &self,
        scope: &Scope,
        id: &RefundId,
        provider_refund_id: &str,
    ) -> Result<(), Error> {
        let mut params = Vec::from(scope_params(scope));
        params.extend([id.as_str().into(), provider_refund_id.into()]);
        self.db
            .execute("UPDATE refunds SET provider_refund_id = $4 WHERE merchant_id = $1 AND mode = $2 AND refund_id = $3", &params)
            .await
            .map(drop)
    }

    async fn set_next_check(
        &self,
        scope: &Scope,
        target: CheckTarget<'_>,
        next_check_secs: i64,
    ) -> Result<(), Error> {
        let (sql, id) = match target {
            CheckTarget::Order(id) => (
                "UPDATE orders SET next_check_at = $4 WHERE merchant_id = $1 AND mode = $2 AND order_id = $3",
                id.as_str(),
            ),
            CheckTarget::Refund(id) => (
                "UPDATE refunds SET next_check_at = $4 WHERE merchant_id = $1 AND mode = $2 AND refund_id = $3",
                id.as_str(),
            ),
        };
        let mut params = Vec::from(scope_params(scope));
        params.extend([id.into(), next_check_secs.into()]);
        self.db.execute(sql, &params).await.map(drop)
    }
}

#[async_trait]
impl OrderSystemStore for SqlStore {
    async fn order_by_provider_order(
        &self,
        provider: ProviderName,
        provider_order_id: &str,
    ) -> Result<Option<(Scope, OrderId)>, Error> {
        let row = self
            .db
            .query_opt(
                "SELECT merchant_id, mode, order_id FROM orders WHERE provider = $1 AND provider_order_id = $2",
                &[provider.as_str().into(), provider_order_id.into()],
            )
            .await?;
        row.map(|row| {
            Ok((
                Scope::new(
                    MerchantId::parse(&row.text("merchant_id")?)?,
                    Mode::parse(&row.text("mode")?)?,
                ),
                OrderId::parse(&row.text("order_id")?)?,
            ))
        })
        .transpose()
    }

    async fn refund_by_provider_refund(
        &self,
        provider_refund_id: &str,
    ) -> Result<Option<(Scope, Refund)>, Error> {
        let sql = format!(
            "SELECT {REFUND_COLUMNS}, merchant_id, mode FROM refunds WHERE provider_refund_id = $1"
        );
        let row = self
            .db
            .query_opt(&sql, &[provider_refund_id.into()])
            .await?;
        row.map(|row| {
            Ok((
                Scope::new(
                    MerchantId::parse(&row.text("merchant_id")?)?,
                    Mode::parse(&row.text("mode")?)?,
                ),
                refund_from_row(&row)?,
            ))
        })
        .transpose()
    }

    async fn orders_due_for_check(&self, window: &DueWindow) -> Result<Vec<(Scope, Order)>, Error> {
        self.due_rows(
            &format!("SELECT {ORDER_COLUMNS}, merchant_id FROM orders"),
            "status IN ('created', 'attempted')",
            window,
        )
        .await?
        .iter()
        .map(|row| {
            let order = order_from_row(row)?;
            Ok((
                Scope::new(MerchantId::parse(&row.text("merchant_id")?)?, order.mode),
                order,
            ))
        })
        .collect()
    }

    async fn refunds_due_for_check(
        &self,
        window: &DueWindow,
    ) -> Result<Vec<(Scope, Refund)>, Error> {
        self.due_rows(
            &format!("SELECT {REFUND_COLUMNS}, merchant_id, mode FROM refunds"),
            "status = 'pending'",
            window,
        )
        .await?
        .iter()
        .map(|row| {
            Ok((
                Scope::new(
                    MerchantId::parse(&row.text("merchant_id")?)?,
                    Mode::parse(&row.text("mode")?)?,
                ),
                refund_from_row(row)?,
            ))
        })
        .collect()
    }
}
