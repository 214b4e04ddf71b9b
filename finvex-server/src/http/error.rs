use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use finvex_core::Error;
use serde_json::json;

/// A core error on its way out as `{"error":{"code","message","field"}}`.
#[derive(Debug)]
pub struct ApiError(pub Error);

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        ApiError(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let error = self.0;
        if matches!(error, Error::Internal(_)) {
            tracing::error!(error = %error, "internal error");
        }
        let status =
            StatusCode::from_u16(error.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = json!({"error": {"code": error.code(), "message": error.public_message(), "field": error.field()}});
        let mut response = (status, Json(body)).into_response();
        if let Error::RateLimited { retry_after_secs } = error {
            if let Ok(value) = HeaderValue::from_str(&retry_after_secs.to_string()) {
                response.headers_mut().insert("retry-after", value);
            }
        }
        response
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
