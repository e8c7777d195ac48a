//! Wire types of Wisp's native HTTP API (`/api/v1`), shared by the server and its clients.
//!
//! Only data lives here: no HTTP stack, no storage. `docs/api.md` is the prose version of
//! these types and `crates/wisp-server/openapi.json` the machine-readable one.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod account;
pub mod error;
pub mod receipt;
pub mod secret;

pub use account::{Account, AccountLimits, AccountStats, SecretList};
pub use error::{ApiError, ErrorCode};
pub use receipt::{
    BatchRequest, BatchResponse, BurnReason, KeyedReceipt, Receipt, ReceiptState, UpdateRequest,
    ViewRecord, WebhookEvent, MAX_BATCH_KEYS,
};
pub use secret::{CreateOptions, Created, Notify, SecretStatus, Split};

/// Path prefix of the native API.
pub const API_PREFIX: &str = "/api/v1";
/// Request header carrying the reveal proof (base64url): v2's link proof, v1's reveal proof.
pub const HEADER_REVEAL_PROOF: &str = "wisp-reveal-proof";
/// Request header carrying v2's passphrase proof (base64url), for secrets with a passphrase.
pub const HEADER_PASSPHRASE_PROOF: &str = "wisp-passphrase-proof";
/// Response header with the token that resumes a broken download.
pub const HEADER_DOWNLOAD_TOKEN: &str = "wisp-download-token";
/// Response header with the views left after a reveal (absent when unlimited).
pub const HEADER_VIEWS_LEFT: &str = "wisp-views-left";
/// Request id header on every response.
pub const HEADER_REQUEST_ID: &str = "x-request-id";
/// Webhook signature header.
pub const HEADER_SIGNATURE: &str = "wisp-signature";

/// Timestamps on the wire: RFC 3339, UTC.
pub type Timestamp = time::OffsetDateTime;
