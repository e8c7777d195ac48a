//! What the store keeps about a secret, a view, a token.

use wisp_api::{BurnReason, ReceiptState, Split};

use crate::blob::BlobRef;
use crate::UnixTime;

/// Everything needed to insert a secret.
#[derive(Clone, Debug)]
pub struct NewSecret {
    /// Secret id (public, in the link).
    pub id: String,
    /// SHA-256 of the metadata key (the key itself is never stored).
    pub metadata_hash: [u8; 32],
    /// Owning account (API token id), if any.
    pub account: Option<i64>,
    /// SHA-256 of the link proof (v1: of the reveal proof).
    pub verifier: [u8; 32],
    /// SHA-256 of the passphrase proof (v2 payloads with a passphrase).
    pub passphrase_verifier: Option<[u8; 32]>,
    /// The payload's public header.
    pub header: Vec<u8>,
    /// Payload size in bytes.
    pub size: u64,
    /// View limit (`None` = unlimited).
    pub max_views: Option<u32>,
    /// Split parameters, for display.
    pub split: Option<Split>,
    /// Encrypted creator note (base64url).
    pub note: Option<String>,
    /// Whether the recipient may burn after viewing.
    pub recipient_can_burn: bool,
    /// Webhook URL.
    pub webhook_url: Option<String>,
    /// E-mail to notify on view.
    pub notify_email: Option<String>,
    /// Creation time.
    pub created_at: UnixTime,
    /// Expiry time.
    pub expires_at: UnixTime,
    /// Where the committed payload is.
    pub blob: BlobRef,
    /// Attributes of the compatibility layer that created it (its own JSON; never a key
    /// or plaintext), `None` for secrets created through Wisp's own API.
    pub compat: Option<String>,
}

/// A stored secret.
#[derive(Clone, Debug)]
pub struct SecretRecord {
    /// Secret id.
    pub id: String,
    /// SHA-256 of the metadata key.
    pub metadata_hash: [u8; 32],
    /// Owning account.
    pub account: Option<i64>,
    /// Lifecycle state.
    pub state: ReceiptState,
    /// SHA-256 of the link proof (v1: of the reveal proof).
    pub verifier: [u8; 32],
    /// SHA-256 of the passphrase proof (v2 payloads with a passphrase).
    pub passphrase_verifier: Option<[u8; 32]>,
    /// Public payload header.
    pub header: Vec<u8>,
    /// Payload size.
    pub size: u64,
    /// View limit.
    pub max_views: Option<u32>,
    /// Views taken.
    pub views_used: u32,
    /// Wrong passphrase proofs so far (v1: wrong reveal proofs).
    pub wrong_proofs: u32,
    /// Why it burned, when it did.
    pub burn_reason: Option<BurnReason>,
    /// Split parameters.
    pub split: Option<Split>,
    /// Encrypted note.
    pub note: Option<String>,
    /// Recipient may burn.
    pub recipient_can_burn: bool,
    /// Webhook URL.
    pub webhook_url: Option<String>,
    /// Notification e-mail.
    pub notify_email: Option<String>,
    /// Created.
    pub created_at: UnixTime,
    /// Expires.
    pub expires_at: UnixTime,
    /// Last change.
    pub updated_at: UnixTime,
    /// The payload, while it exists.
    pub blob: Option<BlobRef>,
    /// Compatibility-layer attributes (see [`NewSecret::compat`]).
    pub compat: Option<String>,
}

impl SecretRecord {
    /// Views left (`None` = unlimited).
    pub fn views_left(&self) -> Option<u32> {
        self.max_views.map(|m| m.saturating_sub(self.views_used))
    }

    /// Whether a recipient can reveal it at `now`.
    pub fn available(&self, now: UnixTime) -> bool {
        matches!(self.state, ReceiptState::Pending | ReceiptState::Viewed)
            && self.views_left() != Some(0)
            && now < self.expires_at
            && self.blob.is_some()
    }
}

/// The outcome of a successful [`crate::Store::claim_view`].
#[derive(Clone, Debug)]
pub struct Claim {
    /// The record after the claim.
    pub record: SecretRecord,
    /// The payload to stream (still present even if this was the last view).
    pub blob: BlobRef,
}

/// The outcome of [`crate::Store::record_wrong_proof`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WrongProof {
    /// Attempts left before burning (0 = burned now).
    pub attempts_left: u32,
    /// Whether this attempt burned the secret.
    pub burned: bool,
}

/// One view in the log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ViewEntry {
    /// When.
    pub at: UnixTime,
    /// Country code from a trusted proxy header.
    pub country: Option<String>,
    /// Truncated keyed hash of the viewer's IP.
    pub client: String,
}

/// A download token issued with a claimed view (stored as its SHA-256), so an interrupted
/// download can resume without spending another view.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DownloadToken {
    /// SHA-256 of the token.
    pub hash: [u8; 32],
    /// When it stops working.
    pub expires_at: UnixTime,
}

/// Changes to a not-yet-viewed secret.
#[derive(Clone, Debug, Default)]
pub struct Update {
    /// New expiry.
    pub expires_at: Option<UnixTime>,
    /// New view limit (`Some(None)` = unlimited).
    pub max_views: Option<Option<u32>>,
    /// New payload.
    pub payload: Option<NewPayload>,
}

/// A replacement payload for a secret not viewed yet.
#[derive(Clone, Debug)]
pub struct NewPayload {
    /// Its public header.
    pub header: Vec<u8>,
    /// SHA-256 of its link proof.
    pub verifier: [u8; 32],
    /// SHA-256 of its passphrase proof, if it has a passphrase.
    pub passphrase_verifier: Option<[u8; 32]>,
    /// Its size.
    pub size: u64,
    /// Where it is.
    pub blob: BlobRef,
}

/// An API token (its hash is not exposed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    /// Account id.
    pub id: i64,
    /// Unique name.
    pub name: String,
    /// Created.
    pub created_at: UnixTime,
}

/// One abuse report on a secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AbuseReport {
    /// The reported secret.
    pub secret_id: String,
    /// Keyed hash of the reporter's address.
    pub reporter: String,
    /// What the reporter said, if anything.
    pub reason: Option<String>,
    /// When.
    pub at: UnixTime,
}
