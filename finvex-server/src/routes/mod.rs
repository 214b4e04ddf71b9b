//! HTTP mapping only: parse the request, call one service, shape the response.

pub mod auth;
pub mod events;
pub mod gst;
pub mod health;
pub mod keys;
pub mod merchant;
pub mod orders;
pub mod providers;
pub mod settlements;
pub mod webhooks;
