//! Recipient-side endpoints by secret id (status, reveal, resume, burn) and create.

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use tokio_util::io::ReaderStream;
use wisp_api::{BurnReason, CreateOptions, Created, ErrorCode, SecretStatus};
use wisp_crypto::{FormatVersion, PayloadHeader, RevealProof, RevealVerifier};
use wisp_store::{NewSecret, ViewEntry};

use super::upload;
use super::{timestamp, ApiPath, Caller};
use crate::error::{AppError, AppResult};
use crate::gate::{self, Presented};
use crate::ids::{self, log_id};
use crate::notify::check_webhook_url;
use crate::quota::Charge;
use crate::state::AppState;

/// Validated create options, ready for storage.
pub(crate) struct Checked {
    pub ttl: u64,
    pub max_views: Option<u32>,
    pub verifier: [u8; 32],
    pub passphrase_verifier: Option<[u8; 32]>,
}

/// The body length a request declares (`Content-Length`), if any.
pub(crate) fn declared_length(headers: &HeaderMap) -> Option<u64> {
    headers
        .get(axum::http::header::CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()
}

/// The longest TTL `caller` may ask for.
pub(crate) fn max_ttl(state: &AppState, caller: &Caller) -> u64 {
    max_ttl_with_token(state, matches!(caller, Caller::Account(_)))
}

/// The longest TTL of a secret made with a token or without one.
pub(crate) fn max_ttl_with_token(state: &AppState, token: bool) -> u64 {
    let limits = &state.config.limits;
    if token {
        limits.max_ttl
    } else {
        limits.anonymous_max_ttl.min(limits.max_ttl)
    }
}

/// Checks create options from `caller`; `max_ttl` is the longest lifetime the secret may
/// have (the caller's on create, the creator's when a payload is replaced).
pub(crate) fn check_options(
    state: &AppState,
    o: &CreateOptions,
    caller: &Caller,
    max_ttl: u64,
) -> AppResult<Checked> {
    let limits = &state.config.limits;
    let bad = |m: String| AppError::invalid(ErrorCode::InvalidOptions, m);
    let ttl = o.ttl.unwrap_or(limits.default_ttl.min(max_ttl));
    if !(limits.min_ttl..=max_ttl).contains(&ttl) {
        let who = match caller {
            Caller::Anonymous => " without an API token",
            Caller::Account(_) => "",
        };
        return Err(bad(format!(
            "ttl must be between {} and {max_ttl} seconds{who}.",
            limits.min_ttl
        )));
    }
    let wants_mail = o.send_to.is_some() || o.notify.as_ref().is_some_and(|n| n.email.is_some());
    if wants_mail && matches!(caller, Caller::Anonymous) {
        // The server would otherwise send mail for anyone, under the operator's domain.
        return Err(AppError::new(
            ErrorCode::InvalidOptions,
            "E-mail (send_to, notify.email) needs an API token.",
            "Send the link yourself, or use an API token from this server's operator.",
        ));
    }
    if let Some(v) = o.max_views {
        if !(1..=999).contains(&v) {
            return Err(bad(
                "max_views must be 1 to 999, or null for unlimited.".into()
            ));
        }
    }
    let verifier = RevealVerifier::from_base64url(&o.verifier).map_err(|_| {
        bad("verifier must be base64url of 32 bytes (SHA-256 of the link proof).".into())
    })?;
    let passphrase_verifier = o
        .passphrase_verifier
        .as_deref()
        .map(RevealVerifier::from_base64url)
        .transpose()
        .map_err(|_| {
            bad("passphrase_verifier must be base64url of 32 bytes (SHA-256 of the passphrase proof).".into())
        })?;
    if let Some(s) = o.split {
        if s.needed < 2 || s.total < s.needed || s.total > 10 {
            return Err(bad("split must have 2 ≤ needed ≤ total ≤ 10.".into()));
        }
    }
    if let Some(note) = &o.note {
        if note.len() > 4096 || URL_SAFE_NO_PAD.decode(note).is_err() {
            return Err(bad(
                "note must be base64url, at most 4096 characters.".into()
            ));
        }
    }
    if let Some(notify) = &o.notify {
        if let Some(url) = &notify.webhook_url {
            check_webhook_url(url, state.config.webhooks_allow_private)
                .map_err(|m| bad(m.into()))?;
        }
        if let Some(email) = &notify.email {
            check_email(state, email).map_err(bad)?;
        }
    }
    if let Some(email) = &o.send_to {
        check_email(state, email).map_err(bad)?;
    }
    if let Some(part) = &o.send_to_part {
        if o.send_to.is_none() {
            return Err(bad("send_to_part needs send_to.".into()));
        }
        // Refuse anything but one part of a split: the server must never hold a whole key.
        match wisp_crypto::LinkSecret::from_fragment(part) {
            Ok(wisp_crypto::LinkSecret::Part(_)) => {}
            _ => {
                return Err(bad(
                    "send_to_part must be one part of a split link; a whole key is never accepted."
                        .into(),
                ))
            }
        }
    }
    Ok(Checked {
        ttl,
        max_views: o.max_views,
        verifier: *verifier.as_bytes(),
        passphrase_verifier: passphrase_verifier.map(|v| *v.as_bytes()),
    })
}

/// Checks that an uploaded payload's header is format v2 and agrees with the verifiers:
/// a passphrase verifier exactly when the header says there is a passphrase. Nothing new
/// is stored in v1, whose key check lets a link holder guess its passphrase offline.
pub(crate) fn check_format(header: &[u8], passphrase_verifier: Option<&[u8; 32]>) -> AppResult<()> {
    let (parsed, _) = PayloadHeader::parse(header).map_err(|e| {
        AppError::invalid(
            ErrorCode::InvalidPayload,
            format!("The payload header is invalid: {e}."),
        )
    })?;
    if parsed.version != FormatVersion::V2 {
        return Err(AppError::new(
            ErrorCode::OutdatedFormat,
            "This payload uses format v1, which this server no longer accepts for new secrets.",
            "Update your Wisp client: format v2 keeps passphrases from being guessed offline.",
        ));
    }
    match (parsed.needs_passphrase(), passphrase_verifier.is_some()) {
        (true, false) => Err(AppError::invalid(
            ErrorCode::InvalidOptions,
            "The payload has a passphrase, but the options have no passphrase_verifier.",
        )),
        (false, true) => Err(AppError::invalid(
            ErrorCode::InvalidOptions,
            "passphrase_verifier was given for a payload without a passphrase.",
        )),
        _ => Ok(()),
    }
}

fn check_email(state: &AppState, email: &str) -> Result<(), String> {
    if !state.notifier.mail_enabled() {
        return Err("E-mail is not enabled on this server.".into());
    }
    let ok = email.len() <= 254
        && email
            .split_once('@')
            .is_some_and(|(user, host)| !user.is_empty() && host.contains('.'))
        && email.parse::<lettre::message::Mailbox>().is_ok();
    if ok {
        Ok(())
    } else {
        Err(format!("{email:?} is not an e-mail address."))
    }
}

pub(crate) async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> AppResult<(StatusCode, Json<Created>)> {
    let limits = &state.config.limits;
    if matches!(caller, Caller::Anonymous) && !limits.anonymous {
        return Err(AppError::new(
            ErrorCode::AnonymousDisabled,
            "This server does not accept secrets without an API token.",
            "Ask the server's operator for a token and send it as `Authorization: Bearer …`.",
        ));
    }
    let mut charge = Charge::start(
        &state,
        &caller,
        state.client_ip(peer, &headers),
        declared_length(&headers),
    )?;
    let mut multipart = upload::multipart(multipart)?;
    let options = upload::options(&mut multipart).await?;
    let checked = check_options(&state, &options, &caller, max_ttl(&state, &caller))?;
    let max = match caller {
        Caller::Anonymous => limits.anonymous_max_payload_bytes,
        Caller::Account(_) => limits.max_payload_bytes,
    };
    let uploaded = upload::payload(&mut multipart, state.store.as_ref(), max, &mut charge).await?;
    if let Err(e) = check_format(&uploaded.header, checked.passphrase_verifier.as_ref()) {
        let _ = state.store.delete_blob(&uploaded.blob).await;
        return Err(e);
    }
    let now = crate::now();
    let id = ids::random_id();
    let metadata_key = ids::random_id();
    let notify = options.notify.unwrap_or_default();
    let secret = NewSecret {
        id: id.clone(),
        metadata_hash: ids::sha256(&metadata_key),
        account: caller.account_id(),
        verifier: checked.verifier,
        passphrase_verifier: checked.passphrase_verifier,
        header: uploaded.header,
        size: uploaded.size,
        max_views: checked.max_views,
        split: options.split,
        note: options.note,
        recipient_can_burn: options.recipient_can_burn,
        webhook_url: notify.webhook_url,
        notify_email: notify.email,
        created_at: now,
        expires_at: now + checked.ttl as i64,
        blob: uploaded.blob.clone(),
        compat: None,
    };
    if let Err(e) = state.store.insert(secret).await {
        let _ = state.store.delete_blob(&uploaded.blob).await;
        return Err(e.into());
    }
    charge.keep();
    tracing::info!(secret = log_id(&id), size = uploaded.size, "secret created");
    if let Some(to) = &options.send_to {
        let link = match &options.send_to_part {
            Some(part) => format!("{}/s/{id}#{part}", state.public_base),
            None => format!("{}/s/{id}", state.public_base),
        };
        let key_note = if options.send_to_part.is_some() {
            "This link is one part of a split link: the sender will give you the other part(s) another way."
        } else {
            "The key that opens it is not in this e-mail: the sender will give it to you another way."
        };
        state.notifier.email_for(
            caller.account_id(),
            to,
            "Someone shared a secret with you".into(),
            format!("Someone shared a secret with you using Wisp.\n\n{link}\n\n{key_note}\nThe secret burns after it is viewed or when it expires.\n"),
        );
    }
    Ok((
        StatusCode::CREATED,
        Json(Created {
            url: format!("{}/s/{id}", state.public_base),
            id,
            metadata_key,
            expires_at: timestamp(now + checked.ttl as i64),
            max_views: checked.max_views,
            size: uploaded.size,
        }),
    ))
}

pub(crate) async fn status(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> AppResult<Json<SecretStatus>> {
    let record = available(&state, &id, crate::now()).await?;
    Ok(Json(SecretStatus {
        header: URL_SAFE_NO_PAD.encode(&record.header),
        needs_passphrase: gate::has_passphrase(&record),
        split: record.split,
        views_left: record.views_left(),
        expires_at: timestamp(record.expires_at),
        size: record.size,
        recipient_can_burn: record.recipient_can_burn,
        id: record.id,
    }))
}

/// The record of a secret a recipient may still reveal; one answer for everything else
/// (never existed, viewed, burned, expired), so callers cannot leak which.
async fn available(state: &AppState, id: &str, now: i64) -> AppResult<wisp_store::SecretRecord> {
    if !ids::is_id(id) {
        return Err(AppError::unavailable());
    }
    state
        .store
        .get(id)
        .await?
        .filter(|r| r.available(now))
        .ok_or_else(AppError::unavailable)
}

/// The view-log entry for a reveal by `peer`: the country from a trusted proxy's
/// `CF-IPCountry`, and a keyed hash of the address instead of the address.
pub(crate) fn view_entry(
    state: &AppState,
    peer: SocketAddr,
    headers: &HeaderMap,
    now: i64,
) -> ViewEntry {
    let ip = state.client_ip(peer, headers);
    ViewEntry {
        at: now,
        country: country(state, peer, headers),
        client: ids::client_hint(state.client_key.as_ref(), ip),
    }
}

/// The caller's country (ISO 3166 alpha-2, upper case): from `CF-IPCountry` behind a
/// trusted proxy, else from the configured country database, else unknown.
pub(crate) fn country(state: &AppState, peer: SocketAddr, headers: &HeaderMap) -> Option<String> {
    let from_proxy = state
        .config
        .trust_proxy
        .then(|| headers.get("cf-ipcountry").and_then(|v| v.to_str().ok()))
        .flatten()
        .filter(|c| c.len() == 2 && c.bytes().all(|b| b.is_ascii_alphabetic()))
        .map(|c| c.to_ascii_uppercase());
    from_proxy.or_else(|| {
        state
            .country_db
            .as_ref()
            .and_then(|db| db.country(state.client_ip(peer, headers)))
    })
}

fn proof_header(headers: &HeaderMap, name: &str) -> AppResult<Option<RevealProof>> {
    let invalid = || {
        AppError::new(
            ErrorCode::InvalidProof,
            format!("The {name} header is malformed."),
            "Send base64url of 32 bytes, derived from the link's key (and passphrase) as docs/crypto.md says.",
        )
    };
    match headers.get(name) {
        None => Ok(None),
        Some(v) => {
            let text = v.to_str().map_err(|_| invalid())?;
            RevealProof::from_base64url(text)
                .map(Some)
                .map_err(|_| invalid())
        }
    }
}

/// The proofs of a request: `Wisp-Reveal-Proof` (required) and `Wisp-Passphrase-Proof`.
fn presented(headers: &HeaderMap) -> AppResult<Presented> {
    let link = proof_header(headers, wisp_api::HEADER_REVEAL_PROOF)?.ok_or_else(|| {
        AppError::new(
            ErrorCode::InvalidProof,
            "The reveal proof is missing.",
            "Send `Wisp-Reveal-Proof: <base64url of 32 bytes>`, derived from the link's key.",
        )
    })?;
    let passphrase = proof_header(headers, wisp_api::HEADER_PASSPHRASE_PROOF)?;
    Ok(Presented { link, passphrase })
}

/// The record of an available secret whose gate the request's proofs open.
async fn opened(
    state: &AppState,
    id: &str,
    peer: SocketAddr,
    headers: &HeaderMap,
) -> AppResult<wisp_store::SecretRecord> {
    let presented = presented(headers)?;
    let record = available(state, id, crate::now()).await?;
    gate::check(state, &record, &presented, state.client_ip(peer, headers))
        .await
        .map_err(gate::Denied::into_app_error)?;
    Ok(record)
}

pub(crate) async fn reveal(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let record = opened(&state, &id, peer, &headers).await?;
    let now = crate::now();
    // After the proofs: only someone holding the link learns that the secret blocks
    // countries (and which outcome their own country gets).
    if crate::compat::seecret::blocked(&state, &record, peer, &headers) {
        return Err(AppError::new(
            ErrorCode::NotAllowed,
            "This secret cannot be opened from your country.",
            "The sender blocked some countries for this secret.",
        ));
    }
    let view = view_entry(&state, peer, &headers, now);
    // Open the payload before spending a view: once open, the sweeper deleting the file
    // cannot turn a spent view into an error.
    let blob = record.blob.clone().ok_or_else(AppError::unavailable)?;
    let file = state
        .store
        .open_blob(&blob, 0)
        .await
        .map_err(|_| AppError::unavailable())?;
    // The atomic step: of concurrent reveals for the last view, exactly one gets a claim,
    // and only while the verifier the proof was checked against is still the secret's.
    let token = ids::random_id();
    let download = wisp_store::DownloadToken {
        hash: ids::sha256(&token),
        expires_at: now + state.config.limits.resume_window as i64,
    };
    let claim = state
        .store
        .claim_view(
            &id,
            &record.verifier,
            record.passphrase_verifier.as_ref(),
            now,
            view,
            Some(download),
        )
        .await?
        .ok_or_else(AppError::unavailable)?;
    tracing::info!(secret = log_id(&id), views_left = ?claim.record.views_left(), "secret revealed");
    state.publish(claim.record.metadata_hash);
    state.notifier.secret_event(&claim.record, now);

    let mut response = payload_response(file, claim.record.size);
    let h = response.headers_mut();
    insert(h, wisp_api::HEADER_DOWNLOAD_TOKEN, &token);
    if let Some(left) = claim.record.views_left() {
        insert(h, wisp_api::HEADER_VIEWS_LEFT, &left.to_string());
    }
    Ok(response)
}

/// Streams a payload file (64 KiB reads, so memory stays flat for any size).
fn payload_response(file: wisp_store::PayloadReader, len: u64) -> Response {
    // A buffer no larger than the payload: most secrets are a few KiB.
    let capacity = len.clamp(1, 64 * 1024) as usize;
    let mut response =
        Body::from_stream(ReaderStream::with_capacity(file, capacity)).into_response();
    let h = response.headers_mut();
    h.insert(
        "content-type",
        HeaderValue::from_static("application/octet-stream"),
    );
    insert(h, "content-length", &len.to_string());
    response
}

fn insert(headers: &mut HeaderMap, name: &'static str, value: &str) {
    if let Ok(v) = HeaderValue::from_str(value) {
        headers.insert(name, v);
    }
}

/// `N` of `bytes=N-`, the only Range a resume uses: digits only (Rust's integer parse would
/// also take `+5`), as RFC 9110 writes `first-pos = 1*DIGIT`.
fn resume_offset(range: &str) -> Option<u64> {
    let n = range.strip_prefix("bytes=")?.strip_suffix('-')?;
    if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    n.parse().ok()
}

pub(crate) async fn resume(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let invalid = || {
        AppError::new(
            ErrorCode::InvalidDownloadToken,
            "This download can no longer be resumed.",
            "Resuming works for 10 minutes after the reveal, with the Wisp-Download-Token it returned.",
        )
    };
    let token = headers
        .get(wisp_api::HEADER_DOWNLOAD_TOKEN)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(invalid)?;
    let now = crate::now();
    if !ids::is_id(&id)
        || !state
            .store
            .check_download_token(&ids::sha256(token), &id, now)
            .await?
    {
        return Err(invalid());
    }
    let record = state.store.get(&id).await?.ok_or_else(invalid)?;
    let blob = record.blob.clone().ok_or_else(invalid)?;
    // Only the open-ended form `bytes=N-` is a resume; without a Range the whole payload
    // comes back as 200, and any other form is answered as "not satisfiable".
    let range = headers.get("range").and_then(|v| v.to_str().ok());
    let offset = match range {
        None => None,
        Some(r) => match resume_offset(r) {
            Some(n) if n < record.size => Some(n),
            _ => {
                let mut response = AppError::invalid(
                    ErrorCode::InvalidRequest,
                    "Only `Range: bytes=N-` within the payload can be resumed.",
                )
                .into_response();
                *response.status_mut() = StatusCode::RANGE_NOT_SATISFIABLE;
                insert(
                    response.headers_mut(),
                    "content-range",
                    &format!("bytes */{}", record.size),
                );
                return Ok(response);
            }
        },
    };
    let start = offset.unwrap_or(0);
    let file = state.store.open_blob(&blob, start).await?;
    let mut response = payload_response(file, record.size - start);
    if offset.is_some() {
        *response.status_mut() = StatusCode::PARTIAL_CONTENT;
        insert(
            response.headers_mut(),
            "content-range",
            &format!("bytes {start}-{}/{}", record.size - 1, record.size),
        );
    }
    Ok(response)
}

pub(crate) async fn recipient_burn(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> AppResult<StatusCode> {
    // The same gate as a reveal: the link, and the passphrase where there is one (a link
    // that leaked without its passphrase must not be able to destroy the secret). Anything
    // not available gets the status's answer, so a burn attempt tells nothing either.
    let record = opened(&state, &id, peer, &headers).await?;
    let now = crate::now();
    if !record.recipient_can_burn {
        return Err(AppError::new(
            ErrorCode::NotAllowed,
            "The sender did not allow recipients to burn this secret.",
            "It will burn by itself after its last view or at expiry.",
        ));
    }
    if let Some(after) = state.store.burn(&id, now, BurnReason::Recipient).await? {
        tracing::info!(secret = log_id(&id), "secret burned by its recipient");
        state.publish(after.metadata_hash);
        state.notifier.secret_event(&after, now);
    }
    Ok(StatusCode::NO_CONTENT)
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_digits_make_a_resume_offset() {
        assert_eq!(super::resume_offset("bytes=5-"), Some(5));
        assert_eq!(super::resume_offset("bytes=0-"), Some(0));
        for bad in [
            "bytes=+5-",
            "bytes=-5",
            "bytes=5-9",
            "bytes= 5-",
            "bytes=-",
            "items=5-",
        ] {
            assert_eq!(super::resume_offset(bad), None, "{bad}");
        }
    }
}
