//! SecLink's JSON API: the client encrypts (AES-256-GCM) and sends `encryptedBlob` + `iv`;
//! the server stores that ciphertext as given and hands it back, deleting a `view_once`
//! secret on its first retrieval. Also: `passcodeHash` gating, abuse reports (kept for the
//! operator, `wisp-server reports`; burning on them is an opt-in threshold), and the
//! documented 20 requests per hour for callers without an API key.
//!
//! Paths: the documented `/api/v1/secrets…` overlaps Wisp's own `/api/v1/secrets`, so the
//! layer lives under `/compat/seclink/api/v1/secrets…`, and Wisp's own routes hand a request
//! over when it can only be SecLink's: a JSON `POST /api/v1/secrets` (Wisp's create is
//! multipart), a `GET /api/v1/secrets/ID` whose id is not a Wisp id (Wisp ids are 22
//! characters, SecLink's 12), and `POST /api/v1/secrets/ID/report`.

use std::net::SocketAddr;

use axum::extract::rejection::PathRejection;
use axum::extract::{ConnectInfo, Path, Request, State};
use axum::handler::Handler as _;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq as _;
use tokio::io::AsyncReadExt as _;
use wisp_store::{NewSecret, SecretRecord, Token};

use super::{find_token, random_key, read_body, Internal};
use crate::ids;
use crate::routes::secrets;
use crate::state::{AppState, RateDecision};

/// Where the layer is mounted.
pub(crate) const PREFIX: &str = "/compat/seclink";
/// Length of a link id (the documented shape, `A1b2C3d4E5f6`).
const ID_LEN: usize = 12;
const ALPHANUMERIC: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
/// Storage time of a `view_once` secret that nobody opens.
const VIEW_ONCE_TTL: u64 = 7 * 86_400;
/// Largest ciphertext accepted from an API key (the body is JSON in memory).
const MAX_KEY_BLOB: u64 = 64 * 1024 * 1024;
/// Largest report body.
const MAX_REPORT_BODY: usize = 16 * 1024;
/// Longest `passcodeHash` and report reason accepted.
const MAX_HASH_LEN: usize = 256;
const MAX_REASON_LEN: usize = 1000;

/// The layer's routes, relative to `/api/v1` (mounted under [`PREFIX`]).
pub(crate) fn routes() -> Router<AppState> {
    Router::new().nest(
        &format!("{PREFIX}/api/v1"),
        Router::new()
            .route(
                "/secrets",
                post(|State(state): State<AppState>, request: Request| create(state, request))
                    .layer(axum::extract::DefaultBodyLimit::disable()),
            )
            .route(
                "/secrets/{id}",
                get(
                    |State(state): State<AppState>,
                     id: Result<Path<String>, PathRejection>,
                     request: Request| {
                        let id = id.map_or_else(|_| String::new(), |Path(k)| k);
                        retrieve(state, id, request)
                    },
                ),
            )
            .route("/secrets/{id}/report", post(report))
            .method_not_allowed_fallback(|| async {
                error(StatusCode::BAD_REQUEST, "Method not allowed").into_response()
            }),
    )
}

/// The routes the layer adds next to Wisp's own under `/api/v1` (no overlap).
pub(crate) fn api_v1() -> Router<AppState> {
    Router::new().route("/secrets/{id}/report", post(report))
}

/// Whether a request is SecLink's by its path alone (for the server-wide fallback and rate
/// limiter): anything under [`PREFIX`], and `…/report`, which Wisp does not have. Requests on
/// the shared `/api/v1/secrets` paths are Wisp's there; [`dispatch_create`] and
/// [`dispatch_retrieve`] hand SecLink's over and apply its hourly limit themselves.
pub(crate) fn owns(path: &str) -> bool {
    if path.starts_with(&format!("{PREFIX}/")) {
        return true;
    }
    path.strip_prefix("/api/v1/secrets/")
        .and_then(|rest| rest.split_once('/'))
        .is_some_and(|(_, tail)| tail == "report")
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| {
            ct.trim_start()
                .to_ascii_lowercase()
                .starts_with("application/json")
        })
}

