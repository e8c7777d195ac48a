//! The recipient's reveal page (built from `reveal/` by Vite, embedded at compile time) and
//! the OpenAPI document, each with its own strict Content-Security-Policy.

use axum::extract::Path;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use rust_embed::RustEmbed;

use crate::state::AppState;

#[derive(RustEmbed)]
#[folder = "reveal/dist/"]
struct Page;

/// The page may run its own scripts and WebAssembly (Argon2id), talk to this origin only,
/// and nothing else: no inline code, no third parties, no framing.
const PAGE_CSP: &str =
    "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
    img-src 'self' data:; connect-src 'self'; worker-src 'self'; manifest-src 'self'; \
    base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/s/{id}", get(page))
        .route("/s/{id}/", get(page))
        .route("/assets/{*path}", get(asset))
        .route(
            "/healthz",
            get(|| async { axum::Json(serde_json::json!({"status": "ok"})) }),
        )
        .route("/readyz", get(readyz))
        .route("/{file}", get(top_level))
        .method_not_allowed_fallback(|| async {
            crate::error::AppError::new(
                wisp_api::ErrorCode::MethodNotAllowed,
                "This address does not accept that method.",
                "Pages and assets are read with GET.",
            )
        })
}

fn embedded(path: &str, cache: &'static str) -> Response {
    match Page::get(path) {
        Some(file) => {
            let mime = mime_guess::from_path(path).first_or_octet_stream();
            let mut response = (StatusCode::OK, file.data.into_owned()).into_response();
            let h = response.headers_mut();
            if let Ok(v) = HeaderValue::from_str(mime.as_ref()) {
                h.insert(header::CONTENT_TYPE, v);
            }
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
            h.insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(PAGE_CSP),
            );
            response
        }
        None => crate::error::AppError::new(
            wisp_api::ErrorCode::NotFound,
            "There is nothing here.",
            "Check the address.",
        )
        .into_response(),
    }
}

async fn page(Path(_id): Path<String>) -> Response {
    embedded("index.html", "no-store")
}

async fn asset(Path(path): Path<String>) -> Response {
    // Vite names assets by content hash, so they never change.
    embedded(
        &format!("assets/{path}"),
        "public, max-age=31536000, immutable",
    )
}

/// Readiness for load balancers: the process is alive (`/healthz`) *and* its records and
/// payloads can be reached. Otherwise 503 `unavailable` with `Retry-After`, so a balancer
/// sends traffic elsewhere until the storage is back.
async fn readyz(
    axum::extract::State(state): axum::extract::State<AppState>,
) -> Result<axum::Json<serde_json::Value>, crate::error::AppError> {
    match state.store.ping().await {
        Ok(()) => Ok(axum::Json(serde_json::json!({"status": "ok"}))),
        Err(e) => {
            tracing::warn!(error = %e, "storage unreachable: not ready");
            let mut err = crate::error::AppError::new(
                wisp_api::ErrorCode::Unavailable,
                "The server cannot reach its storage.",
                "Try again in a few seconds.",
            );
            err.retry_after = Some(5);
            Err(err)
        }
    }
}

async fn top_level(
    axum::extract::State(state): axum::extract::State<AppState>,
    Path(file): Path<String>,
) -> Response {
    // Seecret.it's link shape, `/_ID#KEY`: the browser keeps the fragment across the redirect.
    if let Some(id) = file.strip_prefix('_') {
        if state.config.compat.seecret && crate::ids::is_id(id) {
            return axum::response::Redirect::to(&format!("/s/{id}")).into_response();
        }
    }
    if file == "index.html" || file.contains("..") {
        return embedded("", "no-store");
    }
    embedded(&file, "no-cache")
}

pub(crate) async fn openapi() -> Response {
    let mut response = include_str!("../openapi.json").into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}
