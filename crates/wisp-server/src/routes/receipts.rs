//! Sender-side endpoints by metadata key: receipt, batch, push (SSE), burn, update.

use std::collections::HashMap;
use std::convert::Infallible;
use std::time::Duration;

use axum::extract::multipart::{Multipart, MultipartRejection};
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::Json;
use futures_util::Stream;
use tokio::sync::mpsc;
use wisp_api::{BatchRequest, BatchResponse, ErrorCode, KeyedReceipt, Receipt, UpdateRequest};
use wisp_store::{SecretRecord, Update};

use super::{receipt, secrets, upload, ApiJson, ApiPath, Caller};
use crate::error::{AppError, AppResult};
use crate::ids::{self, log_id};
use crate::push::Heard;
use crate::quota::Charge;
use crate::slots::Refused;
use crate::state::AppState;

/// Most keys in one batch or push subscription.
const MAX_KEYS: usize = wisp_api::MAX_BATCH_KEYS;

async fn full_receipt(state: &AppState, record: &SecretRecord) -> AppResult<Receipt> {
    let views = state.store.views(&record.id).await?;
    Ok(receipt(record, &views, crate::now()))
}

/// The record a metadata key names, for reading it (receipt, batch, push) or burning it.
/// Secrets made through a compatibility layer are included: their metadata key is the
/// sender's, and reading or burning is what the service lets that key do.
async fn record_for(state: &AppState, key: &str) -> AppResult<SecretRecord> {
    if !ids::is_metadata_key(key) {
        return Err(AppError::no_receipt());
    }
    state
        .store
        .get_by_metadata(&ids::sha256(key))
        .await?
        .ok_or_else(AppError::no_receipt)
}

/// The record a metadata key names, for changing it (`PATCH`, `PUT …/payload`). A secret
/// made through a compatibility layer cannot be changed here: its service's rules (Onetime
/// Secret's single view, Burn the Secret's anonymous caps, a sealed payload whose key the
/// server derived) would otherwise be bypassed with the metadata key.
async fn record_to_change(state: &AppState, key: &str) -> AppResult<SecretRecord> {
    let record = record_for(state, key).await?;
    if record.compat.is_some() {
        return Err(AppError::new(
            ErrorCode::NotAllowed,
            "This secret was created through a compatibility API and cannot be changed here.",
            "Burn it and create a new one, or change it through the API that created it.",
        ));
    }
    Ok(record)
}

pub(crate) async fn get_one(
    State(state): State<AppState>,
    ApiPath(key): ApiPath<String>,
) -> AppResult<Json<Receipt>> {
    let record = record_for(&state, &key).await?;
    Ok(Json(full_receipt(&state, &record).await?))
}

fn check_keys(keys: &[String]) -> AppResult<HashMap<[u8; 32], String>> {
    if keys.len() > MAX_KEYS {
        return Err(AppError::invalid(
            ErrorCode::InvalidRequest,
            format!("At most {MAX_KEYS} keys per request."),
        ));
    }
    Ok(keys
        .iter()
        .filter(|k| ids::is_metadata_key(k))
        .map(|k| (ids::sha256(k), k.clone()))
        .collect())
}

async fn keyed(
    state: &AppState,
    by_hash: &HashMap<[u8; 32], String>,
    hashes: &[[u8; 32]],
) -> AppResult<Vec<KeyedReceipt>> {
    let mut out = Vec::with_capacity(hashes.len());
    for record in state.store.get_many_by_metadata(hashes).await? {
        if let Some(key) = by_hash.get(&record.metadata_hash) {
            out.push(KeyedReceipt {
                key: key.clone(),
                receipt: full_receipt(state, &record).await?,
            });
        }
    }
    Ok(out)
}

pub(crate) async fn batch(
    State(state): State<AppState>,
    ApiJson(request): ApiJson<BatchRequest>,
) -> AppResult<Json<BatchResponse>> {
    let by_hash = check_keys(&request.keys)?;
    let hashes: Vec<[u8; 32]> = by_hash.keys().copied().collect();
    let receipts = keyed(&state, &by_hash, &hashes).await?;
    let unknown = request
        .keys
        .iter()
        .filter(|k| !receipts.iter().any(|r| &r.key == *k))
        .cloned()
        .collect();
    Ok(Json(BatchResponse { receipts, unknown }))
}

