use crate::{Error, Scope};

/// A parameter or column value. The schema uses only BIGINT and TEXT (plus
/// NULL), so both engines store exactly the same values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SqlValue {
    Null,
    Int(i64),
    Text(String),
}

impl SqlValue {
    /// A value stored as its JSON text.
    pub fn json(value: &impl serde::Serialize) -> Result<SqlValue, Error> {
        serde_json::to_string(value)
            .map(SqlValue::Text)
            .map_err(|e| Error::Internal(format!("JSON to store: {e}")))
    }
}

impl From<i64> for SqlValue {
    fn from(v: i64) -> Self {
        SqlValue::Int(v)
    }
}
impl From<u32> for SqlValue {
    fn from(v: u32) -> Self {
        SqlValue::Int(i64::from(v))
    }
}
impl From<bool> for SqlValue {
    fn from(v: bool) -> Self {
        SqlValue::Int(i64::from(v))
    }
}
impl From<&str> for SqlValue {
    fn from(v: &str) -> Self {
        SqlValue::Text(v.to_string())
    }
}
impl From<String> for SqlValue {
    fn from(v: String) -> Self {
        SqlValue::Text(v)
    }
}
impl From<&String> for SqlValue {
    fn from(v: &String) -> Self {
        SqlValue::Text(v.clone())
    }
}
impl<T: Into<SqlValue>> From<Option<T>> for SqlValue {
    fn from(v: Option<T>) -> Self {
        v.map_or(SqlValue::Null, Into::into)
    }
}

/// One result row, read by column name (`row.text("invoice_id")`). Names
/// are the result's column labels (a bare column name, or its `AS` alias),
/// shared by every row of one result; give an expression (`COUNT(*)`, a
/// subquery, a qualified column in a join) an alias and read that.
///
/// Store code reads every column by name, so a query's column list can be
/// reordered or extended without touching its reader. Positions in `SELECT`
/// order (`row.text(0)`) are still accepted, for ad-hoc queries in tests and
/// tools; no store method uses them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub(crate) values: Vec<SqlValue>,
    pub(crate) columns: std::sync::Arc<[String]>,
}

/// How a column is named: its label (what store code uses), or its position
/// (kept for tests and tools; see [`Row`]).
pub trait Column: Copy + std::fmt::Debug {
    fn position(self, row: &Row) -> Result<usize, Error>;
}

impl Column for usize {
    fn position(self, _row: &Row) -> Result<usize, Error> {
        Ok(self)
    }
}

/// Integer literals (`row.text(0)`) are `i32` unless told otherwise.
impl Column for i32 {
    fn position(self, _row: &Row) -> Result<usize, Error> {
        usize::try_from(self).map_err(|_| Error::Internal(format!("no column {self}")))
    }
}

impl Column for &str {
    fn position(self, row: &Row) -> Result<usize, Error> {
        row.columns
            .iter()
            .position(|c| c.as_str() == self)
            .ok_or_else(|| Error::Internal(format!("the result has no column {self:?}")))
    }
}

impl Row {
    pub(crate) fn new(values: Vec<SqlValue>, columns: std::sync::Arc<[String]>) -> Row {
        Row { values, columns }
    }

    fn column(&self, column: impl Column) -> Result<&SqlValue, Error> {
        let index = column.position(self)?;
        self.values
            .get(index)
            .ok_or_else(|| Error::Internal(format!("row has no column {index}")))
    }

    pub fn int(&self, column: impl Column) -> Result<i64, Error> {
        match self.column(column)? {
            SqlValue::Int(v) => Ok(*v),
            other => Err(Error::Internal(format!(
                "column {column:?}: expected integer, got {other:?}"
            ))),
        }
    }

    pub fn opt_int(&self, column: impl Column) -> Result<Option<i64>, Error> {
        match self.column(column)? {
            SqlValue::Null => Ok(None),
            _ => self.int(column).map(Some),
        }
    }

    pub fn text(&self, column: impl Column) -> Result<String, Error> {
        match self.column(column)? {
            SqlValue::Text(v) => Ok(v.clone()),
            other => Err(Error::Internal(format!(
                "column {column:?}: expected text, got {other:?}"
            ))),
        }
    }

    pub fn opt_text(&self, column: impl Column) -> Result<Option<String>, Error> {
        match self.column(column)? {
            SqlValue::Null => Ok(None),
            _ => self.text(column).map(Some),
        }
    }

    /// A text column holding JSON, deserialised.
    pub fn json<T: serde::de::DeserializeOwned>(&self, column: impl Column) -> Result<T, Error> {
        serde_json::from_str(&self.text(column)?)
            .map_err(|e| Error::Internal(format!("stored JSON in column {column:?}: {e}")))
    }

    /// A text column holding one of an enum's names, parsed with `FromStr`.
    pub fn parsed<T>(&self, column: impl Column) -> Result<T, Error>
    where
        T: std::str::FromStr,
        T::Err: std::fmt::Display,
    {
        let raw = self.text(column)?;
        raw.parse()
            .map_err(|e| Error::Internal(format!("column {column:?}: {raw:?}: {e}")))
    }
}

/// The tenant parameters every scoped query starts with: `$1` merchant, `$2` mode.
pub fn scope_params(scope: &Scope) -> [SqlValue; 2] {
    [
        scope.merchant_id.as_str().into(),
        scope.mode.as_str().into(),
    ]
}
