//! Wisp's server as a library: build the router over a store, or serve on a listener
//! (tests bind port 0 and drive it with `wisp-client`). The binary in `main.rs` adds the
//! command line, logging and signals.
#![forbid(unsafe_code)]

pub mod compat;
pub mod config;
pub mod error;
mod gate;
pub mod geo;
pub mod ids;
mod net;
pub mod notify;
pub mod push;
pub mod quota;
pub mod routes;
pub mod slots;
pub mod state;
mod sweeper;
mod web;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;
use rand::RngCore;
use tokio::net::TcpListener;
use wisp_api::ErrorCode;
use wisp_store::sqlite::SqliteStore;
use wisp_store::Store;

use crate::config::Config;
use crate::error::{AppError, ErrorMarker};
use crate::notify::Notifier;
use crate::state::{AppState, RateLimiter};

/// Unix seconds now.
pub fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// Reads a 32-byte key from `path`, creating it (mode 0600) on first start.
fn persistent_key(path: &std::path::Path) -> anyhow::Result<[u8; 32]> {
    if let Ok(bytes) = std::fs::read(path) {
        if let Ok(key) = <[u8; 32]>::try_from(bytes.as_slice()) {
            return Ok(key);
        }
    }
    let mut key = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut key);
    // Created 0600 from the start: never readable by others, not even briefly.
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    use std::io::Write as _;
    options
        .open(path)
        .and_then(|mut f| f.write_all(&key).and_then(|()| f.sync_all()))
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(key)
}

/// Opens the embedded store in the configured data directory.
pub fn open_store(config: &Config) -> anyhow::Result<Arc<dyn Store>> {
    Ok(Arc::new(open_sqlite(config)?))
}

fn open_sqlite(config: &Config) -> anyhow::Result<SqliteStore> {
    SqliteStore::open(&config.data_dir).with_context(|| {
        format!(
            "cannot open the data directory {}",
            config.data_dir.display()
        )
    })
}

/// Builds the shared state for a server reachable at `local`.
pub fn build_state(
    config: Config,
    store: Arc<dyn Store>,
    local: SocketAddr,
) -> anyhow::Result<AppState> {
    config.validate()?;
    std::fs::create_dir_all(&config.data_dir)?;
    let client_key = persistent_key(&config.data_dir.join("client-hint.key"))?;
    let webhook_secret = match &config.webhook_secret {
        Some(s) => s.as_bytes().to_vec(),
        None => persistent_key(&config.data_dir.join("webhook.key"))?.to_vec(),
    };
    let country_db = match &config.country_db {
        Some(path) => Some(Arc::new(
            geo::CountryDb::open(path).map_err(anyhow::Error::msg)?,
        )),
        None => None,
    };
    Ok(AppState {
        public_base: config.public_base(local).into(),
        store,
        push: Arc::default(),
        limiter: Arc::new(RateLimiter::default()),
        hourly_limiter: Arc::new(RateLimiter::default()),
        kdf_slots: Arc::new(tokio::sync::Semaphore::new(
            std::thread::available_parallelism().map_or(1, |n| n.get()),
        )),
        kdf_limiter: Arc::new(RateLimiter::default()),
        attempt_limiter: Arc::new(RateLimiter::default()),
        country_db,
        subscriptions: slots::Slots::new(config.connections.max_subscriptions),
        tokens: Arc::default(),
        quota: Arc::default(),
        client_key: Arc::new(client_key),
        notifier: Notifier::new(
            webhook_secret,
            Duration::from_secs(1),
            config
                .smtp_url
                .as_deref()
                .map(|url| (url, config.mail_from.as_str())),
            config.webhooks_allow_private,
        )
        .map_err(anyhow::Error::msg)?
        .with_mail_caps(
            config.limits.mail_per_recipient_per_hour,
            config.limits.mail_per_account_per_hour,
        ),
        config: Arc::new(config),
    })
}

