//! Onetime Secret's REST API v1 (`/api/v1/status`, `share`, `generate`, `secret/KEY`,
//! `private/KEY`, `private/KEY/burn`, `private/recent`), next to Wisp's own `/api/v1` routes
//! (no path overlaps). Parameters are form fields (query string or body) or a JSON object
//! body, as the live service takes them; authentication is HTTP Basic `USERNAME:APITOKEN`
//! with a Wisp API token (the username is the token's name), or none where the service
//! allows anonymous use. Replies carry the documented attribute names with numbers as JSON
//! integers, as the live service sends them (its v1 `coerce_v1_types`); every error is the
//! service's `404 {"message": …}`.
//!
//! The secret key the caller gets is the only way to the content (see [`super::sealed`]);
//! the metadata key is stored as a hash. For an account, the metadata key is an HMAC of the
//! account's API token, so `private/recent` can list it back without the server keeping it.

use std::net::SocketAddr;

use axum::extract::rejection::PathRejection;
use axum::extract::{ConnectInfo, Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use hmac::{Hmac, Mac};
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use wisp_api::ReceiptState;
use wisp_store::{NewSecret, SecretRecord, Token};
use zeroize::Zeroizing;

use super::form::{self, Form, FormError};
use super::sealed::{self, RevealError};
use super::{find_token, random_key, Internal, Wiped, BASE36};
use crate::ids;
use crate::routes::effective_state;
use crate::state::{AppState, RateDecision};

/// Tag separating this layer's key derivations from the others'.
pub(crate) const SERVICE: &str = "onetime";
/// Length of secret and metadata keys (31 base-36 characters: about 160 bits).
const KEY_LEN: usize = 31;
/// TTL when none is given: 7 days, as the service does.
const DEFAULT_TTL: u64 = 7 * 86_400;
/// Shortest TTL: the service's v1 floor (`V1_MIN_TTL`, 60 s); a smaller, zero, negative or
/// unparsable `ttl` is raised to it (or to `limits.min_ttl` if that is higher).
const MIN_TTL: u64 = 60;
/// Longest secret accepted (the service enforces 1k–10k by plan; see docs/compat.md).
const MAX_SECRET_BYTES: usize = 1024 * 1024;
/// Length of a generated value when `length` is not given (the service's default).
const GENERATED_LEN: usize = 12;
/// Longest generated value (the service's `password_generation.maximum_length` default).
const MAX_GENERATED_LEN: i64 = 128;
/// Most parameters in one request (the service's operations take at most six).
const MAX_FIELDS: usize = form::MAX_FIELDS;
/// Characters of a generated value (no look-alikes such as 0/O or 1/l).
const GENERATED_ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789!?#%&*";
/// Most entries in `private/recent`.
const RECENT_LIMIT: usize = 100;
/// Page size, and most of the account's secrets (of every kind) looked at, for `recent`.
const RECENT_PAGE: u32 = 200;
const RECENT_SCAN: usize = 10_000;

/// This layer's routes under `/api/v1`.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/status", get(status))
        .route("/share", post(share))
        .route("/create", post(share))
        .route("/generate", post(generate))
        .route("/secret/{key}", post(show_secret))
        .route("/private/recent", get(recent))
        .route("/metadata/recent", get(recent))
        .route("/private/{key}", get(show_metadata).post(show_metadata))
        .route("/metadata/{key}", get(show_metadata).post(show_metadata))
        .route("/private/{key}/burn", post(burn))
        .method_not_allowed_fallback(|| async { not_found() })
}

/// Whether `path` is one of this layer's API paths.
pub(crate) fn owns(path: &str) -> bool {
    let Some(rest) = path.strip_prefix("/api/v1/") else {
        return false;
    };
    let first = rest.split('/').next().unwrap_or("");
    matches!(
        first,
        "status" | "share" | "create" | "generate" | "secret" | "private" | "metadata"
    )
}

/// What this layer keeps next to a secret.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Attrs {
    /// The creator's username (`anon` for anonymous requests).
    custid: String,
    /// The TTL that was asked for, in seconds.
    ttl: u64,
    /// Obfuscated recipient addresses.
    recipient: Vec<String>,
    /// The `share_domain` given at creation (`""` if none).
    share_domain: String,
    /// The secret key, sealed for the metadata key's holder.
    sealed_key: String,
    /// For account secrets: the nonce the metadata key is derived from with the API token.
    metadata_nonce: Option<String>,
}

