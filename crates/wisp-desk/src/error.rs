//! Errors of the desktop core: a stable code the UI can branch on and a sentence it can show.

use std::collections::BTreeMap;

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

/// An error with its code and a human sentence (what crosses IPC). Known errors also carry
/// `key` (a UI dictionary key, "error.…") and `vars` (its `{placeholders}`), so the UI can
/// show the sentence in the user's language; `message` is the English fallback.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[error("{message}")]
pub struct DeskError {
    /// Stable code.
    pub code: ErrorCode,
    /// For people: what happened and, where it helps, what to do.
    pub message: String,
    /// The UI's dictionary key for this sentence, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<&'static str>,
    /// Values of the key's placeholders.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub vars: BTreeMap<&'static str, String>,
}

impl DeskError {
    /// An error with this code and sentence.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        DeskError {
            code,
            message: message.into(),
            key: None,
            vars: BTreeMap::new(),
        }
    }

    /// Input that cannot be used.
    pub fn invalid(message: impl Into<String>) -> Self {
        DeskError::new(ErrorCode::InvalidInput, message)
    }

    /// The user cancelled.
    pub fn cancelled() -> Self {
        DeskError::new(ErrorCode::Cancelled, "Cancelled.").keyed("error.cancelled")
    }

    /// The same error, with the UI's dictionary key for its sentence.
    pub fn keyed(mut self, key: &'static str) -> Self {
        self.key = Some(key);
        self
    }

    /// The same error, with a value for one of its key's placeholders.
    pub fn var(mut self, name: &'static str, value: impl ToString) -> Self {
        self.vars.insert(name, value.to_string());
        self
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
            )
            .keyed("error.accountNotFound")
            .var("name", name),
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
        .keyed("error.keyring")
    }
}

