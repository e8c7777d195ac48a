//! Shared server state: storage, configuration, the receipt event bus and the rate limiter.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use wisp_store::Store;

use crate::config::Config;
use crate::notify::Notifier;

/// Everything a handler needs.
#[derive(Clone)]
pub struct AppState {
    /// Storage backend.
    pub store: Arc<dyn Store>,
    /// Configuration.
    pub config: Arc<Config>,
    /// Base of share URLs.
    pub public_base: Arc<str>,
    /// Push subscriptions by the receipts they watch.
    pub push: Arc<crate::push::Hub>,
    /// Requests per window per caller.
    pub limiter: Arc<RateLimiter>,
    /// Hourly windows, for layers whose service documents an hourly limit (SecLink).
    pub hourly_limiter: Arc<RateLimiter>,
    /// Argon2id runs at once (the server stretching a compatibility layer's passphrase):
    /// one per core, so passphrase floods queue instead of filling the blocking pool.
    pub kdf_slots: Arc<tokio::sync::Semaphore>,
    /// Per-minute windows for anonymous requests that carry a passphrase.
    pub kdf_limiter: Arc<RateLimiter>,
    /// Per-minute windows of passphrase attempts per (secret, client network).
    pub attempt_limiter: Arc<RateLimiter>,
    /// Country lookups by address, when a MaxMind-format database is configured.
    pub country_db: Option<Arc<crate::geo::CountryDb>>,
    /// Key for the viewer hint hash.
    pub client_key: Arc<[u8; 32]>,
    /// Webhooks and e-mail.
    pub notifier: Notifier,
    /// Live push subscriptions, in all and per address or token.
    pub subscriptions: crate::slots::Slots,
    /// Tokens found recently, so a flood of requests with one token does not make one
    /// database query each.
    pub tokens: Arc<TokenCache>,
    /// Bytes stored per caller per hour and day.
    pub quota: Arc<crate::quota::ByteQuota>,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("public_base", &self.public_base)
            .finish_non_exhaustive()
    }
}

impl AppState {
    /// Publishes a receipt change to the subscriptions watching it (none is fine).
    pub fn publish(&self, metadata_hash: [u8; 32]) {
        self.push.publish(metadata_hash);
    }

    /// The live token whose value is `token`: from the cache if it was found in the last
    /// [`TokenCache::FRESH`], from the store otherwise. Only tokens that exist are cached,
    /// so a revoked token stops working within that time.
    pub async fn find_token(
        &self,
        token: &str,
    ) -> Result<Option<wisp_store::Token>, wisp_store::StoreError> {
        let hash = crate::ids::sha256(token);
        if let Some(found) = self.tokens.get(&hash) {
            return Ok(Some(found));
        }
        let found = self.store.find_token(&hash).await?;
        if let Some(t) = &found {
            self.tokens.put(hash, t.clone());
        }
        Ok(found)
    }

    /// The caller's address, honouring `X-Forwarded-For` only behind a trusted proxy.
    pub fn client_ip(&self, peer: SocketAddr, headers: &axum::http::HeaderMap) -> std::net::IpAddr {
        if self.config.trust_proxy {
            // The last header: a proxy that adds its own header instead of appending to the
            // client's must still win over whatever the client sent.
            if let Some(ip) = headers
                .get_all("x-forwarded-for")
                .iter()
                .next_back()
                .and_then(|v| v.to_str().ok())
                // The rightmost entry is the one our trusted proxy added; the others are
                // whatever the client claimed.
                .and_then(|v| v.rsplit(',').next())
                .and_then(|v| v.trim().parse().ok())
            {
                return ip;
            }
        }
        peer.ip()
    }
}

/// Tokens found in the store in the last few seconds, by hash.
#[derive(Debug, Default)]
pub struct TokenCache {
    found: Mutex<HashMap<[u8; 32], (wisp_store::Token, std::time::Instant)>>,
}

impl TokenCache {
    /// How long a found token is trusted without asking the store again.
    pub const FRESH: std::time::Duration = std::time::Duration::from_secs(10);
    /// Most tokens kept (the map is emptied when full: it is only a cache).
    const MAX: usize = 10_000;

    fn get(&self, hash: &[u8; 32]) -> Option<wisp_store::Token> {
        let found = self.found.lock().ok()?;
        found
            .get(hash)
            .filter(|(_, at)| at.elapsed() < Self::FRESH)
            .map(|(t, _)| t.clone())
    }

    fn put(&self, hash: [u8; 32], token: wisp_store::Token) {
        if let Ok(mut found) = self.found.lock() {
            if found.len() >= Self::MAX {
                found.clear();
            }
            found.insert(hash, (token, std::time::Instant::now()));
        }
    }

    /// Whether `hash` was found recently (so a lookup costs nothing).
    pub fn knows(&self, hash: &[u8; 32]) -> bool {
        self.get(hash).is_some()
    }
}

/// Fixed one-minute windows per caller key. Enough to stop abuse of a single server; a
/// shared limiter for several replicas belongs with the distributed backends.
#[derive(Debug, Default)]
pub struct RateLimiter {
    /// (current minute, requests per caller key in it).
    windows: Mutex<(u64, HashMap<String, u32>)>,
}

/// The limiter's answer for one request.
#[derive(Clone, Copy, Debug)]
pub struct RateDecision {
    /// Whether the request may proceed.
    pub allowed: bool,
    /// The limit.
    pub limit: u32,
    /// Requests left in the window.
    pub remaining: u32,
    /// Seconds until the window resets.
    pub reset: u64,
}

impl RateLimiter {
    /// Counts one request for `key` at `now` (Unix seconds), in one-minute windows.
    pub fn check(&self, key: &str, limit: u32, now: u64) -> RateDecision {
        self.check_in(key, limit, now, 60)
    }

    /// Counts one request for `key` at `now` in fixed windows of `window_secs` (one limiter
    /// instance must always be used with the same window length).
    pub fn check_in(&self, key: &str, limit: u32, now: u64, window_secs: u64) -> RateDecision {
        let window_secs = window_secs.max(1);
        let window = now / window_secs;
        let reset = window_secs - now % window_secs;
        let Ok(mut state) = self.windows.lock() else {
            return RateDecision {
                allowed: true,
                limit,
                remaining: limit,
                reset,
            };
        };
        // A new minute starts every count afresh: drop the old window's keys at once, so the
        // map never holds more than one minute of callers.
        if state.0 != window {
            state.0 = window;
            state.1.clear();
        }
        let map = &mut state.1;
        let count = map.entry(key.to_owned()).or_insert(0);
        *count = count.saturating_add(1);
        RateDecision {
            allowed: *count <= limit,
            limit,
            remaining: limit.saturating_sub(*count),
            reset,
        }
    }
}
