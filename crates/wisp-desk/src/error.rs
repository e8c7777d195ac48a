//! Errors of the desktop core: a stable code the UI can branch on and a sentence it can show.

use serde::{Deserialize, Serialize};
use wisp_api::ErrorCode as Api;
use wisp_client::ClientError;

/// Stable error codes across IPC (and CLI exit codes later).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The input cannot be used; the message says what to change.
    InvalidInput,
    /// No such account, history entry or file.
    NotFound,
    /// The secret was viewed, burned or expired.
    Unavailable,
    /// The passphrase (or the link) does not open the secret.
    WrongPassphrase,
    /// More parts of a split link are needed.
    MissingParts,
    /// The server cannot be reached.
    Network,
    /// The server failed or answered something unexpected.
    Server,
    /// The server refused the token.
    Unauthorized,
    /// Too many requests: wait a little.
    RateLimited,
    /// Too large for the server.
    TooLarge,
    /// The OS keyring is unavailable or failed.
    Keyring,
    /// A local file (accounts, history, settings) could not be used.
    Storage,
    /// This kind of server is not supported yet.
    Unsupported,
    /// The user cancelled.
    Cancelled,
    /// Reading or writing a user's file failed.
    Io,
    /// An update was refused: its signature does not match the key built into Wisp.
    BadSignature,
    /// A bug: the message says so.
    Internal,
}

/// An error with its code and a human sentence (what crosses IPC).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[error("{message}")]
pub struct DeskError {
    /// Stable code.
    pub code: ErrorCode,
    /// For people: what happened and, where it helps, what to do.
    pub message: String,
}

impl DeskError {
    /// An error with this code and sentence.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        DeskError {
            code,
            message: message.into(),
        }
    }

    /// Input that cannot be used.
    pub fn invalid(message: impl Into<String>) -> Self {
        DeskError::new(ErrorCode::InvalidInput, message)
    }

    /// The user cancelled.
    pub fn cancelled() -> Self {
        DeskError::new(ErrorCode::Cancelled, "Cancelled.")
    }
}

impl From<wisp_accounts::AccountError> for DeskError {
    fn from(e: wisp_accounts::AccountError) -> Self {
        use wisp_accounts::AccountError as E;
        match e {
            E::Invalid(m) => DeskError::invalid(m),
            E::NotFound(name) => DeskError::new(
                ErrorCode::NotFound,
                format!("There is no account \"{name}\"."),
            ),
            E::Vault(v) => v.into(),
            other => DeskError::new(ErrorCode::Storage, other.to_string()),
        }
    }
}

impl From<wisp_vault::VaultError> for DeskError {
    fn from(e: wisp_vault::VaultError) -> Self {
        DeskError::new(
            ErrorCode::Keyring,
            format!("The system keyring could not be used ({e}). Unlock it and try again."),
        )
    }
}

impl From<wisp_history::HistoryError> for DeskError {
    fn from(e: wisp_history::HistoryError) -> Self {
        use wisp_history::HistoryError as E;
        match e {
            E::Vault(v) => v.into(),
            E::NotFound(_) => {
                DeskError::new(ErrorCode::NotFound, "That secret is not in the history.")
            }
            other => DeskError::new(ErrorCode::Storage, other.to_string()),
        }
    }
}

impl From<wisp_crypto::Error> for DeskError {
    fn from(e: wisp_crypto::Error) -> Self {
        use wisp_crypto::Error as E;
        match e {
            E::WrongPassphrase => DeskError::new(
                ErrorCode::WrongPassphrase,
                "That passphrase does not open this secret. No view was spent: try again.",
            ),
            E::WrongKey => DeskError::new(
                ErrorCode::WrongPassphrase,
                "This link's key does not open the secret: check that the whole link was copied.",
            ),
            E::PassphraseRequired => DeskError::new(
                ErrorCode::WrongPassphrase,
                "This secret is protected by a passphrase: enter it to reveal.",
            ),
            E::NotEnoughParts { needed, have } => DeskError::new(
                ErrorCode::MissingParts,
                format!("This split link needs {needed} parts; {have} were given. Paste the other parts too."),
            ),
            E::DuplicatePart(n) => DeskError::invalid(format!("Part {n} was pasted twice: paste different parts.")),
            E::PartsMismatch => DeskError::invalid("These parts belong to different links."),
            E::InvalidPart(why) => DeskError::invalid(format!("One part of the split link is damaged ({why}).")),
            E::InvalidLink(why) => DeskError::invalid(format!("This is not a complete Wisp link ({why}).")),
            E::Io(io) => DeskError::new(ErrorCode::Io, format!("Reading or writing failed: {io}.")),
            other => DeskError::new(
                ErrorCode::Server,
                format!("The secret could not be decrypted ({other}); it may be damaged."),
            ),
        }
    }
}

