//! JSON bodies and query strings that fail with a 400 naming the field.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use finvex_core::Error;
use serde::de::DeserializeOwned;

use super::error::ApiError;

/// The configured body limit, carried in request extensions so errors can say it.
#[derive(Debug, Clone, Copy)]
pub struct BodyLimit(pub usize);

/// A JSON body. The Content-Type is not required: the seed's curl examples
/// send JSON with curl's default form content type.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let bytes = body_bytes(req, state).await?;
        parse_json(&bytes).map(ApiJson).map_err(ApiError)
    }
}

/// The request body, within the server's limit (413 beyond it).
async fn body_bytes<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes, Error> {
    let limit_bytes = req.extensions().get::<BodyLimit>().map_or(0, |l| l.0);
    Bytes::from_request(req, state).await.map_err(|rejection| {
        if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            Error::PayloadTooLarge { limit_bytes }
        } else {
            Error::validation("body", format!("cannot read the request body: {rejection}"))
        }
    })
}

/// A JSON body a request may leave out: an empty body is `T::default()`.
pub struct OptionalJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Default> FromRequest<S> for OptionalJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let bytes = body_bytes(req, state).await?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(OptionalJson(T::default()));
        }
        parse_json(&bytes).map(OptionalJson).map_err(ApiError)
    }
}

pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Error> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::validation(
            "body",
            "the request body must be a JSON object",
        ));
    }
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        let path = e.path().to_string();
        let message = e.inner().to_string();
        Error::validation(field_of(&path, &message), message)
    })?;
    deserializer.end().map_err(|e| {
        Error::validation(
            "body",
            format!("trailing characters after the JSON value: {e}"),
        )
    })?;
    Ok(value)
}

/// The field an error is about: the named one for unknown/missing fields,
/// else the path where deserialisation stopped.
fn field_of(path: &str, message: &str) -> String {
    for marker in ["unknown field `", "missing field `"] {
        if let Some(rest) = message.split(marker).nth(1) {
            if let Some(name) = rest.split('`').next() {
                return if path == "." || path.is_empty() {
                    name.to_string()
                } else if path == name || path.ends_with(&format!(".{name}")) {
                    path.to_string()
                } else {
                    format!("{path}.{name}")
                };
            }
        }
    }
    if path == "." || path.is_empty() {
        "body".to_string()
    } else {
        path.to_string()
    }
}

/// A query string.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        let query = parts.uri.query().unwrap_or("");
        let deserializer =
            serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(deserializer)
            .map(ApiQuery)
            .map_err(|e| {
                let path = e.path().to_string();
                let message = e.inner().to_string();
                ApiError(Error::validation(field_of(&path, &message), message))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Body {
        amount: i64,
        customer: Option<Customer>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Customer {
        email: String,
    }

    #[test]
    fn errors_name_the_field() {
        let field = |json: &str| {
            parse_json::<Body>(json.as_bytes())
                .unwrap_err()
                .field()
                .map(str::to_string)
        };
        assert_eq!(field(r#"{"amount":"x"}"#).as_deref(), Some("amount"));
        assert_eq!(field(r#"{"amount":1,"bogus":2}"#).as_deref(), Some("bogus"));
        assert_eq!(field(r#"{}"#).as_deref(), Some("amount"));
        assert_eq!(
            field(r#"{"amount":1,"customer":{"mail":"x"}}"#).as_deref(),
            Some("customer.mail")
        );
        assert_eq!(field(r#"{"amount":1} x"#).as_deref(), Some("body"));
        assert_eq!(field("").as_deref(), Some("body"));
    }
}
