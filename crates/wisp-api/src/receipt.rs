//! The sender's view of a secret: receipts, batches, updates, webhook events.

use serde::{Deserialize, Serialize};

use crate::secret::Split;
use crate::Timestamp;

/// Most metadata keys one batch request (or event stream) may ask about: enough for a
/// sender's whole history in one request per interval (10,000 keys are about 300 KB of JSON).
pub const MAX_BATCH_KEYS: usize = 10_000;

/// Lifecycle of a secret as its sender sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReceiptState {
    /// Available, not viewed yet.
    Pending,
    /// Viewed at least once (still available while `views_left` > 0).
    Viewed,
    /// Burned by the sender, the recipient, or too many wrong reveal attempts.
    Burned,
    /// Expired unviewed or with views left.
    Expired,
}

impl ReceiptState {
    /// Wire form.
    pub fn as_str(self) -> &'static str {
        match self {
            ReceiptState::Pending => "pending",
            ReceiptState::Viewed => "viewed",
            ReceiptState::Burned => "burned",
            ReceiptState::Expired => "expired",
        }
    }

    /// Parses the wire form.
    pub fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "pending" => ReceiptState::Pending,
            "viewed" => ReceiptState::Viewed,
            "burned" => ReceiptState::Burned,
            "expired" => ReceiptState::Expired,
            _ => return None,
        })
    }
}

/// Why a secret burned.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BurnReason {
    /// Its sender burned it (by metadata key).
    Sender,
    /// A recipient burned it after viewing (when the sender allowed that).
    Recipient,
    /// Too many wrong passphrases, each presented with a valid link proof (v2).
    WrongPassphrase,
    /// Too many wrong reveal proofs on a v1 secret (wrong link or passphrase, not told apart).
    WrongProof,
    /// Abuse reports reached the operator's threshold.
    Reports,
}

impl BurnReason {
    /// Wire form.
    pub fn as_str(self) -> &'static str {
        match self {
            BurnReason::Sender => "sender",
            BurnReason::Recipient => "recipient",
            BurnReason::WrongPassphrase => "wrong_passphrase",
            BurnReason::WrongProof => "wrong_proof",
            BurnReason::Reports => "reports",
        }
    }

    /// Parses the wire form.
    pub fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "sender" => BurnReason::Sender,
            "recipient" => BurnReason::Recipient,
            "wrong_passphrase" => BurnReason::WrongPassphrase,
            "wrong_proof" => BurnReason::WrongProof,
            "reports" => BurnReason::Reports,
            _ => return None,
        })
    }
}

/// One view of a secret, as privacy-preserving as useful.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ViewRecord {
    /// When.
    #[serde(with = "time::serde::rfc3339")]
    pub at: Timestamp,
    /// ISO country code, when a trusted proxy says so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// First 8 hex characters of a keyed hash of the viewer's IP.
    pub client: String,
}

/// The sender's receipt.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    /// The secret id.
    pub id: String,
    /// Lifecycle state.
    pub state: ReceiptState,
    /// Whether a recipient can still reveal it.
    pub available: bool,
    /// Views so far.
    pub views_used: u32,
    /// Views left (`None` = unlimited until expiry).
    pub views_left: Option<u32>,
    /// Views allowed (`None` = unlimited).
    pub max_views: Option<u32>,
    /// Created.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: Timestamp,
    /// Expires (or expired).
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: Timestamp,
    /// Last change of state or views.
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: Timestamp,
    /// Every view.
    pub view_log: Vec<ViewRecord>,
    /// K-of-N, when split.
    pub split: Option<Split>,
    /// The encrypted creator note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Payload size in bytes.
    pub size: u64,
    /// Why it burned (only in state `burned`; absent from servers older than format v2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub burn_reason: Option<BurnReason>,
    /// Wrong passphrase attempts counted so far (v1: wrong proofs).
    #[serde(default)]
    pub wrong_attempts: u32,
}

/// Many receipts in one request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchRequest {
    /// Metadata keys (at most 1000).
    pub keys: Vec<String>,
}

/// Answer to a batch request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchResponse {
    /// Receipts found, each with its metadata key.
    pub receipts: Vec<KeyedReceipt>,
    /// Keys with no receipt (never existed, or receipt retention ended).
    pub unknown: Vec<String>,
}

/// A receipt with the metadata key it was asked for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyedReceipt {
    /// The metadata key.
    pub key: String,
    /// Its receipt.
    #[serde(flatten)]
    pub receipt: Receipt,
}

/// Changes to a not-yet-viewed secret.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateRequest {
    /// New lifetime from now, in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttl: Option<u64>,
    /// New view limit; `Some(None)` = unlimited.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "double_option"
    )]
    pub max_views: Option<Option<u32>>,
}

/// Body of a webhook call.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookEvent {
    /// `secret.viewed`, `secret.burned` or `secret.expired`.
    pub event: String,
    /// The secret id.
    pub id: String,
    /// State after the event.
    pub state: ReceiptState,
    /// Views left after the event.
    pub views_left: Option<u32>,
    /// When it happened.
    #[serde(with = "time::serde::rfc3339")]
    pub at: Timestamp,
    /// Why it burned (with `secret.burned`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<BurnReason>,
    /// Wrong passphrase attempts counted (with `secret.burned` for a wrong-passphrase burn).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wrong_attempts: Option<u32>,
}

mod double_option {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(value: &Option<Option<u32>>, s: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(inner) => inner.serialize(s),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<u32>>, D::Error> {
        Option::<u32>::deserialize(d).map(Some)
    }
}
