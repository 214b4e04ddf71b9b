//! Who may call a route, declared beside the route in its area's `routes()`
//! and enforced here: a route can only be added to the router with its
//! `Access`, so none can be served without saying who may call it.

use axum::extract::Request;
use axum::handler::Handler;
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::MethodRouter;
use finvex_core::auth::Principal;
use finvex_core::Error;

use super::error::ApiError;
use crate::state::AppState;

/// The kinds of caller a route accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone (signup, login): limited per client address and by its
    /// failed-authentication budget.
    Public,
    /// Anyone, unlimited, answering nothing about tenants: liveness and
    /// readiness probes, which load balancers call constantly.
    Probe,
    /// A payment provider, proved by its signature over the raw body (the
    /// handler checks it); not limited per address, since providers send
    /// from a few addresses in bursts.
    ProviderSigned,
    /// A merchant: its secret API key (`X-Finvex-Key`) or a dashboard session.
    Merchant,
    /// A merchant's dashboard session only: what a leaked API key must never
    /// do (manage keys, change where money goes).
    Dashboard,
    /// A web page acting for a merchant: its publishable key (`X-Finvex-Key:
    /// finvex_test_KEYID`, no secret), or anything `Merchant` takes. Only for
    /// opening checkouts of orders the merchant created; limited per key and
    /// client address, and callable cross-origin (CORS).
    Checkout,
    /// An admin session (`POST /v1/admin/login`), never a merchant's.
    Admin,
    /// A customer-portal session: one buyer, in one store.
    Portal,
}

impl Access {
    /// How the API reference names it.
    pub fn as_str(self) -> &'static str {
        match self {
            Access::Public => "none",
            Access::Probe => "none (probe)",
            Access::ProviderSigned => "provider signature",
            Access::Merchant => "key or session",
            Access::Dashboard => "session",
            Access::Checkout => "publishable key, key or session",
            Access::Admin => "admin session",
            Access::Portal => "portal session",
        }
    }

    /// Whether the route needs a merchant's credentials.
    pub fn authenticated(self) -> bool {
        matches!(
            self,
            Access::Merchant | Access::Dashboard | Access::Checkout
        )
    }
}

/// A JSON Schema of a type, registered with the document's generator.
pub type SchemaOf = fn(&mut schemars::SchemaGenerator) -> schemars::Schema;

fn schema_of<T: schemars::JsonSchema>(
    generator: &mut schemars::SchemaGenerator,
) -> schemars::Schema {
    generator.subschema_for::<T>()
}

/// What the API reference (`/v1/openapi.json`) says of one operation,
/// declared beside its handler.
#[derive(Clone)]
pub struct Doc {
    pub summary: &'static str,
    pub description: Option<&'static str>,
    pub body: Option<SchemaOf>,
    /// Whether a request may leave the body out.
    pub body_optional: bool,
    /// An object whose properties are the query parameters.
    pub query: Option<SchemaOf>,
    pub status: u16,
    pub response: Option<SchemaOf>,
    /// The request body's example (the seed's body where it has one).
    pub example: Option<fn() -> serde_json::Value>,
    /// The success response's media type, when it is not JSON.
    pub media_type: Option<&'static str>,
    /// The success response has no body (204).
    pub empty: bool,
    /// Another media type the success may be answered in (a string), beside
    /// the JSON one, when a query parameter asks for it.
    pub alternative_media_type: Option<&'static str>,
}

impl Doc {
    pub fn new(summary: &'static str) -> Doc {
        Doc {
            summary,
            description: None,
            body: None,
            body_optional: false,
            query: None,
            status: 200,
            response: None,
            example: None,
            media_type: None,
            empty: false,
            alternative_media_type: None,
        }
    }

    pub fn describe(mut self, description: &'static str) -> Doc {
        self.description = Some(description);
        self
    }

    pub fn body<T: schemars::JsonSchema>(mut self) -> Doc {
        self.body = Some(schema_of::<T>);
        self
    }

    /// A body the request may also leave out.
    pub fn optional_body<T: schemars::JsonSchema>(mut self) -> Doc {
        self.body = Some(schema_of::<T>);
        self.body_optional = true;
        self
    }

    pub fn query<T: schemars::JsonSchema>(mut self) -> Doc {
        self.query = Some(schema_of::<T>);
        self
    }

    pub fn returns<T: schemars::JsonSchema>(mut self, status: u16) -> Doc {
        self.status = status;
        self.response = Some(schema_of::<T>);
        self
    }

    /// A success with no body.
    pub fn no_content(mut self, status: u16) -> Doc {
        self.status = status;
        self.empty = true;
        self
    }

    /// A success answered as `media_type` (a string), not JSON.
    pub fn answers(mut self, media_type: &'static str) -> Doc {
        self.media_type = Some(media_type);
        self
    }

    /// A success also answered as `media_type` (a string) on request, beside JSON.
    pub fn also_answers(mut self, media_type: &'static str) -> Doc {
        self.alternative_media_type = Some(media_type);
        self
    }

    pub fn example(mut self, example: fn() -> serde_json::Value) -> Doc {
        self.example = Some(example);
        self
    }
}

/// One route: its path under the server's root, who may call it, and its
/// handlers per method (kept, so tests can walk every route and method).
pub struct Route {
    pub path: &'static str,
    pub access: Access,
    pub methods: Vec<Method>,
    /// What the reference says of each method that declares it.
    pub docs: Vec<(Method, Doc)>,
    pub(crate) handler: MethodRouter<AppState>,
}

impl Route {
    pub fn new(path: &'static str, access: Access) -> Route {
        Route {
            path,
            access,
            methods: Vec::new(),
            docs: Vec::new(),
            handler: MethodRouter::new(),
        }
    }

    /// Documents the method added last.
    pub fn doc(mut self, doc: Doc) -> Route {
        if let Some(method) = self.methods.last() {
            self.docs.push((method.clone(), doc));
        }
        self
    }

    /// The declared documentation of `method`, if any.
    pub fn doc_for(&self, method: &Method) -> Option<&Doc> {
        self.docs.iter().find(|(m, _)| m == method).map(|(_, d)| d)
    }

    pub fn get<H: Handler<T, AppState>, T: 'static>(mut self, handler: H) -> Route {
        self.handler = self.handler.get(handler);
        self.methods.push(Method::GET);
        self
    }

    pub fn post<H: Handler<T, AppState>, T: 'static>(mut self, handler: H) -> Route {
        self.handler = self.handler.post(handler);
        self.methods.push(Method::POST);
        self
    }

    pub fn put<H: Handler<T, AppState>, T: 'static>(mut self, handler: H) -> Route {
        self.handler = self.handler.put(handler);
        self.methods.push(Method::PUT);
        self
    }

    pub fn delete<H: Handler<T, AppState>, T: 'static>(mut self, handler: H) -> Route {
        self.handler = self.handler.delete(handler);
        self.methods.push(Method::DELETE);
        self
    }
}

/// After authentication: a dashboard-only route refuses API keys.
pub async fn require_dashboard(req: Request, next: Next) -> Response {
    match req.extensions().get::<Principal>() {
        Some(principal) => match principal.require_session() {
            Ok(()) => next.run(req).await,
            Err(e) => ApiError(e).into_response(),
        },
        None => ApiError(Error::Unauthenticated("missing credentials".into())).into_response(),
    }
}