impl From<ClientError> for DeskError {
    fn from(e: ClientError) -> Self {
        match e {
            ClientError::Api(api) => {
                let code = match api.code {
                    Api::SecretUnavailable | Api::ReceiptNotFound | Api::AlreadyViewed => {
                        ErrorCode::Unavailable
                    }
                    Api::WrongProof => ErrorCode::WrongPassphrase,
                    Api::InvalidToken | Api::AnonymousDisabled => ErrorCode::Unauthorized,
                    Api::RateLimited => ErrorCode::RateLimited,
                    Api::PayloadTooLarge => ErrorCode::TooLarge,
                    Api::InvalidOptions | Api::InvalidRequest | Api::NotAllowed => {
                        ErrorCode::InvalidInput
                    }
                    _ => ErrorCode::Server,
                };
                let message = match code {
                    ErrorCode::Unavailable => "This secret is gone: it was viewed, burned or it expired.".to_owned(),
                    ErrorCode::Unauthorized => "The server did not accept this account's API token. Check it in Accounts.".to_owned(),
                    ErrorCode::RateLimited => "The server is receiving too many requests from you. Wait a minute and try again.".to_owned(),
                    _ => {
                        let hint = if api.hint.is_empty() { String::new() } else { format!(" {}", api.hint) };
                        format!("The server refused: {}.{hint}", api.error.trim_end_matches('.'))
                    }
                };
                DeskError::new(code, message)
            }
            ClientError::Http(e) => DeskError::new(
                ErrorCode::Network,
                format!(
                    "The server cannot be reached{}. Check the address and your connection.",
                    e.url()
                        .map(|u| format!(" at {}", origin(u)))
                        .unwrap_or_default()
                ),
            ),
            ClientError::Crypto(c) => c.into(),
            ClientError::Protocol(p) => DeskError::new(
                ErrorCode::Server,
                format!(
                    "The server's answer is not what Wisp expects ({p}). Is this a Wisp server?"
                ),
            ),
            other => DeskError::new(ErrorCode::Server, other.to_string()),
        }
    }
}

impl From<wisp_providers::ProviderError> for DeskError {
    fn from(e: wisp_providers::ProviderError) -> Self {
        use wisp_providers::ProviderError as E;
        match e {
            E::Unauthorized(_) => DeskError::new(
                ErrorCode::Unauthorized,
                "The server did not accept this account's credentials. Check them in Accounts.",
            ),
            E::NotFound(_) | E::Gone(_) => DeskError::new(
                ErrorCode::Unavailable,
                "This secret is gone: it was viewed, burned or it expired.",
            ),
            E::WrongPassphrase => DeskError::new(
                ErrorCode::WrongPassphrase,
                "That passphrase does not open this secret.",
            ),
            E::RateLimited { .. } => DeskError::new(
                ErrorCode::RateLimited,
                "The server is receiving too many requests from you. Wait a minute and try again.",
            ),
            E::Invalid(m) => DeskError::invalid(format!("The server refused: {m}.")),
            E::Unsupported { kind, what } => DeskError::new(
                ErrorCode::Unsupported,
                format!("{} does not support {what}.", kind.label()),
            ),
            E::Network(_) => DeskError::new(
                ErrorCode::Network,
                "The server cannot be reached. Check the address and your connection.",
            ),
            E::Crypto(m) => DeskError::new(
                ErrorCode::WrongPassphrase,
                format!("The secret could not be decrypted ({m}): check that the whole link was copied."),
            ),
            other => DeskError::new(ErrorCode::Server, other.to_string()),
        }
    }
}

/// Scheme, host and port only: never a path that could hold a secret id.
fn origin(url: &wisp_client::Url) -> String {
    url.origin().ascii_serialization()
}

impl From<std::io::Error> for DeskError {
    fn from(e: std::io::Error) -> Self {
        DeskError::new(
            ErrorCode::Io,
            format!("Reading or writing a file failed: {e}."),
        )
    }
}
