//! Seecret.it's API: one endpoint, `POST /api`, form-encoded, the operation named by the
//! `operation` field (`create_seecret`, `update_seecret`, `get_seecret`, `list_seecrets`,
//! `delete_seecret`, `get_account`); a Bearer token on every request (a Wisp API token); every
//! reply `{CODE, MESSAGE, data}` with the HTTP status equal to `CODE`.
//!
//! The content arrives in plaintext and is sealed at once into a Wisp payload under a fresh
//! link key, which goes back to the caller in the URL fragment (`…/_ID#KEY`, the key also
//! being the `cle` of `update_seecret`) and is otherwise kept only sealed under a key derived
//! from the caller's API token, so that `get_seecret` can show the full URL to that account
//! and to nobody with a copy of the disk. The recipient's page is Wisp's reveal page (with
//! the password where one is set, split links, country blocks); each consultation fires the
//! server's signed webhook (`[compat] seecret_webhook_url`) and, with `view_notification`,
//! an e-mail to the account.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq as _;
use wisp_api::{ReceiptState, Split};
use wisp_crypto::{split_key, LinkKey, LinkSecret};
use wisp_store::{NewSecret, SecretRecord, Token, Update};
use zeroize::Zeroizing;

use super::form::{Form, FormError};
use super::{find_token, sealed, Internal};
use crate::ids;
use crate::state::{AppState, RateDecision};

/// Languages the service offers.
const LANGS: [&str; 4] = ["fr", "en", "es", "ru"];
/// Default and longest expiry, in days from today.
const DEFAULT_DAYS: i64 = 7;
const MAX_DAYS: i64 = 60;
/// Longest note kept.
const MAX_NOTE: usize = 2000;
/// Largest secret accepted (form bodies are read into memory).
const MAX_SECRET_BYTES: usize = 1024 * 1024;
/// Most form fields in a request: `country_block[]` may name each of the 249 ISO 3166
/// countries in a field of its own, next to the operation's other fields.
const MAX_FIELDS: usize = 320;
/// Account-seal context.
const ACCOUNT_SEAL: &[u8] = b"wisp/compat/seecret/account-seal/";

/// The layer's route.
pub(crate) fn routes() -> Router<AppState> {
    Router::new().route(
        "/api",
        post(api).fallback(|| async {
            Reply::error(StatusCode::BAD_REQUEST, "Use POST /api with an operation.")
        }),
    )
}

/// Whether `path` is the layer's.
pub(crate) fn owns(path: &str) -> bool {
    path == "/api" || path == "/api/"
}

/// What this layer keeps next to a secret.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Attrs {
    /// Page language.
    lang: String,
    /// Custom domain for the URL.
    domain: Option<String>,
    /// ISO codes whose visitors may not open it.
    country_block: Vec<String>,
    /// Whether the account is e-mailed on each view.
    view_notification: bool,
    /// `{note, fragment}` sealed under a key derived from the account's API token.
    sealed: String,
}

/// What is sealed for the account.
#[derive(Serialize, Deserialize)]
struct AccountSealed {
    note: Option<String>,
    /// The URL fragment (the key); `None` for split links (no one copy holds the key).
    fragment: Option<String>,
}

impl Drop for AccountSealed {
    fn drop(&mut self) {
        use zeroize::Zeroize as _;
        if let Some(f) = self.fragment.as_mut() {
            f.zeroize();
        }
        if let Some(n) = self.note.as_mut() {
            n.zeroize();
        }
    }
}

fn seal_for_account(api_token: &str, id: &str, value: &AccountSealed) -> String {
    let json = Zeroizing::new(serde_json::to_vec(value).unwrap_or_default());
    sealed::seal_with(api_token, &[ACCOUNT_SEAL, id.as_bytes()].concat(), &json)
}

