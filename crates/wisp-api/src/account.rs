//! The caller's account: limits, statistics, and the list of its secrets.

use serde::{Deserialize, Serialize};

use crate::receipt::Receipt;

/// Limits that apply to the caller.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountLimits {
    /// Largest payload in bytes.
    pub max_payload_bytes: u64,
    /// Shortest TTL in seconds.
    pub min_ttl: u64,
    /// Longest TTL in seconds.
    pub max_ttl: u64,
    /// Requests per minute.
    pub requests_per_minute: u32,
}

/// Counts of the account's secrets by state.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountStats {
    /// Not viewed yet.
    pub pending: u64,
    /// Viewed.
    pub viewed: u64,
    /// Burned.
    pub burned: u64,
    /// Expired.
    pub expired: u64,
}

/// `GET /api/v1/account`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    /// Token name, or `anonymous`.
    pub name: String,
    /// Whether the caller has no token.
    pub anonymous: bool,
    /// Limits.
    pub limits: AccountLimits,
    /// Secrets by state (zero for anonymous callers).
    pub stats: AccountStats,
}

/// A page of the account's secrets.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecretList {
    /// Receipts, newest first. Metadata keys are not listed: the server keeps only their hashes.
    pub secrets: Vec<Receipt>,
    /// Pass as `cursor` for the next page.
    pub next_cursor: Option<String>,
}
