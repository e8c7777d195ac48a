//! Turning failures into the API's error body: a stable code, a human sentence, a hint and
//! the request id. Internal details go to the log under the request id, never to the client.

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use wisp_api::{ApiError, ErrorCode};

/// An error on its way to becoming a response.
#[derive(Debug)]
pub struct AppError {
    /// Stable code.
    pub code: ErrorCode,
    /// Human sentence.
    pub message: String,
    /// What to do.
    pub hint: String,
    /// For `wrong_proof`.
    pub attempts_left: Option<u32>,
    /// For `rate_limited`.
    pub retry_after: Option<u64>,
}

impl AppError {
    /// An error with a code, a sentence and a hint.
    pub fn new(code: ErrorCode, message: impl Into<String>, hint: impl Into<String>) -> Self {
        AppError {
            code,
            message: message.into(),
            hint: hint.into(),
            attempts_left: None,
            retry_after: None,
        }
    }

    /// The one answer for "never existed, viewed, burned, expired": telling them apart would leak.
    pub fn unavailable() -> Self {
        AppError::new(
            ErrorCode::SecretUnavailable,
            "This secret is not available: it was viewed, burned, or has expired.",
            "Ask the sender for a new link.",
        )
    }

    /// A receipt that does not exist.
    pub fn no_receipt() -> Self {
        AppError::new(
            ErrorCode::ReceiptNotFound,
            "No secret has this metadata key.",
            "Check the key; receipts are kept 30 days after a secret is gone.",
        )
    }

    /// Bad request shape.
    pub fn invalid(code: ErrorCode, message: impl Into<String>) -> Self {
        let hint = match code {
            ErrorCode::InvalidOptions => "See /api/v1/openapi.json for the allowed ranges.",
            ErrorCode::InvalidPayload => {
                "Upload a payload produced by a Wisp client (it starts with \"WISP\")."
            }
            _ => "See /api/v1/openapi.json for the request format.",
        };
        AppError::new(code, message, hint)
    }

    /// A failure inside the server: logged with the request id, reported generically.
    pub fn internal(err: impl std::fmt::Display) -> Self {
        tracing::error!(error = %err, "internal error");
        AppError::new(
            ErrorCode::Internal,
            "Something went wrong on the server.",
            "Try again; if it persists, report the request id to the server's operator.",
        )
    }
}

impl From<wisp_store::StoreError> for AppError {
    fn from(err: wisp_store::StoreError) -> Self {
        AppError::internal(err)
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.code.http_status())
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        // The request id is filled in by the request-id middleware, which sees every response.
        let body = ApiError {
            error: self.message,
            code: self.code,
            hint: self.hint,
            request_id: String::new(),
            attempts_left: self.attempts_left,
        };
        let mut response = (status, axum::Json(body)).into_response();
        if let Some(secs) = self.retry_after {
            if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
                response.headers_mut().insert("retry-after", v);
            }
        }
        response.extensions_mut().insert(ErrorMarker);
        response
    }
}

/// Marks responses whose JSON body is an [`ApiError`] so middleware can add the request id.
#[derive(Clone, Copy, Debug)]
pub struct ErrorMarker;

/// Result alias for handlers.
pub type AppResult<T> = Result<T, AppError>;
