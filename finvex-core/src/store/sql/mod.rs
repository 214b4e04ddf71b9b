//! One SQL text, two engines. Queries are written once with `$1, $2, …`
//! placeholders and the portable subset of SQL both engines share (BIGINT,
//! TEXT, `ON CONFLICT`, `RETURNING`); every dialect difference lives in
//! [`Dialect`] and in the placeholder rewrite in `sqlite.rs`.

mod dialect;
mod executor;
mod list;
mod migrations;
#[cfg(feature = "postgres")]
mod postgres;
#[cfg(feature = "sqlite")]
mod sqlite;
mod value;

pub use dialect::Dialect;
pub use executor::{Db, Executor, Statement, Tx};
pub use list::paged;
pub use migrations::MIGRATIONS;
pub use value::{scope_params, Column, Row, SqlValue};
