//! Payments (seed: "Payments"): the order and payment state machines (pure,
//! `state`), and `PaymentsService`: the checkout's answer verified, captures,
//! the test-mode sandbox checkout, and every report of a payment (checkout,
//! webhook, reconciler) applied through the same forward-only state machine.

mod service;
pub mod state;

pub(crate) use service::load_payment;
pub use service::PaymentsService;
