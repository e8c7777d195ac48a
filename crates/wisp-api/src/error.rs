//! The error body every API failure returns, and its stable codes.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A stable, machine-readable error code. Never renamed; new ones may be added.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorCode {
    /// Malformed request: bad JSON, missing field, wrong shape.
    InvalidRequest,
    /// Create/update options out of range (TTL, views, split, URLs).
    InvalidOptions,
    /// The uploaded bytes are not a Wisp payload.
    InvalidPayload,
    /// The body is larger than this server accepts for this caller.
    PayloadTooLarge,
    /// Wrong `Content-Type`.
    UnsupportedMediaType,
    /// Missing or unknown API token where one is required, or a malformed one.
    InvalidToken,
    /// This server does not accept anonymous use.
    AnonymousDisabled,
    /// Too many requests; see `Retry-After`.
    RateLimited,
    /// The secret does not exist, was viewed, burned, or expired (deliberately one code).
    SecretUnavailable,
    /// The reveal proof is not base64url of 32 bytes.
    InvalidProof,
    /// A v1 secret's reveal proof does not match: wrong link or wrong passphrase.
    WrongProof,
    /// A v2 secret's passphrase proof does not match (counted; `attempts_left` says how
    /// many remain, 0 = burned now).
    WrongPassphrase,
    /// The secret has a passphrase and no passphrase proof was sent (not counted).
    PassphraseRequired,
    /// Too many passphrase attempts on this secret from this address; see `Retry-After`
    /// (not counted).
    TooManyAttempts,
    /// The upload uses a payload format this server no longer accepts for new secrets.
    OutdatedFormat,
    /// The download token is unknown, expired or for another secret.
    InvalidDownloadToken,
    /// The receipt's secret was already viewed, so it can no longer be changed.
    AlreadyViewed,
    /// No receipt with this metadata key.
    ReceiptNotFound,
    /// The sender did not allow this (e.g. recipient burn).
    NotAllowed,
    /// No such endpoint.
    NotFound,
    /// The endpoint exists, the method does not.
    MethodNotAllowed,
    /// Something failed on the server; details are in its logs under the request id.
    Internal,
    /// The server is shutting down or a dependency is unavailable.
    Unavailable,
    /// The request body arrived too slowly (below the server's minimum rate) and was cut.
    RequestTimeout,
    /// This caller (address or token) stored its allowance of bytes for the hour or day;
    /// see `Retry-After`.
    QuotaExceeded,
    /// This caller (address or token) has as many live push subscriptions as it may;
    /// poll `/receipts/batch` instead.
    TooManySubscriptions,
    /// The server's disk is nearly full; it takes no new secrets until space is freed.
    InsufficientStorage,
    /// A code this version does not know (a newer server): read it by its HTTP status.
    /// Never sent by this server.
    #[serde(other)]
    Unknown,
}

impl ErrorCode {
    /// The HTTP status this code is sent with.
    pub fn http_status(self) -> u16 {
        match self {
            ErrorCode::InvalidRequest
            | ErrorCode::InvalidOptions
            | ErrorCode::InvalidPayload
            | ErrorCode::InvalidProof
            | ErrorCode::OutdatedFormat => 400,
            ErrorCode::InvalidToken | ErrorCode::PassphraseRequired => 401,
            ErrorCode::AnonymousDisabled
            | ErrorCode::WrongProof
            | ErrorCode::WrongPassphrase
            | ErrorCode::InvalidDownloadToken
            | ErrorCode::NotAllowed => 403,
            ErrorCode::SecretUnavailable | ErrorCode::ReceiptNotFound | ErrorCode::NotFound => 404,
            ErrorCode::MethodNotAllowed => 405,
            ErrorCode::RequestTimeout => 408,
            ErrorCode::AlreadyViewed => 409,
            ErrorCode::PayloadTooLarge => 413,
            ErrorCode::UnsupportedMediaType => 415,
            ErrorCode::RateLimited
            | ErrorCode::TooManyAttempts
            | ErrorCode::QuotaExceeded
            | ErrorCode::TooManySubscriptions => 429,
            ErrorCode::Internal => 500,
            ErrorCode::Unavailable => 503,
            ErrorCode::InsufficientStorage => 507,
            ErrorCode::Unknown => 500,
        }
    }

    /// The snake_case wire form.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidRequest => "invalid_request",
            ErrorCode::InvalidOptions => "invalid_options",
            ErrorCode::InvalidPayload => "invalid_payload",
            ErrorCode::PayloadTooLarge => "payload_too_large",
            ErrorCode::UnsupportedMediaType => "unsupported_media_type",
            ErrorCode::InvalidToken => "invalid_token",
            ErrorCode::AnonymousDisabled => "anonymous_disabled",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::SecretUnavailable => "secret_unavailable",
            ErrorCode::InvalidProof => "invalid_proof",
            ErrorCode::WrongProof => "wrong_proof",
            ErrorCode::WrongPassphrase => "wrong_passphrase",
            ErrorCode::PassphraseRequired => "passphrase_required",
            ErrorCode::TooManyAttempts => "too_many_attempts",
            ErrorCode::OutdatedFormat => "outdated_format",
            ErrorCode::InvalidDownloadToken => "invalid_download_token",
            ErrorCode::AlreadyViewed => "already_viewed",
            ErrorCode::ReceiptNotFound => "receipt_not_found",
            ErrorCode::NotAllowed => "not_allowed",
            ErrorCode::NotFound => "not_found",
            ErrorCode::MethodNotAllowed => "method_not_allowed",
            ErrorCode::Internal => "internal",
            ErrorCode::Unavailable => "unavailable",
            ErrorCode::RequestTimeout => "request_timeout",
            ErrorCode::QuotaExceeded => "quota_exceeded",
            ErrorCode::TooManySubscriptions => "too_many_subscriptions",
            ErrorCode::InsufficientStorage => "insufficient_storage",
            ErrorCode::Unknown => "unknown",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The JSON body of every error response.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    /// A human sentence.
    pub error: String,
    /// The stable code.
    pub code: ErrorCode,
    /// What the caller can do about it.
    pub hint: String,
    /// Correlates with the server's logs.
    #[serde(default)]
    pub request_id: String,
    /// Wrong passphrase attempts left before the secret burns (with `wrong_passphrase`,
    /// `passphrase_required`, and v1's `wrong_proof`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attempts_left: Option<u32>,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.error, self.code)
    }
}

impl std::error::Error for ApiError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_from_a_newer_server_is_unknown_not_a_decode_failure() {
        let body = r#"{"error":"x","code":"some_future_code","hint":"h","request_id":"r"}"#;
        let parsed: ApiError = serde_json::from_str(body).expect("decodes");
        assert_eq!(parsed.code, ErrorCode::Unknown);
        let known: ApiError =
            serde_json::from_str(r#"{"error":"x","code":"quota_exceeded","hint":"h"}"#)
                .expect("decodes");
        assert_eq!(known.code, ErrorCode::QuotaExceeded);
        assert_eq!(known.code.http_status(), 429);
    }
}