fn open_for_account(api_token: &str, id: &str, sealed_text: &str) -> Option<AccountSealed> {
    let plain = sealed::open_with(
        api_token,
        &[ACCOUNT_SEAL, id.as_bytes()].concat(),
        sealed_text,
    )?;
    serde_json::from_slice(&plain).ok()
}

/// `{CODE, MESSAGE, data}`; the HTTP status is `CODE`.
#[derive(Debug, Serialize)]
pub(crate) struct Reply {
    #[serde(rename = "CODE")]
    code: u16,
    #[serde(rename = "MESSAGE")]
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<serde_json::Value>,
}

impl Reply {
    fn ok(message: &str, data: Option<serde_json::Value>) -> Self {
        Reply {
            code: 200,
            message: message.to_owned(),
            data,
        }
    }

    fn error(status: StatusCode, message: &str) -> Self {
        Reply {
            code: status.as_u16(),
            message: message.to_owned(),
            data: None,
        }
    }

    fn bad(message: &str) -> Self {
        Self::error(StatusCode::BAD_REQUEST, message)
    }

    fn not_found() -> Self {
        // One answer for "no such id" and "not yours": telling them apart would leak.
        Self::bad("Secret not found")
    }
}

impl IntoResponse for Reply {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (status, Json(self)).into_response()
    }
}

impl From<Internal> for Reply {
    fn from(_: Internal) -> Self {
        Reply::error(StatusCode::INTERNAL_SERVER_ERROR, "Internal error")
    }
}

impl From<sealed::SealError> for Reply {
    fn from(err: sealed::SealError) -> Self {
        match err {
            sealed::SealError::Refused(e) => Reply::error(
                StatusCode::from_u16(e.code.http_status())
                    .unwrap_or(StatusCode::SERVICE_UNAVAILABLE),
                match e.code {
                    wisp_api::ErrorCode::QuotaExceeded => "Storage quota exceeded",
                    _ => "The server is out of storage space",
                },
            ),
            sealed::SealError::Internal => Internal.into(),
        }
    }
}

impl From<wisp_store::StoreError> for Reply {
    fn from(err: wisp_store::StoreError) -> Self {
        Internal::from(err).into()
    }
}

/// A path of the layer without a route (e.g. `/api/`).
pub(crate) fn not_found() -> Response {
    Reply::bad("Use POST /api with an operation.").into_response()
}

/// Over the limit.
pub(crate) fn rate_limited(decision: &RateDecision) -> Response {
    let mut response =
        Reply::error(StatusCode::TOO_MANY_REQUESTS, "Too many requests").into_response();
    if let Ok(v) = axum::http::HeaderValue::from_str(&decision.reset.to_string()) {
        response.headers_mut().insert("retry-after", v);
    }
    response
}

/// The account and its token (needed to open what was sealed for it).
struct Account {
    token: Token,
    secret: Zeroizing<String>,
}

impl Account {
    /// The account's e-mail: its token's name when that is an address.
    fn email(&self) -> Option<&str> {
        let name = self.token.name.as_str();
        name.split_once('@')
            .is_some_and(|(u, h)| !u.is_empty() && h.contains('.'))
            .then_some(name)
    }
}

async fn authenticate(state: &AppState, headers: &HeaderMap) -> Result<Account, Reply> {
    let unauthorized = || Reply::error(StatusCode::UNAUTHORIZED, "Invalid or missing token");
    let token = crate::routes::bearer(headers).ok_or_else(unauthorized)?;
    match find_token(state, token).await? {
        Some(t) => Ok(Account {
            token: t,
            secret: Zeroizing::new(token.to_owned()),
        }),
        None => Err(unauthorized()),
    }
}

