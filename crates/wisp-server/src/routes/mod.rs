//! The `/api/v1` routes, the caller extractor and the record → receipt mapping they share.

mod account;
mod receipts;
pub(crate) mod secrets;
mod upload;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::HeaderMap;
use axum::routing::{get, post};
use axum::Router;
use wisp_api::{ErrorCode, Receipt, ReceiptState, ViewRecord};
use wisp_store::{SecretRecord, Token, ViewEntry};

use crate::error::AppError;

use crate::state::AppState;

/// All API routes (mounted under `/api/v1`).
pub fn api() -> Router<AppState> {
    Router::new()
        // SecLink's documented paths overlap these two: its JSON create and its 12-character
        // ids are handed to the SecLink layer, everything else is Wisp's (see compat::seclink).
        .route(
            "/secrets",
            post(crate::compat::seclink::dispatch_create)
                .layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route(
            "/secrets/{id}",
            get(crate::compat::seclink::dispatch_retrieve),
        )
        .route("/secrets/{id}/reveal", post(secrets::reveal))
        .route("/secrets/{id}/payload", get(secrets::resume))
        .route("/secrets/{id}/burn", post(secrets::recipient_burn))
        .route("/receipts/batch", post(receipts::batch))
        .route("/receipts/events", post(receipts::events))
        .route(
            "/receipts/{key}",
            get(receipts::get_one)
                .delete(receipts::burn)
                .patch(receipts::update),
        )
        .route(
            "/receipts/{key}/payload",
            axum::routing::put(receipts::replace_payload)
                .layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route("/account", get(account::show))
        .route("/account/secrets", get(account::list))
        .route("/openapi.json", get(crate::web::openapi))
        .method_not_allowed_fallback(|| async {
            AppError::new(
                ErrorCode::MethodNotAllowed,
                "This endpoint does not accept that method.",
                "See /api/v1/openapi.json.",
            )
        })
}

/// The bearer token of a request, if any.
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get("authorization")?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// Who is calling: an account (API token) or nobody in particular.
#[derive(Clone, Debug)]
pub enum Caller {
    /// No token.
    Anonymous,
    /// A valid token.
    Account(Token),
}

impl Caller {
    /// The caller an optional token (already checked) stands for.
    pub(crate) fn of(token: Option<&Token>) -> Self {
        match token {
            Some(t) => Caller::Account(t.clone()),
            None => Caller::Anonymous,
        }
    }

    /// The key a per-caller limit counts under: the token, or without one the address's
    /// network (IPv6: its /64), so one caller is one bucket whatever it asks for.
    pub(crate) fn bucket(&self, ip: std::net::IpAddr) -> String {
        match self {
            Caller::Account(t) => format!("t:{}", t.id),
            Caller::Anonymous => format!("ip:{}", crate::ids::network(ip)),
        }
    }

    pub(crate) fn account_id(&self) -> Option<i64> {
        match self {
            Caller::Anonymous => None,
            Caller::Account(t) => Some(t.id),
        }
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if parts.headers.get("authorization").is_none() {
            return Ok(Caller::Anonymous);
        }
        let invalid = || {
            AppError::new(ErrorCode::InvalidToken, "The API token is not valid.", "Use `Authorization: Bearer wisp_…` with a token from `wisp-server token create`, or no header for anonymous use.")
        };
        let token = bearer(&parts.headers).ok_or_else(invalid)?;
        match state.find_token(token).await? {
            Some(t) => Ok(Caller::Account(t)),
            None => Err(invalid()),
        }
    }
}

pub(crate) fn timestamp(unix: i64) -> time::OffsetDateTime {
    time::OffsetDateTime::from_unix_timestamp(unix).unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
}

/// The state a sender sees: a secret past its expiry is expired even before the sweeper ran.
pub(crate) fn effective_state(record: &SecretRecord, now: i64) -> ReceiptState {
    match record.state {
        ReceiptState::Pending | ReceiptState::Viewed
            if now >= record.expires_at && record.views_left() != Some(0) =>
        {
            ReceiptState::Expired
        }
        state => state,
    }
}

pub(crate) fn receipt(record: &SecretRecord, views: &[ViewEntry], now: i64) -> Receipt {
    Receipt {
        id: record.id.clone(),
        state: effective_state(record, now),
        available: record.available(now),
        views_used: record.views_used,
        views_left: record.views_left(),
        max_views: record.max_views,
        created_at: timestamp(record.created_at),
        expires_at: timestamp(record.expires_at),
        updated_at: timestamp(record.updated_at),
        view_log: views
            .iter()
            .map(|v| ViewRecord {
                at: timestamp(v.at),
                country: v.country.clone(),
                client: v.client.clone(),
            })
            .collect(),
        split: record.split,
        note: record.note.clone(),
        size: record.size,
        burn_reason: (record.state == ReceiptState::Burned)
            .then_some(record.burn_reason)
            .flatten(),
        wrong_attempts: record.wrong_proofs,
    }
}

/// RFC 3339 text of a Unix time (for the command line).
pub fn format_time(unix: i64) -> String {
    timestamp(unix)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// Caller-supplied text made safe to print on a terminal (for the command line): control
/// characters (escape sequences, tabs, newlines) and the invisible direction and width
/// formatting characters become spaces.
pub fn printable(text: &str) -> String {
    text.chars()
        .map(|c| {
            let invisible = matches!(
                c,
                '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}'
            );
            if c.is_control() || invisible {
                ' '
            } else {
                c
            }
        })
        .collect()
}

/// Whether a body is a JSON object (first non-blank byte `{`): every JSON body of the APIs
/// is one, and serde would otherwise also read a struct from an array of its fields.
pub(crate) fn is_json_object(body: &[u8]) -> bool {
    body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{')
}

/// `Json<T>` whose rejections are API errors (stable code, hint, request id) rather than
/// axum's plain-text bodies.
pub(crate) struct ApiJson<T>(pub T);

impl<T, S> axum::extract::FromRequest<S> for ApiJson<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(
        request: axum::extract::Request,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        let is_json = request
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|ct| {
                let ct = ct.trim_start().to_ascii_lowercase();
                ct.starts_with("application/json")
                    || ct.starts_with("application/") && ct.contains("+json")
            });
        if !is_json {
            return Err(AppError::new(
                ErrorCode::UnsupportedMediaType,
                "This endpoint takes JSON.",
                "Send `Content-Type: application/json`.",
            ));
        }
        // Bounded by the route's body limit (2 MiB unless the route says otherwise) before
        // anything is parsed.
        let bytes = axum::body::Bytes::from_request(request, state)
            .await
            .map_err(|e| {
                if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                    AppError::new(
                        ErrorCode::PayloadTooLarge,
                        "The JSON body is too large.",
                        format!(
                            "Send a smaller body (a batch or subscription takes at most {} keys).",
                            wisp_api::MAX_BATCH_KEYS
                        ),
                    )
                } else {
                    AppError::invalid(
                        ErrorCode::InvalidRequest,
                        format!("The body could not be read: {}", e.body_text()),
                    )
                }
            })?;
        if !is_json_object(&bytes) {
            return Err(AppError::invalid(
                ErrorCode::InvalidRequest,
                "The JSON body must be an object.",
            ));
        }
        serde_json::from_slice(&bytes).map(ApiJson).map_err(|e| {
            AppError::invalid(
                ErrorCode::InvalidRequest,
                format!("The JSON body is not valid: {e}"),
            )
        })
    }
}

/// `Query<T>` whose rejections are API errors.
pub(crate) struct ApiQuery<T>(pub T);

impl<T, S> FromRequestParts<S> for ApiQuery<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(ApiQuery(value)),
            Err(e) => Err(AppError::invalid(
                ErrorCode::InvalidRequest,
                format!("The query string is not valid: {}", e.body_text()),
            )),
        }
    }
}

/// `Path<T>` whose rejections (e.g. invalid UTF-8 in an id) are API errors.
pub(crate) struct ApiPath<T>(pub T);

impl<T, S> FromRequestParts<S> for ApiPath<T>
where
    T: serde::de::DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(ApiPath(value)),
            Err(_) => Err(AppError::invalid(
                ErrorCode::InvalidRequest,
                "The address contains an invalid id.",
            )),
        }
    }
}

#[cfg(test)]
mod json_object_tests {
    #[test]
    fn only_objects_are_json_objects() {
        assert!(super::is_json_object(b"  {}") && !super::is_json_object(b"[1]"));
    }
}

#[cfg(test)]
mod printable_tests {
    #[test]
    fn printable_strips_terminal_controls() {
        assert_eq!(
            super::printable("spam\u{1b}[2J\r\n\tx\u{202E}y\u{7f}"),
            "spam [2J   x y "
        );
        assert_eq!(
            super::printable("plain reason, ünïcode"),
            "plain reason, ünïcode"
        );
    }
}
