use crate::{Error, Scope};

/// A parameter or column value. The schema uses only BIGINT and TEXT (plus
/// NULL), so both engines store exactly the same values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SqlValue {
    Null,
    Int(i64),
    Text(String),
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

/// One result row, read by column index in `SELECT` order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row(pub(crate) Vec<SqlValue>);

impl Row {
    fn column(&self, index: usize) -> Result<&SqlValue, Error> {
        self.0
            .get(index)
            .ok_or_else(|| Error::Internal(format!("row has no column {index}")))
    }

    pub fn int(&self, index: usize) -> Result<i64, Error> {
        match self.column(index)? {
            SqlValue::Int(v) => Ok(*v),
            other => Err(Error::Internal(format!(
                "column {index}: expected integer, got {other:?}"
            ))),
        }
    }

    pub fn opt_int(&self, index: usize) -> Result<Option<i64>, Error> {
        match self.column(index)? {
            SqlValue::Null => Ok(None),
            _ => self.int(index).map(Some),
        }
    }

    pub fn text(&self, index: usize) -> Result<String, Error> {
        match self.column(index)? {
            SqlValue::Text(v) => Ok(v.clone()),
            other => Err(Error::Internal(format!(
                "column {index}: expected text, got {other:?}"
            ))),
        }
    }

    pub fn opt_text(&self, index: usize) -> Result<Option<String>, Error> {
        match self.column(index)? {
            SqlValue::Null => Ok(None),
            _ => self.text(index).map(Some),
        }
    }
}

/// The tenant parameters every scoped query starts with: `$1` merchant, `$2` mode.
pub fn scope_params(scope: &Scope) -> [SqlValue; 2] {
    [
        scope.merchant_id.as_str().into(),
        scope.mode.as_str().into(),
    ]
}
