//! Burn the Secret's JSON API under `/api/secrets`: create, status by either key, view (POST,
//! with the passphrase in the body), delete by metadata key. Bearer API keys are Wisp API
//! tokens; without one a caller is anonymous, with the service's anonymous limits (1 MB,
//! 7 days, 10 views). Every reply carries `requestId` (the `X-Request-Id` header's value);
//! every error is `{error, code, hint, requestId}` with the service's codes and statuses.
//!
//! Content is sealed on arrival under a key derived from the secret key (see
//! [`super::sealed`]); the metadata key is stored as a hash and unseals the secret key for
//! the status reply.

use std::net::SocketAddr;

use axum::extract::rejection::PathRejection;
use axum::extract::{ConnectInfo, Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use serde::{Deserialize, Serialize};
use wisp_api::ReceiptState;
use wisp_store::{NewSecret, SecretRecord};
use zeroize::Zeroizing;

use super::scalar::{present, Scalar};
use super::sealed::{self, RevealError};
use super::{find_token, random_key, read_body, BodyError, Internal, Wiped};
use crate::ids;
use crate::routes::is_json_object;
use crate::state::{AppState, RateDecision};
use crate::RequestId;

/// Tag separating this layer's key derivations from the others'.
pub(crate) const SERVICE: &str = "burn_the_secret";
/// Length of secret and metadata keys (24 letters and digits: about 143 bits).
const KEY_LEN: usize = 24;
const ALPHANUMERIC: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
/// Documented TTL bounds and default (seconds); the minimum is `compat.burn_min_ttl`.
const MAX_TTL: u64 = 86_313_600;
const DEFAULT_TTL: u64 = 86_400;
/// Documented limits for anonymous callers and for API keys.
const ANON_MAX_TTL: u64 = 7 * 86_400;
const ANON_MAX_VIEWS: u32 = 10;
const MAX_VIEWS: u32 = 999;
const ANON_MAX_BYTES: usize = 1_000_000;
const MAX_BYTES: usize = 50_000_000;
/// Largest create body read, by caller: JSON escaping can double a secret's size on the
/// wire. The caller is known before the body is read, so an anonymous one can never make
/// the server take in more than its own limit allows.
const ANON_MAX_BODY: usize = 2 * ANON_MAX_BYTES + 64 * 1024;
const MAX_BODY: usize = 2 * MAX_BYTES + 64 * 1024;
/// Largest view body (`{"passphrase": …}`).
const MAX_VIEW_BODY: usize = 64 * 1024;

/// This layer's routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/secrets", post(create))
        .route("/api/secrets/{key}", get(status).post(view).delete(delete))
        .route("/receipt/{key}", get(status))
        .method_not_allowed_fallback(method_not_allowed)
}

/// Whether `path` is one of this layer's API paths.
pub(crate) fn owns(path: &str) -> bool {
    path == "/api/secrets" || path.starts_with("/api/secrets/") || path.starts_with("/receipt/")
}

/// What this layer keeps next to a secret.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Attrs {
    /// The TTL asked for.
    ttl: u64,
    /// `oneClickRetrieval` as given.
    one_click: bool,
    /// `allowDeletion` as given.
    allow_deletion: bool,
    /// The secret key, sealed for the metadata key's holder.
    sealed_key: String,
}

/// `{error, code, hint, requestId}` with the service's status.
#[derive(Debug)]
pub(crate) struct BtsError {
    status: StatusCode,
    error: &'static str,
    code: &'static str,
    hint: &'static str,
    retry_after: Option<u64>,
}

impl BtsError {
    const fn new(
        status: StatusCode,
        code: &'static str,
        error: &'static str,
        hint: &'static str,
    ) -> Self {
        BtsError {
            status,
            error,
            code,
            hint,
            retry_after: None,
        }
    }