/// The largest ciphertext a caller may store.
fn max_blob(state: &AppState, keyed: bool) -> u64 {
    let limits = &state.config.limits;
    if keyed {
        limits.max_payload_bytes.min(MAX_KEY_BLOB)
    } else {
        limits.anonymous_max_payload_bytes.min(MAX_KEY_BLOB)
    }
}

/// The largest create body read for a caller: its largest ciphertext, plus a quarter for
/// JSON escaping (`\/` in base64) and 64 KiB for the other fields. The caller is known before
/// the body is read, so an anonymous one never makes the server take in more than that.
fn body_cap(state: &AppState, keyed: bool) -> usize {
    let blob = max_blob(state, keyed) as usize;
    blob + blob / 4 + 64 * 1024
}

fn too_large() -> SlError {
    error(StatusCode::BAD_REQUEST, "Invalid payload: too large")
}

/// `POST /api/v1/secrets`: SecLink's create when the body is JSON, Wisp's otherwise (Wisp's
/// create is multipart). A JSON body that is not a SecLink create gets Wisp's own 415.
pub(crate) async fn dispatch_create(State(state): State<AppState>, request: Request) -> Response {
    if !(state.config.compat.seclink && is_json(request.headers())) {
        return secrets::create.call(request, state).await;
    }
    let peer = peer_of(&request);
    let (parts, body) = request.into_parts();
    let outcome = async {
        let account = admit_create(&state, peer, &parts.headers).await?;
        let parsed = read_create(&state, &parts.headers, body, account.is_some()).await?;
        match parsed {
            Some(parsed) => create_inner(&state, account, parsed, peer, &parts.headers)
                .await
                .map(Some),
            None => Ok(None),
        }
    }
    .await;
    match outcome {
        Ok(Some(created)) => Json(created).into_response(),
        Ok(None) => crate::error::AppError::new(
            wisp_api::ErrorCode::UnsupportedMediaType,
            "Secrets are uploaded as multipart/form-data.",
            "Send an `options` part (JSON) followed by a `payload` part (the encrypted bytes).",
        )
        .into_response(),
        Err(e) => e.into_response(),
    }
}

/// Everything decided before a create's body is read: the API key, the anonymous switch and
/// the hourly limit. A caller turned away here never makes the server take in its body.
async fn admit_create(
    state: &AppState,
    peer: SocketAddr,
    headers: &HeaderMap,
) -> Result<Option<Token>, SlError> {
    let account = caller(state, headers).await?;
    if account.is_none() && !state.config.limits.anonymous {
        return Err(error(StatusCode::UNAUTHORIZED, "An API key is required"));
    }
    hourly_gate(state, peer, headers, account.as_ref())?;
    Ok(account)
}

/// Reads a create body up to the caller's cap and parses it into [`CreateRequest`];
/// `None` when it is JSON but names none of SecLink's fields.
async fn read_create(
    state: &AppState,
    headers: &HeaderMap,
    body: axum::body::Body,
    keyed: bool,
) -> Result<Option<CreateRequest>, SlError> {
    let cap = body_cap(state, keyed);
    let bytes = read_body(headers, body, cap)
        .await
        .map_err(|_| too_large())?;
    let not_object = || {
        error(
            StatusCode::BAD_REQUEST,
            "Invalid payload: not a JSON object",
        )
    };
    if !crate::routes::is_json_object(&bytes) {
        return Err(not_object());
    }
    // Typed: unknown fields are skipped without being kept, and a field of the wrong type
    // stops the parse, so no body can make the server build a large generic tree.
    let parsed: CreateRequest = serde_json::from_slice(&bytes).map_err(|e| {
        let message = e.to_string();
        match message.split_once(" must be a string") {
            Some((name, _)) => error(
                StatusCode::BAD_REQUEST,
                &format!("Invalid payload: {name} must be a string"),
            ),
            None => not_object(),
        }
    })?;
    Ok(parsed.names_any().then_some(parsed))
}