async fn api(State(state): State<AppState>, request: Request) -> Response {
    let headers = request.headers().clone();
    let outcome = async {
        let account = authenticate(&state, &headers).await?;
        let form = Form::read_up_to(request, MAX_FIELDS)
            .await
            .map_err(|e| match e {
                FormError::TooLarge => Reply::bad("Secret is too large"),
                FormError::Malformed => Reply::bad("The request could not be read"),
            })?;
        match form.get("operation").unwrap_or("") {
            "create_seecret" => create(&state, &account, &form).await,
            "update_seecret" => update(&state, &account, &form).await,
            "get_seecret" => get(&state, &account, &form).await,
            "list_seecrets" => list(&state, &account, &form).await,
            "delete_seecret" => delete(&state, &account, &form).await,
            "get_account" => account_info(&state, &account).await,
            "" => Err(Reply::bad("Missing operation")),
            _ => Err(Reply::bad("Unknown operation")),
        }
    }
    .await;
    match outcome {
        Ok(reply) | Err(reply) => {
            let mut response = reply.into_response();
            response.headers_mut().insert(
                "cache-control",
                axum::http::HeaderValue::from_static("no-store"),
            );
            response
        }
    }
}

fn today() -> time::Date {
    time::OffsetDateTime::now_utc().date()
}

fn format_date(date: time::Date) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    date.format(&format).unwrap_or_default()
}

fn date_of(unix: i64) -> time::Date {
    crate::routes::timestamp(unix).date()
}

/// `expiration_date`: `YYYY-MM-DD`, after today, at most 60 days (and the server's longest
/// TTL) away; the secret expires at the start (00:00 UTC) of that day.
fn expiry(
    state: &AppState,
    text: Option<&str>,
    default_days: Option<i64>,
) -> Result<Option<i64>, Reply> {
    let date = match text.map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => {
            let format = time::macros::format_description!("[year]-[month]-[day]");
            time::Date::parse(t, &format)
                .map_err(|_| Reply::bad("expiration_date must be a date as YYYY-MM-DD"))?
        }
        None => match default_days {
            Some(days) => today() + time::Duration::days(days),
            None => return Ok(None),
        },
    };
    let days = (date - today()).whole_days();
    if !(1..=MAX_DAYS).contains(&days) {
        return Err(Reply::bad(
            "expiration_date must be between tomorrow and 60 days from today",
        ));
    }
    let at = date.midnight().assume_utc().unix_timestamp();
    let ttl = at - crate::now();
    let limits = &state.config.limits;
    if ttl < limits.min_ttl as i64 || ttl > limits.max_ttl as i64 {
        return Err(Reply::bad(
            "expiration_date is beyond the longest time this server keeps secrets",
        ));
    }
    Ok(Some(at))
}

fn int_field(form: &Form, name: &str) -> Result<Option<i64>, Reply> {
    match form.get(name).map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => v
            .parse::<i64>()
            .map(Some)
            .map_err(|_| Reply::bad(&format!("{name} must be an integer"))),
    }
}

fn flag(form: &Form, name: &str) -> Result<bool, Reply> {
    match form.get(name).map(str::trim) {
        None | Some("") | Some("0") => Ok(false),
        Some("1") => Ok(true),
        Some(_) => Err(Reply::bad(&format!("{name} must be 0 or 1"))),
    }
}

fn number_view(form: &Form) -> Result<Option<u32>, Reply> {
    match int_field(form, "number_view")? {
        None => Ok(None),
        Some(n) if (1..=999).contains(&n) => Ok(Some(n as u32)),
        Some(_) => Err(Reply::bad("number_view must be between 1 and 999")),
    }
}

