//! The one error type of Finvex. Each variant is one API error code, so the
//! HTTP layer maps errors mechanically and a Rust caller can match on them.

use std::borrow::Cow;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// Input that does not parse or breaks a field rule (HTTP 400).
    #[error("{message}")]
    Validation {
        field: Option<Cow<'static, str>>,
        message: String,
    },
    /// Missing or wrong credentials (HTTP 401).
    #[error("{0}")]
    Unauthenticated(String),
    /// Authenticated, but not allowed to do this (HTTP 403).
    #[error("{0}")]
    Forbidden(String),
    /// The entity does not exist in the caller's merchant and mode (HTTP 404).
    #[error("{entity} {id} was not found")]
    NotFound { entity: &'static str, id: String },
    /// The request clashes with existing state, e.g. a duplicate email (HTTP 409).
    #[error("{message}")]
    Conflict {
        field: Option<Cow<'static, str>>,
        message: String,
    },
    /// An `Idempotency-Key` was reused with a different request (HTTP 409).
    #[error("this Idempotency-Key was already used with a different request")]
    IdempotencyKeyReused,
    /// The first request with this `Idempotency-Key` is still running (HTTP 409).
    #[error("a request with this Idempotency-Key is still in progress; retry later")]
    IdempotencyInProgress,
    /// Well-formed input that a business rule refuses (HTTP 422).
    #[error("{message}")]
    BusinessRule {
        field: Option<Cow<'static, str>>,
        message: String,
    },
    /// The request body is larger than the server accepts (HTTP 413).
    #[error("the request body is larger than {limit_bytes} bytes")]
    PayloadTooLarge { limit_bytes: usize },
    /// Too many requests (HTTP 429).
    #[error("rate limit exceeded; retry after {retry_after_secs} s")]
    RateLimited { retry_after_secs: u64 },
    /// A dependency (database, provider) is down or overloaded (HTTP 503).
    #[error("{0}")]
    Unavailable(String),
    /// A bug or an unexpected failure (HTTP 500). Never caused by bad input.
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    pub fn validation(field: impl Into<Cow<'static, str>>, message: impl Into<String>) -> Self {
        Error::Validation {
            field: Some(field.into()),
            message: message.into(),
        }
    }

    pub fn conflict(field: impl Into<Cow<'static, str>>, message: impl Into<String>) -> Self {
        Error::Conflict {
            field: Some(field.into()),
            message: message.into(),
        }
    }

    pub fn business(field: Option<&'static str>, message: impl Into<String>) -> Self {
        Error::BusinessRule {
            field: field.map(Cow::Borrowed),
            message: message.into(),
        }
    }

    pub fn not_found(entity: &'static str, id: impl Into<String>) -> Self {
        Error::NotFound {
            entity,
            id: id.into(),
        }
    }

    /// The stable, documented API error code.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Validation { .. } => "invalid_request",
            Error::Unauthenticated(_) => "unauthenticated",
            Error::Forbidden(_) => "forbidden",
            Error::NotFound { .. } => "not_found",
            Error::Conflict { .. } => "conflict",
            Error::IdempotencyKeyReused => "idempotency_key_reused",
            Error::IdempotencyInProgress => "idempotency_in_progress",
            Error::BusinessRule { .. } => "business_rule_violation",
            Error::PayloadTooLarge { .. } => "payload_too_large",
            Error::RateLimited { .. } => "rate_limited",
            Error::Unavailable(_) => "service_unavailable",
            Error::Internal(_) => "internal_error",
        }
    }

    /// The HTTP status this error is returned with.
    pub fn http_status(&self) -> u16 {
        match self {
            Error::Validation { .. } => 400,
            Error::Unauthenticated(_) => 401,
            Error::Forbidden(_) => 403,
            Error::NotFound { .. } => 404,
            Error::Conflict { .. } | Error::IdempotencyKeyReused | Error::IdempotencyInProgress => {
                409
            }
            Error::BusinessRule { .. } => 422,
            Error::PayloadTooLarge { .. } => 413,
            Error::RateLimited { .. } => 429,
            Error::Unavailable(_) => 503,
            Error::Internal(_) => 500,
        }
    }

    /// The request field the error is about, when there is one.
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::Validation { field, .. }
            | Error::Conflict { field, .. }
            | Error::BusinessRule { field, .. } => field.as_deref(),
            _ => None,
        }
    }

    /// The message shown to API callers. Internal details are logged, not shown.
    pub fn public_message(&self) -> String {
        match self {
            Error::Internal(_) => "an internal error occurred; it has been logged".to_string(),
            other => other.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_statuses_are_distinct_per_variant() {
        let all = [
            Error::validation("amount", "bad"),
            Error::Unauthenticated("x".into()),
            Error::Forbidden("x".into()),
            Error::not_found("order", "1"),
            Error::conflict("email", "dup"),
            Error::IdempotencyKeyReused,
            Error::IdempotencyInProgress,
            Error::business(None, "no"),
            Error::RateLimited {
                retry_after_secs: 1,
            },
            Error::PayloadTooLarge { limit_bytes: 1 },
            Error::Unavailable("db".into()),
            Error::Internal("bug".into()),
        ];
        let codes: std::collections::HashSet<_> = all.iter().map(Error::code).collect();
        assert_eq!(codes.len(), all.len());
        assert_eq!(all[0].http_status(), 400);
        assert_eq!(all[0].field(), Some("amount"));
        assert!(!all[11].public_message().contains("bug"));
    }
}