/// `GET /api/v1/secrets/ID`: SecLink's retrieve for an id that is not a Wisp id, Wisp's
/// status otherwise.
pub(crate) async fn dispatch_retrieve(State(state): State<AppState>, request: Request) -> Response {
    let id = request
        .uri()
        .path()
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_owned();
    // Only an id that names a SecLink secret is SecLink's: anything else keeps Wisp's own
    // answer (and Wisp's documented error shape).
    if state.config.compat.seclink && !ids::is_id(&id) {
        let id = percent_decode(&id);
        if matches!(find(&state, &id).await, Ok(Some(_))) {
            return retrieve(state, id, request).await;
        }
        // A SecLink-shaped id that names nothing is still a SecLink request (a guess at an
        // id): an anonymous caller spends one of its hourly requests on it, so ids cannot be
        // probed without limit. The answer stays Wisp's, in Wisp's shape (429 included).
        if valid_id(&id) && request.headers().get("authorization").is_none() {
            if let Err(limited) = hourly_gate(&state, peer_of(&request), request.headers(), None) {
                let mut err = crate::error::AppError::new(
                    wisp_api::ErrorCode::RateLimited,
                    "Too many requests.",
                    format!(
                        "Wait {} seconds before trying again.",
                        limited.retry_after.unwrap_or(3600)
                    ),
                );
                err.retry_after = limited.retry_after;
                return err.into_response();
            }
        }
    }
    secrets::status.call(request, state).await
}