fn lang(form: &Form) -> Result<Option<String>, Reply> {
    match form.get("lang").map(str::trim).filter(|l| !l.is_empty()) {
        None => Ok(None),
        Some(l) if LANGS.contains(&l) => Ok(Some(l.to_owned())),
        Some(_) => Err(Reply::bad("lang must be fr, en, es or ru")),
    }
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

fn valid_email(email: &str) -> bool {
    email.len() <= 254
        && email
            .split_once('@')
            .is_some_and(|(u, h)| !u.is_empty() && h.contains('.'))
        && email.parse::<lettre::message::Mailbox>().is_ok()
}

/// The base of the secret's URLs: its custom domain, or the server.
fn base(state: &AppState, attrs: &Attrs) -> String {
    match &attrs.domain {
        Some(d) => format!("https://{d}"),
        None => state.public_base.to_string(),
    }
}

/// The secret's page URL on `domain` (or the server), with `fragment` if known.
fn url(state: &AppState, attrs: &Attrs, id: &str, fragment: Option<&str>) -> String {
    let base = base(state, attrs);
    match fragment {
        Some(f) => format!("{base}/_{id}#{f}"),
        None => format!("{base}/_{id}"),
    }
}

async fn create(state: &AppState, account: &Account, form: &Form) -> Result<Reply, Reply> {
    let content = form.get("seecret").unwrap_or("");
    if content.is_empty() {
        return Err(Reply::bad("Missing seecret"));
    }
    if content.len() > MAX_SECRET_BYTES {
        return Err(Reply::bad("Secret is too large"));
    }
    let lang = lang(form)?.unwrap_or_else(|| "en".to_owned());
    let expires_at = expiry(state, form.get("expiration_date"), Some(DEFAULT_DAYS))?
        .ok_or_else(|| Reply::bad("expiration_date is required"))?;
    let max_views = number_view(form)?.unwrap_or(1);
    let view_notification = flag(form, "view_notification")?;
    let notify_email = if view_notification {
        let email = account.email().ok_or_else(|| {
            Reply::bad("view_notification needs an account e-mail (an API token named after it)")
        })?;
        if !state.notifier.mail_enabled() {
            return Err(Reply::bad("E-mail is not enabled on this server"));
        }
        Some(email.to_owned())
    } else {
        None
    };
    let note = form
        .get("note")
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(|n| n.chars().take(MAX_NOTE).collect::<String>());
    let domain = form
        .get("domain")
        .map(|d| d.trim().to_ascii_lowercase())
        .filter(|d| !d.is_empty());
    if domain.as_deref().is_some_and(|d| !valid_domain(d)) {
        return Err(Reply::bad("domain must be a host name"));
    }
    let recipient = form
        .get("recipient_email")
        .map(str::trim)
        .filter(|r| !r.is_empty());
    if let Some(r) = recipient {
        if !valid_email(r) {
            return Err(Reply::bad("recipient_email is not an e-mail address"));
        }
        if !state.notifier.mail_enabled() {
            return Err(Reply::bad("E-mail is not enabled on this server"));
        }
    }
    let mut country_block: Vec<String> = Vec::new();
    for code in form
        .all("country_block[]")
        .into_iter()
        .chain(form.all("country_block"))
        .flat_map(|c| c.split(','))
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        if code.len() != 2 || !code.bytes().all(|b| b.is_ascii_alphabetic()) {
            return Err(Reply::bad(
                "country_block[] must be ISO 3166 two-letter codes",
            ));
        }
        let code = code.to_ascii_uppercase();
        if !country_block.contains(&code) {
            country_block.push(code);
        }
    }
    let split_total = int_field(form, "split_link")?.unwrap_or(1);
    if !(1..=10).contains(&split_total) {
        return Err(Reply::bad("split_link must be between 1 and 10"));
    }
    let split = if split_total > 1 {
        let needed = int_field(form, "split_link_required")?.unwrap_or(split_total);
        if needed < 2 || needed > split_total {
            return Err(Reply::bad(
                "split_link_required must be between 2 and split_link",
            ));
        }
        Some(Split {
            needed: needed as u8,
            total: split_total as u8,
        })
    } else {
        if form.has("split_link_required")
            && int_field(form, "split_link_required")?.is_some_and(|n| n > 1)
        {
            return Err(Reply::bad(
                "split_link_required needs split_link of 2 or more",
            ));
        }
        None
    };
    let webhook_url = state.config.compat.seecret_webhook_url.clone();
    if let Some(url) = &webhook_url {
        crate::notify::check_webhook_url(url, state.config.webhooks_allow_private)
            .map_err(|m| Reply::from(Internal::from(m)))?;
    }

    let link_key = LinkKey::generate();
    let fragments: Vec<Zeroizing<String>> = match split {
        None => vec![LinkSecret::Key(link_key.clone()).to_fragment()],
        Some(s) => split_key(&link_key, s.needed, s.total)
            .map_err(|e| Reply::from(Internal::from(e)))?
            .into_iter()
            .map(|part| LinkSecret::Part(part).to_fragment())
            .collect(),
    };
    let passphrase = sealed::passphrase(form.get("password"));
    let who = crate::routes::Caller::Account(account.token.clone());
    let stored = sealed::seal(
        state,
        sealed::Owner {
            caller: &who,
            // A token's quota is the token's own: the address is not used.
            ip: std::net::Ipv4Addr::UNSPECIFIED.into(),
        },
        &link_key,
        passphrase,
        Zeroizing::new(content.as_bytes().to_vec()),
    )
    .await?;
    let id = ids::random_id();
    let attrs = Attrs {
        lang,
        domain,
        country_block,
        view_notification,
        sealed: seal_for_account(
            &account.secret,
            &id,
            &AccountSealed {
                note,
                fragment: split.is_none().then(|| fragments[0].to_string()),
            },
        ),
    };
    let now = crate::now();
    let record = NewSecret {
        id: id.clone(),
        metadata_hash: ids::sha256(&ids::random_id()),
        account: Some(account.token.id),
        verifier: stored.verifier,
        passphrase_verifier: stored.passphrase_verifier,
        header: stored.header,
        size: stored.size,
        max_views: Some(max_views),
        split,
        note: None,
        recipient_can_burn: false,
        webhook_url,
        notify_email,
        created_at: now,
        expires_at,
        blob: stored.blob.clone(),
        compat: Some(super::Attrs::Seecret(attrs.clone()).to_json()),
    };
    if let Err(e) = state.store.insert(record).await {
        let _ = state.store.delete_blob(&stored.blob).await;
        return Err(e.into());
    }
    tracing::info!(secret = ids::log_id(&id), "secret created (seecret)");
    // Split parts use Wisp's own link form (`/s/ID#PART`), which the reveal page accepts when
    // the recipient pastes the other parts.
    let urls: Vec<String> = fragments
        .iter()
        .map(|f| match split {
            None => url(state, &attrs, &id, Some(f)),
            Some(_) => format!("{}/s/{id}#{}", base(state, &attrs), f.as_str()),
        })
        .collect();
    if let Some(to) = recipient {
        let note = if split.is_some() {
            "\nThis is one part of a split link: the sender will give you the other part(s) another way.\n"
        } else {
            ""
        };
        state.notifier.email_for(
            Some(account.token.id),
            to,
            "A secret was shared with you".into(),
            format!(
                "A secret was shared with you. Open it here (it burns after reading):\n\n{}\n{note}",
                urls[0]
            ),
        );
    }
    let mut data = serde_json::json!({
        "id": id,
        "url": urls[0],
        "url_short": urls[0],
        "expires_at": expires_at * 1000,
    });
    if split.is_some() {
        data["urls"] = serde_json::json!(urls);
    }
    Ok(Reply::ok("Secret created successfully", Some(data)))
}

