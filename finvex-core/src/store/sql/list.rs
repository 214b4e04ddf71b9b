use super::SqlValue;
use crate::pagination::ListParams;

/// Appends the list scheme (time filters, newest first, LIMIT/OFFSET) to a
/// scoped `SELECT … WHERE …` whose first parameters are already in `params`.
/// Filters are added only when set, so every placeholder has a clear type on
/// both engines.
pub fn paged(
    mut sql: String,
    mut params: Vec<SqlValue>,
    list: &ListParams,
    time_column: &str,
    id_column: &str,
) -> (String, Vec<SqlValue>) {
    if let Some(from) = list.from_unix_secs {
        params.push(from.into());
        sql.push_str(&format!(" AND {time_column} >= ${}", params.len()));
    }
    if let Some(to) = list.to_unix_secs {
        params.push(to.into());
        sql.push_str(&format!(" AND {time_column} <= ${}", params.len()));
    }
    params.push(list.count.into());
    params.push(list.skip.into());
    sql.push_str(&format!(
        " ORDER BY {time_column} DESC, {id_column} DESC LIMIT ${} OFFSET ${}",
        params.len() - 1,
        params.len()
    ));
    (sql, params)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_placeholders_after_the_scope() {
        let list = ListParams {
            from_unix_secs: Some(5),
            ..ListParams::default()
        };
        let (sql, params) = paged(
            "SELECT x FROM t WHERE a = $1".into(),
            vec![SqlValue::Int(1)],
            &list,
            "created_at",
            "id",
        );
        assert_eq!(sql, "SELECT x FROM t WHERE a = $1 AND created_at >= $2 ORDER BY created_at DESC, id DESC LIMIT $3 OFFSET $4");
        assert_eq!(
            params,
            vec![
                SqlValue::Int(1),
                SqlValue::Int(5),
                SqlValue::Int(10),
                SqlValue::Int(0)
            ]
        );
    }
}