/// The whole HTTP surface.
pub fn router(state: AppState) -> Router {
    let compat = &state.config.compat;
    let fallback_compat = compat.clone();
    Router::new()
        .nest("/api/v1", routes::api().merge(compat::api_v1(compat)))
        .merge(compat::routes(compat))
        .merge(web::routes())
        .fallback(
            move |method: axum::http::Method,
                  uri: axum::http::Uri,
                  request_id: Option<axum::Extension<RequestId>>| {
                let service = compat::Service::of(uri.path(), &fallback_compat);
                async move {
                    match service {
                        Some(service) => {
                            service.not_found(&method, request_id.as_ref().map(|r| &r.0))
                        }
                        None => AppError::new(
                            ErrorCode::NotFound,
                            "There is nothing here.",
                            "See /api/v1/openapi.json.",
                        )
                        .into_response(),
                    }
                }
            },
        )
        // Innermost first: a panic becomes an error response that still passes through
        // the rate-limit and request-id layers (headers, request id in the body).
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(|_| {
            AppError::internal("handler panicked").into_response()
        }))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            net::body_rate,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            rate_limit,
        ))
        .layer(axum::middleware::from_fn(request_id))
        .with_state(state)
}

/// Serves on `listener` until `shutdown` resolves; runs the expiry sweeper meanwhile.
pub async fn serve(
    listener: TcpListener,
    config: Config,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let local = listener.local_addr()?;
    std::fs::create_dir_all(&config.data_dir).with_context(|| {
        format!(
            "cannot create the data directory {}",
            config.data_dir.display()
        )
    })?;
    // One server per data directory: it alone may clear the uploads a crash left behind
    // (`wisp-server token create` beside it opens the store too, and must not).
    let _lock = serve_lock(&config.data_dir)?;
    let store = open_sqlite(&config)?;
    store.remove_abandoned_uploads();
    let cap = net::connection_cap(&config);
    let state = build_state(config, Arc::new(store), local)?;
    let sweeper = tokio::spawn(sweeper::run(state.clone()));
    tracing::info!(%local, connections = cap, "wisp-server listening");
    let config = state.config.clone();
    net::accept_loop(listener, router(state), &config, cap, shutdown).await;
    sweeper.abort();
    Ok(())
}

/// Holds an exclusive lock on `data_dir/serve.lock` for as long as the returned file lives.
#[cfg(unix)]
fn serve_lock(data_dir: &std::path::Path) -> anyhow::Result<std::fs::File> {
    let path = data_dir.join("serve.lock");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("cannot open {}", path.display()))?;
    rustix::fs::flock(&file, rustix::fs::FlockOperation::NonBlockingLockExclusive).map_err(
        |_| {
            anyhow::anyhow!(
                "another wisp-server is already serving {}; run one server per data directory",
                data_dir.display()
            )
        },
    )?;
    Ok(file)
}

#[cfg(not(unix))]
fn serve_lock(data_dir: &std::path::Path) -> anyhow::Result<std::fs::File> {
    let path = data_dir.join("serve.lock");
    Ok(std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)?)
}

/// Adds `X-Request-Id` and the security headers to every response, and the request id to
/// every error body.
async fn request_id(mut request: Request, next: Next) -> Response {
    let id = format!("req_{}", &ids::random_id()[..16]);
    request.extensions_mut().insert(RequestId(id.clone()));
    let path_is_page = request.uri().path().starts_with("/s/");
    let path_is_asset = request.uri().path().starts_with("/assets/");
    let mut response = next.run(request).await;
    if response.extensions().get::<ErrorMarker>().is_some() {
        response = with_request_id(response, &id).await;
    }
    let headers = response.headers_mut();
    let set = |headers: &mut axum::http::HeaderMap, name: &'static str, value: &str| {
        if let Ok(v) = HeaderValue::from_str(value) {
            headers.insert(HeaderName::from_static(name), v);
        }
    };
    set(headers, "x-request-id", &id);
    if !path_is_asset {
        // Everything is private; only content-hashed page assets may be cached.
        set(headers, "cache-control", "no-store");
    }
    set(headers, "referrer-policy", "no-referrer");
    set(headers, "x-content-type-options", "nosniff");
    set(headers, "x-frame-options", "DENY");
    if !path_is_page && !headers.contains_key("content-security-policy") {
        set(
            headers,
            "content-security-policy",
            "default-src 'none'; frame-ancestors 'none'",
        );
    }
    response
}