/// The account's secret `id` of this layer, with its attributes.
async fn owned(
    state: &AppState,
    account: &Account,
    form: &Form,
) -> Result<(SecretRecord, Attrs), Reply> {
    let id = form.get("id").map(str::trim).unwrap_or("");
    if id.is_empty() {
        return Err(Reply::bad("Missing id"));
    }
    if !ids::is_id(id) {
        return Err(Reply::not_found());
    }
    let record = state.store.get(id).await?.ok_or_else(Reply::not_found)?;
    if record.account != Some(account.token.id) {
        return Err(Reply::not_found());
    }
    match super::Attrs::of(&record) {
        Some(super::Attrs::Seecret(attrs)) => Ok((record, attrs)),
        _ => Err(Reply::not_found()),
    }
}

fn status_name(record: &SecretRecord, now: i64) -> &'static str {
    match crate::routes::effective_state(record, now) {
        ReceiptState::Pending => "pending",
        ReceiptState::Viewed => "viewed",
        ReceiptState::Burned => "deleted",
        ReceiptState::Expired => "expired",
    }
}

async fn describe(
    state: &AppState,
    account: &Account,
    record: &SecretRecord,
    attrs: &Attrs,
) -> Result<serde_json::Value, Reply> {
    let now = crate::now();
    let opened = open_for_account(&account.secret, &record.id, &attrs.sealed);
    let fragment = opened
        .as_ref()
        .and_then(|o| o.fragment.as_deref())
        .filter(|_| record.available(now));
    let views = state.store.views(&record.id).await?;
    let datetime =
        time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    let view_log: Vec<serde_json::Value> = views
        .iter()
        .map(|v| {
            serde_json::json!({
                "date": crate::routes::timestamp(v.at).format(&datetime).unwrap_or_default(),
                "country": v.country,
                "visitor": v.client,
            })
        })
        .collect();
    Ok(serde_json::json!({
        "id": record.id,
        "status": status_name(record, now),
        "url": url(state, attrs, &record.id, fragment),
        "expiration_date": format_date(date_of(record.expires_at)),
        "expires_at": record.expires_at * 1000,
        "created_at": record.created_at * 1000,
        "views_count": record.views_used,
        "views_max": record.max_views,
        "has_password": crate::gate::has_passphrase(record),
        "lang": attrs.lang,
        "note": opened.as_ref().and_then(|o| o.note.clone()),
        "domain": attrs.domain,
        "view_notification": attrs.view_notification,
        "country_block": attrs.country_block,
        "split_link": record.split.map_or(1, |s| s.total),
        "split_link_required": record.split.map_or(1, |s| s.needed),
        "view_log": view_log,
        "files": [],
    }))
}