    fn invalid_key() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "INVALID_KEY",
            "Invalid key format",
            "Keys contain only letters and digits (A-Z, a-z, 0-9).",
        )
    }

    fn not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            "Secret not found",
            "The secret doesn't exist or has been deleted. Check the key.",
        )
    }

    fn invalid_json() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "INVALID_JSON",
            "Request body is not valid JSON",
            "Send a JSON object with 'Content-Type: application/json'.",
        )
    }

    fn invalid_parameter(hint: &'static str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "INVALID_PARAMETER",
            "Invalid parameter",
            hint,
        )
    }

    fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "UNAUTHORIZED",
            "Invalid API key",
            "Send 'Authorization: Bearer <API key>' with a valid key, or no Authorization header.",
        )
    }

    /// Why a record is no longer available, as the service tells it.
    fn gone(record: &SecretRecord, now: i64) -> Self {
        match crate::routes::effective_state(record, now) {
            ReceiptState::Burned => Self::new(
                StatusCode::GONE,
                "SECRET_BURNED",
                "Secret has been burned",
                "The sender deleted this secret. Ask them to create a new one.",
            ),
            ReceiptState::Expired => Self::new(
                StatusCode::GONE,
                "SECRET_EXPIRED",
                "Secret has expired",
                "The secret passed its expiration time. Ask the sender for a new one.",
            ),
            _ => Self::new(
                StatusCode::GONE,
                "MAX_VIEWS_REACHED",
                "Secret has reached its view limit",
                "The secret was viewed the maximum number of times and is gone.",
            ),
        }
    }

    fn with(self, request_id: &RequestId) -> Response {
        let mut response = (
            self.status,
            Json(ErrorBody {
                error: self.error,
                code: self.code,
                hint: self.hint,
                request_id: &request_id.0,
            }),
        )
            .into_response();
        if let Some(secs) = self.retry_after {
            if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
                response.headers_mut().insert("retry-after", v);
            }
        }
        response
    }
}

impl From<Internal> for BtsError {
    fn from(_: Internal) -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "INTERNAL_ERROR",
            "Internal server error",
            "Try again; if it persists, report the requestId to the server's operator.",
        )
    }
}

impl From<sealed::SealError> for BtsError {
    fn from(err: sealed::SealError) -> Self {
        match err {
            sealed::SealError::Refused(e) => {
                let status = StatusCode::from_u16(e.code.http_status())
                    .unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
                let mut error = match e.code {
                    wisp_api::ErrorCode::QuotaExceeded => BtsError::new(
                        status,
                        "QUOTA_EXCEEDED",
                        "Storage quota exceeded",
                        "You have stored as much as this server allows for now; wait, or send less.",
                    ),
                    _ => BtsError::new(
                        status,
                        "INSUFFICIENT_STORAGE",
                        "The server is out of storage space",
                        "Try again later.",
                    ),
                };
                error.retry_after = e.retry_after;
                error
            }
            sealed::SealError::Internal => Internal.into(),
        }
    }
}

