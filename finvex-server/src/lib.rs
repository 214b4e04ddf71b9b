//! `finvex-server`: the REST API at `/v1` over `finvex-core`. This crate maps
//! HTTP to core services and holds no business rules of its own.

pub mod config;
pub mod http;
pub mod master_key;
pub mod openapi;
pub mod reference;
pub mod routes;
pub mod state;
pub mod workers;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::response::IntoResponse;
use axum::{Extension, Router};
use finvex_core::admin::AdminService;
use finvex_core::auth::{AuthService, DemoMerchant};
use finvex_core::clock::{Clock, SystemClock};
use finvex_core::crypto::SecretBox;
use finvex_core::gst::{EInvoiceService, GstService, Gstr1Service, InvoiceService};
use finvex_core::idempotency::IdempotencyService;
use finvex_core::jobs::JobQueue;
use finvex_core::orders::{ReconcileJob, ReconcileWindow};
use finvex_core::providers::ProviderRegistry;
use finvex_core::services::PaymentServices;
use finvex_core::settlements::{SettlementSync, SettlementSyncAll};
use finvex_core::store::{SqlStore, Store, SystemStore};
use finvex_core::webhooks::{WebhookService, WebhookSettings};
use finvex_core::Error;
use finvex_providers::cashfree::{CashfreeConfig, CashfreeProvider};
use finvex_providers::factory::{HttpProviderFactory, ProviderHosts};
use finvex_providers::irp_fake::FakeIrp;
use finvex_providers::razorpay::{RazorpayConfig, RazorpayProvider};
use finvex_providers::webhooks::HttpWebhookTransport;
use sha2::Digest;
use tower_http::catch_panic::CatchPanicLayer;

use crate::config::Config;
use crate::http::access::Access;
use crate::http::error::ApiError;
use crate::http::extract::BodyLimit;
use crate::http::rate_limit::{Limiter, Limits, SharedLimiter};
use crate::state::{AppState, Services};

/// Opens the store, wires the services, and returns the state plus the demo
/// merchant when one was just created. Longer than most functions: it is the
/// one place that builds every service and the `Services` literal naming them.
pub async fn build_state(config: &Config) -> Result<(AppState, Option<DemoMerchant>), Error> {
    let system: Arc<dyn SystemStore> = Arc::new(SqlStore::open(&config.database_url).await?);
    let store: Arc<dyn Store> = system.clone();
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let sealer = SecretBox::from_hex(&master_key::load(config)?)?;
    let instance_secret = instance_secret(system.as_ref(), &sealer).await?;
    let jwt_secret = match &config.jwt_secret {
        Some(secret) => secret.clone().into_bytes(),
        None => derived_key(&instance_secret, "finvex-jwt").into_bytes(),
    };
    let auth = Arc::new(AuthService::new(system.clone(), clock.clone(), jwt_secret)?);
    // Admin sessions are signed with a key of their own.
    let admin = Arc::new(AdminService::new(
        system.clone(),
        clock.clone(),
        derived_key(&instance_secret, "finvex-admin-jwt").as_bytes(),
        auth.clone(),
    )?);
    let demo = if demo_allowed(config) {
        auth.create_demo_merchant_if_empty().await?
    } else {
        None
    };
    let fake_irp_key = derived_key(&instance_secret, "finvex-fake-irp");
    let transport =
        HttpWebhookTransport::new(config.webhook_allow_private).map_err(Error::Internal)?;
    let webhook_settings = WebhookSettings {
        allow_private_targets: config.webhook_allow_private,
        retry_base_ms: config.webhook_retry_base_ms,
        timeout_ms: config.webhook_timeout_ms,
        lease_ms: config.webhook_lease_ms,
    };
    let sandbox_key = derived_key(&instance_secret, "finvex-sandbox");
    let registry = provider_registry(config, sealer.clone(), sandbox_key)?;
    let key_limiter = Arc::new(limits(config, &system, "key", config.rate_limit_per_minute));
    let ip_limiter = Arc::new(limits(
        config,
        &system,
        "ip",
        config.public_rate_limit_per_minute,
    ));
    let failure_limiter = Arc::new(limits(
        config,
        &system,
        "auth-failure",
        config.auth_failures_per_minute,
    ));
    let trusted_proxies = config
        .trusted_proxy_blocks()
        .map_err(|e| Error::validation("trusted_proxies", e))?;
    let payment_services = PaymentServices::new(system.clone(), clock.clone(), registry);
    let jobs = Arc::new(job_queue(config, &system, &clock, &payment_services));
    let PaymentServices {
        gateway,
        routing,
        orders,
        payments,
        refunds,
        provider_webhooks,
        settlements,
        reconciler: _,
    } = payment_services;
    let gst_invoices = Arc::new(InvoiceService::new(store.clone(), clock.clone()));
    let einvoices = einvoice_service(&store, &clock, &gst_invoices, &fake_irp_key);
    let state = Arc::new(Services {
        gateway,
        routing,
        customers: Arc::new(finvex_core::customers::CustomersService::new(
            store.clone(),
            clock.clone(),
        )),
        plans: Arc::new(finvex_core::plans::PlansService::new(
            store.clone(),
            clock.clone(),
        )),
        orders,
        payments,
        refunds,
        provider_webhooks,
        settlements,
        jobs,
        webhooks: Arc::new(WebhookService::new(
            system.clone(),
            clock.clone(),
            sealer.clone(),
            Arc::new(transport),
            webhook_settings,
        )),
        gst: Arc::new(GstService::new(store.clone(), clock.clone())),
        gst_invoices,
        einvoices,
        gstr1: Arc::new(Gstr1Service::new(store.clone(), clock.clone())),
        idempotency: Arc::new(IdempotencyService::new(store.clone(), clock, sealer)),
        store,
        system,
        auth,
        admin,
        key_limiter,
        ip_limiter,
        failure_limiter,
        trusted_proxies,
    });
    Ok((state, demo))
}

