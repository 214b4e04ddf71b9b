use async_trait::async_trait;

use super::{Settlement, SettlementStore, SettlementSystemStore};
use crate::ids::{MerchantId, SettlementId};
use crate::money::{Amount, Currency};
use crate::pagination::ListParams;
use crate::store::sql::{paged, scope_params, Executor, Row, SqlValue};
use crate::store::SqlStore;
use crate::{Error, Mode, Scope};

const COLUMNS: &str = "settlement_id, mode, provider, provider_settlement_id, amount, currency, \
    fees, tax, utr, status, settled_at, reconciliation, entries, created_at, updated_at";

fn settlement_from_row(row: &Row) -> Result<Settlement, Error> {
    Ok(Settlement {
        id: SettlementId::parse(&row.text("settlement_id")?)?,
        entity: "settlement".into(),
        mode: Mode::parse(&row.text("mode")?)?,
        provider: row.parsed("provider")?,
        provider_settlement_id: row.text("provider_settlement_id")?,
        amount: Amount::from_minor(row.int("amount")?),
        currency: Currency::parse(&row.text("currency")?)?,
        fees: Amount::from_minor(row.int("fees")?),
        tax: Amount::from_minor(row.int("tax")?),
        utr: row.opt_text("utr")?,
        status: row.text("status")?,
        settled_at: row.int("settled_at")?,
        reconciliation: row.json("reconciliation")?,
        entries: row.json("entries")?,
        created_at: row.int("created_at")?,
        updated_at: row.int("updated_at")?,
    })
}

#[async_trait]
impl SettlementStore for SqlStore {
    async fn upsert_settlement(&self, scope: &Scope, s: &Settlement) -> Result<Settlement, Error> {
        let mut params = Vec::from(scope_params(scope));
        params.extend([
            s.id.as_str().into(),
            s.provider.as_str().into(),
            s.provider_settlement_id.as_str().into(),
            s.amount.minor().into(),
            s.currency.code().into(),
            s.fees.minor().into(),
            s.tax.minor().into(),
            s.utr.clone().into(),
            s.status.as_str().into(),
            s.settled_at.into(),
            SqlValue::json(&s.reconciliation)?,
            SqlValue::json(&s.entries)?,
            s.created_at.into(),
            s.updated_at.into(),
        ]);
        let sql = format!(
            "INSERT INTO settlements (merchant_id, mode, settlement_id, provider, provider_settlement_id,
                 amount, currency, fees, tax, utr, status, settled_at, reconciliation, entries,
                 created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
             ON CONFLICT (merchant_id, mode, provider, provider_settlement_id) DO UPDATE SET
                 amount = excluded.amount, currency = excluded.currency, fees = excluded.fees,
                 tax = excluded.tax, utr = excluded.utr, status = excluded.status,
                 settled_at = excluded.settled_at, reconciliation = excluded.reconciliation,
                 entries = excluded.entries, updated_at = excluded.updated_at
             RETURNING {COLUMNS}"
        );
        settlement_from_row(&self.db.query_one(&sql, &params).await?)
    }

    async fn settlement(
        &self,
        scope: &Scope,
        id: &SettlementId,
    ) -> Result<Option<Settlement>, Error> {
        let mut params = Vec::from(scope_params(scope));
        params.push(id.as_str().into());
        let sql = format!(
            "SELECT {COLUMNS} FROM settlements WHERE merchant_id = $1 AND mode = $2 AND settlement_id = $3"
        );
        self.db
            .query_opt(&sql, &params)
            .await?
            .map(|row| settlement_from_row(&row))
            .transpose()
    }

    async fn list_settlements(
        &self,
        scope: &Scope,
        params: &ListParams,
    ) -> Result<Vec<Settlement>, Error> {
        let (sql, values) = paged(
            format!("SELECT {COLUMNS} FROM settlements WHERE merchant_id = $1 AND mode = $2"),
            scope_params(scope).into(),
            params,
            "created_at",
            "settlement_id",
        );
        self.db
            .query(&sql, &values)
            .await?
            .iter()
            .map(settlement_from_row)
            .collect()
    }
}

#[async_trait]
impl SettlementSystemStore for SqlStore {
    async fn scopes_with_provider_accounts(&self, limit: u32) -> Result<Vec<Scope>, Error> {
        self.db
            .query(
                "SELECT DISTINCT merchant_id, mode FROM provider_accounts ORDER BY merchant_id, mode LIMIT $1",
                &[i64::from(limit).into()],
            )
            .await?
            .iter()
            .map(|row| {
                Ok(Scope::new(
                    MerchantId::parse(&row.text("merchant_id")?)?,
                    Mode::parse(&row.text("mode")?)?,
                ))
            })
            .collect()
    }
}
