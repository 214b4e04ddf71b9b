use async_trait::async_trait;

use super::{Customer, CustomerFilter, CustomerStore, ValidCustomer};
use crate::ids::CustomerId;
use crate::pagination::ListParams;
use crate::store::sql::{paged, scope_params, Executor, Row, SqlValue};
use crate::store::SqlStore;
use crate::types::{Email, Phone};
use crate::{Error, Scope};

const COLUMNS: &str = "customer_id, mode, name, email, phone, notes, created_at";

fn customer_from_row(row: &Row) -> Result<Customer, Error> {
    Ok(Customer {
        id: CustomerId::parse(&row.text("customer_id")?)?,
        entity: "customer",
        mode: row.parsed("mode")?,
        name: row.opt_text("name")?,
        email: row.opt_text("email")?,
        phone: row.opt_text("phone")?,
        notes: row.json("notes")?,
        created_at: row.int("created_at")?,
    })
}

/// Which contact made an insert conflict, for the 409's `field`.
async fn taken_field(
    db: &dyn Executor,
    scope: &Scope,
    email: Option<&Email>,
) -> Result<&'static str, Error> {
    let Some(email) = email else {
        return Ok("phone");
    };
    let [merchant, mode] = scope_params(scope);
    let row = db
        .query_opt(
            "SELECT 1 AS taken FROM customers
             WHERE merchant_id = $1 AND mode = $2 AND lower(email) = lower($3)",
            &[merchant, mode, email.as_str().into()],
        )
        .await?;
    Ok(if row.is_some() { "email" } else { "phone" })
}

#[async_trait]
impl CustomerStore for SqlStore {
    async fn insert_customer(
        &self,
        scope: &Scope,
        id: &CustomerId,
        c: &ValidCustomer,
        now_secs: i64,
    ) -> Result<Customer, Error> {
        let [merchant, mode] = scope_params(scope);
        let inserted = self
            .db
            .execute(
                "INSERT INTO customers (customer_id, merchant_id, mode, name, email, phone, notes, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                &[
                    id.as_str().into(),
                    merchant,
                    mode,
                    c.name.clone().into(),
                    c.email.as_ref().map(|e| e.as_str().to_string()).into(),
                    c.phone.as_ref().map(|p| p.as_str().to_string()).into(),
                    SqlValue::json(&c.notes)?,
                    now_secs.into(),
                ],
            )
            .await;
        if let Err(Error::Conflict { .. }) = inserted {
            let field = taken_field(&self.db, scope, c.email.as_ref()).await?;
            return Err(Error::conflict(
                field,
                format!("another customer already has this {field}"),
            ));
        }
        inserted?;
        Ok(Customer {
            id: id.clone(),
            entity: "customer",
            mode: scope.mode,
            name: c.name.clone(),
            email: c.email.as_ref().map(|e| e.as_str().to_string()),
            phone: c.phone.as_ref().map(|p| p.as_str().to_string()),
            notes: c.notes.clone(),
            created_at: now_secs,
        })
    }

    async fn customer_by_id(
        &self,
        scope: &Scope,
        id: &CustomerId,
    ) -> Result<Option<Customer>, Error> {
        let [merchant, mode] = scope_params(scope);
        self.db
            .query_opt(
                &format!("SELECT {COLUMNS} FROM customers WHERE merchant_id = $1 AND mode = $2 AND customer_id = $3"),
                &[merchant, mode, id.as_str().into()],
            )
            .await?
            .map(|row| customer_from_row(&row))
            .transpose()
    }

    async fn customer_by_contact(
        &self,
        scope: &Scope,
        email: Option<&Email>,
        phone: Option<&Phone>,
    ) -> Result<Option<Customer>, Error> {
        let [merchant, mode] = scope_params(scope);
        if let Some(email) = email {
            let found = self
                .db
                .query_opt(
                    &format!("SELECT {COLUMNS} FROM customers WHERE merchant_id = $1 AND mode = $2 AND lower(email) = lower($3)"),
                    &[merchant.clone(), mode.clone(), email.as_str().into()],
                )
                .await?;
            if let Some(row) = found {
                return customer_from_row(&row).map(Some);
            }
        }
        let Some(phone) = phone else {
            return Ok(None);
        };
        self.db
            .query_opt(
                &format!("SELECT {COLUMNS} FROM customers WHERE merchant_id = $1 AND mode = $2 AND phone = $3"),
                &[merchant, mode, phone.as_str().into()],
            )
            .await?
            .map(|row| customer_from_row(&row))
            .transpose()
    }

    async fn list_customers(
        &self,
        scope: &Scope,
        filter: &CustomerFilter,
        params: &ListParams,
    ) -> Result<Vec<Customer>, Error> {
        let mut sql =
            format!("SELECT {COLUMNS} FROM customers WHERE merchant_id = $1 AND mode = $2");
        let mut values = Vec::from(scope_params(scope));
        if let Some(email) = &filter.email {
            values.push(email.as_str().into());
            sql.push_str(&format!(" AND lower(email) = lower(${})", values.len()));
        }
        if let Some(phone) = &filter.phone {
            values.push(phone.as_str().into());
            sql.push_str(&format!(" AND phone = ${}", values.len()));
        }
        let (sql, values) = paged(sql, values, params, "created_at", "customer_id");
        self.db
            .query(&sql, &values)
            .await?
            .iter()
            .map(customer_from_row)
            .collect()
    }
}
