//! Routing: which provider serves an order. `rules` is pure (order facts +
//! the merchant's rules + provider health → an ordered provider list and the
//! reason); `RoutingService` keeps each merchant's rules (cached) and plans a
//! route over the providers the gateway resolves for a tenant.

pub mod rules;
mod service;

pub use rules::{RoutingConfig, RoutingDecision};
pub use service::{RoutePlan, RoutingService};
