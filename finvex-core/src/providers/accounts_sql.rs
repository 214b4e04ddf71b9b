use async_trait::async_trait;

use super::accounts::{ProviderAccountStore, StoredAccount};
use super::ProviderName;
use crate::store::sql::{scope_params, Executor};
use crate::store::SqlStore;
use crate::{Error, Scope};

#[async_trait]
impl ProviderAccountStore for SqlStore {
    async fn provider_accounts(&self, scope: &Scope) -> Result<Vec<StoredAccount>, Error> {
        self.db
            .query(
                "SELECT provider, public_id, sealed, created_at, updated_at FROM provider_accounts
                 WHERE merchant_id = $1 AND mode = $2 ORDER BY provider",
                &scope_params(scope),
            )
            .await?
            .iter()
            .map(|row| {
                Ok(StoredAccount {
                    provider: row.parsed("provider")?,
                    public_id: row.text("public_id")?,
                    sealed: row.text("sealed")?,
                    created_at: row.int("created_at")?,
                    updated_at: row.int("updated_at")?,
                })
            })
            .collect()
    }

    async fn put_provider_account(
        &self,
        scope: &Scope,
        account: &StoredAccount,
    ) -> Result<StoredAccount, Error> {
        let mut params = Vec::from(scope_params(scope));
        params.extend([
            account.provider.as_str().into(),
            account.public_id.as_str().into(),
            account.sealed.as_str().into(),
            account.created_at.into(),
            account.updated_at.into(),
        ]);
        let created_at = self
            .db
            .query_one(
                "INSERT INTO provider_accounts (merchant_id, mode, provider, public_id, sealed, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)
                 ON CONFLICT (merchant_id, mode, provider) DO UPDATE SET
                     public_id = excluded.public_id, sealed = excluded.sealed, updated_at = excluded.updated_at
                 RETURNING created_at",
                &params,
            )
            .await?
            .int("created_at")?;
        Ok(StoredAccount {
            created_at,
            ..account.clone()
        })
    }

    async fn delete_provider_account(
        &self,
        scope: &Scope,
        provider: ProviderName,
    ) -> Result<bool, Error> {
        let mut params = Vec::from(scope_params(scope));
        params.push(provider.as_str().into());
        Ok(self
            .db
            .execute(
                "DELETE FROM provider_accounts WHERE merchant_id = $1 AND mode = $2 AND provider = $3",
                &params,
            )
            .await?
            == 1)
    }
}