/// A push slot for `caller`: per token with one, per address (IPv6: /64) without, and
/// within the server's total. Taken before any work is done for the subscription.
fn push_slot(
    state: &AppState,
    caller: &Caller,
    peer: SocketAddr,
    headers: &HeaderMap,
) -> AppResult<crate::slots::Slot> {
    let c = &state.config.connections;
    let per_caller = match caller {
        Caller::Account(_) => c.subscriptions_per_token,
        Caller::Anonymous => c.subscriptions_per_address,
    };
    let key = caller.bucket(state.client_ip(peer, headers));
    state.subscriptions.take(Some((key, per_caller))).map_err(|refused| match refused {
        Refused::KeyFull => AppError::new(
            ErrorCode::TooManySubscriptions,
            "You have as many live subscriptions as this server allows.",
            "Close another subscription (one per account is enough), or poll /api/v1/receipts/batch.",
        ),
        Refused::Full => AppError::new(
            ErrorCode::Unavailable,
            "Too many live subscriptions on this server.",
            "Poll /api/v1/receipts/batch instead, or try again later.",
        ),
    })
}

/// Server-sent events: first the current receipt of every known key, then each change.
/// Only keys that name a secret are watched; a subscription naming none is refused.
pub(crate) async fn events(
    State(state): State<AppState>,
    caller: Caller,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    ApiJson(request): ApiJson<BatchRequest>,
) -> AppResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    let slot = push_slot(&state, &caller, peer, &headers)?;
    let mut by_hash = check_keys(&request.keys)?;
    let requested: Vec<[u8; 32]> = by_hash.keys().copied().collect();
    let found = keyed(&state, &by_hash, &requested).await?;
    // Keep only what exists: unknown keys cost the server nothing for the subscription's life.
    let known: std::collections::HashSet<&str> = found.iter().map(|r| r.key.as_str()).collect();
    by_hash.retain(|_, key| known.contains(key.as_str()));
    by_hash.shrink_to_fit();
    drop(found);
    if by_hash.is_empty() {
        return Err(AppError::new(
            ErrorCode::ReceiptNotFound,
            "None of these metadata keys names a secret.",
            "Subscribe with the keys of secrets you created; receipts are kept 30 days after a secret is gone.",
        ));
    }
    let all: Vec<[u8; 32]> = by_hash.keys().copied().collect();
    // Registered before the snapshot is read, so no change falls between the two.
    let mut changes = state.push.subscribe(all.clone());
    let snapshot = keyed(&state, &by_hash, &all).await?;
    let (tx, rx) = mpsc::channel::<Event>(64);
    tokio::spawn(async move {
        let _slot = slot;
        let send = |r: KeyedReceipt| {
            let tx = tx.clone();
            async move {
                let data = serde_json::to_string(&r).unwrap_or_default();
                tx.send(Event::default().event("receipt").data(data))
                    .await
                    .is_ok()
            }
        };
        for r in snapshot {
            if !send(r).await {
                return;
            }
        }
        loop {
            // Wake on a change or on the client going away, whichever comes first, so a
            // subscriber whose keys never change does not outlive its connection.
            let heard = tokio::select! {
                () = tx.closed() => return,
                h = changes.next() => h,
            };
            let hashes = match heard {
                Some(Heard::Changed(hash)) => vec![hash],
                // Missed some changes: resend everything rather than lose one.
                Some(Heard::Missed) => all.clone(),
                None => return,
            };
            match keyed(&state, &by_hash, &hashes).await {
                Ok(receipts) => {
                    for r in receipts {
                        if !send(r).await {
                            return;
                        }
                    }
                }
                Err(e) => tracing::warn!(code = %e.code, "push update failed"),
            }
        }
    });
    let stream =
        futures_util::stream::unfold(
            rx,
            |mut rx| async move { rx.recv().await.map(|e| (Ok(e), rx)) },
        );
    Ok(Sse::new(stream).keep_alive(
        KeepAlive::new()
            .interval(Duration::from_secs(15))
            .text("ping"),
    ))
}

pub(crate) async fn burn(
    State(state): State<AppState>,
    ApiPath(key): ApiPath<String>,
) -> AppResult<StatusCode> {
    let record = record_for(&state, &key).await?;
    // The Onetime Secret service burns a secret with a passphrase only given the
    // passphrase; its metadata key must not do here what it cannot do there.
    if matches!(
        crate::compat::Attrs::of(&record),
        Some(crate::compat::Attrs::Onetime(_))
    ) && crate::gate::has_passphrase(&record)
    {
        return Err(AppError::new(
            ErrorCode::NotAllowed,
            "This secret was created through the Onetime Secret API with a passphrase; it burns only with its passphrase.",
            "Burn it with POST /api/v1/private/METADATA_KEY/burn and passphrase=….",
        ));
    }
    let now = crate::now();
    if let Some(after) = state
        .store
        .burn(&record.id, now, wisp_api::BurnReason::Sender)
        .await?
    {
        tracing::info!(secret = log_id(&record.id), "secret burned by its sender");
        state.publish(after.metadata_hash);
        state.notifier.secret_event(&after, now);
    }
    Ok(StatusCode::NO_CONTENT)
}

