//! Typed exit codes: a script can tell "not there any more" from "wrong passphrase" from
//! "network down" without parsing messages. Listed in `wisp --help` and the README.

use std::process::ExitCode;

/// How `wisp` ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// Success (for `watch`: the secret was viewed).
    Ok = 0,
    /// Anything not covered below.
    Failure = 1,
    /// Invalid arguments or input (bad link, bad TTL, missing passphrase source).
    Usage = 2,
    /// The secret is unavailable: viewed, burned, expired, or never existed.
    Unavailable = 3,
    /// Wrong link key or passphrase, or not enough parts of a split link.
    Denied = 4,
    /// The server could not be reached, or cut a request that came in too slowly.
    Network = 5,
    /// The server refused the request (rate limits, storage quotas, auth, a full disk, a
    /// server error).
    Server = 6,
    /// `watch`: the secret was burned before it was viewed.
    Burned = 7,
    /// `watch`: the secret expired before it was viewed.
    Expired = 8,
    /// `watch --timeout` ran out.
    Timeout = 9,
    /// Local configuration or the OS keyring could not be used.
    Local = 10,
    /// Interrupted (Ctrl-C); nothing half-done was left visible.
    Interrupted = 130,
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> Self {
        ExitCode::from(e as u8)
    }
}

/// The exit-code table for `--help`.
pub const TABLE: &str = "Exit codes:
  0  success (watch: the secret was viewed)
  1  other failure
  2  invalid arguments or input
  3  secret unavailable (viewed, burned, expired or unknown)
  4  wrong key or passphrase, or not enough parts
  5  server unreachable (or the connection too slow)
  6  server refused the request (limits, quotas, a full disk, errors)
  7  watch: burned before it was viewed
  8  watch: expired before it was viewed
  9  watch: timed out
 10  local config or OS keyring unavailable
130  interrupted";

/// Maps a client error to its exit code.
pub fn of(err: &wisp_client::ClientError) -> Exit {
    use wisp_api::ErrorCode as C;
    use wisp_client::ClientError as E;
    match err {
        E::Api(api) => match api.code {
            C::SecretUnavailable | C::ReceiptNotFound => Exit::Unavailable,
            C::WrongProof | C::WrongPassphrase | C::PassphraseRequired | C::InvalidProof => {
                Exit::Denied
            }
            C::InvalidOptions | C::InvalidRequest => Exit::Usage,
            // The upload was cut for arriving too slowly: the connection's fault.
            C::RequestTimeout => Exit::Network,
            // Wait and try again (`Retry-After`), or free space on the server: refusals.
            C::RateLimited
            | C::TooManyAttempts
            | C::QuotaExceeded
            | C::TooManySubscriptions
            | C::InsufficientStorage => Exit::Server,
            _ => Exit::Server,
        },
        E::Http(_) => Exit::Network,
        E::Crypto(c) => match c {
            wisp_crypto::Error::WrongKey
            | wisp_crypto::Error::WrongPassphrase
            | wisp_crypto::Error::PassphraseRequired
            | wisp_crypto::Error::NotEnoughParts { .. } => Exit::Denied,
            wisp_crypto::Error::InvalidLink(_)
            | wisp_crypto::Error::InvalidPart(_)
            | wisp_crypto::Error::DuplicatePart(_)
            | wisp_crypto::Error::PartsMismatch
            | wisp_crypto::Error::InvalidSplit { .. } => Exit::Usage,
            _ => Exit::Failure,
        },
        _ => Exit::Failure,
    }
}

/// Maps a provider error (accounts of other kinds) to its exit code.
pub fn of_provider(err: &wisp_providers::ProviderError) -> Exit {
    use wisp_providers::ProviderError as E;
    match err {
        E::NotFound(_) | E::Gone(_) => Exit::Unavailable,
        E::WrongPassphrase | E::Crypto(_) => Exit::Denied,
        E::Invalid(_) | E::Unsupported { .. } => Exit::Usage,
        E::Network(_) => Exit::Network,
        _ => Exit::Server,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wisp_api::ErrorCode as C;

    fn api(code: C) -> wisp_client::ClientError {
        wisp_client::ClientError::Api(wisp_api::ApiError {
            error: "x".into(),
            code,
            hint: String::new(),
            request_id: String::new(),
            attempts_left: None,
        })
    }

    #[test]
    fn an_open_internet_server_s_refusals_have_their_exit_codes() {
        // Over a byte quota or the push subscription cap: refused for now, like a rate
        // limit (6). A full disk: the server's trouble (6). A body cut for arriving too
        // slowly: the connection's (5, like an unreachable server).
        for (code, exit) in [
            (C::RateLimited, Exit::Server),
            (C::QuotaExceeded, Exit::Server),
            (C::TooManySubscriptions, Exit::Server),
            (C::InsufficientStorage, Exit::Server),
            (C::RequestTimeout, Exit::Network),
            // E-mail without a token, a TTL over the anonymous maximum.
            (C::InvalidOptions, Exit::Usage),
        ] {
            assert_eq!(of(&api(code)), exit, "{code}");
        }
    }

    #[test]
    fn the_table_lists_every_code() {
        for exit in [
            Exit::Ok,
            Exit::Failure,
            Exit::Usage,
            Exit::Unavailable,
            Exit::Denied,
            Exit::Network,
            Exit::Server,
            Exit::Burned,
            Exit::Expired,
            Exit::Timeout,
            Exit::Local,
            Exit::Interrupted,
        ] {
            let n = exit as u8;
            assert!(
                TABLE
                    .lines()
                    .any(|l| l.trim_start().starts_with(&format!("{n} "))),
                "{n} missing from the table"
            );
        }
    }
}