/// The request id of the current request, for handlers that log.
#[derive(Clone, Debug)]
pub struct RequestId(pub String);

async fn with_request_id(response: Response, id: &str) -> Response {
    let (parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return Response::from_parts(parts, axum::body::Body::empty());
    };
    let body = match serde_json::from_slice::<wisp_api::ApiError>(&bytes) {
        Ok(mut err) => {
            err.request_id = id.to_owned();
            serde_json::to_vec(&err).unwrap_or_else(|_| bytes.to_vec())
        }
        Err(_) => bytes.to_vec(),
    };
    let mut parts = parts;
    parts.headers.remove("content-length");
    Response::from_parts(parts, axum::body::Body::from(body))
}

/// Per-token or per-IP request limits on the API, with `X-RateLimit-*` headers.
async fn rate_limit(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let service = compat::Service::of(request.uri().path(), &state.config.compat);
    let path = request.uri().path();
    // The API, every layer's paths, and the layers' key-in-path pages (`/secret/KEY`,
    // `/receipt/KEY`), which look records up by a key an attacker might guess at.
    let limited = path.starts_with("/api/")
        || path.starts_with("/secret/")
        || path.starts_with("/receipt/")
        || service.is_some();
    if !limited {
        return next.run(request).await;
    }
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0)
        .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 0)));
    let ip_key = format!(
        "ip:{}",
        ids::network(state.client_ip(peer, request.headers()))
    );
    let anonymous = state.config.limits.anonymous_requests_per_minute;
    let minute = now().max(0) as u64;
    // Only a valid token earns its own (larger) bucket; anything else counts against the
    // address, so random bearer values cannot mint fresh buckets. A token not found in the
    // last few seconds costs a database query: that query is paid for from the address's
    // bucket first, so bearer values cannot make the server query without limit either.
    let token_bucket = |id: i64| {
        state.limiter.check(
            &format!("t:{id}"),
            state.config.limits.requests_per_minute,
            minute,
        )
    };
    let decision = match compat::credential(request.headers()) {
        Some(t) if state.tokens.knows(&ids::sha256(&t)) => {
            match state.find_token(&t).await.ok().flatten() {
                Some(found) => token_bucket(found.id),
                None => state.limiter.check(&ip_key, anonymous, minute),
            }
        }
        Some(t) => {
            // Paid from the address's bucket; once that is spent, from a second one as
            // large as a token's, so a token holder behind a busy address still gets in.
            let paid = state.limiter.check(&ip_key, anonymous, minute);
            let may_look = paid.allowed
                || state
                    .limiter
                    .check(
                        &format!("lookup:{ip_key}"),
                        state.config.limits.requests_per_minute,
                        minute,
                    )
                    .allowed;
            match may_look {
                true => match state.find_token(&t).await.ok().flatten() {
                    Some(found) => token_bucket(found.id),
                    None => paid,
                },
                false => paid,
            }
        }
        None => state.limiter.check(&ip_key, anonymous, minute),
    };
    let request_id = request.extensions().get::<RequestId>().cloned();
    let mut response = if decision.allowed {
        next.run(request).await
    } else if let Some(service) = service {
        service.rate_limited(&decision, request_id.as_ref())
    } else {
        let mut err = AppError::new(
            ErrorCode::RateLimited,
            "Too many requests.",
            format!("Wait {} seconds before trying again.", decision.reset),
        );
        err.retry_after = Some(decision.reset);
        err.into_response()
    };
    let reset = match service {
        Some(s) if s.reset_is_unix_time() => now() + decision.reset as i64,
        _ => decision.reset as i64,
    };
    let headers = response.headers_mut();
    for (name, value) in [
        ("x-ratelimit-limit", decision.limit.to_string()),
        ("x-ratelimit-remaining", decision.remaining.to_string()),
        ("x-ratelimit-reset", reset.to_string()),
    ] {
        if let Ok(v) = HeaderValue::from_str(&value) {
            headers.insert(HeaderName::from_static(name), v);
        }
    }
    response
}