/// Test mode registers e-invoices with the IRP contract fake (clearly
/// labelled, never a government signature); live mode needs a GSP.
fn einvoice_service(
    store: &Arc<dyn Store>,
    clock: &Arc<dyn Clock>,
    invoices: &Arc<InvoiceService>,
    fake_irp_key: &str,
) -> Arc<EInvoiceService> {
    Arc::new(
        EInvoiceService::new(store.clone(), clock.clone(), invoices.clone())
            .with_irp(Some(Arc::new(FakeIrp::new(fake_irp_key.as_bytes()))), None),
    )
}

/// The job queue with every kind of job this server runs.
fn job_queue(
    config: &Config,
    store: &Arc<dyn SystemStore>,
    clock: &Arc<dyn Clock>,
    payments: &PaymentServices,
) -> JobQueue {
    let window = ReconcileWindow {
        min_age_secs: config.reconcile_min_age_secs,
        ..ReconcileWindow::default()
    };
    JobQueue::new(store.clone(), clock.clone(), config.job_lease_ms)
        .with_handler(Arc::new(ReconcileJob {
            reconciler: payments.reconciler.clone(),
            window,
        }))
        .with_handler(Arc::new(SettlementSyncAll {
            store: store.clone(),
            clock: clock.clone(),
        }))
        .with_handler(Arc::new(SettlementSync {
            settlements: payments.settlements.clone(),
        }))
}

/// One limiter: shared through the database when instances share one
/// (see `rate_limit_store`), else this instance's own.
fn limits(
    config: &Config,
    store: &Arc<dyn SystemStore>,
    namespace: &'static str,
    per_minute: u32,
) -> Limits {
    if config.shared_rate_limits() {
        Limits::Shared(SharedLimiter::new(per_minute, namespace, store.clone()))
    } else {
        Limits::Local(Limiter::per_minute(per_minute))
    }
}

/// Name of the sealed instance secret in `instance_settings`.
const INSTANCE_SECRET: &str = "instance_secret_sealed";

