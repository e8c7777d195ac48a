//! The seed services' APIs, spoken by a Wisp server so that a script written for one of them
//! works against a self-hosted Wisp by changing only its base URL. One module per service,
//! each owning its paths, parameter parsing, auth scheme, reply and error shapes; all of them
//! store through the one [`wisp_store::Store`], so a secret created through any layer has the
//! same expiry, atomic view counting, burning, receipts, push events and webhooks as a native
//! one. `docs/compat.md` records, per service, every endpoint and parameter and how it maps.
//!
//! Layers whose API takes plaintext seal it at once into an ordinary Wisp payload under a
//! key that only the caller gets back ([`sealed`]); nothing readable is ever written.

pub(crate) mod burn;
pub(crate) mod form;
pub(crate) mod onetime;
pub(crate) mod scalar;
pub(crate) mod sealed;
pub(crate) mod seclink;
pub(crate) mod seecret;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method};
use axum::response::{IntoResponse as _, Redirect, Response};
use axum::routing::get;
use axum::Router;
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use rand::Rng as _;
use serde::{Deserialize, Serialize};
use wisp_store::{SecretRecord, Token};
use zeroize::Zeroizing;

use crate::config::Compat;
use crate::state::{AppState, RateDecision};
use crate::RequestId;

/// The routes of every enabled layer, to merge into the server's router (paths are absolute,
/// except Onetime Secret's, which live next to Wisp's own under `/api/v1`: see [`api_v1`]).
pub fn routes(config: &Compat) -> Router<AppState> {
    let mut router = Router::new();
    if config.burn_the_secret {
        router = router.merge(burn::routes());
    }
    if config.seclink {
        router = router.merge(seclink::routes());
    }
    if config.seecret {
        router = router.merge(seecret::routes());
    }
    if config.onetime || config.burn_the_secret {
        let services: Vec<&'static str> = [
            (config.onetime, onetime::SERVICE),
            (config.burn_the_secret, burn::SERVICE),
        ]
        .into_iter()
        .filter_map(|(on, s)| on.then_some(s))
        .collect();
        router = router.route(
            "/secret/{key}",
            get(move |state: State<AppState>, key: Result<Path<String>, axum::extract::rejection::PathRejection>| {
                secret_page(state, key, services.clone())
            }),
        );
    }
    router
}

/// The layers' routes under `/api/v1` (merged into Wisp's own `/api/v1` router).
pub fn api_v1(config: &Compat) -> Router<AppState> {
    let mut router = Router::new();
    if config.onetime {
        router = router.merge(onetime::routes());
    }
    if config.seclink {
        router = router.merge(seclink::api_v1());
    }
    router
}

/// `GET /secret/KEY`, the recipient's link of Onetime Secret and Burn the Secret alike: a
/// redirect to the reveal page with the key in the fragment. It reveals nothing and spends
/// nothing; the page reveals on a click, asking for the passphrase if there is one.
async fn secret_page(
    State(state): State<AppState>,
    key: Result<Path<String>, axum::extract::rejection::PathRejection>,
    services: Vec<&'static str>,
) -> Response {
    let key = key.map_or_else(|_| String::new(), |Path(k)| k);
    let valid = (1..=64).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_alphanumeric());
    if !valid || services.is_empty() {
        return crate::error::AppError::new(
            wisp_api::ErrorCode::NotFound,
            "There is nothing here.",
            "Check the link.",
        )
        .into_response();
    }
    // The same key string derives a different id per layer: use the layer that has it.
    let mut chosen = sealed::derive(services[0], &key);
    for service in &services {
        let derived = sealed::derive(service, &key);
        if matches!(state.store.get(&derived.id).await, Ok(Some(_))) {
            chosen = derived;
            break;
        }
    }
    let url = chosen.page_url("");
    Redirect::to(url.as_str()).into_response()
}

/// Which layer a request path belongs to, so that the server-wide pieces (fallback, rate
/// limiter) answer in that service's shape rather than Wisp's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Service {
    /// Onetime Secret v1.
    Onetime,
    /// Burn the Secret.
    BurnTheSecret,
    /// SecLink.
    Seclink,
    /// Seecret.it.
    Seecret,
}

impl Service {
    /// The layer a request belongs to, if that layer is enabled.
    pub fn of(path: &str, config: &Compat) -> Option<Service> {
        if config.seclink && seclink::owns(path) {
            return Some(Service::Seclink);
        }
        if config.onetime && onetime::owns(path) {
            return Some(Service::Onetime);
        }
        if config.burn_the_secret && burn::owns(path) {
            return Some(Service::BurnTheSecret);
        }
        if config.seecret && seecret::owns(path) {
            return Some(Service::Seecret);
        }
        None
    }

    /// The answer for a path of this service that has no route.
    pub fn not_found(self, _method: &Method, request_id: Option<&RequestId>) -> Response {
        match self {
            Service::Onetime => onetime::not_found(),
            Service::BurnTheSecret => burn::not_found(request_id),
            Service::Seclink => seclink::not_found(),
            Service::Seecret => seecret::not_found(),
        }
    }

    /// The answer when the caller is over its request limit.
    pub fn rate_limited(self, decision: &RateDecision, request_id: Option<&RequestId>) -> Response {
        match self {
            Service::Onetime => onetime::rate_limited(decision),
            Service::BurnTheSecret => burn::rate_limited(decision, request_id),
            Service::Seclink => seclink::rate_limited(decision),
            Service::Seecret => seecret::rate_limited(decision),
        }
    }