async fn get(state: &AppState, account: &Account, form: &Form) -> Result<Reply, Reply> {
    let (record, attrs) = owned(state, account, form).await?;
    let data = describe(state, account, &record, &attrs).await?;
    Ok(Reply::ok("Secret retrieved successfully", Some(data)))
}

/// Most secrets a listing looks at (filters and pages are applied in memory).
const LIST_SCAN: u32 = 10_000;

async fn list(state: &AppState, account: &Account, form: &Form) -> Result<Reply, Reply> {
    let page = int_field(form, "page")?.unwrap_or(1);
    let limit = int_field(form, "limit")?.unwrap_or(20);
    if page < 1 {
        return Err(Reply::bad("page must be 1 or more"));
    }
    if !(1..=100).contains(&limit) {
        return Err(Reply::bad("limit must be between 1 and 100"));
    }
    let status = form.get("status").map(str::trim).filter(|s| !s.is_empty());
    if status.is_some_and(|s| !["pending", "viewed", "expired", "deleted"].contains(&s)) {
        return Err(Reply::bad(
            "status must be pending, viewed, expired or deleted",
        ));
    }
    let search = form
        .get("search")
        .map(|s| s.trim().to_lowercase())
        .filter(|s| !s.is_empty());
    let now = crate::now();
    let mut matching = Vec::new();
    for record in state
        .store
        .list(account.token.id, None, None, LIST_SCAN)
        .await?
    {
        let Some(super::Attrs::Seecret(attrs)) = super::Attrs::of(&record) else {
            continue;
        };
        if status.is_some_and(|s| s != status_name(&record, now)) {
            continue;
        }
        if let Some(needle) = &search {
            let note = open_for_account(&account.secret, &record.id, &attrs.sealed)
                .and_then(|o| o.note.clone())
                .unwrap_or_default()
                .to_lowercase();
            if !note.contains(needle.as_str())
                && !record.id.to_lowercase().contains(needle.as_str())
            {
                continue;
            }
        }
        matching.push((record, attrs));
    }
    let total = matching.len();
    let start = usize::try_from((page - 1).saturating_mul(limit)).unwrap_or(usize::MAX);
    let mut secrets = Vec::new();
    for (record, attrs) in matching.iter().skip(start).take(limit as usize) {
        secrets.push(describe(state, account, record, attrs).await?);
    }
    Ok(Reply::ok(
        "Secrets retrieved successfully",
        Some(serde_json::json!({
            "total": total,
            "page": page,
            "limit": limit,
            "secrets": secrets,
        })),
    ))
}

