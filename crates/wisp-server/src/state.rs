//! Shared server state: storage, configuration, the receipt event bus and the rate limiter.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use tokio::sync::broadcast;
use wisp_store::Store;

use crate::config::Config;
use crate::notify::Notifier;

/// A change to a secret's receipt, published to push subscribers and notifiers.
#[derive(Clone, Debug)]
pub struct ReceiptChanged {
    /// SHA-256 of the metadata key (subscribers match on it).
    pub metadata_hash: [u8; 32],
    /// The secret id.
    pub id: String,
}

/// Everything a handler needs.
#[derive(Clone)]
pub struct AppState {
    /// Storage backend.
    pub store: Arc<dyn Store>,
    /// Configuration.
    pub config: Arc<Config>,
    /// Base of share URLs.
    pub public_base: Arc<str>,
    /// Receipt changes, for server-sent events.
    pub events: broadcast::Sender<ReceiptChanged>,
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
    /// Live push subscriptions (each holds one permit while its connection lasts).
    pub subscriptions: Arc<tokio::sync::Semaphore>,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("public_base", &self.public_base)
            .finish_non_exhaustive()
    }
}

impl AppState {
    /// Publishes a receipt change (no subscribers is fine).
    pub fn publish(&self, metadata_hash: [u8; 32], id: &str) {
        let _ = self.events.send(ReceiptChanged {
            metadata_hash,
            id: id.to_owned(),
        });
    }

    /// The caller's address, honouring `X-Forwarded-For` only behind a trusted proxy.
    pub fn client_ip(&self, peer: SocketAddr, headers: &axum::http::HeaderMap) -> std::net::IpAddr {
        if self.config.trust_proxy {
            if let Some(ip) = headers
                .get("x-forwarded-for")
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
