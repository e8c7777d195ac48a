//! The `/api/v1` routes, the caller extractor and the record → receipt mapping they share.

mod account;
mod receipts;
mod secrets;
mod upload;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::HeaderMap;
use axum::routing::{get, post};
use axum::Router;
use wisp_api::{ErrorCode, Receipt, ReceiptState, ViewRecord};
use wisp_store::{SecretRecord, Token, ViewEntry};

use crate::error::AppError;
use crate::ids;
use crate::state::AppState;

/// All API routes (mounted under `/api/v1`).
pub fn api() -> Router<AppState> {
    Router::new()
        .route(
            "/secrets",
            post(secrets::create).layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route("/secrets/{id}", get(secrets::status))
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
    fn account_id(&self) -> Option<i64> {
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
        match state.store.find_token(&ids::sha256(token)).await? {
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
    }
}

/// RFC 3339 text of a Unix time (for the command line).
pub fn format_time(unix: i64) -> String {
    timestamp(unix)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}