/// The installation's own secret, from which the session, sandbox and
/// fake-IRP keys derive: random, created once (instances racing agree on
/// one), kept sealed under the master key, so a database copy alone opens
/// nothing and a master-key rotation re-seals it without changing it.
async fn instance_secret(store: &dyn SystemStore, sealer: &SecretBox) -> Result<String, Error> {
    let fresh = sealer.seal(&SecretBox::generate_key_hex())?;
    let sealed = store.setting_get_or_insert(INSTANCE_SECRET, &fresh).await?;
    // Earlier versions kept the session secret here in plain text.
    store.setting_delete("jwt_secret").await?;
    sealer.open(&sealed).map_err(|_| {
        Error::Internal(
            "this database's secrets were sealed with another master key: every instance on one \
             database must use the same key (FINVEX_MASTER_KEY or master_key_file)"
                .into(),
        )
    })
}

/// A signing key for one purpose (sessions, the sandbox, the fake IRP),
/// derived from the instance secret so every instance on one database signs alike.
fn derived_key(instance_secret: &str, purpose: &str) -> String {
    hex::encode(sha2::Sha256::digest(
        format!("{purpose}:{instance_secret}").as_bytes(),
    ))
}

/// The demo merchant (whose password is printed) is for a developer's first
/// look: never on an installation that takes live payments or listens
/// beyond this machine.
fn demo_allowed(config: &Config) -> bool {
    let live_account = config.razorpay.as_ref().is_some_and(|r| r.mode == "live")
        || config.cashfree.as_ref().is_some_and(|c| c.mode == "live");
    config.demo_on_empty && !live_account && config.listen.ip().is_loopback()
}

/// Merchants' own accounts (sealed with `sealer`) and their own sandboxes,
/// then the installation's Razorpay and Cashfree accounts, if configured.
/// The sandbox serves test mode when no real provider does.
fn provider_registry(
    config: &Config,
    sealer: SecretBox,
    sandbox_key: String,
) -> Result<ProviderRegistry, Error> {
    let mode_of = |raw: &str| finvex_core::Mode::parse(raw);
    let mut registry = ProviderRegistry::new();
    if let Some(r) = &config.razorpay {
        let provider = RazorpayProvider::new(RazorpayConfig {
            base_url: r.base_url.clone(),
            key_id: r.key_id.clone(),
            key_secret: r.key_secret.clone(),
            webhook_secret: r.webhook_secret.clone(),
            timeout_ms: r.timeout_ms,
        })
        .map_err(|e| Error::validation("razorpay", e.message))?;
        registry = registry.add(mode_of(&r.mode)?, Arc::new(provider));
    }
    if let Some(c) = &config.cashfree {
        let provider = CashfreeProvider::new(CashfreeConfig {
            base_url: c.base_url.clone(),
            client_id: c.client_id.clone(),
            client_secret: c.client_secret.clone(),
            api_version: finvex_providers::cashfree::API_VERSION.to_string(),
            timeout_ms: c.timeout_ms,
        })
        .map_err(|e| Error::validation("cashfree", e.message))?;
        registry = registry.add(mode_of(&c.mode)?, Arc::new(provider));
    }
    let factory = HttpProviderFactory::new(&ProviderHosts {
        razorpay: config.razorpay_api_url.clone(),
        cashfree_test: config.cashfree_test_api_url.clone(),
        cashfree_live: config.cashfree_live_api_url.clone(),
        timeout_ms: config.provider_timeout_ms,
    })
    .map_err(|e| Error::validation("razorpay_api_url", e.message))?;
    Ok(registry.with_merchant_accounts(Arc::new(factory), sealer, sandbox_key))
}

