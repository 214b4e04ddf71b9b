//! The one list scheme of the API, after Razorpay's:
//! `?count=&skip=&from=&to=` in, `{"entity":"collection","count":N,"items":[…]}` out.

use serde::{Deserialize, Serialize};

use crate::Error;

pub const DEFAULT_PAGE_SIZE: u32 = 10;
pub const MAX_PAGE_SIZE: u32 = 100;
/// Deep offsets are slow on every engine; past this, filter by `from`/`to`.
pub const MAX_SKIP: u32 = 100_000;

/// Raw query parameters, as they arrive.
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    pub count: Option<u32>,
    pub skip: Option<u32>,
    /// Unix seconds, inclusive.
    pub from: Option<i64>,
    /// Unix seconds, inclusive.
    pub to: Option<i64>,
}

/// Validated list parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListParams {
    pub count: u32,
    pub skip: u32,
    pub from_unix_secs: Option<i64>,
    pub to_unix_secs: Option<i64>,
}

impl Default for ListParams {
    fn default() -> Self {
        ListParams {
            count: DEFAULT_PAGE_SIZE,
            skip: 0,
            from_unix_secs: None,
            to_unix_secs: None,
        }
    }
}

impl ListParams {
    pub fn parse(query: &ListQuery) -> Result<ListParams, Error> {
        let count = query.count.unwrap_or(DEFAULT_PAGE_SIZE);
        if !(1..=MAX_PAGE_SIZE).contains(&count) {
            return Err(Error::validation(
                "count",
                format!("count must be between 1 and {MAX_PAGE_SIZE}"),
            ));
        }
        let skip = query.skip.unwrap_or(0);
        if skip > MAX_SKIP {
            return Err(Error::validation(
                "skip",
                format!("skip must be at most {MAX_SKIP}; narrow the list with from/to instead"),
            ));
        }
        for (field, value) in [("from", query.from), ("to", query.to)] {
            if value.is_some_and(|v| v < 0) {
                return Err(Error::validation(
                    field,
                    format!("{field} must be a unix timestamp in seconds"),
                ));
            }
        }
        if let (Some(from), Some(to)) = (query.from, query.to) {
            if from > to {
                return Err(Error::validation("from", "from must not be after to"));
            }
        }
        Ok(ListParams {
            count,
            skip,
            from_unix_secs: query.from,
            to_unix_secs: query.to,
        })
    }
}

/// A page of a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "{T}Collection")]
pub struct Collection<T> {
    pub entity: String,
    pub count: usize,
    pub items: Vec<T>,
}

impl<T> Collection<T> {
    pub fn new(items: Vec<T>) -> Self {
        Collection {
            entity: "collection".to_string(),
            count: items.len(),
            items,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_bounds() {
        assert_eq!(
            ListParams::parse(&ListQuery::default()).unwrap(),
            ListParams::default()
        );
        let too_many = ListQuery {
            count: Some(101),
            ..Default::default()
        };
        assert_eq!(
            ListParams::parse(&too_many).unwrap_err().field(),
            Some("count")
        );
        let zero = ListQuery {
            count: Some(0),
            ..Default::default()
        };
        assert!(ListParams::parse(&zero).is_err());
        let reversed = ListQuery {
            from: Some(10),
            to: Some(5),
            ..Default::default()
        };
        assert_eq!(
            ListParams::parse(&reversed).unwrap_err().field(),
            Some("from")
        );
    }

    #[test]
    fn collection_counts_its_items() {
        let json = serde_json::to_value(Collection::new(vec![1, 2])).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"entity":"collection","count":2,"items":[1,2]})
        );
    }
}