/// The longest lifetime a secret may be given by whoever holds its metadata key: a secret
/// created without a token keeps the anonymous cap when it is extended or replaced.
fn creator_max_ttl(state: &AppState, record: &SecretRecord) -> u64 {
    secrets::max_ttl_with_token(state, record.account.is_some())
}

fn already_viewed() -> AppError {
    AppError::new(
        ErrorCode::AlreadyViewed,
        "This secret was already viewed, burned or has expired, so it can no longer be changed.",
        "Create a new secret instead.",
    )
}

pub(crate) async fn update(
    State(state): State<AppState>,
    ApiPath(key): ApiPath<String>,
    ApiJson(request): ApiJson<UpdateRequest>,
) -> AppResult<Json<Receipt>> {
    let record = record_to_change(&state, &key).await?;
    let limits = &state.config.limits;
    let now = crate::now();
    let max_ttl = creator_max_ttl(&state, &record);
    if let Some(ttl) = request.ttl {
        if !(limits.min_ttl..=max_ttl).contains(&ttl) {
            return Err(AppError::invalid(
                ErrorCode::InvalidOptions,
                format!(
                    "ttl must be between {} and {max_ttl} seconds.",
                    limits.min_ttl
                ),
            ));
        }
    }
    if let Some(Some(v)) = request.max_views {
        if !(1..=999).contains(&v) {
            return Err(AppError::invalid(
                ErrorCode::InvalidOptions,
                "max_views must be 1 to 999, or null for unlimited.",
            ));
        }
    }
    let change = Update {
        expires_at: request.ttl.map(|t| now + t as i64),
        max_views: request.max_views,
        payload: None,
    };
    let after = state
        .store
        .update(&record.id, change, now)
        .await?
        .ok_or_else(already_viewed)?;
    state.publish(after.metadata_hash);
    Ok(Json(full_receipt(&state, &after).await?))
}

pub(crate) async fn replace_payload(
    State(state): State<AppState>,
    ApiPath(key): ApiPath<String>,
    caller: Caller,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> AppResult<Json<Receipt>> {
    let record = record_to_change(&state, &key).await?;
    let now = crate::now();
    if !(record.state == wisp_api::ReceiptState::Pending
        && record.views_used == 0
        && record.available(now))
    {
        return Err(already_viewed());
    }
    let mut multipart = upload::multipart(multipart)?;
    let mut charge = Charge::start(
        &state,
        &caller,
        state.client_ip(peer, &headers),
        secrets::declared_length(&headers),
    )?;
    let (options, named) = upload::options_named(&mut multipart).await?;
    let checked =
        secrets::check_options(&state, &options, &caller, creator_max_ttl(&state, &record))?;
    let max = match caller {
        Caller::Anonymous => state.config.limits.anonymous_max_payload_bytes,
        Caller::Account(_) => state.config.limits.max_payload_bytes,
    };
    let uploaded = upload::payload(&mut multipart, state.store.as_ref(), max, &mut charge).await?;
    if let Err(e) = secrets::check_format(&uploaded.header, checked.passphrase_verifier.as_ref()) {
        let _ = state.store.delete_blob(&uploaded.blob).await;
        return Err(e);
    }
    let change = Update {
        expires_at: options.ttl.map(|_| now + checked.ttl as i64),
        // The view limit stays what it was unless this request names one.
        max_views: named.max_views,
        payload: Some(wisp_store::NewPayload {
            header: uploaded.header,
            verifier: checked.verifier,
            passphrase_verifier: checked.passphrase_verifier,
            size: uploaded.size,
            blob: uploaded.blob.clone(),
        }),
    };
    let Some(after) = state.store.update(&record.id, change, now).await? else {
        let _ = state.store.delete_blob(&uploaded.blob).await;
        return Err(already_viewed());
    };
    charge.keep();
    state.publish(after.metadata_hash);
    Ok(Json(full_receipt(&state, &after).await?))
}