impl From<wisp_store::StoreError> for BtsError {
    fn from(err: wisp_store::StoreError) -> Self {
        Internal::from(err).into()
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ErrorBody<'a> {
    error: &'a str,
    code: &'a str,
    hint: &'a str,
    request_id: &'a str,
}

/// The request id, from the request-id middleware.
fn rid(request_id: Option<Extension<RequestId>>) -> RequestId {
    request_id.map_or_else(|| RequestId(String::new()), |Extension(r)| r)
}

/// Turns a handler's outcome into the reply, with `requestId` in either body.
fn reply<T: Serialize>(request_id: &RequestId, outcome: Result<T, BtsError>) -> Response {
    match outcome {
        Ok(body) => {
            let mut response = Json(body).into_response();
            response
                .headers_mut()
                .insert("cache-control", HeaderValue::from_static("no-store"));
            response
        }
        Err(e) => e.with(request_id),
    }
}

/// A path with no route under `/api/secrets`.
pub(crate) fn not_found(request_id: Option<&RequestId>) -> Response {
    BtsError::new(
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
        "Not found",
        "See the API documentation: /api/secrets and /api/secrets/:key.",
    )
    .with(request_id.unwrap_or(&RequestId(String::new())))
}

async fn method_not_allowed(request_id: Option<Extension<RequestId>>) -> Response {
    BtsError::new(
        StatusCode::BAD_REQUEST,
        "INVALID_REQUEST",
        "Method not allowed",
        "POST /api/secrets creates; GET, POST and DELETE /api/secrets/:key read, view and delete.",
    )
    .with(&rid(request_id))
}

/// Over the limit: `429 RATE_LIMIT_EXCEEDED` with `Retry-After`.
pub(crate) fn rate_limited(decision: &RateDecision, request_id: Option<&RequestId>) -> Response {
    BtsError::rate_limited(decision).with(request_id.unwrap_or(&RequestId(String::new())))
}

impl BtsError {
    fn too_many_attempts(retry_after: u64) -> Self {
        let mut err = BtsError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "RATE_LIMIT_EXCEEDED",
            "Too many passphrase attempts on this secret",
            "Wait for the number of seconds in the Retry-After header, then try again.",
        );
        err.retry_after = Some(retry_after);
        err
    }

    fn rate_limited(decision: &RateDecision) -> Self {
        let mut err = BtsError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "RATE_LIMIT_EXCEEDED",
            "Too many requests",
            "Wait for the number of seconds in the Retry-After header, then try again.",
        );
        err.retry_after = Some(decision.reset);
        err
    }
}

/// Bearer API key (a Wisp token) or anonymous; a key that is present must be valid.
async fn caller(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<wisp_store::Token>, BtsError> {
    if headers.get("authorization").is_none() {
        return Ok(None);
    }
    let token = crate::routes::bearer(headers).ok_or_else(BtsError::unauthorized)?;
    match find_token(state, token).await? {
        Some(t) => Ok(Some(t)),
        None => Err(BtsError::unauthorized()),
    }
}

fn valid_key(key: &str) -> bool {
    (1..=64).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_alphanumeric())
}

fn iso(unix: i64) -> String {
    let format = time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
    );
    crate::routes::timestamp(unix)
        .format(&format)
        .unwrap_or_default()
}

/// The create request. Fields are read one by one so that a wrong type names the field.
#[derive(Default)]
struct CreateRequest {
    secret: Zeroizing<String>,
    ttl: Option<u64>,
    max_views: Option<Option<u32>>,
    passphrase: Option<Zeroizing<String>>,
    one_click: bool,
    allow_deletion: bool,
}

impl std::fmt::Debug for CreateRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the secret or the passphrase.
        f.debug_struct("CreateRequest")
            .field("secret", &format_args!("<{} bytes>", self.secret.len()))
            .field("ttl", &self.ttl)
            .field("max_views", &self.max_views)
            .field(
                "passphrase",
                &self.passphrase.as_ref().map(|_| "<redacted>"),
            )
            .field("one_click", &self.one_click)
            .field("allow_deletion", &self.allow_deletion)
            .finish()
    }
}

/// Burn the Secret's create body: each known field as a [`Scalar`], others skipped.
#[derive(Deserialize)]
struct CreateBody {
    #[serde(default, deserialize_with = "present")]
    secret: Option<Scalar>,
    #[serde(default, deserialize_with = "present")]
    ttl: Option<Scalar>,
    #[serde(default, deserialize_with = "present", rename = "maxViews")]
    max_views: Option<Scalar>,
    #[serde(default, deserialize_with = "present")]
    passphrase: Option<Scalar>,
    #[serde(default, deserialize_with = "present", rename = "oneClickRetrieval")]
    one_click: Option<Scalar>,
    #[serde(default, deserialize_with = "present", rename = "allowDeletion")]
    allow_deletion: Option<Scalar>,
}