pub fn router(state: AppState, config: &Config) -> Router {
    let mut app = Router::new();
    for route in routes::all() {
        let handler = guarded(&state, route.access, route.handler);
        app = app.route(route.path, handler);
    }
    app.fallback(|uri: axum::http::Uri| async move {
        ApiError(Error::not_found("route", uri.path())).into_response()
    })
    .method_not_allowed_fallback(|| async {
        let mut response = ApiError(Error::validation(
            "method",
            "this method is not allowed on this path",
        ))
        .into_response();
        *response.status_mut() = axum::http::StatusCode::METHOD_NOT_ALLOWED;
        response
    })
    .with_state(state)
    .layer(from_fn_with_state(
        Duration::from_millis(config.request_timeout_ms),
        http::request::timeout,
    ))
    .layer(DefaultBodyLimit::max(config.body_limit_bytes))
    .layer(Extension(BodyLimit(config.body_limit_bytes)))
    .layer(CatchPanicLayer::custom(|_| {
        ApiError(Error::Internal("a handler panicked".into())).into_response()
    }))
    .layer(from_fn(http::request::request_id))
}

/// A route's handlers behind what its `Access` requires. Layers run
/// outermost-last-added on the way in: authentication, then the dashboard
/// check, then idempotency (which needs the authenticated tenant).
fn guarded(
    state: &AppState,
    access: Access,
    handler: axum::routing::MethodRouter<AppState>,
) -> axum::routing::MethodRouter<AppState> {
    match access {
        Access::Probe | Access::ProviderSigned => handler,
        Access::Public => handler.layer(from_fn_with_state(state.clone(), http::auth::limit_by_ip)),
        Access::Merchant => handler
            .layer(from_fn_with_state(
                state.clone(),
                http::idempotency::idempotent,
            ))
            .layer(from_fn_with_state(
                (state.clone(), access),
                http::auth::require,
            )),
        Access::Dashboard => handler
            .layer(from_fn_with_state(
                state.clone(),
                http::idempotency::idempotent,
            ))
            .layer(from_fn(http::access::require_dashboard))
            .layer(from_fn_with_state(
                (state.clone(), access),
                http::auth::require,
            )),
        // Called from merchants' web pages: any origin, the key header only
        // (no cookies, so no credentials mode).
        // The OPTIONS handler gives a preflight a route to reach; the CORS
        // layer, outermost, answers it before authentication.
        Access::Checkout => handler
            .options(|| async { axum::http::StatusCode::NO_CONTENT })
            .layer::<_, std::convert::Infallible>(from_fn_with_state(
                (state.clone(), access),
                http::auth::require,
            ))
            .layer(
                tower_http::cors::CorsLayer::new()
                    .allow_origin(tower_http::cors::Any)
                    .allow_methods([axum::http::Method::POST])
                    .allow_headers([
                        axum::http::header::CONTENT_TYPE,
                        axum::http::HeaderName::from_static("x-finvex-key"),
                    ])
                    .max_age(Duration::from_secs(600)),
            ),
        Access::Admin | Access::Portal => handler.layer(from_fn_with_state(
            (state.clone(), access),
            http::auth::require,
        )),
    }
}

/// Serves until `shutdown` resolves, then lets in-flight requests finish.
pub async fn serve(
    config: Config,
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let (stop_workers, workers_stopped) = tokio::sync::watch::channel(false);
    let worker_handles = workers::spawn(state.clone(), &config, workers_stopped);
    let app = router(state, &config);
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await?;
    let _ = stop_workers.send(true);
    for handle in worker_handles {
        let _ = handle.await;
    }
    Ok(())
}

/// Resolves on SIGTERM or Ctrl-C.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing in-flight requests");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_merchant_is_only_for_a_local_test_installation() {
        let local = Config::default();
        assert!(demo_allowed(&local));
        let exposed = Config {
            listen: SocketAddr::from(([0, 0, 0, 0], 8080)),
            ..Config::default()
        };
        assert!(
            !demo_allowed(&exposed),
            "no printed password on a public address"
        );
        let live = Config {
            razorpay: Some(crate::config::RazorpaySettings {
                mode: "live".into(),
                base_url: "https://api.razorpay.com".into(),
                key_id: "rzp_live_x".into(),
                key_secret: "s".into(),
                webhook_secret: "w".into(),
                timeout_ms: 1_000,
            }),
            ..Config::default()
        };
        assert!(!demo_allowed(&live), "no demo beside live money");
        let off = Config {
            demo_on_empty: false,
            ..Config::default()
        };
        assert!(!demo_allowed(&off));
    }
}