async fn delete(state: &AppState, account: &Account, form: &Form) -> Result<Reply, Reply> {
    let (record, _) = owned(state, account, form).await?;
    // Idempotent: a secret already viewed, expired or deleted is revoked as it is.
    sealed::burn(state, &record.id, wisp_api::BurnReason::Sender).await?;
    Ok(Reply::ok("Secret deleted successfully", None))
}

async fn update(state: &AppState, account: &Account, form: &Form) -> Result<Reply, Reply> {
    let (record, attrs) = owned(state, account, form).await?;
    let now = crate::now();
    let forbidden = || {
        Reply::error(
            StatusCode::FORBIDDEN,
            "Secret can no longer be modified: it was viewed, deleted or has expired",
        )
    };
    if !(record.state == ReceiptState::Pending && record.views_used == 0 && record.available(now)) {
        return Err(forbidden());
    }
    let new_content = form.get("seecret").filter(|s| !s.is_empty());
    let new_password = form.get("password").filter(|s| !s.is_empty());
    let delete_password = flag(form, "delete_password")?;
    if new_content.is_some_and(|c| c.len() > MAX_SECRET_BYTES) {
        return Err(Reply::bad("Secret is too large"));
    }
    let expires_at = expiry(state, form.get("expiration_date"), None)?;
    let max_views = number_view(form)?;
    let new_lang = lang(form)?;
    let reseal = new_content.is_some() || new_password.is_some() || delete_password;
    let mut payload = None;
    if reseal {
        let content = new_content.ok_or_else(|| {
            Reply::bad(
                "Changing the password needs the content (seecret) again: it is re-encrypted",
            )
        })?;
        let cle = form
            .get("cle")
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .ok_or_else(|| Reply::bad("Missing cle"))?;
        let opened = open_for_account(&account.secret, &record.id, &attrs.sealed);
        let Some(known) = opened.as_ref().and_then(|o| o.fragment.as_deref()) else {
            return Err(Reply::bad(
                "Split secrets cannot be re-encrypted; create a new one",
            ));
        };
        if !bool::from(known.as_bytes().ct_eq(cle.as_bytes())) {
            return Err(Reply::error(
                StatusCode::FORBIDDEN,
                "Wrong decryption key (cle)",
            ));
        }
        let Ok(LinkSecret::Key(link_key)) = LinkSecret::from_fragment(cle) else {
            return Err(Reply::error(
                StatusCode::FORBIDDEN,
                "Wrong decryption key (cle)",
            ));
        };
        // The old password cannot be carried over (only its Argon2id salt is stored): a
        // protected secret needs it again, or delete_password=1.
        if crate::gate::has_passphrase(&record) && new_password.is_none() && !delete_password {
            return Err(Reply::bad(
                "This secret has a password: send it again as password, or delete_password=1",
            ));
        }
        let passphrase = if delete_password {
            None
        } else {
            sealed::passphrase(new_password)
        };
        let who = crate::routes::Caller::Account(account.token.clone());
        let stored = sealed::seal(
            state,
            sealed::Owner {
                caller: &who,
                // A token's quota is the token's own: the address is not used.
                ip: std::net::Ipv4Addr::UNSPECIFIED.into(),
            },
            &link_key,
            passphrase,
            Zeroizing::new(content.as_bytes().to_vec()),
        )
        .await?;
        payload = Some(wisp_store::NewPayload {
            header: stored.header,
            verifier: stored.verifier,
            passphrase_verifier: stored.passphrase_verifier,
            size: stored.size,
            blob: stored.blob,
        });
    }
    let blob = payload.as_ref().map(|p| p.blob.clone());
    let change = Update {
        expires_at,
        max_views: max_views.map(Some),
        payload,
    };
    let Some(after) = state.store.update(&record.id, change, now).await? else {
        if let Some(blob) = blob {
            let _ = state.store.delete_blob(&blob).await;
        }
        return Err(forbidden());
    };
    let attrs = match new_lang {
        Some(lang) => {
            let attrs = Attrs { lang, ..attrs };
            state
                .store
                .set_compat(
                    &after.id,
                    Some(super::Attrs::Seecret(attrs.clone()).to_json()),
                )
                .await?;
            attrs
        }
        None => attrs,
    };
    state.publish(after.metadata_hash);
    let data = describe(state, account, &after, &attrs).await?;
    Ok(Reply::ok("Secret updated successfully", Some(data)))
}

