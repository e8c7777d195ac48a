//! The caller's account: limits, statistics and its secrets.

use axum::extract::State;
use axum::Json;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde::Deserialize;
use wisp_api::{Account, AccountLimits, AccountStats, ErrorCode, ReceiptState, SecretList};

use super::{receipt, ApiQuery, Caller};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

pub(crate) async fn show(
    State(state): State<AppState>,
    caller: Caller,
) -> AppResult<Json<Account>> {
    let l = &state.config.limits;
    let (name, anonymous, max, rpm) = match &caller {
        Caller::Anonymous => (
            "anonymous".to_owned(),
            true,
            l.anonymous_max_payload_bytes,
            l.anonymous_requests_per_minute,
        ),
        Caller::Account(t) => (
            t.name.clone(),
            false,
            l.max_payload_bytes,
            l.requests_per_minute,
        ),
    };
    let mut stats = AccountStats::default();
    if let Caller::Account(t) = &caller {
        for (s, n) in state.store.stats(t.id).await? {
            match s {
                ReceiptState::Pending => stats.pending = n,
                ReceiptState::Viewed => stats.viewed = n,
                ReceiptState::Burned => stats.burned = n,
                ReceiptState::Expired => stats.expired = n,
            }
        }
    }
    Ok(Json(Account {
        name,
        anonymous,
        limits: AccountLimits {
            max_payload_bytes: max,
            min_ttl: l.min_ttl,
            max_ttl: super::secrets::max_ttl(&state, &caller),
            requests_per_minute: rpm,
        },
        stats,
    }))
}

#[derive(Debug, Deserialize)]
pub(crate) struct ListQuery {
    state: Option<String>,
    limit: Option<u32>,
    cursor: Option<String>,
}

pub(crate) async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> AppResult<Json<SecretList>> {
    let Caller::Account(token) = caller else {
        return Err(AppError::new(
            ErrorCode::InvalidToken,
            "Listing secrets needs an API token.",
            "Anonymous secrets are not tied to anyone; keep their metadata keys.",
        ));
    };
    let filter = match q.state.as_deref() {
        None | Some("") => None,
        Some(s) => Some(ReceiptState::parse(s).ok_or_else(|| {
            AppError::invalid(
                ErrorCode::InvalidRequest,
                "state must be pending, viewed, burned or expired.",
            )
        })?),
    };
    let limit = q.limit.unwrap_or(50).clamp(1, 200);
    let before = match q.cursor.filter(|c| !c.is_empty()) {
        Some(c) => Some(decode_cursor(&c).ok_or_else(|| {
            AppError::invalid(ErrorCode::InvalidRequest, "The cursor is not valid.")
        })?),
        None => None,
    };
    let records = state
        .store
        .list(token.id, filter, before, limit + 1)
        .await?;
    let now = crate::now();
    let mut secrets = Vec::with_capacity(records.len());
    for r in records.iter().take(limit as usize) {
        secrets.push(receipt(r, &state.store.views(&r.id).await?, now));
    }
    let next_cursor = (records.len() > limit as usize)
        .then(|| records.get(limit as usize - 1))
        .flatten()
        .map(|r| URL_SAFE_NO_PAD.encode(format!("{}:{}", r.created_at, r.id)));
    Ok(Json(SecretList {
        secrets,
        next_cursor,
    }))
}

fn decode_cursor(cursor: &str) -> Option<(i64, String)> {
    let text = String::from_utf8(URL_SAFE_NO_PAD.decode(cursor).ok()?).ok()?;
    let (at, id) = text.split_once(':')?;
    Some((at.parse().ok()?, id.to_owned()))
}
