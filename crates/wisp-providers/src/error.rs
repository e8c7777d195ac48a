//! Typed errors with stable codes. Messages carry the service's own words and statuses,
//! never content, passphrases, keys or tokens.

use wisp_accounts::ServerKind;

/// Why a provider call failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ProviderError {
    /// The server refused the credentials (or needs some).
    #[error("the server does not accept these credentials: {0}")]
    Unauthorized(String),
    /// No such secret (or the service will not say whether it existed).
    #[error("no such secret: {0}")]
    NotFound(String),
    /// The secret was viewed, burned or expired.
    #[error("the secret is gone: {0}")]
    Gone(String),
    /// The passphrase is missing or wrong.
    #[error("the passphrase is missing or wrong")]
    WrongPassphrase,
    /// Too many requests.
    #[error("rate limited{}", retry_after.map(|s| format!(": retry in {s} s")).unwrap_or_default())]
    RateLimited {
        /// Seconds to wait, when the server says.
        retry_after: Option<u64>,
    },
    /// The request was refused as invalid; the message says why.
    #[error("refused: {0}")]
    Invalid(String),
    /// This kind of server cannot do that.
    #[error("{} does not support {what}", kind.label())]
    Unsupported {
        /// The kind.
        kind: ServerKind,
        /// What was asked.
        what: String,
    },
    /// The server could not be reached.
    #[error("cannot reach the server: {0}")]
    Network(String),
    /// The server failed.
    #[error("the server failed: {0}")]
    Server(String),
    /// The server answered something that is not the expected API.
    #[error("unexpected answer: {0}")]
    Protocol(String),
    /// Encryption or decryption failed (wrong key, damaged link or payload).
    #[error("cannot decrypt: {0}")]
    Crypto(String),
}

impl ProviderError {
    /// A stable code for programs (the CLI's exit codes, the UI's branches).
    pub fn code(&self) -> &'static str {
        match self {
            ProviderError::Unauthorized(_) => "unauthorized",
            ProviderError::NotFound(_) => "not_found",
            ProviderError::Gone(_) => "gone",
            ProviderError::WrongPassphrase => "wrong_passphrase",
            ProviderError::RateLimited { .. } => "rate_limited",
            ProviderError::Invalid(_) => "invalid_input",
            ProviderError::Unsupported { .. } => "unsupported",
            ProviderError::Network(_) => "network",
            ProviderError::Server(_) => "server",
            ProviderError::Protocol(_) => "protocol",
            ProviderError::Crypto(_) => "crypto",
        }
    }

    pub(crate) fn unsupported(kind: ServerKind, what: &str) -> Self {
        ProviderError::Unsupported {
            kind,
            what: what.to_owned(),
        }
    }
}

impl From<reqwest::Error> for ProviderError {
    fn from(e: reqwest::Error) -> Self {
        // Without the URL: Onetime Secret and Burn the Secret put keys in paths.
        ProviderError::Network(e.without_url().to_string())
    }
}

impl From<wisp_crypto::Error> for ProviderError {
    fn from(e: wisp_crypto::Error) -> Self {
        match e {
            wisp_crypto::Error::WrongPassphrase => ProviderError::WrongPassphrase,
            other => ProviderError::Crypto(other.to_string()),
        }
    }
}

impl From<wisp_client::ClientError> for ProviderError {
    fn from(e: wisp_client::ClientError) -> Self {
        use wisp_api::ErrorCode as C;
        use wisp_client::ClientError as E;
        match e {
            E::Api(api) => {
                let message = api.error.clone();
                match api.code {
                    C::InvalidToken | C::AnonymousDisabled => ProviderError::Unauthorized(message),
                    C::ReceiptNotFound | C::NotFound => ProviderError::NotFound(message),
                    C::SecretUnavailable => ProviderError::Gone(message),
                    C::WrongProof | C::WrongPassphrase | C::PassphraseRequired => {
                        ProviderError::WrongPassphrase
                    }
                    C::RateLimited | C::TooManyAttempts => {
                        ProviderError::RateLimited { retry_after: None }
                    }
                    C::Internal | C::Unavailable => ProviderError::Server(message),
                    _ => ProviderError::Invalid(message),
                }
            }
            E::Http(h) => h.into(),
            E::Crypto(c) => c.into(),
            E::Protocol(p) => ProviderError::Protocol(p),
            other => ProviderError::Protocol(other.to_string()),
        }
    }
}

/// Result alias.
pub type Result<T, E = ProviderError> = std::result::Result<T, E>;
