//! The end-to-end tests: one binary (linking the server once, not once per
//! file), one module per area, each starting the real server on a random
//! port. Shared helpers live in `common`.

mod common;

mod accounts;
mod callers;
mod clients;
mod customers;
mod deployment;
mod foundation;
mod gst;
mod gst_pdf;
mod openapi;
mod payments;
mod plans;
mod providers;
mod routes;
mod security;
mod settlements;
mod webhook_lifecycle;
mod webhooks;
