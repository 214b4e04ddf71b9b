//! Webhooks from the providers (`POST /v1/webhooks/:provider` for the
//! installation's accounts, `/v1/webhooks/:provider/:merchant_id` for a
//! merchant's own): `ProviderWebhookService`.

mod service;

pub use service::ProviderWebhookService;