    /// Whether `X-RateLimit-Reset` is a Unix time (Burn the Secret) rather than Wisp's
    /// seconds-until-reset.
    pub fn reset_is_unix_time(self) -> bool {
        matches!(self, Service::BurnTheSecret)
    }
}

/// What a layer keeps next to a secret (the store's `compat` column), tagged by service.
/// Never a key or plaintext: at most a secret key sealed for the metadata key's holder.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "service", rename_all = "snake_case")]
pub(crate) enum Attrs {
    /// Created through the Onetime Secret API.
    Onetime(onetime::Attrs),
    /// Created through the Burn the Secret API.
    BurnTheSecret(burn::Attrs),
    /// Created through the SecLink API.
    Seclink(seclink::Attrs),
    /// Created through the Seecret.it API.
    Seecret(seecret::Attrs),
}

impl Attrs {
    pub(crate) fn of(record: &SecretRecord) -> Option<Attrs> {
        serde_json::from_str(record.compat.as_deref()?).ok()
    }

    pub(crate) fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// A random key of `len` characters from `alphabet` (uniform, from the OS CSPRNG).
pub(crate) fn random_key(alphabet: &[u8], len: usize) -> String {
    let mut rng = rand::rngs::OsRng;
    (0..len)
        .map(|_| alphabet[rng.gen_range(0..alphabet.len())] as char)
        .collect()
}

/// Lower-case letters and digits (Onetime Secret's key alphabet).
pub(crate) const BASE36: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";

/// The API token of an `Authorization: Basic` header: `(user, token)`.
pub(crate) fn basic(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get("authorization")?.to_str().ok()?;
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
    let (user, token) = decoded.split_once(':')?;
    Some((user.to_owned(), token.to_owned()))
}

/// The token a request authenticates with, whichever scheme carries it (for rate buckets).
pub fn credential(headers: &HeaderMap) -> Option<String> {
    crate::routes::bearer(headers)
        .map(str::to_owned)
        .or_else(|| basic(headers).map(|(_, token)| token))
}

/// The live API token whose value is `token`.
pub(crate) async fn find_token(state: &AppState, token: &str) -> Result<Option<Token>, Internal> {
    Ok(state.find_token(token).await?)
}

/// A failure inside the server, already logged; each layer answers it in its own shape.
#[derive(Debug)]
pub(crate) struct Internal;

impl<E: std::fmt::Display> From<E> for Internal {
    fn from(err: E) -> Self {
        tracing::error!(error = %err, "compatibility layer failed");
        Internal
    }
}

/// Why a request body was not read.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum BodyError {
    /// Longer than the caller may send (told by `Content-Length`, or seen while reading).
    TooLarge,
    /// The connection failed while reading.
    Failed,
}

/// Reads a request body of at most `cap` bytes into a buffer that is wiped when dropped
/// (and whenever it grows). A `Content-Length` over `cap` is refused before anything is
/// read, so a caller cannot make the server take in more than its own limit. The network
/// buffers the chunks arrive in are the HTTP stack's and are freed without wiping.
pub(crate) async fn read_body(
    headers: &HeaderMap,
    body: axum::body::Body,
    cap: usize,
) -> Result<Zeroizing<Vec<u8>>, BodyError> {
    use futures_util::StreamExt as _;
    let declared = crate::routes::secrets::declared_length(headers);
    if declared.is_some_and(|n| n > cap as u64) {
        return Err(BodyError::TooLarge);
    }
    // Reserve little up front: a declared length is a claim, not bytes, and a wiped buffer
    // is written over in full when dropped. It grows (wiped) as data really arrives.
    let mut buf = Zeroizing::new(Vec::with_capacity(
        declared
            .map_or(8 * 1024, |n| n as usize)
            .min(cap)
            .min(64 * 1024),
    ));
    let mut stream = body.into_data_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|_| BodyError::Failed)?;
        if buf.len() + chunk.len() > cap {
            return Err(BodyError::TooLarge);
        }
        push_wiped(&mut buf, &chunk);
    }
    Ok(buf)
}

/// Appends to a wiped buffer without leaving an unwiped copy behind when it grows.
pub(crate) fn push_wiped(buf: &mut Zeroizing<Vec<u8>>, data: &[u8]) {
    if buf.capacity() - buf.len() < data.len() {
        let wanted = (buf.len() + data.len()).max(buf.capacity() * 2);
        let mut bigger = Zeroizing::new(Vec::with_capacity(wanted));
        bigger.extend_from_slice(buf);
        *buf = bigger;
    }
    buf.extend_from_slice(data);
}

/// Text that is a secret or a key, wiped when dropped, serialized as a plain JSON string.
/// (The serialized reply itself is the HTTP stack's buffer and is freed without wiping.)
#[derive(Clone)]
pub(crate) struct Wiped(pub(crate) Zeroizing<String>);

impl Wiped {
    pub(crate) fn new(text: impl Into<String>) -> Self {
        Wiped(Zeroizing::new(text.into()))
    }

    pub(crate) fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

impl From<Zeroizing<String>> for Wiped {
    fn from(text: Zeroizing<String>) -> Self {
        Wiped(text)
    }
}

impl std::fmt::Debug for Wiped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

impl Serialize for Wiped {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.0.as_str())
    }
}
