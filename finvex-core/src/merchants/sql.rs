use async_trait::async_trait;

use super::{Merchant, MerchantRecord, MerchantStore, MerchantSystemStore, Role};
use crate::ids::MerchantId;
use crate::pagination::ListParams;
use crate::store::sql::{paged, Executor, Row, SqlValue};
use crate::store::SqlStore;
use crate::types::Email;
use crate::{Error, Scope};

const COLUMNS: &str =
    "merchant_id, name, email, role, created_at, password_hash, installation_accounts_live";

fn record_from_row(row: &Row) -> Result<MerchantRecord, Error> {
    let mut merchant = Merchant::new(
        MerchantId::parse(&row.text("merchant_id")?)?,
        row.text("name")?,
        Email::parse(&row.text("email")?)?,
        Role::parse(&row.text("role")?)?,
        row.int("created_at")?,
    );
    merchant.installation_accounts_live = row.int("installation_accounts_live")? != 0;
    Ok(MerchantRecord {
        merchant,
        password_hash: row.text("password_hash")?,
    })
}

#[async_trait]
impl MerchantStore for SqlStore {
    async fn merchant(&self, scope: &Scope) -> Result<Option<Merchant>, Error> {
        self.merchant_by_id(&scope.merchant_id).await
    }
}

#[async_trait]
impl MerchantSystemStore for SqlStore {
    async fn insert_merchant(&self, record: &MerchantRecord) -> Result<(), Error> {
        let m = &record.merchant;
        let inserted = self
            .db
            .execute(
                "INSERT INTO merchants (merchant_id, name, email, role, created_at, password_hash)
                 VALUES ($1, $2, $3, $4, $5, $6)",
                &[
                    m.id.as_str().into(),
                    m.name.as_str().into(),
                    m.email.as_str().into(),
                    m.role.as_str().into(),
                    m.created_at.into(),
                    record.password_hash.as_str().into(),
                ],
            )
            .await;
        match inserted {
            Err(Error::Conflict { .. }) => Err(Error::conflict(
                "email",
                "a merchant with this email already exists",
            )),
            other => other.map(drop),
        }
    }

    async fn merchant_by_id(&self, id: &MerchantId) -> Result<Option<Merchant>, Error> {
        let sql = format!("SELECT {COLUMNS} FROM merchants WHERE merchant_id = $1");
        self.db
            .query_opt(&sql, &[id.as_str().into()])
            .await?
            .map(|row| record_from_row(&row).map(|r| r.merchant))
            .transpose()
    }

    async fn merchant_by_email(&self, email: &Email) -> Result<Option<MerchantRecord>, Error> {
        let sql = format!("SELECT {COLUMNS} FROM merchants WHERE email = $1");
        self.db
            .query_opt(&sql, &[email.as_str().into()])
            .await?
            .map(|row| record_from_row(&row))
            .transpose()
    }

    async fn list_merchants(&self, params: &ListParams) -> Result<Vec<Merchant>, Error> {
        let (sql, values) = paged(
            format!("SELECT {COLUMNS} FROM merchants WHERE 1 = 1"),
            Vec::new(),
            params,
            "created_at",
            "merchant_id",
        );
        self.db
            .query(&sql, &values)
            .await?
            .iter()
            .map(|row| record_from_row(row).map(|r| r.merchant))
            .collect()
    }

    async fn count_merchants(&self) -> Result<i64, Error> {
        self.db
            .query_one("SELECT COUNT(*) AS n FROM merchants", &[])
            .await?
            .int("n")
    }

    async fn set_merchant_role(&self, id: &MerchantId, role: Role) -> Result<bool, Error> {
        let changed = self
            .db
            .execute(
                "UPDATE merchants SET role = $1 WHERE merchant_id = $2",
                &[SqlValue::from(role.as_str()), id.as_str().into()],
            )
            .await?;
        Ok(changed == 1)
    }

    async fn set_installation_accounts_live(
        &self,
        id: &MerchantId,
        allowed: bool,
    ) -> Result<bool, Error> {
        let changed = self
            .db
            .execute(
                "UPDATE merchants SET installation_accounts_live = $1 WHERE merchant_id = $2",
                &[SqlValue::from(allowed), id.as_str().into()],
            )
            .await?;
        Ok(changed == 1)
    }
}
