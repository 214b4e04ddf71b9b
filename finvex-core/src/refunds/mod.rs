//! Refunds (seed: "Refunds"): `RefundsService` over the provider gateway.
//! A refund's record (`orders::Refund`) lives with the payment ledger, whose
//! store changes orders, payments and refunds together in one transaction.

mod service;

pub use service::RefundsService;
