use async_trait::async_trait;

use super::{Admin, AdminRecord, AdminStore};
use crate::ids::AdminId;
use crate::store::sql::{Executor, Row};
use crate::store::SqlStore;
use crate::types::Email;
use crate::Error;

const COLUMNS: &str = "admin_id, email, password_hash, created_at";

fn record_from_row(row: &Row) -> Result<AdminRecord, Error> {
    Ok(AdminRecord {
        admin: Admin {
            id: AdminId::parse(&row.text("admin_id")?)?,
            entity: "admin",
            email: Email::parse(&row.text("email")?)?,
            created_at: row.int("created_at")?,
        },
        password_hash: row.text("password_hash")?,
    })
}

#[async_trait]
impl AdminStore for SqlStore {
    async fn insert_admin(&self, record: &AdminRecord) -> Result<(), Error> {
        let admin = &record.admin;
        let inserted = self
            .db
            .execute(
                "INSERT INTO admins (admin_id, email, password_hash, created_at) VALUES ($1, $2, $3, $4)",
                &[
                    admin.id.as_str().into(),
                    admin.email.as_str().into(),
                    record.password_hash.as_str().into(),
                    admin.created_at.into(),
                ],
            )
            .await;
        match inserted {
            Err(Error::Conflict { .. }) => Err(Error::conflict(
                "email",
                "an admin with this email already exists",
            )),
            other => other.map(drop),
        }
    }

    async fn admin_by_email(&self, email: &Email) -> Result<Option<AdminRecord>, Error> {
        let sql = format!("SELECT {COLUMNS} FROM admins WHERE email = $1");
        self.db
            .query_opt(&sql, &[email.as_str().into()])
            .await?
            .map(|row| record_from_row(&row))
            .transpose()
    }

    async fn admin_by_id(&self, id: &AdminId) -> Result<Option<Admin>, Error> {
        let sql = format!("SELECT {COLUMNS} FROM admins WHERE admin_id = $1");
        self.db
            .query_opt(&sql, &[id.as_str().into()])
            .await?
            .map(|row| record_from_row(&row).map(|r| r.admin))
            .transpose()
    }
}
