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

    /// Whether a `WITH x AS (UPDATE … RETURNING …) SELECT … FROM x JOIN …`
    /// runs: a data-modifying CTE (Postgres), so a claim returns its rows'
    /// joined data in the same statement. SQLite takes a second query, which
    /// costs it no round trip.
    pub fn modifying_ctes(self) -> bool {
        matches!(self, Dialect::Postgres)
    }

    pub fn name(self) -> &'static str {
        match self {
            Dialect::Sqlite => "sqlite",
            Dialect::Postgres => "postgres",
        }
    }
}

/// Postgres: independent `INSERT`s as one statement, each a data-modifying
/// CTE, with their `$N` parameters renumbered into one list.
#[cfg(feature = "postgres")]
pub(crate) fn combine_inserts(
    statements: Vec<super::Statement>,
) -> Result<super::Statement, crate::Error> {
    let mut sql = String::from("WITH ");
    let mut params = Vec::new();
    for (i, statement) in statements.into_iter().enumerate() {
        if !statement.sql.trim_start().starts_with("INSERT") {
            return Err(crate::Error::Internal(
                "combine_inserts takes INSERT statements only".into(),
            ));
        }
        let offset = params.len();
        if i > 0 {
            sql.push_str(", ");
        }
        sql.push_str(&format!("w{i} AS ({})", renumber(&statement.sql, offset)));
        params.extend(statement.params);
    }
    sql.push_str(" SELECT 1");
    Ok(super::Statement::new(sql, params))
}

/// `$N` becomes `$(N + offset)`.
#[cfg(feature = "postgres")]
fn renumber(sql: &str, offset: usize) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '$' && chars.peek().is_some_and(char::is_ascii_digit) {
            let mut digits = String::new();
            while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                digits.push(*d);
                chars.next();
            }
            let n: usize = digits.parse().unwrap_or(0);
            out.push_str(&format!("${}", n + offset));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(all(test, feature = "postgres"))]
mod tests {
    use super::super::{SqlValue, Statement};
    use super::*;

    #[test]
    fn inserts_combine_into_one_statement_with_renumbered_parameters() {
        let combined = combine_inserts(vec![
            Statement::new(
                "INSERT INTO a (x, y) VALUES ($1, $2)",
                vec![SqlValue::Int(1), SqlValue::Int(2)],
            ),
            Statement::new(
                "INSERT INTO b (x) SELECT CAST($1 AS TEXT) WHERE $1 = $1",
                vec![SqlValue::Int(3)],
            ),
        ])
        .unwrap();
        assert_eq!(
            combined.sql,
            "WITH w0 AS (INSERT INTO a (x, y) VALUES ($1, $2)), w1 AS (INSERT INTO b (x) SELECT CAST($3 AS TEXT) WHERE $3 = $3) SELECT 1"
        );
        assert_eq!(combined.params.len(), 3);
        assert!(combine_inserts(vec![Statement::new("UPDATE a SET x = 1", vec![])]).is_err());
    }
}
