//! HTTP mapping only: parse the request, call one service, shape the response.

pub mod admin;
pub mod auth;
pub mod customers;
pub mod events;
pub mod gst;
pub mod health;
pub mod jobs;
pub mod keys;
pub mod merchant;
pub mod openapi;
pub mod orders;
pub mod payments;
pub mod plans;
pub mod portal;
pub mod providers;
pub mod refunds;
pub mod routing;
pub mod settlements;
pub mod webhooks;

use crate::http::access::Route;

/// Every route the server serves, area by area. A new area adds its module
/// above and one line here.
pub fn all() -> Vec<Route> {
    [
        health::routes(),
        openapi::routes(),
        auth::routes(),
        merchant::routes(),
        keys::routes(),
        webhooks::routes(),
        events::routes(),
        customers::routes(),
        plans::routes(),
        orders::routes(),
        payments::routes(),
        refunds::routes(),
        routing::routes(),
        providers::routes(),
        settlements::routes(),
        gst::routes(),
        jobs::routes(),
        admin::routes(),
        portal::routes(),
    ]
    .into_iter()
    .flatten()
    .collect()
}
