//! Versioned schema migrations, embedded in the binary and applied in order,
//! each in the same transaction as its bookkeeping row.

use super::{Db, Executor, SqlValue};
use crate::Error;

/// (version, name, SQL). Append only: never edit a migration that has shipped.
pub const MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "foundation",
        include_str!("migrations/0001_foundation.sql"),
    ),
    (
        2,
        "events_webhooks",
        include_str!("migrations/0002_events_webhooks.sql"),
    ),
    (3, "gst", include_str!("migrations/0003_gst.sql")),
    (4, "gst_irp", include_str!("migrations/0004_gst_irp.sql")),
    (5, "payments", include_str!("migrations/0005_payments.sql")),
    (
        6,
        "routing_rules",
        include_str!("migrations/0006_routing_rules.sql"),
    ),
    (
        7,
        "provider_events",
        include_str!("migrations/0007_provider_events.sql"),
    ),
    (
        8,
        "gst_sources",
        include_str!("migrations/0008_gst_sources.sql"),
    ),
    (
        9,
        "reconcile",
        include_str!("migrations/0009_reconcile.sql"),
    ),
    (
        10,
        "provider_accounts",
        include_str!("migrations/0010_provider_accounts.sql"),
    ),
    (
        11,
        "settlements",
        include_str!("migrations/0011_settlements.sql"),
    ),
    (12, "security", include_str!("migrations/0012_security.sql")),
    (
        13,
        "tenant_scoped_provider_ids",
        include_str!("migrations/0013_tenant_scoped_provider_ids.sql"),
    ),
    (14, "jobs", include_str!("migrations/0014_jobs.sql")),
    (15, "admins", include_str!("migrations/0015_admins.sql")),
    (
        16,
        "gst_returns",
        include_str!("migrations/0016_gst_returns.sql"),
    ),
    (
        17,
        "customers",
        include_str!("migrations/0017_customers.sql"),
    ),
    (18, "plans", include_str!("migrations/0018_plans.sql")),
];

/// The part of a migration one engine runs. Written once where possible;
/// where the engines need different DDL (SQLite cannot drop a table
/// constraint in place), a line `-- engine: sqlite` or `-- engine: postgres`
/// starts a section only that engine runs, up to the next such line.
pub(super) fn for_engine(sql: &str, dialect: super::Dialect) -> String {
    let mut kept = String::new();
    let mut section: Option<&str> = None;
    for line in sql.lines() {
        if let Some(engine) = line.trim().strip_prefix("-- engine:") {
            section = Some(engine.trim());
            continue;
        }
        if section.is_none_or(|engine| engine == dialect.name()) {
            kept.push_str(line);
            kept.push('\n');
        }
    }
    kept
}

/// Applies what is pending, all in one transaction.
///
/// On SQLite, foreign keys are off while migrations run (SQLite's own
/// procedure for rebuilding a table that others reference; the pragma is a
/// no-op inside a transaction, so it is set around it), and
/// `foreign_key_check` must come back empty before the commit.
pub(super) async fn apply(db: &Db, through_version: i64) -> Result<Vec<i64>, Error> {
    let sqlite = db.dialect() == super::Dialect::Sqlite;
    if sqlite {
        db.execute("PRAGMA foreign_keys = OFF", &[]).await?;
    }
    let applied = apply_in_one_transaction(db, through_version).await;
    if sqlite {
        db.execute("PRAGMA foreign_keys = ON", &[]).await?;
    }
    applied
}

async fn apply_in_one_transaction(db: &Db, through_version: i64) -> Result<Vec<i64>, Error> {
    let tx = db.begin().await?;
    if let Some(lock) = tx.dialect().migration_lock() {
        tx.execute_batch(lock).await?;
    }
    tx.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
            version BIGINT PRIMARY KEY,
            name TEXT NOT NULL,
            applied_at BIGINT NOT NULL
        )",
    )
    .await?;
    let applied: Vec<i64> = tx
        .query(
            "SELECT version FROM schema_migrations ORDER BY version",
            &[],
        )
        .await?
        .iter()
        .map(|row| row.int("version"))
        .collect::<Result<_, _>>()?;
    if let Some(newest) = applied.last() {
        let known = MIGRATIONS.last().map_or(0, |m| m.0);
        if *newest > known {
            return Err(Error::Internal(format!(
                "the database is at schema version {newest}, newer than this binary ({known}); upgrade Finvex"
            )));
        }
    }
    let now_secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let mut newly_applied = Vec::new();
    for (version, name, sql) in MIGRATIONS {
        if applied.contains(version) || *version > through_version {
            continue;
        }
        tx.execute_batch(&for_engine(sql, tx.dialect())).await?;
        tx.execute(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
            &[
                SqlValue::Int(*version),
                SqlValue::from(*name),
                SqlValue::Int(now_secs),
            ],
        )
        .await?;
        newly_applied.push(*version);
    }
    if tx.dialect() == super::Dialect::Sqlite
        && !tx.query("PRAGMA foreign_key_check", &[]).await?.is_empty()
    {
        return Err(Error::Internal(
            "a migration left rows whose foreign keys point nowhere; nothing was applied".into(),
        ));
    }
    tx.commit().await?;
    Ok(newly_applied)
}

#[cfg(test)]
mod tests {
    use super::super::Dialect;
    use super::{for_engine, MIGRATIONS};

    #[test]
    fn engine_sections_run_on_their_engine_only() {
        let sql = "CREATE TABLE a (x TEXT);\n-- engine: sqlite\nSELECT 'lite';\n-- engine: postgres\nSELECT 'pg';\n";
        let lite = for_engine(sql, Dialect::Sqlite);
        let pg = for_engine(sql, Dialect::Postgres);
        assert!(
            lite.contains("CREATE TABLE a") && lite.contains("'lite'") && !lite.contains("'pg'")
        );
        assert!(pg.contains("CREATE TABLE a") && pg.contains("'pg'") && !pg.contains("'lite'"));
    }

    #[test]
    fn every_migration_file_is_registered_in_order() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/store/sql/migrations");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.ends_with(".sql"))
            .collect();
        files.sort();
        assert_eq!(files.len(), MIGRATIONS.len(), "{files:?}");
        for (i, (version, _, _)) in MIGRATIONS.iter().enumerate() {
            assert_eq!(*version, i as i64 + 1, "versions are 1, 2, 3, …");
            assert!(
                files[i].starts_with(&format!("{version:04}_")),
                "{} is not migration {version}",
                files[i]
            );
        }
    }
}
