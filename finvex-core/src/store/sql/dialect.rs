/// The database engine behind a [`super::Db`], and the few SQL fragments
/// that differ between them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

impl Dialect {
    /// Serialises concurrent migrators (several server instances starting at
    /// once). SQLite needs none: `BEGIN IMMEDIATE` already takes the write lock.
    pub fn migration_lock(self) -> Option<&'static str> {
        match self {
            Dialect::Sqlite => None,
            Dialect::Postgres => Some("SELECT pg_advisory_xact_lock(7461626) "),
        }
    }

    /// Appended to a `SELECT` that claims rows for one worker among several.
    /// SQLite has a single writer, so its claims cannot race.
    pub fn skip_locked(self) -> &'static str {
        match self {
            Dialect::Sqlite => "",
            Dialect::Postgres => " FOR UPDATE SKIP LOCKED",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Dialect::Sqlite => "sqlite",
            Dialect::Postgres => "postgres",
        }
    }
}