impl From<wisp_history::HistoryError> for DeskError {
    fn from(e: wisp_history::HistoryError) -> Self {
        use wisp_history::HistoryError as E;
        match e {
            E::Vault(v) => v.into(),
            E::NotFound(_) => {
                DeskError::new(ErrorCode::NotFound, "That secret is not in the history.")
                    .keyed("error.historyNotFound")
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
            )
            .keyed("error.wrongPassphrase"),
            E::WrongKey => DeskError::new(
                ErrorCode::WrongPassphrase,
                "This link's key does not open the secret: check that the whole link was copied.",
            )
            .keyed("error.wrongKey"),
            E::PassphraseRequired => DeskError::new(
                ErrorCode::WrongPassphrase,
                "This secret is protected by a passphrase: enter it to reveal.",
            )
            .keyed("error.passphraseRequired"),
            E::NotEnoughParts { needed, have } => DeskError::new(
                ErrorCode::MissingParts,
                format!("This split link needs {needed} parts; {have} were given. Paste the other parts too."),
            )
            .keyed("error.missingParts")
            .var("needed", needed)
            .var("have", have),
            E::DuplicatePart(n) => DeskError::invalid(format!("Part {n} was pasted twice: paste different parts."))
                .keyed("error.duplicatePart")
                .var("part", n),
            E::PartsMismatch => DeskError::invalid("These parts belong to different links.").keyed("error.partsMismatch"),
            E::InvalidPart(why) => DeskError::invalid(format!("One part of the split link is damaged ({why}).")).keyed("error.invalidPart"),
            E::InvalidLink(why) => DeskError::invalid(format!("This is not a complete Wisp link ({why}).")).keyed("error.invalidLink"),
            E::Io(io) => DeskError::new(ErrorCode::Io, format!("Reading or writing failed: {io}.")).keyed("error.io"),
            other => DeskError::new(
                ErrorCode::Server,
                format!("The secret could not be decrypted ({other}); it may be damaged."),
            )
            .keyed("error.damaged"),
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
                    Api::WrongProof | Api::WrongPassphrase | Api::PassphraseRequired => {
                        ErrorCode::WrongPassphrase
                    }
                    Api::InvalidToken | Api::AnonymousDisabled => ErrorCode::Unauthorized,
                    Api::RateLimited
                    | Api::TooManyAttempts
                    | Api::QuotaExceeded
                    | Api::TooManySubscriptions => ErrorCode::RateLimited,
                    Api::PayloadTooLarge => ErrorCode::TooLarge,
                    // The connection, not the server: it cut a body that came in too slowly.
                    Api::RequestTimeout => ErrorCode::Network,
                    Api::InvalidOptions | Api::InvalidRequest | Api::NotAllowed => {
                        ErrorCode::InvalidInput
                    }
                    _ => ErrorCode::Server,
                };
                // The server counts wrong passphrases (format v2): say how many tries remain.
                if code == ErrorCode::WrongPassphrase && api.code != Api::PassphraseRequired {
                    return match api.attempts_left {
                        Some(0) => DeskError::new(
                            ErrorCode::Unavailable,
                            "Wrong passphrase. The secret was destroyed after too many wrong passphrases.",
                        )
                        .keyed("error.wrongPassphraseBurned"),
                        Some(left) => DeskError::new(
                            code,
                            format!(
                                "Wrong passphrase. {left} {} left before the secret is destroyed.",
                                if left == 1 { "attempt" } else { "attempts" }
                            ),
                        )
                        .keyed("error.wrongPassphraseLeft")
                        .var("left", left),
                        None => DeskError::new(code, "That passphrase does not open this secret.")
                            .keyed("error.wrongPassphrase"),
                    };
                }
                // Codes with a sentence of their own (the server's own words name wire fields
                // and seconds: not for people).
                match api.code {
                    Api::TooManyAttempts => {
                        return DeskError::new(
                            code,
                            "Too many passphrase attempts on this secret from your network. Wait a minute and try again.",
                        )
                        .keyed("error.tooManyAttempts")
                    }
                    Api::QuotaExceeded => {
                        return DeskError::new(
                            code,
                            "You have stored as much as this server allows for now. Try again later or send something smaller.",
                        )
                        .keyed("error.quotaExceeded")
                    }
                    Api::TooManySubscriptions => {
                        return DeskError::new(
                            code,
                            "The server allows you no more live updates for now. Wisp checks your secrets for changes regularly instead.",
                        )
                        .keyed("error.tooManySubscriptions")
                    }
                    Api::InsufficientStorage => {
                        return DeskError::new(
                            code,
                            "The server is out of space for new secrets. Try again later.",
                        )
                        .keyed("error.serverFull")
                    }
                    Api::RequestTimeout => {
                        return DeskError::new(
                            code,
                            "The connection was too slow and the server stopped the upload. Check your connection and try again.",
                        )
                        .keyed("error.uploadTooSlow")
                    }
                    _ => {}
                }
                let message = match code {
                    ErrorCode::Unavailable => "This secret is gone: it was viewed, burned or it expired.".to_owned(),
                    ErrorCode::Unauthorized => "The server did not accept this account's API token. Check it in Accounts.".to_owned(),
                    ErrorCode::RateLimited => "The server is receiving too many requests from you. Wait a minute and try again.".to_owned(),
                    _ => {
                        let hint = if api.hint.is_empty() { String::new() } else { format!(" {}", api.hint) };
                        format!("The server refused: {}.{hint}", api.error.trim_end_matches('.'))
                    }
                };
                let key = match code {
                    ErrorCode::Unavailable => Some("error.unavailable"),
                    ErrorCode::Unauthorized => Some("error.unauthorized"),
                    ErrorCode::RateLimited => Some("error.rateLimited"),
                    ErrorCode::TooLarge => Some("error.tooLarge"),
                    ErrorCode::WrongPassphrase => Some("error.wrongPassphrase"),
                    // The server's own words (and hint) are the useful part: English only.
                    _ => None,
                };
                let error = DeskError::new(code, message);
                match key {
                    Some(key) => error.keyed(key),
                    None => error,
                }
            }
            ClientError::Http(e) => {
                let at = e.url().map(origin);
                let error = DeskError::new(
                    ErrorCode::Network,
                    format!(
                        "The server cannot be reached{}. Check the address and your connection.",
                        at.as_deref()
                            .map(|o| format!(" at {o}"))
                            .unwrap_or_default()
                    ),
                );
                match at {
                    Some(o) => error.keyed("error.networkAt").var("origin", o),
                    None => error.keyed("error.network"),
                }
            }
            ClientError::Crypto(c) => c.into(),
            ClientError::Protocol(p) => DeskError::new(
                ErrorCode::Server,
                format!(
                    "The server's answer is not what Wisp expects ({p}). Is this a Wisp server?"
                ),
            )
            .keyed("error.protocol"),
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
        .keyed("error.io")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_errors_cross_ipc_with_their_key_and_vars() {
        let e: DeskError = wisp_crypto::Error::NotEnoughParts { needed: 3, have: 1 }.into();
        let json = serde_json::to_value(&e).expect("serialises");
        assert_eq!(json["code"], "missing_parts");
        assert_eq!(json["key"], "error.missingParts");
        assert_eq!(json["vars"]["needed"], "3");
        assert_eq!(json["vars"]["have"], "1");
        assert!(json["message"]
            .as_str()
            .is_some_and(|m| m.contains("needs 3 parts")));
    }