/// The error every failure becomes: `404 {"message": …}` (plus fields such as `secret_key`).
#[derive(Debug)]
pub(crate) struct OtsError {
    message: &'static str,
    secret_key: Option<Wiped>,
    retry_after: Option<u64>,
}

impl OtsError {
    fn new(message: &'static str) -> Self {
        OtsError {
            message,
            secret_key: None,
            retry_after: None,
        }
    }

    fn unknown_secret(key: &str) -> Self {
        OtsError {
            message: "Unknown secret",
            secret_key: Some(Wiped::new(key)),
            retry_after: None,
        }
    }

    fn rate_limited(decision: &RateDecision) -> Self {
        OtsError {
            retry_after: Some(decision.reset),
            ..OtsError::new("Cripes! You have been rate limited.")
        }
    }

    fn not_authorized() -> Self {
        OtsError::new("Not authorized")
    }
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    secret_key: Option<&'a str>,
}

impl IntoResponse for OtsError {
    fn into_response(self) -> Response {
        let mut response = (
            StatusCode::NOT_FOUND,
            Json(ErrorBody {
                message: self.message,
                secret_key: self.secret_key.as_ref().map(Wiped::as_str),
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

impl From<Internal> for OtsError {
    fn from(_: Internal) -> Self {
        OtsError::new("An unexpected error occurred :[")
    }
}

impl From<sealed::SealError> for OtsError {
    fn from(err: sealed::SealError) -> Self {
        match err {
            sealed::SealError::Refused(e) => {
                let mut error = OtsError::new(match e.code {
                    wisp_api::ErrorCode::QuotaExceeded => {
                        "You have stored as much as this server allows for now"
                    }
                    _ => "The server is out of storage space",
                });
                error.retry_after = e.retry_after;
                error
            }
            sealed::SealError::Internal => Internal.into(),
        }
    }
}

impl From<wisp_store::StoreError> for OtsError {
    fn from(err: wisp_store::StoreError) -> Self {
        Internal::from(err).into()
    }
}

impl From<FormError> for OtsError {
    fn from(err: FormError) -> Self {
        match err {
            FormError::TooLarge => OtsError::new("Secret is too long"),
            FormError::Malformed => OtsError::new("The request could not be read"),
        }
    }
}

type OtsResult<T> = Result<T, OtsError>;

/// A JSON request body (`Content-Type: application/json`), which the live service takes
/// with the same names as the form fields (`Rack::JSONBodyParser`). Each value is a string,
/// a number or a boolean, read as the text Ruby's `to_s` gives it; `null` is as if absent;
/// `recipient` may also be a list, of which the first address counts (the service e-mails
/// only the first). Other names are skipped unread; any other shape is refused.
#[derive(Default, Deserialize)]
#[serde(default)]
struct JsonParams {
    secret: Option<Param>,
    passphrase: Option<Param>,
    ttl: Option<Param>,
    recipient: Option<Recipient>,
    share_domain: Option<Param>,
    length: Option<Param>,
}

impl JsonParams {
    /// Adds the given parameters to `form` (after the query string's: the body wins).
    fn push_into(self, form: &mut Form) -> Result<(), FormError> {
        let JsonParams {
            secret,
            passphrase,
            ttl,
            recipient,
            share_domain,
            length,
        } = self;
        let fields = [
            ("secret", secret),
            ("passphrase", passphrase),
            ("ttl", ttl),
            ("recipient", recipient.and_then(|r| r.0)),
            ("share_domain", share_domain),
            ("length", length),
        ];
        for (name, value) in fields {
            if let Some(Param(value)) = value {
                form.push(name, value)?;
            }
        }
        Ok(())
    }
}

/// One scalar JSON value as text, wiped when dropped.
struct Param(Zeroizing<String>);

impl<'de> Deserialize<'de> for Param {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ParamVisitor)
    }
}

struct ParamVisitor;

impl<'de> Visitor<'de> for ParamVisitor {
    type Value = Param;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a string, a number or a boolean")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Param, E> {
        Ok(Param(Zeroizing::new(v.to_owned())))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Param, E> {
        Ok(Param(Zeroizing::new(v)))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Param, E> {
        Ok(Param(Zeroizing::new(v.to_string())))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Param, E> {
        Ok(Param(Zeroizing::new(v.to_string())))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Param, E> {
        Ok(Param(Zeroizing::new(v.to_string())))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Param, E> {
        Ok(Param(Zeroizing::new(v.to_string())))
    }
}

/// `recipient`: one address, or a list whose first non-empty address counts.
struct Recipient(Option<Param>);

impl<'de> Deserialize<'de> for Recipient {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct RecipientVisitor;

        impl<'de> Visitor<'de> for RecipientVisitor {
            type Value = Recipient;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an address or a list of addresses")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Recipient, E> {
                ParamVisitor.visit_str(v).map(|p| Recipient(Some(p)))
            }

            fn visit_string<E: de::Error>(self, v: String) -> Result<Recipient, E> {
                ParamVisitor.visit_string(v).map(|p| Recipient(Some(p)))
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Recipient, A::Error> {
                let mut first = None;
                while let Some(item) = seq.next_element::<Option<Param>>()? {
                    if first.is_none() {
                        first = item.filter(|p| !p.0.trim().is_empty());
                    }
                }
                Ok(Recipient(first))
            }
        }

        deserializer.deserialize_any(RecipientVisitor)
    }
}

/// The request's parameters: the query string, and the body as form fields or, with
/// `Content-Type: application/json`, as a JSON object. Either way at most [`MAX_FIELDS`]
/// fields and [`form::MAX_FORM_BYTES`] of body (a larger declared body is refused unread).
async fn read_params(request: Request) -> Result<Form, FormError> {
    if !form::is_json(request.headers()) {
        return Form::read_up_to(request, MAX_FIELDS).await;
    }
    let (mut form, params) = Form::read_json::<JsonParams>(request, MAX_FIELDS).await?;
    params.push_into(&mut form)?;
    Ok(form)
}

/// A number parameter as the service reads it, with Ruby's `String#to_i`: leading
/// whitespace, an optional sign, then the digits that follow (single `_` between digits
/// allowed); no digits is 0, and `"3600.5"` is 3600. Saturates where Ruby would grow a
/// Bignum (the callers clamp anyway).
fn ruby_to_i(text: &str) -> i64 {
    let text = text.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '\x0b');
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let mut n: i64 = 0;
    let mut after_digit = false;
    for b in digits.bytes() {
        match b {
            b'0'..=b'9' => {
                n = n.saturating_mul(10).saturating_add(i64::from(b - b'0'));
                after_digit = true;
            }
            b'_' if after_digit => after_digit = false,
            _ => break,
        }
    }
    if negative {
        -n
    } else {
        n
    }
}

/// A path with no route, under this layer's paths.
pub(crate) fn not_found() -> Response {
    OtsError::new("Not Found").into_response()
}

/// Over the request limit: the service answers `404 "Cripes! You have been rate limited."`.
pub(crate) fn rate_limited(decision: &RateDecision) -> Response {
    OtsError::rate_limited(decision).into_response()
}

/// An anonymous request with a passphrase makes the server run Argon2id: it counts against
/// the tighter `compat.anonymous_passphrase_per_minute`.
fn passphrase_gate(
    state: &AppState,
    who: &Who,
    form: &Form,
    peer: SocketAddr,
    headers: &HeaderMap,
) -> OtsResult<()> {
    if matches!(who, Who::Anonymous) && form.get("passphrase").is_some_and(|p| !p.is_empty()) {
        sealed::passphrase_gate(state, peer, headers).map_err(|d| OtsError::rate_limited(&d))?;
    }
    Ok(())
}

fn peer_of(request: &Request) -> SocketAddr {
    request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or_else(|| SocketAddr::from(([127, 0, 0, 1], 0)), |c| c.0)
}

/// The caller: an account (its token's name and value) or anonymous.
enum Who {
    Anonymous,
    Account {
        token: Token,
        secret: Zeroizing<String>,
    },
}

impl Who {
    fn custid(&self) -> String {
        match self {
            Who::Anonymous => "anon".to_owned(),
            Who::Account { token, .. } => token.name.clone(),
        }
    }

    fn account_id(&self) -> Option<i64> {
        match self {
            Who::Anonymous => None,
            Who::Account { token, .. } => Some(token.id),
        }
    }
}

/// HTTP Basic `USERNAME:APITOKEN`; without credentials, anonymous when `allow_anonymous`.
async fn authorize(state: &AppState, headers: &HeaderMap, allow_anonymous: bool) -> OtsResult<Who> {
    if headers.get("authorization").is_none() {
        return if allow_anonymous {
            Ok(Who::Anonymous)
        } else {
            Err(OtsError::not_authorized())
        };
    }
    let (user, secret) = super::basic(headers).ok_or_else(OtsError::not_authorized)?;
    if user.is_empty() || secret.is_empty() {
        return Err(OtsError::not_authorized());
    }
    match find_token(state, &secret).await? {
        Some(token) if token.name == user => Ok(Who::Account {
            token,
            secret: Zeroizing::new(secret),
        }),
        _ => Err(OtsError::not_authorized()),
    }
}

fn valid_key(key: &str) -> bool {
    (8..=64).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// The metadata key of an account's secret: HMAC-SHA256(API token, nonce) in base 36.
fn account_metadata_key(api_token: &str, nonce: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(api_token.as_bytes())
        .expect("HMAC takes keys of any length");
    mac.update(b"wisp/compat/onetime/metadata-key/");
    mac.update(nonce.as_bytes());
    let digest = mac.finalize().into_bytes();
    digest
        .iter()
        .take(KEY_LEN)
        .map(|b| BASE36[(*b as usize) % BASE36.len()] as char)
        .collect()
}

/// `u***@example.com`-style obfuscation, as the service shows recipients.
fn obscure_email(email: &str) -> String {
    match email.split_once('@') {
        Some((user, host)) => {
            let shown: String = user.chars().take(2).collect();
            format!("{shown}*****@{host}")
        }
        None => "*****".to_owned(),
    }
}

fn valid_email(email: &str) -> bool {
    email.len() <= 254
        && email
            .split_once('@')
            .is_some_and(|(user, host)| !user.is_empty() && host.contains('.'))
        && email.parse::<lettre::message::Mailbox>().is_ok()
}

fn valid_domain(domain: &str) -> bool {
    domain.len() <= 253
        && domain.contains('.')
        && domain.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

async fn status(State(state): State<AppState>, headers: HeaderMap) -> OtsResult<Response> {
    authorize(&state, &headers, true).await?;
    Ok(Json(serde_json::json!({"status": "nominal", "locale": "en"})).into_response())
}

/// The attributes of a secret as the service shows them (its v1 `receipt_hsh`): numbers
/// are JSON integers (`coerce_v1_types`: `created`, `updated`, `received`, `ttl`,
/// `metadata_ttl`, `secret_ttl`).
#[derive(Debug, Serialize)]
struct Metadata {
    custid: String,
    metadata_key: String,
    /// Absent once received; `""` once burned or expired (the service clears it then);
    /// `null` in `private/recent`.
    #[serde(skip_serializing_if = "Option::is_none")]
    secret_key: Option<Option<Wiped>>,
    ttl: u64,
    metadata_ttl: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    secret_ttl: Option<i64>,
    state: &'static str,
    updated: i64,
    created: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    received: Option<i64>,
    recipient: Vec<String>,
    share_domain: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<Wiped>,
    #[serde(skip_serializing_if = "Option::is_none")]
    passphrase_required: Option<bool>,
}

/// The reply to `burn`: the metadata attributes nested under `state`, and the first
/// characters of the secret key, as the service's v1 `burn_secret` answers.
#[derive(Debug, Serialize)]
struct Burned {
    state: Metadata,
    secret_shortkey: String,
}

fn state_name(record: &SecretRecord, now: i64) -> &'static str {
    match effective_state(record, now) {
        ReceiptState::Pending => "new",
        ReceiptState::Viewed => "received",
        ReceiptState::Burned => "burned",
        ReceiptState::Expired => "expired",
    }
}

async fn metadata(
    state: &AppState,
    record: &SecretRecord,
    attrs: &Attrs,
    metadata_key: String,
    secret_key: Option<Wiped>,
) -> OtsResult<Metadata> {
    let now = crate::now();
    let name = state_name(record, now);
    let retention = state.config.limits.receipt_retention_days as i64 * 86_400;
    let receipt_gone = if record.available(now) {
        record.expires_at
    } else {
        record.updated_at
    } + retention;
    let received = if name == "received" {
        let views = state.store.views(&record.id).await?;
        Some(views.last().map_or(record.updated_at, |v| v.at))
    } else {
        None
    };
    let secret_ttl = if record.available(now) {
        record.expires_at - now
    } else {
        0
    };
    // The service clears the secret key when a secret is burned or expires (its v1
    // `Metadata#burned!`/`#expired!`), and drops it once received.
    let secret_key = match name {
        "received" => None,
        "burned" | "expired" => Some(Some(Wiped::new(""))),
        _ => Some(secret_key),
    };
    Ok(Metadata {
        custid: attrs.custid.clone(),
        metadata_key,
        secret_key,
        ttl: attrs.ttl,
        metadata_ttl: (receipt_gone - now).max(0),
        secret_ttl: (name != "received").then_some(secret_ttl),
        state: name,
        updated: record.updated_at,
        created: record.created_at,
        received,
        recipient: attrs.recipient.clone(),
        share_domain: attrs.share_domain.clone(),
        value: None,
        passphrase_required: Some(crate::gate::has_passphrase(record)),
    })
}

/// `share` (and its alias `create`): store a secret value.
async fn share(State(state): State<AppState>, request: Request) -> OtsResult<Json<Metadata>> {
    let who = authorize(&state, request.headers(), true).await?;
    let (peer, headers) = (peer_of(&request), request.headers().clone());
    let form = read_params(request).await?;
    passphrase_gate(&state, &who, &form, peer, &headers)?;
    let secret = form.get("secret").unwrap_or("");
    if secret.is_empty() {
        return Err(OtsError::new("You did not provide anything to share"));
    }
    let value = Zeroizing::new(secret.as_bytes().to_vec());
    let ip = state.client_ip(peer, &headers);
    Ok(Json(create(&state, who, ip, &form, value, None).await?))
}

/// `generate`: store a fresh random value of `length` characters (default 12, at most 128)
/// and show it once, in this reply.
async fn generate(State(state): State<AppState>, request: Request) -> OtsResult<Json<Metadata>> {
    let who = authorize(&state, request.headers(), true).await?;
    let (peer, headers) = (peer_of(&request), request.headers().clone());
    let form = read_params(request).await?;
    let length = generated_length(&form)?;
    passphrase_gate(&state, &who, &form, peer, &headers)?;
    let value = Wiped::new(random_key(GENERATED_ALPHABET, length));
    let content = Zeroizing::new(value.as_str().as_bytes().to_vec());
    let ip = state.client_ip(peer, &headers);
    Ok(Json(
        create(&state, who, ip, &form, content, Some(value)).await?,
    ))
}

/// The `length` of a generated value: absent is 12; more than 128 is refused with the
/// service's message (its v1 `GenerateSecret`, which checks before generating anything);
/// zero, negative or not a number is refused too (the service fails there with an internal
/// error, as its generator takes only positive lengths).
fn generated_length(form: &Form) -> OtsResult<usize> {
    let Some(length) = form.get("length") else {
        return Ok(GENERATED_LEN);
    };
    match ruby_to_i(length) {
        n if n > MAX_GENERATED_LEN => Err(OtsError::new(
            "Generated password length must be no more than 128 characters",
        )),
        n if n < 1 => Err(OtsError::new(
            "Generated password length must be at least 1 character",
        )),
        n => Ok(n as usize),
    }
}

/// The TTL of a new secret, as the service's v1 `process_ttl`: absent is 7 days; anything
/// given is read as an integer (`to_i`: not a number is 0) and clamped to 60 s .. the
/// maximum, so zero, negative or unparsable values give the shortest TTL, never a long
/// one. Wisp's `limits.min_ttl` and `max_ttl` (the caller's: shorter without a token)
/// bound it too.
fn ttl_of(form: &Form, limits: &crate::config::Limits, max_ttl: u64) -> u64 {
    let asked = match form.get("ttl") {
        None => DEFAULT_TTL,
        Some(t) => u64::try_from(ruby_to_i(t)).unwrap_or(0),
    };
    asked.max(MIN_TTL.max(limits.min_ttl)).min(max_ttl)
}

async fn create(
    state: &AppState,
    who: Who,
    ip: std::net::IpAddr,
    form: &Form,
    content: Zeroizing<Vec<u8>>,
    shown_value: Option<Wiped>,
) -> OtsResult<Metadata> {
    if matches!(who, Who::Anonymous) && !state.config.limits.anonymous {
        return Err(OtsError::not_authorized());
    }
    if content.len() > MAX_SECRET_BYTES {
        return Err(OtsError::new("Secret is too long"));
    }
    let caller = match &who {
        Who::Account { token, .. } => crate::routes::Caller::Account(token.clone()),
        Who::Anonymous => crate::routes::Caller::Anonymous,
    };
    let ttl = ttl_of(
        form,
        &state.config.limits,
        crate::routes::secrets::max_ttl(state, &caller),
    );
    let recipient = form
        .get("recipient")
        .map(str::trim)
        .filter(|r| !r.is_empty());
    if let Some(email) = recipient {
        if matches!(who, Who::Anonymous) {
            return Err(OtsError::new("An account is required to send emails."));
        }
        if !state.notifier.mail_enabled() {
            return Err(OtsError::new("E-mail is not enabled on this server."));
        }
        if !valid_email(email) {
            return Err(OtsError::new("Recipient must be a valid email address."));
        }
    }
    let share_domain = form.get("share_domain").map(str::trim).unwrap_or("");
    if !share_domain.is_empty() && !valid_domain(share_domain) {
        return Err(OtsError::new("Invalid share domain."));
    }
    let passphrase = sealed::passphrase(form.get("passphrase"));

    let secret_key = Zeroizing::new(random_key(BASE36, KEY_LEN));
    let (metadata_key, metadata_nonce) = match &who {
        Who::Anonymous => (random_key(BASE36, KEY_LEN), None),
        Who::Account { secret, .. } => {
            let nonce = ids::random_id();
            (account_metadata_key(secret, &nonce), Some(nonce))
        }
    };
    let derived = sealed::derive(SERVICE, &secret_key);
    let owner = sealed::Owner {
        caller: &caller,
        ip,
    };
    let stored = sealed::seal(state, owner, &derived.link_key, passphrase, content).await?;
    let now = crate::now();
    let attrs = Attrs {
        custid: who.custid(),
        ttl,
        recipient: recipient.map(obscure_email).into_iter().collect(),
        share_domain: share_domain.to_owned(),
        sealed_key: sealed::seal_for_sender(&metadata_key, &secret_key),
        metadata_nonce,
    };
    let record = NewSecret {
        id: derived.id.clone(),
        metadata_hash: ids::sha256(&metadata_key),
        account: who.account_id(),
        verifier: stored.verifier,
        passphrase_verifier: stored.passphrase_verifier,
        header: stored.header,
        size: stored.size,
        max_views: Some(1),
        split: None,
        note: None,
        recipient_can_burn: false,
        webhook_url: None,
        notify_email: None,
        created_at: now,
        expires_at: now + ttl as i64,
        blob: stored.blob.clone(),
        compat: Some(super::Attrs::Onetime(attrs.clone()).to_json()),
    };
    if let Err(e) = state.store.insert(record).await {
        let _ = state.store.delete_blob(&stored.blob).await;
        return Err(e.into());
    }
    tracing::info!(
        secret = ids::log_id(&derived.id),
        "secret created (onetime)"
    );
    if let Some(to) = recipient {
        let link = Zeroizing::new(format!(
            "{}/secret/{}",
            state.public_base,
            secret_key.as_str()
        ));
        let account = match &who {
            Who::Account { token, .. } => Some(token.id),
            Who::Anonymous => None,
        };
        state.notifier.email_for(
            account,
            to,
            format!("{} sent you a secret", who.custid()),
            format!(
                "{} sent you a secret. It can be viewed once, then it is gone:\n\n{}\n",
                who.custid(),
                link.as_str()
            ),
        );
    }
    let record = state
        .store
        .get(&derived.id)
        .await?
        .ok_or_else(|| OtsError::from(Internal::from("created secret vanished")))?;
    let mut reply = metadata(
        state,
        &record,
        &attrs,
        metadata_key,
        Some(Wiped::from(secret_key)),
    )
    .await?;
    reply.value = shown_value;
    Ok(reply)
}

/// The record and attributes of a secret of this layer by its secret key.
async fn by_secret_key(
    state: &AppState,
    key: &str,
) -> OtsResult<Option<(SecretRecord, Attrs, sealed::Derived)>> {
    if !valid_key(key) {
        return Ok(None);
    }
    let derived = sealed::derive(SERVICE, key);
    let Some(record) = state.store.get(&derived.id).await? else {
        return Ok(None);
    };
    Ok(match super::Attrs::of(&record) {
        Some(super::Attrs::Onetime(attrs)) => Some((record, attrs, derived)),
        _ => None,
    })
}

/// The record and attributes of a secret of this layer by its metadata key.
async fn by_metadata_key(state: &AppState, key: &str) -> OtsResult<Option<(SecretRecord, Attrs)>> {
    if !valid_key(key) {
        return Ok(None);
    }
    let Some(record) = state.store.get_by_metadata(&ids::sha256(key)).await? else {
        return Ok(None);
    };
    Ok(match super::Attrs::of(&record) {
        Some(super::Attrs::Onetime(attrs)) => Some((record, attrs)),
        _ => None,
    })
}

#[derive(Serialize)]
struct Revealed {
    value: Wiped,
    secret_key: Wiped,
}

/// `secret/KEY`: reveal once. A missing or wrong passphrase answers like an unknown secret
/// and spends no view.
async fn show_secret(
    State(state): State<AppState>,
    key: Result<Path<String>, PathRejection>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request: Request,
) -> OtsResult<Response> {
    let headers = request.headers().clone();
    let who = authorize(&state, &headers, true).await?;
    // A key that does not even decode as UTF-8 is simply unknown.
    let key = key.map_or_else(|_| String::new(), |Path(k)| k);
    let form = read_params(request).await?;
    passphrase_gate(&state, &who, &form, peer, &headers)?;
    let Some((record, _, derived)) = by_secret_key(&state, &key).await? else {
        return Err(OtsError::unknown_secret(&key));
    };
    let view = crate::routes::secrets::view_entry(&state, peer, &headers, crate::now());
    let passphrase = sealed::passphrase(form.get("passphrase"));
    let client = state.client_ip(peer, &headers);
    match sealed::reveal(&state, &record, &derived.link_key, passphrase, view, client).await {
        Ok((_, content)) => {
            let value = Wiped::new(String::from_utf8_lossy(&content).into_owned());
            let mut response = Json(Revealed {
                value,
                secret_key: Wiped::new(key),
            })
            .into_response();
            response
                .headers_mut()
                .insert("cache-control", HeaderValue::from_static("no-store"));
            Ok(response)
        }
        Err(RevealError::Internal) => Err(Internal.into()),
        Err(RevealError::TooManyAttempts { retry_after }) => Err(OtsError {
            retry_after: Some(retry_after),
            ..OtsError::new("Cripes! You have been rate limited.")
        }),
        Err(_) => Err(OtsError::unknown_secret(&key)),
    }
}

/// `private/KEY` (also `metadata/KEY`, GET or POST): the sender's view of a secret. An
/// unknown key is the service's `404 {"message":"Unknown secret","secret_key":KEY}` (its
/// `MissingSecret`, raised for a metadata key too).
async fn show_metadata(
    State(state): State<AppState>,
    key: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
) -> OtsResult<Json<Metadata>> {
    authorize(&state, &headers, true).await?;
    let key = key.map_or_else(|_| String::new(), |Path(k)| k);
    let Some((record, attrs)) = by_metadata_key(&state, &key).await? else {
        return Err(OtsError::unknown_secret(&key));
    };
    let secret_key = sealed::open_for_sender(&key, &attrs.sealed_key).map(Wiped::from);
    Ok(Json(
        metadata(&state, &record, &attrs, key, secret_key).await?,
    ))
}

/// `private/KEY/burn`: burn a secret not read yet. As on the real server, a secret with a
/// passphrase burns only with its passphrase (`passphrase=`), checked and counted through the
/// same gate as a reveal: a metadata key alone cannot destroy it. The reply nests the
/// metadata attributes under `state`, next to `secret_shortkey`, as the service's does.
async fn burn(
    State(state): State<AppState>,
    key: Result<Path<String>, PathRejection>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request: Request,
) -> OtsResult<Json<Burned>> {
    let headers = request.headers().clone();
    let who = authorize(&state, &headers, true).await?;
    let key = key.map_or_else(|_| String::new(), |Path(k)| k);
    let form = read_params(request).await?;
    passphrase_gate(&state, &who, &form, peer, &headers)?;
    let Some((record, attrs)) = by_metadata_key(&state, &key).await? else {
        return Err(OtsError::unknown_secret(&key));
    };
    let secret_key = sealed::open_for_sender(&key, &attrs.sealed_key).map(Wiped::from);
    if crate::gate::has_passphrase(&record) && record.available(crate::now()) {
        let Some(sk) = &secret_key else {
            return Err(OtsError::new("Incorrect passphrase"));
        };
        let derived = sealed::derive(SERVICE, sk.as_str());
        let passphrase = sealed::passphrase(form.get("passphrase"));
        let client = state.client_ip(peer, &headers);
        match sealed::open(&state, &record, &derived.link_key, passphrase, client).await {
            Ok(_) => {}
            Err(RevealError::Internal) => return Err(Internal.into()),
            Err(RevealError::TooManyAttempts { retry_after }) => {
                return Err(OtsError {
                    retry_after: Some(retry_after),
                    ..OtsError::new("Cripes! You have been rate limited.")
                })
            }
            Err(RevealError::Unavailable) => return Err(OtsError::unknown_secret(&key)),
            Err(_) => return Err(OtsError::new("Incorrect passphrase")),
        }
    }
    let Some(after) = sealed::burn(&state, &record.id, wisp_api::BurnReason::Sender).await? else {
        return Err(OtsError::unknown_secret(&key));
    };
    let secret_shortkey = secret_key
        .as_ref()
        .map(|k| k.as_str().chars().take(8).collect())
        .unwrap_or_default();
    // The service's burn reply shows the metadata without `passphrase_required` (its
    // `receipt_hsh` is called without that option there).
    let mut inner = metadata(&state, &after, &attrs, key, secret_key).await?;
    inner.passphrase_required = None;
    Ok(Json(Burned {
        state: inner,
        secret_shortkey,
    }))
}

/// `private/recent`: the account's secrets, newest first, secret keys `null`.
async fn recent(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> OtsResult<Json<Vec<Metadata>>> {
    let Who::Account { token, secret } = authorize(&state, &headers, false).await? else {
        return Err(OtsError::not_authorized());
    };
    // The account's secrets of every kind, newest first, page by page until 100 of this
    // layer's are found (or the account's last RECENT_SCAN secrets were looked at).
    let mut out = Vec::new();
    let mut before = None;
    let mut scanned = 0;
    'pages: loop {
        let records = state
            .store
            .list(token.id, None, before.take(), RECENT_PAGE)
            .await?;
        let full = records.len() == RECENT_PAGE as usize;
        scanned += records.len();
        if let Some(last) = records.last() {
            before = Some((last.created_at, last.id.clone()));
        }
        for record in records {
            let Some(super::Attrs::Onetime(attrs)) = super::Attrs::of(&record) else {
                continue;
            };
            let Some(nonce) = &attrs.metadata_nonce else {
                continue;
            };
            let metadata_key = account_metadata_key(&secret, nonce);
            let mut item = metadata(&state, &record, &attrs, metadata_key, None).await?;
            item.secret_key = Some(None);
            item.passphrase_required = None;
            out.push(item);
            if out.len() == RECENT_LIMIT {
                break 'pages;
            }
        }
        if !full || scanned >= RECENT_SCAN {
            break;
        }
    }
    Ok(Json(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Internal failures cannot be provoked from outside a healthy server: check the shape.
    #[tokio::test]
    async fn internal_error_is_the_services_404() {
        let response = OtsError::from(Internal).into_response();
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        let body = axum::body::to_bytes(response.into_body(), 4096)
            .await
            .expect("body");
        let body: serde_json::Value = serde_json::from_slice(&body).expect("json");
        assert_eq!(body["message"], "An unexpected error occurred :[");
    }

    /// Ruby's `String#to_i`, which the service applies to `ttl` and `length`.
    #[test]
    fn numbers_read_like_rubys_to_i() {
        for (text, n) in [
            ("3600", 3600),
            ("  3600", 3600),
            ("+90", 90),
            ("-5", -5),
            ("0", 0),
            ("", 0),
            ("abc", 0),
            ("12abc", 12),
            ("3600.5", 3600),
            ("1_000", 1000),
            ("1__0", 1),
            ("_1", 0),
            ("99999999999999999999999", i64::MAX),
        ] {
            assert_eq!(ruby_to_i(text), n, "{text:?}");
        }
    }

    /// JSON values become the form fields the rest of the layer reads; `null` is absent,
    /// a `recipient` list gives its first address, other names are skipped.
    #[test]
    fn json_parameters_become_fields() {
        let params: JsonParams = serde_json::from_str(
            r#"{"secret":"s","ttl":3600,"length":20.0,"passphrase":null,
                "recipient":["", "a@example.com", "b@example.com"],"share_domain":true,
                "kind":{"ignored":[1,2,3]}}"#,
        )
        .expect("typed");
        let mut form = Form::new(MAX_FIELDS);
        params.push_into(&mut form).expect("fields");
        assert_eq!(form.get("secret"), Some("s"));
        assert_eq!(form.get("ttl"), Some("3600"));
        assert_eq!(form.get("length"), Some("20"));
        assert!(!form.has("passphrase"));
        assert_eq!(form.get("recipient"), Some("a@example.com"));
        assert_eq!(form.get("share_domain"), Some("true"));
        for bad in [
            r#"[{"secret":"s"}]"#,
            r#"{"secret":["s"]}"#,
            r#"{"ttl":{"n":1}}"#,
            r#"{"recipient":[["a@example.com"]]}"#,
            r#"{"secret":"a","secret":"b"}"#,
        ] {
            assert!(serde_json::from_str::<JsonParams>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn emails_are_obscured_like_the_service() {
        assert_eq!(obscure_email("friend@example.com"), "fr*****@example.com");
        assert_eq!(obscure_email("a@b.co"), "a*****@b.co");
    }
}
