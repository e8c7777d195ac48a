//! Creating a secret and reading its public status.

use serde::{Deserialize, Serialize};

use crate::Timestamp;

/// K-of-N split parameters, for display (the server never sees parts).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Split {
    /// Parts needed (K).
    pub needed: u8,
    /// Parts made (N).
    pub total: u8,
}

/// Where the server reports events of a secret.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notify {
    /// Receives signed `secret.viewed` / `secret.burned` / `secret.expired` events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook_url: Option<String>,
    /// Receives an e-mail when the secret is viewed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

/// The `options` part of a create request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateOptions {
    /// Lifetime in seconds (bounded by the server's configuration).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttl: Option<u64>,
    /// Views before the secret burns (1–999); `None` = unlimited until expiry.
    #[serde(default = "default_max_views")]
    pub max_views: Option<u32>,
    /// base64url SHA-256 of the link proof (v2).
    pub verifier: String,
    /// base64url SHA-256 of the passphrase proof: required for a v2 payload whose header
    /// says it has a passphrase, refused otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passphrase_verifier: Option<String>,
    /// Split parameters, for display.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub split: Option<Split>,
    /// A creator note encrypted by the client (base64url), shown on the receipt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Whether the recipient may burn the secret after viewing.
    #[serde(default = "default_true")]
    pub recipient_can_burn: bool,
    /// Notification settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notify: Option<Notify>,
    /// E-mail the recipient a link. Zero-knowledge: the server never receives a whole key,
    /// so the e-mail carries either no key (the sender passes it on separately) or one part
    /// of a split link (`send_to_part`), fewer than needed to open it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub send_to: Option<String>,
    /// One part of a split link (the fragment after `#`) to put in the recipient's e-mail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub send_to_part: Option<String>,
}

fn default_max_views() -> Option<u32> {
    Some(1)
}

fn default_true() -> bool {
    true
}

/// Answer to a create request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Created {
    /// The secret id (goes in the link).
    pub id: String,
    /// The sender's receipt key: status, burn, update. Keep it private.
    pub metadata_key: String,
    /// Share URL without the fragment.
    pub url: String,
    /// When it expires.
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: Timestamp,
    /// Views allowed (`None` = unlimited).
    pub max_views: Option<u32>,
    /// Stored payload size in bytes.
    pub size: u64,
}

/// Public status of a secret, readable by anyone with its id. Never counts as a view.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecretStatus {
    /// The secret id.
    pub id: String,
    /// base64url of the payload header (Argon2 parameters and salt, key check).
    pub header: String,
    /// Whether a passphrase is needed.
    pub needs_passphrase: bool,
    /// K-of-N, when the link was split.
    pub split: Option<Split>,
    /// Views left (`None` = unlimited).
    pub views_left: Option<u32>,
    /// When it expires.
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: Timestamp,
    /// Payload size in bytes (padded, so approximate).
    pub size: u64,
    /// Whether the recipient may burn it after viewing.
    pub recipient_can_burn: bool,
}