async fn account_info(state: &AppState, account: &Account) -> Result<Reply, Reply> {
    let mut total = 0u64;
    let mut by_state = std::collections::HashMap::new();
    for (s, n) in state.store.stats(account.token.id).await? {
        total += n;
        by_state.insert(s, n);
    }
    let get = |s| by_state.get(&s).copied().unwrap_or(0);
    Ok(Reply::ok(
        "Account retrieved successfully",
        Some(serde_json::json!({
            "email": account.email(),
            "name": account.token.name,
            "subscription_active": true,
            "api_token": account.secret.as_str(),
            "stats": {
                "total": total,
                "pending": get(ReceiptState::Pending),
                "viewed": get(ReceiptState::Viewed),
                "deleted": get(ReceiptState::Burned),
                "expired": get(ReceiptState::Expired),
            },
            "domains": [],
        })),
    ))
}

/// Whether a visitor is in one of the secret's blocked countries (the country comes from a
/// trusted proxy's `CF-IPCountry` or the configured country database; when neither knows it,
/// nothing is blocked).
pub(crate) fn blocked(
    state: &AppState,
    record: &SecretRecord,
    peer: std::net::SocketAddr,
    headers: &HeaderMap,
) -> bool {
    let Some(super::Attrs::Seecret(attrs)) = super::Attrs::of(record) else {
        return false;
    };
    if attrs.country_block.is_empty() {
        return false;
    }
    crate::routes::secrets::country(state, peer, headers)
        .is_some_and(|c| attrs.country_block.contains(&c))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A server failure cannot be provoked from outside a healthy server: check its shape.
    #[tokio::test]
    async fn internal_error_keeps_the_code_message_shape() {
        let response = Reply::from(Internal).into_response();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = axum::body::to_bytes(response.into_body(), 4096)
            .await
            .expect("body");
        let body: serde_json::Value = serde_json::from_slice(&body).expect("json");
        assert_eq!(body["CODE"], 500);
        assert!(body["MESSAGE"].is_string());
    }

    #[test]
    fn account_seal_opens_only_with_the_same_token_and_id() {
        let value = AccountSealed {
            note: Some("n".into()),
            fragment: Some("f".into()),
        };
        let sealed = seal_for_account("token-a", "id-1", &value);
        let opened = open_for_account("token-a", "id-1", &sealed).expect("opens");
        assert_eq!(opened.note.as_deref(), Some("n"));
        assert!(open_for_account("token-b", "id-1", &sealed).is_none());
        assert!(open_for_account("token-a", "id-2", &sealed).is_none());
    }
}
