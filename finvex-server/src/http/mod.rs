//! HTTP conventions shared by every endpoint: errors, JSON in, auth, rate
//! limits, idempotency, request ids and timeouts. No business rules here.

pub mod access;
pub mod auth;
pub mod client_ip;
pub mod error;
pub mod extract;
pub mod idempotency;
pub mod rate_limit;
pub mod request;