    /// The server's answer with `code`, in the words and hint it really sends.
    fn refused(code: Api, error: &str, hint: &str) -> DeskError {
        ClientError::Api(wisp_api::ApiError {
            error: error.to_owned(),
            code,
            hint: hint.to_owned(),
            request_id: "req_1".to_owned(),
            attempts_left: None,
        })
        .into()
    }

    #[test]
    fn the_open_internet_codes_read_as_sentences_of_their_own() {
        // (code, the server's words, what the desk must say: code, key, a phrase of it)
        let cases = [
            (
                Api::QuotaExceeded,
                "You have stored as much as this server allows for now.",
                "Wait 3600 seconds, send less, or ask the operator for a token with a larger quota.",
                ErrorCode::RateLimited,
                "error.quotaExceeded",
                "send something smaller",
            ),
            (
                Api::TooManySubscriptions,
                "You have as many live subscriptions as this server allows.",
                "Close another subscription (one per account is enough), or poll /api/v1/receipts/batch.",
                ErrorCode::RateLimited,
                "error.tooManySubscriptions",
                "regularly instead",
            ),
            (
                Api::InsufficientStorage,
                "The server is out of storage space for new secrets.",
                "Try again later; the operator has been warned in the server's log.",
                ErrorCode::Server,
                "error.serverFull",
                "out of space for new secrets",
            ),
            (
                Api::RequestTimeout,
                "The request body arrived too slowly and was cut.",
                "Check the connection and send it again.",
                ErrorCode::Network,
                "error.uploadTooSlow",
                "too slow",
            ),
        ];
        for (api, error, hint, code, key, phrase) in cases {
            let e = refused(api, error, hint);
            assert_eq!((e.code, e.key), (code, Some(key)), "{api}: {e:?}");
            assert!(e.vars.is_empty(), "{api}: {e:?}");
            assert!(e.message.contains(phrase), "{api}: {}", e.message);
            // Never the wire code, never the server's wording (wire fields, seconds).
            assert!(!e.message.contains(api.as_str()), "{api}: {}", e.message);
            assert!(
                !e.message.contains("The server refused"),
                "{api}: {}",
                e.message
            );
            assert!(!e.message.contains(hint), "{api}: {}", e.message);
        }
    }

    #[test]
    fn a_quota_is_not_a_request_rate() {
        let quota = refused(Api::QuotaExceeded, "x", "y");
        let rate = refused(Api::RateLimited, "Too many requests.", "Wait.");
        assert_eq!(rate.key, Some("error.rateLimited"));
        assert_eq!(quota.code, rate.code, "both: wait, then try again");
        assert_ne!(quota.key, rate.key);
        assert_ne!(quota.message, rate.message);
    }

    #[test]
    fn other_server_refusals_keep_the_servers_words() {
        let busy = refused(
            Api::Unavailable,
            "The server has too many open connections.",
            "Try again in a few seconds.",
        );
        assert_eq!(busy.code, ErrorCode::Server);
        assert_eq!(busy.key, None);
        assert_eq!(
            busy.message,
            "The server refused: The server has too many open connections. Try again in a few seconds."
        );
    }

    #[test]
    fn unknown_errors_keep_the_old_shape() {
        let json = serde_json::to_value(DeskError::invalid("Odd.")).expect("serialises");
        assert_eq!(
            json,
            serde_json::json!({"code": "invalid_input", "message": "Odd."})
        );
        let json = serde_json::to_value(DeskError::cancelled()).expect("serialises");
        assert_eq!(json["key"], "error.cancelled");
        assert!(json.get("vars").is_none());
    }
}
