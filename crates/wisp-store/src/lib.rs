//! Storage for Wisp's server: what a secret's record holds, the [`Store`] trait every backend
//! implements, and the embedded default backend ([`sqlite::SqliteStore`]: one SQLite file in
//! WAL mode plus a directory of payload files, no setup).
//!
//! The trait makes the security-relevant steps explicit and atomic in the backend, so a
//! backend cannot get them subtly wrong in the server: [`Store::claim_view`] (two concurrent
//! reveals of a view-once secret: exactly one wins), [`Store::record_wrong_proof`] (counting
//! and burning), and [`Store::burn`] (the payload is deleted, the receipt stays).
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod blob;
pub mod record;
pub mod sqlite;

use async_trait::async_trait;

pub use blob::{BlobRef, BlobWriter};
pub use record::{
    AbuseReport, Claim, DownloadToken, NewPayload, NewSecret, SecretRecord, Token, Update,
    ViewEntry, WrongProof,
};
pub use wisp_api::{BurnReason, ReceiptState};

/// Storage failures. Callers map every variant to a 500 except the ones named otherwise.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// A unique value (secret id, metadata key hash, token name) already exists.
    #[error("already exists: {0}")]
    Conflict(&'static str),
    /// The record database failed (the backend's own error is the source; the type names
    /// no backend, so the server does not depend on which one is configured).
    #[error("database error: {0}")]
    Database(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// The payload directory failed.
    #[error("payload storage error: {0}")]
    Io(#[from] std::io::Error),
    /// A background task panicked or was cancelled.
    #[error("storage task failed: {0}")]
    Task(String),
    /// A stored value could not be decoded (corruption or a newer schema).
    #[error("stored data is invalid: {0}")]
    Corrupt(String),
}

/// A payload being read, from wherever the backend keeps it.
pub type PayloadReader = Box<dyn tokio::io::AsyncRead + Send + Unpin>;

/// Result alias for storage operations.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Seconds since the Unix epoch; the store's only clock unit.
pub type UnixTime = i64;

/// One storage backend. All methods are atomic with respect to each other.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Stores a new secret whose payload is already committed under `secret.blob`.
    async fn insert(&self, secret: NewSecret) -> Result<()>;

    /// The record of a secret by id, whatever its state.
    async fn get(&self, id: &str) -> Result<Option<SecretRecord>>;

    /// The record of a secret by the SHA-256 of its metadata key.
    async fn get_by_metadata(&self, metadata_hash: &[u8; 32]) -> Result<Option<SecretRecord>>;

    /// Records for many metadata key hashes in one round trip (unknown ones are skipped).
    async fn get_many_by_metadata(&self, hashes: &[[u8; 32]]) -> Result<Vec<SecretRecord>>;

    /// Atomically takes one view if the secret is still available at `now` and its verifiers
    /// are still `verifier` and `passphrase_verifier` (a payload replaced after the proofs
    /// were checked must not be revealed with the old proofs): exactly one of any number of
    /// concurrent callers gets the last view. Appends `view` to the log and stores
    /// `download` (if any) in the same transaction: one write per reveal.
    async fn claim_view(
        &self,
        id: &str,
        verifier: &[u8; 32],
        passphrase_verifier: Option<&[u8; 32]>,
        now: UnixTime,
        view: ViewEntry,
        download: Option<DownloadToken>,
    ) -> Result<Option<Claim>>;

    /// Counts a wrong passphrase (v1: reveal) proof on a secret still available, atomically;
    /// burns it with `reason` when `limit` is reached. `None` when the secret was no longer
    /// available (nothing counted): of any number of concurrent wrong attempts exactly
    /// `limit` are counted.
    async fn record_wrong_proof(
        &self,
        id: &str,
        limit: u32,
        now: UnixTime,
        reason: BurnReason,
    ) -> Result<Option<WrongProof>>;

    /// Burns a secret (by id) that is still available: state `burned`, payload deleted,
    /// `reason` kept for the receipt. Returns the record as it is after burning, or `None`
    /// if it was not available (a viewed or expired secret keeps its state on the receipt).
    async fn burn(
        &self,
        id: &str,
        now: UnixTime,
        reason: BurnReason,
    ) -> Result<Option<SecretRecord>>;

    /// Changes TTL / view limit / payload of a secret not viewed yet.
    async fn update(&self, id: &str, update: Update, now: UnixTime)
        -> Result<Option<SecretRecord>>;

    /// Marks every secret past its expiry as expired and deletes its payload; returns them.
    async fn expire_due(&self, now: UnixTime) -> Result<Vec<SecretRecord>>;

    /// Deletes payloads of fully viewed secrets whose resume window ended, and receipts
    /// older than `receipt_cutoff`. Returns how many payloads were deleted.
    async fn sweep(&self, payload_cutoff: UnixTime, receipt_cutoff: UnixTime) -> Result<u64>;

    /// The view log of a secret, oldest first.
    async fn views(&self, id: &str) -> Result<Vec<ViewEntry>>;

    /// Secrets of an account, newest first, optionally of one state; `before` is a cursor
    /// (created_at, id) from the previous page.
    async fn list(
        &self,
        account: i64,
        state: Option<ReceiptState>,
        before: Option<(UnixTime, String)>,
        limit: u32,
    ) -> Result<Vec<SecretRecord>>;

    /// Counts of an account's secrets by state.
    async fn stats(&self, account: i64) -> Result<[(ReceiptState, u64); 4]>;

    /// Creates an API token (stored as its SHA-256).
    async fn create_token(&self, name: &str, token_hash: [u8; 32], now: UnixTime) -> Result<Token>;

    /// Finds a live token by hash.
    async fn find_token(&self, token_hash: &[u8; 32]) -> Result<Option<Token>>;

    /// Checks that the records and the payloads can be reached now (for readiness probes):
    /// a trivial query and a look at the payload storage.
    async fn ping(&self) -> Result<()>;

    /// Lists tokens (without hashes).
    async fn list_tokens(&self) -> Result<Vec<Token>>;

    /// Revokes a token by name; returns whether one was revoked.
    async fn revoke_token(&self, name: &str) -> Result<bool>;

    /// Whether a resume token is valid for this secret at `now`.
    async fn check_download_token(
        &self,
        token_hash: &[u8; 32],
        id: &str,
        now: UnixTime,
    ) -> Result<bool>;

    /// Replaces a secret's compatibility-layer attributes.
    async fn set_compat(&self, id: &str, compat: Option<String>) -> Result<()>;

    /// Records an abuse report on a secret from one reporter (a keyed hash of its address);
    /// a reporter counts once per secret. Returns how many distinct reporters the secret has.
    async fn add_report(
        &self,
        id: &str,
        reporter: &str,
        reason: Option<String>,
        now: UnixTime,
    ) -> Result<u32>;

    /// Abuse reports, newest first (for the operator).
    async fn reports(&self, limit: u32) -> Result<Vec<AbuseReport>>;

    /// Starts storing a payload; nothing is visible until [`BlobWriter::commit`].
    async fn blob_writer(&self) -> Result<BlobWriter>;

    /// Opens a committed payload for reading from `offset`.
    async fn open_blob(&self, blob: &BlobRef, offset: u64) -> Result<PayloadReader>;

    /// Deletes a payload (idempotent).
    async fn delete_blob(&self, blob: &BlobRef) -> Result<()>;
}