/// Parses the body once, typed: the secret and passphrase move into wiped strings.
fn parse_create(body: &[u8]) -> Result<CreateRequest, BtsError> {
    if !is_json_object(body) {
        return Err(BtsError::invalid_json());
    }
    let json: CreateBody = serde_json::from_slice(body).map_err(|_| BtsError::invalid_json())?;
    let mut request = CreateRequest {
        one_click: true,
        allow_deletion: true,
        ..Default::default()
    };
    match json.secret {
        Some(Scalar::Str(s)) if !s.is_empty() => request.secret = Zeroizing::new(s),
        Some(Scalar::Str(_)) | Some(Scalar::Null) | None => {
            return Err(BtsError::new(
                StatusCode::BAD_REQUEST,
                "MISSING_SECRET",
                "No secret content provided",
                "Include a non-empty 'secret' string in the request body.",
            ))
        }
        Some(_) => return Err(BtsError::invalid_parameter("'secret' must be a string.")),
    }
    match json.ttl {
        None | Some(Scalar::Null) => {}
        Some(Scalar::U64(n)) => request.ttl = Some(n),
        Some(_) => {
            return Err(BtsError::invalid_parameter(
                "'ttl' must be an integer number of seconds.",
            ))
        }
    }
    match json.max_views {
        None => {}
        Some(Scalar::Null) => request.max_views = Some(None),
        Some(v) => {
            let n = match v {
                Scalar::U64(n) => Some(n),
                _ => None,
            }
            .filter(|n| (1..=u64::from(MAX_VIEWS)).contains(n))
            .ok_or_else(|| {
                BtsError::invalid_parameter(
                    "'maxViews' must be an integer from 1 to 999, or null for unlimited.",
                )
            })?;
            request.max_views = Some(Some(n as u32));
        }
    }
    match json.passphrase {
        None | Some(Scalar::Null) => {}
        Some(Scalar::Str(s)) => {
            if !s.is_empty() {
                request.passphrase = Some(Zeroizing::new(s));
            }
        }
        Some(_) => {
            return Err(BtsError::invalid_parameter(
                "'passphrase' must be a string.",
            ))
        }
    }
    for (value, slot) in [
        (json.one_click, &mut request.one_click),
        (json.allow_deletion, &mut request.allow_deletion),
    ] {
        match value {
            None | Some(Scalar::Null) => {}
            Some(Scalar::Bool(b)) => *slot = b,
            Some(_) => {
                return Err(BtsError::invalid_parameter(
                    "'oneClickRetrieval' and 'allowDeletion' must be booleans.",
                ))
            }
        }
    }
    Ok(request)
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CreatedMetadata {
    key: String,
    secret_key: Wiped,
    ttl: u64,
    expires_at: String,
    created_at: String,
    has_passphrase: bool,
    max_views: Option<u32>,
    view_count: u32,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Created {
    success: bool,
    metadata: CreatedMetadata,
    secret_url: Wiped,
    metadata_url: String,
    request_id: String,
}

async fn create(
    State(state): State<AppState>,
    request_id: Option<Extension<RequestId>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request: Request,
) -> Response {
    let request_id = rid(request_id);
    let (parts, body) = request.into_parts();
    let outcome = create_inner(&state, peer, &parts.headers, body, &request_id).await;
    reply(&request_id, outcome)
}

fn too_large(anonymous: bool) -> BtsError {
    BtsError::new(
        StatusCode::BAD_REQUEST,
        "CONTENT_TOO_LARGE",
        "Secret exceeds size limit",
        if anonymous {
            "Anonymous secrets are limited to 1 MB; use an API key for up to 50 MB."
        } else {
            "Secrets are limited to 50 MB."
        },
    )
}

async fn create_inner(
    state: &AppState,
    peer: SocketAddr,
    headers: &HeaderMap,
    body: axum::body::Body,
    request_id: &RequestId,
) -> Result<Created, BtsError> {
    // Who is asking decides how much is read: authenticate before reading the body.
    let account = caller(state, headers).await?;
    let anonymous = account.is_none();
    if anonymous && !state.config.limits.anonymous {
        return Err(BtsError::unauthorized());
    }
    let cap = if anonymous { ANON_MAX_BODY } else { MAX_BODY };
    let body = read_body(headers, body, cap).await.map_err(|e| match e {
        BodyError::TooLarge => too_large(anonymous),
        BodyError::Failed => BtsError::invalid_json(),
    })?;
    let request = parse_create(&body)?;
    drop(body);
    if anonymous && request.passphrase.is_some() {
        sealed::passphrase_gate(state, peer, headers).map_err(|d| BtsError::rate_limited(&d))?;
    }
    let max_bytes = if anonymous { ANON_MAX_BYTES } else { MAX_BYTES };
    if request.secret.len() > max_bytes {
        return Err(too_large(anonymous));
    }
    let limits = &state.config.limits;
    let min_ttl = state.config.compat.burn_min_ttl.max(limits.min_ttl);
    let max_ttl = MAX_TTL.min(limits.max_ttl).min(if anonymous {
        ANON_MAX_TTL.min(limits.anonymous_max_ttl)
    } else {
        u64::MAX
    });
    // A configuration whose maximum is below the service's minimum leaves one TTL: the
    // maximum (never a panic in `clamp`).
    let min_ttl = min_ttl.min(max_ttl);
    let ttl = request.ttl.unwrap_or(DEFAULT_TTL.clamp(min_ttl, max_ttl));
    if !(min_ttl..=max_ttl).contains(&ttl) {
        return Err(BtsError::invalid_parameter(if anonymous {
            "'ttl' must be between 1800 seconds (30 minutes) and 604800 (7 days) without an API key."
        } else {
            "'ttl' must be between 1800 seconds (30 minutes) and this server's maximum (at most 86313600, 999 days)."
        }));
    }
    let max_views = request.max_views.unwrap_or(Some(1));
    if anonymous && max_views.is_none_or(|v| v > ANON_MAX_VIEWS) {
        return Err(BtsError::invalid_parameter(
            "Without an API key 'maxViews' must be 1 to 10.",
        ));
    }

    let secret_key = Zeroizing::new(random_key(ALPHANUMERIC, KEY_LEN));
    let metadata_key = random_key(ALPHANUMERIC, KEY_LEN);
    let derived = sealed::derive(SERVICE, &secret_key);
    let passphrase = sealed::passphrase(request.passphrase.as_deref().map(|p| p.as_str()));
    let has_passphrase = passphrase.is_some();
    let content = Zeroizing::new(request.secret.as_bytes().to_vec());
    let who = crate::routes::Caller::of(account.as_ref());
    let owner = sealed::Owner {
        caller: &who,
        ip: state.client_ip(peer, headers),
    };
    let stored = sealed::seal(state, owner, &derived.link_key, passphrase, content).await?;
    let now = crate::now();
    let attrs = Attrs {
        ttl,
        one_click: request.one_click,
        allow_deletion: request.allow_deletion,
        sealed_key: sealed::seal_for_sender(&metadata_key, &secret_key),
    };
    let record = NewSecret {
        id: derived.id.clone(),
        metadata_hash: ids::sha256(&metadata_key),
        account: account.as_ref().map(|t| t.id),
        verifier: stored.verifier,
        passphrase_verifier: stored.passphrase_verifier,
        header: stored.header,
        size: stored.size,
        max_views,
        split: None,
        note: None,
        recipient_can_burn: request.allow_deletion,
        webhook_url: None,
        notify_email: None,
        created_at: now,
        expires_at: now + ttl as i64,
        blob: stored.blob.clone(),
        compat: Some(super::Attrs::BurnTheSecret(attrs).to_json()),
    };
    if let Err(e) = state.store.insert(record).await {
        let _ = state.store.delete_blob(&stored.blob).await;
        return Err(e.into());
    }
    tracing::info!(
        secret = ids::log_id(&derived.id),
        "secret created (burn the secret)"
    );
    Ok(Created {
        success: true,
        metadata: CreatedMetadata {
            key: metadata_key.clone(),
            secret_key: Wiped::new(secret_key.as_str()),
            ttl,
            expires_at: iso(now + ttl as i64),
            created_at: iso(now),
            has_passphrase,
            max_views,
            view_count: 0,
        },
        secret_url: Wiped::new(format!(
            "{}/secret/{}",
            state.public_base,
            secret_key.as_str()
        )),
        metadata_url: format!("{}/receipt/{metadata_key}", state.public_base),
        request_id: request_id.0.clone(),
    })
}

/// Which key a lookup found the secret by.
enum Found {
    Secret(SecretRecord, Attrs, sealed::Derived),
    Metadata(SecretRecord, Attrs),
}

async fn find(state: &AppState, key: &str) -> Result<Option<Found>, BtsError> {
    if !valid_key(key) {
        return Err(BtsError::invalid_key());
    }
    let derived = sealed::derive(SERVICE, key);
    if let Some(record) = state.store.get(&derived.id).await? {
        if let Some(super::Attrs::BurnTheSecret(attrs)) = super::Attrs::of(&record) {
            return Ok(Some(Found::Secret(record, attrs, derived)));
        }
    }
    if let Some(record) = state.store.get_by_metadata(&ids::sha256(key)).await? {
        if let Some(super::Attrs::BurnTheSecret(attrs)) = super::Attrs::of(&record) {
            return Ok(Some(Found::Metadata(record, attrs)));
        }
    }
    Ok(None)
}

fn path_key(key: Result<Path<String>, PathRejection>) -> Result<String, BtsError> {
    key.map(|Path(k)| k).map_err(|_| BtsError::invalid_key())
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Status {
    exists: bool,
    #[serde(rename = "type")]
    kind: &'static str,
    viewed: bool,
    burned: bool,
    expires_at: String,
    has_passphrase: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    secret_key: Option<Wiped>,
    max_views: Option<u32>,
    view_count: u32,
    views_remaining: Option<u32>,
    request_id: String,
}

/// `GET /api/secrets/:key` (and the `metadataUrl`, `/receipt/:key`): status by either key,
/// without counting a view. By metadata key it is the sender's receipt, whatever the state;
/// by secret key a secret that is gone answers 410 with the reason.
async fn status(
    State(state): State<AppState>,
    request_id: Option<Extension<RequestId>>,
    headers: HeaderMap,
    key: Result<Path<String>, PathRejection>,
) -> Response {
    let request_id = rid(request_id);
    let outcome = async {
        caller(&state, &headers).await?;
        let key = path_key(key)?;
        let now = crate::now();
        let (record, kind, secret_key) =
            match find(&state, &key).await?.ok_or_else(BtsError::not_found)? {
                Found::Secret(record, _, _) => {
                    if !record.available(now) {
                        return Err(BtsError::gone(&record, now));
                    }
                    (record, "secret", None)
                }
                Found::Metadata(record, attrs) => {
                    let secret_key =
                        sealed::open_for_sender(&key, &attrs.sealed_key).map(Wiped::from);
                    (record, "metadata", secret_key)
                }
            };
        Ok(Status {
            exists: true,
            kind,
            viewed: record.views_used > 0,
            burned: record.state == ReceiptState::Burned,
            expires_at: iso(record.expires_at),
            has_passphrase: crate::gate::has_passphrase(&record),
            secret_key,
            max_views: record.max_views,
            view_count: record.views_used,
            views_remaining: record.views_left(),
            request_id: request_id.0.clone(),
        })
    }
    .await;
    reply(&request_id, outcome)
}

/// The passphrase of a view body (optional; empty or whitespace: none), in a wiped string.
fn parse_view(body: &[u8]) -> Result<Option<Zeroizing<String>>, BtsError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    #[derive(Deserialize)]
    struct ViewBody {
        #[serde(default, deserialize_with = "present")]
        passphrase: Option<Scalar>,
    }
    if !is_json_object(body) {
        return Err(BtsError::invalid_json());
    }
    let json: ViewBody = serde_json::from_slice(body).map_err(|_| BtsError::invalid_json())?;
    match json.passphrase {
        None | Some(Scalar::Null) => Ok(None),
        Some(Scalar::Str(s)) => Ok(Some(Zeroizing::new(s))),
        Some(_) => Err(BtsError::invalid_json()),
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Viewed {
    success: bool,
    secret: Wiped,
    one_click_retrieval: bool,
    views_remaining: Option<u32>,
    request_id: String,
}

/// `POST /api/secrets/:secretKey`: view (counts one view). The body is optional; a wrong or
/// missing passphrase spends nothing.
async fn view(
    State(state): State<AppState>,
    request_id: Option<Extension<RequestId>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    key: Result<Path<String>, PathRejection>,
    request: Request,
) -> Response {
    let request_id = rid(request_id);
    let (parts, body) = request.into_parts();
    let headers = parts.headers;
    let outcome = async {
        let account = caller(&state, &headers).await?;
        let key = path_key(key)?;
        let body = read_body(&headers, body, MAX_VIEW_BODY)
            .await
            .map_err(|_| BtsError::invalid_json())?;
        let given = parse_view(&body)?;
        drop(body);
        if account.is_none() && given.as_ref().is_some_and(|p| !p.is_empty()) {
            sealed::passphrase_gate(&state, peer, &headers)
                .map_err(|d| BtsError::rate_limited(&d))?;
        }
        let (record, attrs, derived) = match find(&state, &key).await?.ok_or_else(BtsError::not_found)? {
            Found::Secret(record, attrs, derived) => (record, attrs, derived),
            Found::Metadata(..) => {
                return Err(BtsError::new(
                    StatusCode::BAD_REQUEST,
                    "INVALID_KEY",
                    "This is a metadata key",
                    "View a secret with its secretKey; the metadata key (key) is for status and deletion.",
                ))
            }
        };
        let now = crate::now();
        if !record.available(now) {
            return Err(BtsError::gone(&record, now));
        }
        let view = crate::routes::secrets::view_entry(&state, peer, &headers, now);
        let passphrase = sealed::passphrase(given.as_deref().map(String::as_str));
        let client = state.client_ip(peer, &headers);
        match sealed::reveal(&state, &record, &derived.link_key, passphrase, view, client).await {
            Ok((after, content)) => Ok(Viewed {
                success: true,
                secret: Wiped::new(String::from_utf8_lossy(&content).into_owned()),
                one_click_retrieval: attrs.one_click,
                views_remaining: after.views_left(),
                request_id: request_id.0.clone(),
            }),
            Err(RevealError::Unavailable) => {
                let after = state.store.get(&record.id).await?.unwrap_or(record);
                Err(BtsError::gone(&after, crate::now()))
            }
            Err(e) => Err(passphrase_refused(e, &record)),
        }
    }
    .await;
    reply(&request_id, outcome)
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Deleted {
    success: bool,
    message: &'static str,
    request_id: String,
}

/// `DELETE /api/secrets/:metadataKey`: burn. With `allowDeletion` (the default) the
/// recipient may also delete with the secret key; for a secret with a passphrase that takes
/// the passphrase too (JSON body `{"passphrase": …}`), checked and counted like a view's, so
/// a secret key that leaked without its passphrase cannot destroy the secret.
async fn delete(
    State(state): State<AppState>,
    request_id: Option<Extension<RequestId>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    key: Result<Path<String>, PathRejection>,
    request: Request,
) -> Response {
    let request_id = rid(request_id);
    let (parts, body) = request.into_parts();
    let headers = parts.headers;
    let outcome = async {
        caller(&state, &headers).await?;
        let key = path_key(key)?;
        let body = read_body(&headers, body, MAX_VIEW_BODY)
            .await
            .map_err(|_| BtsError::invalid_json())?;
        let given = parse_view(&body)?;
        drop(body);
        let record = match find(&state, &key).await?.ok_or_else(BtsError::not_found)? {
            Found::Metadata(record, _) => record,
            Found::Secret(record, attrs, derived) if attrs.allow_deletion => {
                let now = crate::now();
                if !record.available(now) {
                    return Err(BtsError::gone(&record, now));
                }
                if crate::gate::has_passphrase(&record) {
                    let passphrase = sealed::passphrase(given.as_deref().map(String::as_str));
                    let client = state.client_ip(peer, &headers);
                    sealed::open(&state, &record, &derived.link_key, passphrase, client)
                        .await
                        .map_err(|e| passphrase_refused(e, &record))?;
                }
                record
            }
            Found::Secret(..) => {
                return Err(BtsError::new(
                    StatusCode::BAD_REQUEST,
                    "INVALID_KEY",
                    "Deletion by the recipient is not allowed",
                    "The sender did not allow deletion; use the metadata key (key) to delete.",
                ))
            }
        };
        let now = crate::now();
        if !record.available(now) {
            return Err(BtsError::gone(&record, now));
        }
        match sealed::burn(&state, &record.id, wisp_api::BurnReason::Sender).await? {
            Some(_) => Ok(Deleted {
                success: true,
                message: "Secret burned successfully",
                request_id: request_id.0.clone(),
            }),
            None => {
                let after = state.store.get(&record.id).await?.unwrap_or(record);
                Err(BtsError::gone(&after, crate::now()))
            }
        }
    }
    .await;
    reply(&request_id, outcome)
}

/// The answer to a view or a deletion by secret key that the passphrase gate refused.
fn passphrase_refused(e: RevealError, record: &wisp_store::SecretRecord) -> BtsError {
    match e {
        RevealError::PassphraseRequired => BtsError::new(
            StatusCode::UNAUTHORIZED,
            "INVALID_PASSPHRASE",
            "Passphrase required",
            "The secret is password-protected. Include the correct 'passphrase' in your request body.",
        ),
        RevealError::WrongPassphrase { burned: false } => BtsError::new(
            StatusCode::UNAUTHORIZED,
            "INVALID_PASSPHRASE",
            "Invalid passphrase",
            "The secret is password-protected. Include the correct 'passphrase' in your request body.",
        ),
        RevealError::WrongPassphrase { burned: true } => BtsError::new(
            StatusCode::GONE,
            "SECRET_BURNED",
            "Too many wrong passphrases: the secret was burned",
            "Ask the sender to create a new secret.",
        ),
        RevealError::TooManyAttempts { retry_after } => BtsError::too_many_attempts(retry_after),
        RevealError::Unavailable => BtsError::gone(record, crate::now()),
        RevealError::Internal => Internal.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// INTERNAL_ERROR cannot be provoked from outside a healthy server: check its shape here.
    #[tokio::test]
    async fn internal_error_has_the_documented_shape() {
        let response = BtsError::from(Internal).with(&RequestId("req_test".into()));
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = axum::body::to_bytes(response.into_body(), 4096)
            .await
            .expect("body");
        let body: serde_json::Value = serde_json::from_slice(&body).expect("json");
        assert_eq!(body["code"], "INTERNAL_ERROR");
        assert_eq!(body["requestId"], "req_test");
        assert!(body["error"].is_string() && body["hint"].is_string());
    }
}