fn percent_decode(text: &str) -> String {
    url::form_urlencoded::parse(format!("x={}", text.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// What this layer keeps next to a secret.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Attrs {
    /// `view_once`, `1hour`, `24hours` or `7days`.
    expiry_type: String,
    /// HMAC-SHA256 (hex, see [`passcode_digest`]) of the `passcodeHash` the client sent.
    passcode: Option<String>,
}

/// `{"error": …}` with the documented status.
#[derive(Debug)]
pub(crate) struct SlError {
    status: StatusCode,
    message: String,
    retry_after: Option<u64>,
}

impl IntoResponse for SlError {
    fn into_response(self) -> Response {
        let mut response = (
            self.status,
            Json(serde_json::json!({ "error": self.message })),
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

fn error(status: StatusCode, message: &str) -> SlError {
    SlError {
        status,
        message: message.to_owned(),
        retry_after: None,
    }
}

/// The documented 20 requests per hour (`[compat] seclink_anonymous_per_hour`) for callers
/// without an API key, per address, in hourly windows of their own.
fn hourly_gate(
    state: &AppState,
    peer: SocketAddr,
    headers: &HeaderMap,
    account: Option<&Token>,
) -> Result<(), SlError> {
    if account.is_some() {
        return Ok(());
    }
    let key = format!("seclink:{}", ids::network(state.client_ip(peer, headers)));
    let decision = state.hourly_limiter.check_in(
        &key,
        state.config.compat.seclink_anonymous_per_hour,
        crate::now().max(0) as u64,
        3600,
    );
    if decision.allowed {
        return Ok(());
    }
    let mut err = error(
        StatusCode::TOO_MANY_REQUESTS,
        "Rate limit exceeded. Try again later.",
    );
    err.retry_after = Some(decision.reset);
    Err(err)
}

fn peer_of(request: &Request) -> SocketAddr {
    request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or_else(|| SocketAddr::from(([127, 0, 0, 1], 0)), |c| c.0)
}

fn internal(_: Internal) -> SlError {
    error(StatusCode::INTERNAL_SERVER_ERROR, "Internal server error")
}

/// A path with no route under the layer's paths.
pub(crate) fn not_found() -> Response {
    error(StatusCode::NOT_FOUND, "Not found").into_response()
}

/// Over the limit: `429` with `Retry-After`.
pub(crate) fn rate_limited(decision: &RateDecision) -> Response {
    let mut response = error(
        StatusCode::TOO_MANY_REQUESTS,
        "Rate limit exceeded. Try again later.",
    )
    .into_response();
    if let Ok(v) = HeaderValue::from_str(&decision.reset.to_string()) {
        response.headers_mut().insert("retry-after", v);
    }
    response
}

/// Bearer API key (a Wisp token) or none; a key that is present must be valid.
async fn caller(state: &AppState, headers: &HeaderMap) -> Result<Option<Token>, SlError> {
    if headers.get("authorization").is_none() {
        return Ok(None);
    }
    let unauthorized = || error(StatusCode::UNAUTHORIZED, "Invalid API key");
    let token = crate::routes::bearer(headers).ok_or_else(unauthorized)?;
    match find_token(state, token).await.map_err(internal)? {
        Some(t) => Ok(Some(t)),
        None => Err(unauthorized()),
    }
}

fn valid_id(id: &str) -> bool {
    (1..=64).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric())
}

fn ttl_of(expiry_type: &str) -> Option<u64> {
    Some(match expiry_type {
        "view_once" => VIEW_ONCE_TTL,
        "1hour" => 3600,
        "24hours" => 86_400,
        "7days" => 7 * 86_400,
        _ => return None,
    })
}

/// What is kept of a `passcodeHash`: HMAC-SHA256 under the server's persistent client key
/// (`client-hint.key` in the data directory), bound to the secret's id, so a copy of the
/// database alone cannot test guesses, and one guess never tests two secrets.
fn passcode_digest(state: &AppState, id: &str, hash: &str) -> String {
    use hmac::Mac as _;
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(state.client_key.as_ref())
        .expect("HMAC takes keys of any length");
    mac.update(b"wisp/compat/seclink/passcode/");
    mac.update(id.as_bytes());
    mac.update(b"\0");
    mac.update(hash.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// A SecLink create body. Each field: absent (`None`), `null` (`Some(None)`) or a string.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CreateRequest {
    #[serde(default, deserialize_with = "encrypted_blob")]
    encrypted_blob: Option<Option<String>>,
    #[serde(default, deserialize_with = "iv")]
    iv: Option<Option<String>>,
    #[serde(default, deserialize_with = "expiry_type")]
    expiry_type: Option<Option<String>>,
    #[serde(default, deserialize_with = "passcode_hash")]
    passcode_hash: Option<Option<String>>,
}

impl CreateRequest {
    fn names_any(&self) -> bool {
        self.encrypted_blob.is_some()
            || self.iv.is_some()
            || self.expiry_type.is_some()
            || self.passcode_hash.is_some()
    }
}

/// A string or `null`; anything else fails the parse with "NAME must be a string".
fn string_or_null<'de, D: serde::Deserializer<'de>>(
    d: D,
    name: &'static str,
) -> Result<Option<Option<String>>, D::Error> {
    struct Visit(&'static str);
    impl<'de> serde::de::Visitor<'de> for Visit {
        type Value = Option<String>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "{} must be a string", self.0)
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Some(v.to_owned()))
        }
        fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Self::Value, E> {
            Ok(Some(v))
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
    }
    let name_error = |_| serde::de::Error::custom(format!("{name} must be a string"));
    d.deserialize_any(Visit(name)).map(Some).map_err(name_error)
}

fn encrypted_blob<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<Option<String>>, D::Error> {
    string_or_null(d, "encryptedBlob")
}
fn iv<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    string_or_null(d, "iv")
}
fn expiry_type<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    string_or_null(d, "expiryType")
}
fn passcode_hash<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<Option<String>>, D::Error> {
    string_or_null(d, "passcodeHash")
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Created {
    link_id: String,
    share_url: String,
    expires_at: i64,
}

/// `POST …/compat/seclink/api/v1/secrets`: store the client's ciphertext. The caller is
/// authenticated and counted before the body is read, up to that caller's limit.
async fn create(state: AppState, request: Request) -> Response {
    let peer = peer_of(&request);
    let (parts, body) = request.into_parts();
    let outcome = async {
        let account = admit_create(&state, peer, &parts.headers).await?;
        let parsed = read_create(&state, &parts.headers, body, account.is_some())
            .await?
            .ok_or_else(|| {
                error(
                    StatusCode::BAD_REQUEST,
                    "Missing fields: encryptedBlob, iv and expiryType are required",
                )
            })?;
        create_inner(&state, account, parsed, peer, &parts.headers).await
    }
    .await;
    match outcome {
        Ok(created) => Json(created).into_response(),
        Err(e) => e.into_response(),
    }
}

/// Wisp's own refusal (quota, disk floor) in the layer's shape.
fn from_app(e: crate::error::AppError) -> SlError {
    SlError {
        status: StatusCode::from_u16(e.code.http_status())
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        message: e.message,
        retry_after: e.retry_after,
    }
}

/// Creates from the parsed body, for a caller that passed [`admit_create`].
async fn create_inner(
    state: &AppState,
    account: Option<Token>,
    parsed: CreateRequest,
    peer: SocketAddr,
    headers: &HeaderMap,
) -> Result<Created, SlError> {
    let limits = &state.config.limits;
    let max_blob = max_blob(state, account.is_some());
    let (Some(Some(blob)), Some(Some(iv)), Some(Some(expiry_type))) =
        (parsed.encrypted_blob, parsed.iv, parsed.expiry_type)
    else {
        return Err(error(
            StatusCode::BAD_REQUEST,
            "Missing fields: encryptedBlob, iv and expiryType are required",
        ));
    };
    let passcode_hash = parsed.passcode_hash.flatten();
    // Opaque: stored and returned byte for byte. Not checked for base64, as the service's
    // own curl example sends "..." placeholders.
    if blob.is_empty() || iv.is_empty() {
        return Err(error(
            StatusCode::BAD_REQUEST,
            "Missing fields: encryptedBlob and iv must not be empty",
        ));
    }
    if blob.len() as u64 > max_blob {
        return Err(error(StatusCode::BAD_REQUEST, "Invalid payload: too large"));
    }
    let Some(requested) = ttl_of(&expiry_type) else {
        return Err(error(
            StatusCode::BAD_REQUEST,
            "Invalid payload: expiryType must be view_once, 1hour, 24hours or 7days",
        ));
    };
    let id = random_key(ALPHANUMERIC, ID_LEN);
    let passcode = match passcode_hash.filter(|h| !h.is_empty()) {
        Some(h) if h.len() <= MAX_HASH_LEN => Some(passcode_digest(state, &id, &h)),
        Some(_) => {
            return Err(error(
                StatusCode::BAD_REQUEST,
                "Invalid payload: passcodeHash is too long",
            ))
        }
        None => None,
    };
    let who = crate::routes::Caller::of(account.as_ref());
    let ttl = requested.clamp(limits.min_ttl, secrets::max_ttl(state, &who));
    let mut charge = crate::quota::Charge::start(state, &who, state.client_ip(peer, headers), None)
        .map_err(from_app)?;
    charge.add(blob.len() as u64).map_err(from_app)?;
    let mut writer = state
        .store
        .blob_writer()
        .await
        .map_err(|e| internal(e.into()))?;
    writer
        .write(blob.as_bytes())
        .await
        .map_err(|e| internal(e.into()))?;
    let stored = writer.commit().await.map_err(|e| internal(e.into()))?;
    let now = crate::now();
    let attrs = Attrs {
        expiry_type: expiry_type.clone(),
        passcode,
    };
    let record = NewSecret {
        id: id.clone(),
        // There is no sender key in this API: a random one nobody holds.
        metadata_hash: ids::sha256(&ids::random_id()),
        account: account.as_ref().map(|t| t.id),
        verifier: [0; 32],
        passphrase_verifier: None,
        header: iv.into_bytes(),
        size: blob.len() as u64,
        max_views: (expiry_type == "view_once").then_some(1),
        split: None,
        note: None,
        recipient_can_burn: false,
        webhook_url: None,
        notify_email: None,
        created_at: now,
        expires_at: now + ttl as i64,
        blob: stored.clone(),
        compat: Some(super::Attrs::Seclink(attrs).to_json()),
    };
    if let Err(e) = state.store.insert(record).await {
        let _ = state.store.delete_blob(&stored).await;
        return Err(internal(e.into()));
    }
    charge.keep();
    tracing::info!(secret = ids::log_id(&id), "secret created (seclink)");
    Ok(Created {
        share_url: format!("{}/{id}", state.public_base),
        link_id: id,
        expires_at: (now + ttl as i64) * 1000,
    })
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Retrieved {
    encrypted_blob: String,
    iv: String,
    expiry_type: String,
}

async fn find(state: &AppState, id: &str) -> Result<Option<(SecretRecord, Attrs)>, SlError> {
    if !valid_id(id) {
        return Ok(None);
    }
    let record = state.store.get(id).await.map_err(|e| internal(e.into()))?;
    Ok(record.and_then(|r| match super::Attrs::of(&r) {
        Some(super::Attrs::Seclink(attrs)) => Some((r, attrs)),
        _ => None,
    }))
}

/// The passcode hash a retrieval presents: `X-Passcode-Hash`, or `?passcodeHash=`.
fn presented_passcode(request: &Request) -> Option<String> {
    if let Some(v) = request
        .headers()
        .get("x-passcode-hash")
        .and_then(|v| v.to_str().ok())
    {
        return Some(v.trim().to_owned());
    }
    let query = request.uri().query()?;
    url::form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == "passcodeHash" || k == "passcode_hash")
        .map(|(_, v)| v.into_owned())
}

/// `GET /api/v1/secrets/:id`: the ciphertext; a `view_once` secret is deleted by this read.
async fn retrieve(state: AppState, id: String, request: Request) -> Response {
    match retrieve_inner(&state, &id, request).await {
        Ok(body) => {
            let mut response = Json(body).into_response();
            response
                .headers_mut()
                .insert("cache-control", HeaderValue::from_static("no-store"));
            response
        }
        Err(e) => e.into_response(),
    }
}

async fn retrieve_inner(
    state: &AppState,
    id: &str,
    request: Request,
) -> Result<Retrieved, SlError> {
    let account = caller(state, request.headers()).await?;
    hourly_gate(
        state,
        peer_of(&request),
        request.headers(),
        account.as_ref(),
    )?;
    let not_found = || {
        error(
            StatusCode::NOT_FOUND,
            "Secret does not exist or has already been viewed",
        )
    };
    let gone = || {
        error(
            StatusCode::GONE,
            "Secret was previously viewed and permanently destroyed",
        )
    };
    let (record, attrs) = find(state, id).await?.ok_or_else(not_found)?;
    let now = crate::now();
    if !record.available(now) {
        return Err(gone());
    }
    if let Some(expected) = &attrs.passcode {
        let Some(given) = presented_passcode(&request) else {
            return Err(error(StatusCode::UNAUTHORIZED, "Passcode required"));
        };
        let matches: bool = passcode_digest(state, &record.id, &given)
            .as_bytes()
            .ct_eq(expected.as_bytes())
            .into();
        if !matches {
            let client = state.client_ip(peer_of(&request), request.headers());
            if let Err(crate::gate::Denied::TooManyAttempts { .. }) =
                crate::gate::throttle(state, &record, client)
            {
                return Err(error(
                    StatusCode::TOO_MANY_REQUESTS,
                    "Too many passcode attempts",
                ));
            }
            match crate::gate::count_wrong(state, &record, wisp_api::BurnReason::WrongPassphrase)
                .await
            {
                Ok(_) => return Err(error(StatusCode::UNAUTHORIZED, "Wrong passcode")),
                Err(crate::gate::Denied::Unavailable) => return Err(gone()),
                Err(_) => return Err(internal(super::Internal)),
            }
        }
    }
    let view = secrets::view_entry(state, peer_of(&request), request.headers(), now);
    let blob = record.blob.clone().ok_or_else(gone)?;
    let mut file = state.store.open_blob(&blob, 0).await.map_err(|_| gone())?;
    let mut ciphertext = Vec::with_capacity(record.size as usize);
    file.read_to_end(&mut ciphertext)
        .await
        .map_err(|e| internal(e.into()))?;
    let claim = state
        .store
        .claim_view(
            &record.id,
            &record.verifier,
            record.passphrase_verifier.as_ref(),
            now,
            view,
            None,
        )
        .await
        .map_err(|e| internal(e.into()))?
        .ok_or_else(gone)?;
    state.publish(claim.record.metadata_hash);
    state.notifier.secret_event(&claim.record, now);
    if claim.record.views_left() == Some(0) {
        // view_once: gone from the disk now, not after the resume window.
        let _ = state.store.delete_blob(&claim.blob).await;
        tracing::info!(
            secret = ids::log_id(&record.id),
            "view-once secret retrieved and deleted"
        );
    }
    Ok(Retrieved {
        encrypted_blob: String::from_utf8(ciphertext).map_err(|e| internal(e.into()))?,
        iv: String::from_utf8(claim.record.header.clone()).map_err(|e| internal(e.into()))?,
        expiry_type: attrs.expiry_type,
    })
}

#[derive(Deserialize, Default)]
struct ReportRequest {
    reason: Option<String>,
}

/// `POST /api/v1/secrets/:id/report`: one report per reporter (a keyed hash of its address),
/// listed for the operator by `wisp-server reports`; only with a nonzero
/// `compat.seclink_report_threshold` do that many distinct reporters disable (burn) it.
async fn report(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request: Request,
) -> Response {
    let id = id.map_or_else(|_| String::new(), |Path(k)| k);
    let (parts, body) = request.into_parts();
    match report_inner(&state, &id, peer, &parts.headers, body).await {
        Ok(response) => response,
        Err(e) => e.into_response(),
    }
}

async fn report_inner(
    state: &AppState,
    id: &str,
    peer: SocketAddr,
    headers: &HeaderMap,
    body: axum::body::Body,
) -> Result<Response, SlError> {
    // JSON only: a web page can send a form or `text/plain` to any site without asking, but
    // not `application/json`, so no page can make its visitors report a secret.
    if !is_json(headers) {
        return Err(error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Content-Type must be application/json",
        ));
    }
    let account = caller(state, headers).await?;
    hourly_gate(state, peer, headers, account.as_ref())?;
    let body = read_body(headers, body, MAX_REPORT_BODY)
        .await
        .map_err(|_| too_large())?;
    let request: ReportRequest = if body.iter().all(u8::is_ascii_whitespace) {
        ReportRequest::default()
    } else {
        serde_json::from_slice(&body).map_err(|_| {
            error(
                StatusCode::BAD_REQUEST,
                "Invalid payload: not a JSON object",
            )
        })?
    };
    let (record, _) = find(state, id)
        .await?
        .ok_or_else(|| error(StatusCode::NOT_FOUND, "Secret does not exist"))?;
    // One reporter per network (an IPv6 /64 is one), so that a single subscriber cannot
    // reach the threshold alone by changing addresses.
    let reporter = ids::client_hint(
        state.client_key.as_ref(),
        ids::network(state.client_ip(peer, headers)),
    );
    let reason = request
        .reason
        .map(|r| r.chars().take(MAX_REASON_LEN).collect::<String>());
    let now = crate::now();
    let count = state
        .store
        .add_report(&record.id, &reporter, reason, now)
        .await
        .map_err(|e| internal(e.into()))?;
    tracing::info!(
        secret = ids::log_id(&record.id),
        reports = count,
        "abuse report"
    );
    // Reports flag the secret for the operator; burning on them is an opt-in threshold,
    // since anyone can report anything.
    let threshold = state.config.compat.seclink_report_threshold;
    if threshold > 0 && count >= threshold {
        match super::sealed::burn(state, &record.id, wisp_api::BurnReason::Reports).await {
            Ok(Some(_)) => {
                tracing::warn!(
                    secret = ids::log_id(&record.id),
                    "secret disabled after abuse reports"
                )
            }
            Ok(None) => {}
            Err(e) => return Err(internal(e)),
        }
    }
    Ok(Json(serde_json::json!({ "success": true, "message": "Report received" })).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A server failure cannot be provoked from outside a healthy server: check its shape.
    #[tokio::test]
    async fn internal_error_is_a_500_with_an_error_field() {
        let response = internal(Internal).into_response();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = axum::body::to_bytes(response.into_body(), 4096)
            .await
            .expect("body");
        let body: serde_json::Value = serde_json::from_slice(&body).expect("json");
        assert_eq!(body, serde_json::json!({"error": "Internal server error"}));
    }

    #[test]
    fn shared_paths_are_claimed_only_by_path_where_wisp_has_no_route() {
        assert!(owns("/compat/seclink/anything"));
        assert!(owns("/api/v1/secrets/A1b2C3d4E5f6/report"));
        assert!(!owns("/api/v1/secrets"));
        assert!(!owns("/api/v1/secrets/A1b2C3d4E5f6"));
        assert!(!owns("/api/v1/secrets/AAAAAAAAAAAAAAAAAAAAAA/reveal"));
    }
}
