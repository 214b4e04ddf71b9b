use async_trait::async_trait;

use super::{ApiKey, ApiKeyAuthRecord, ApiKeyStore, ApiKeySystemStore};
use crate::events::sql::write_events;
use crate::events::NewEvent;
use crate::ids::{ApiKeyId, MerchantId};
use crate::merchants::Role;
use crate::pagination::ListParams;
use crate::store::sql::{paged, scope_params, Executor, Row};
use crate::store::SqlStore;
use crate::{Error, Mode, Scope};

const COLUMNS: &str = "key_id, mode, name, secret_last4, created_at, revoked_at";

fn key_from_row(row: &Row) -> Result<ApiKey, Error> {
    Ok(ApiKey {
        id: ApiKeyId::parse(&row.text("key_id")?)?,
        entity: "api_key".into(),
        mode: Mode::parse(&row.text("mode")?)?,
        name: row.text("name")?,
        secret_last4: row.text("secret_last4")?,
        created_at: row.int("created_at")?,
        revoked_at: row.opt_int("revoked_at")?,
    })
}

#[async_trait]
impl ApiKeyStore for SqlStore {
    async fn insert_api_key(
        &self,
        scope: &Scope,
        key: &ApiKey,
        secret_sha256: &str,
        events: &[NewEvent],
        max_active: u32,
    ) -> Result<bool, Error> {
        let [merchant, mode] = scope_params(scope);
        let tx = self.db.begin().await?;
        let inserted = tx.execute(
            "INSERT INTO api_keys (key_id, merchant_id, mode, name, secret_sha256, secret_last4, created_at, revoked_at)
             SELECT $1, $2, $3, $4, $5, $6, $7, NULL
             WHERE (SELECT COUNT(*) FROM api_keys WHERE merchant_id = $2 AND mode = $3 AND revoked_at IS NULL) < $8",
            &[
                key.id.as_str().into(),
                merchant,
                mode,
                key.name.as_str().into(),
                secret_sha256.into(),
                key.secret_last4.as_str().into(),
                key.created_at.into(),
                max_active.into(),
            ],
        )
        .await?;
        if inserted == 0 {
            return Ok(false);
        }
        write_events(&tx, scope, events, key.created_at * 1000).await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn list_api_keys(
        &self,
        scope: &Scope,
        params: &ListParams,
    ) -> Result<Vec<ApiKey>, Error> {
        let (sql, values) = paged(
            format!("SELECT {COLUMNS} FROM api_keys WHERE merchant_id = $1 AND mode = $2"),
            scope_params(scope).into(),
            params,
            "created_at",
            "key_id",
        );
        self.db
            .query(&sql, &values)
            .await?
            .iter()
            .map(key_from_row)
            .collect()
    }

    async fn revoke_api_key(
        &self,
        scope: &Scope,
        key_id: &ApiKeyId,
        now_secs: i64,
        events: &[NewEvent],
    ) -> Result<bool, Error> {
        let [merchant, mode] = scope_params(scope);
        let tx = self.db.begin().await?;
        let changed = tx
            .execute(
                "UPDATE api_keys SET revoked_at = $1
                 WHERE merchant_id = $2 AND mode = $3 AND key_id = $4 AND revoked_at IS NULL",
                &[now_secs.into(), merchant, mode, key_id.as_str().into()],
            )
            .await?;
        if changed == 1 {
            write_events(&tx, scope, events, now_secs * 1000).await?;
        }
        tx.commit().await?;
        Ok(changed == 1)
    }

    async fn api_key_by_id(
        &self,
        scope: &Scope,
        key_id: &ApiKeyId,
    ) -> Result<Option<ApiKey>, Error> {
        let [merchant, mode] = scope_params(scope);
        let sql = format!(
            "SELECT {COLUMNS} FROM api_keys WHERE merchant_id = $1 AND mode = $2 AND key_id = $3"
        );
        self.db
            .query_opt(&sql, &[merchant, mode, key_id.as_str().into()])
            .await?
            .map(|row| key_from_row(&row))
            .transpose()
    }
}

#[async_trait]
impl ApiKeySystemStore for SqlStore {
    async fn api_key_for_auth(&self, key_id: &ApiKeyId) -> Result<Option<ApiKeyAuthRecord>, Error> {
        let row = self
            .db
            .query_opt(
                "SELECT k.key_id AS key_id, k.merchant_id AS merchant_id, k.mode AS mode,
                        k.secret_sha256 AS secret_sha256, k.revoked_at AS revoked_at, m.role AS role
                 FROM api_keys k JOIN merchants m ON m.merchant_id = k.merchant_id
                 WHERE k.key_id = $1",
                &[key_id.as_str().into()],
            )
            .await?;
        row.map(|row| {
            Ok(ApiKeyAuthRecord {
                key_id: ApiKeyId::parse(&row.text("key_id")?)?,
                merchant_id: MerchantId::parse(&row.text("merchant_id")?)?,
                mode: Mode::parse(&row.text("mode")?)?,
                secret_sha256: row.text("secret_sha256")?,
                revoked: row.opt_int("revoked_at")?.is_some(),
                role: Role::parse(&row.text("role")?)?,
            })
        })
        .transpose()
    }
}
