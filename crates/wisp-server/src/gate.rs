//! The reveal gate: what a recipient must prove before a secret's payload is released or
//! the recipient may burn it, per payload format, in one place for Wisp's own API and every
//! compatibility layer.
//!
//! Format v2 (see docs/crypto.md, "Revealing"): the link proof first, in constant time; a
//! wrong one is answered like an unknown id and never counted, so someone who knows only
//! the id can neither learn anything nor burn the secret. Then, for a secret with a
//! passphrase, the passphrase proof: limited per address, counted atomically when wrong,
//! burning at `wrong_proof_limit`. v1 records keep v1's rules: one proof for link and
//! passphrase together, counted when the v1 header has a passphrase (it cannot tell a
//! wrong link from a wrong passphrase), not counted when it has none.

use std::net::IpAddr;

use wisp_api::{BurnReason, ErrorCode};
use wisp_crypto::{FormatVersion, PayloadHeader, RevealProof, RevealVerifier};
use wisp_store::SecretRecord;

use crate::error::AppError;
use crate::ids::log_id;
use crate::state::AppState;

/// The proofs a recipient presented.
#[derive(Debug)]
pub(crate) struct Presented {
    /// v2's link proof, v1's reveal proof.
    pub link: RevealProof,
    /// v2's passphrase proof, when one was sent.
    pub passphrase: Option<RevealProof>,
}

/// Why the gate stayed shut.
#[derive(Debug)]
pub(crate) enum Denied {
    /// Unknown, gone, or a wrong link proof: one answer for all of them.
    Unavailable,
    /// A passphrase secret and no passphrase proof (not counted).
    PassphraseRequired {
        /// Wrong attempts left before it burns.
        attempts_left: u32,
    },
    /// Too many attempts on this secret from this address in the current minute.
    TooManyAttempts {
        /// Seconds until attempts are accepted again.
        retry_after: u64,
    },
    /// A wrong passphrase proof (v2), counted.
    WrongPassphrase {
        /// Attempts left; 0 = burned now.
        attempts_left: u32,
        /// Whether this attempt burned it.
        burned: bool,
    },
    /// A wrong v1 reveal proof on a v1 secret with a passphrase, counted.
    WrongProof {
        /// Attempts left; 0 = burned now.
        attempts_left: u32,
        /// Whether this attempt burned it.
        burned: bool,
    },
    /// A server failure (already logged).
    Internal(AppError),
}

impl From<wisp_store::StoreError> for Denied {
    fn from(e: wisp_store::StoreError) -> Self {
        Denied::Internal(AppError::from(e))
    }
}

impl Denied {
    /// The answer of Wisp's own API.
    pub(crate) fn into_app_error(self) -> AppError {
        match self {
            Denied::Unavailable => AppError::unavailable(),
            Denied::PassphraseRequired { attempts_left } => {
                let mut e = AppError::new(
                    ErrorCode::PassphraseRequired,
                    "This secret is protected by a passphrase.",
                    "Ask the sender for the passphrase and send its proof as `Wisp-Passphrase-Proof`.",
                );
                e.attempts_left = Some(attempts_left);
                e
            }
            Denied::TooManyAttempts { retry_after } => {
                let mut e = AppError::new(
                    ErrorCode::TooManyAttempts,
                    "Too many passphrase attempts on this secret from your network.",
                    "Wait a minute before trying again; wrong attempts are limited to protect the secret.",
                );
                e.retry_after = Some(retry_after);
                e
            }
            Denied::WrongPassphrase {
                attempts_left,
                burned,
            } => {
                let mut e = AppError::new(
                    ErrorCode::WrongPassphrase,
                    if burned {
                        "Wrong passphrase. The secret was destroyed after too many wrong passphrases."
                    } else {
                        "Wrong passphrase."
                    },
                    if burned {
                        "Ask the sender to share the secret again."
                    } else {
                        "Check the passphrase with the sender; each wrong one counts, and the secret is destroyed at the limit."
                    },
                );
                e.attempts_left = Some(attempts_left);
                e
            }
            Denied::WrongProof {
                attempts_left,
                burned,
            } => {
                let mut e = AppError::new(
                    ErrorCode::WrongProof,
                    if burned {
                        "Wrong link key or passphrase. The secret was burned after too many wrong attempts."
                    } else {
                        "Wrong link key or passphrase."
                    },
                    "Check the passphrase and that the whole link was copied, including the part after #.",
                );
                e.attempts_left = Some(attempts_left);
                e
            }
            Denied::Internal(e) => e,
        }
    }
}

/// The format version of a stored record (from its header's version byte).
pub(crate) fn version(record: &SecretRecord) -> Option<FormatVersion> {
    record
        .header
        .get(4)
        .and_then(|&b| FormatVersion::from_byte(b).ok())
}

/// Whether a record's payload header says it has a passphrase.
pub(crate) fn has_passphrase(record: &SecretRecord) -> bool {
    PayloadHeader::parse(&record.header)
        .map(|(h, _)| h.needs_passphrase())
        .unwrap_or(false)
}

/// Wrong attempts left before `record` burns.
pub(crate) fn attempts_left(state: &AppState, record: &SecretRecord) -> u32 {
    state
        .config
        .limits
        .wrong_proof_limit
        .saturating_sub(record.wrong_proofs)
}

/// Checks `presented` against `record` (which the caller found available). `Ok` means the
/// recipient holds the link and, where one is set, the passphrase.
pub(crate) async fn check(
    state: &AppState,
    record: &SecretRecord,
    presented: &Presented,
    client: IpAddr,
) -> Result<(), Denied> {
    let link_ok = RevealVerifier::from_bytes(record.verifier).matches(&presented.link);
    match version(record) {
        Some(FormatVersion::V2) => {
            if !link_ok {
                return Err(Denied::Unavailable);
            }
            let Some(expected) = record.passphrase_verifier else {
                return Ok(());
            };
            let Some(proof) = &presented.passphrase else {
                return Err(Denied::PassphraseRequired {
                    attempts_left: attempts_left(state, record),
                });
            };
            throttle(state, record, client)?;
            if RevealVerifier::from_bytes(expected).matches(proof) {
                return Ok(());
            }
            let (attempts_left, burned) =
                count_wrong(state, record, BurnReason::WrongPassphrase).await?;
            Err(Denied::WrongPassphrase {
                attempts_left,
                burned,
            })
        }
        Some(FormatVersion::V1) => {
            if link_ok {
                return Ok(());
            }
            // Without a passphrase a wrong v1 proof cannot come from a holder of the link:
            // counting it would hand a kill switch to whoever saw the id.
            if !has_passphrase(record) {
                return Err(Denied::Unavailable);
            }
            throttle(state, record, client)?;
            let (attempts_left, burned) =
                count_wrong(state, record, BurnReason::WrongProof).await?;
            Err(Denied::WrongProof {
                attempts_left,
                burned,
            })
        }
        None => Err(Denied::Unavailable),
    }
}

/// Counts one passphrase attempt on this secret from this client's network.
pub(crate) fn throttle(
    state: &AppState,
    record: &SecretRecord,
    client: IpAddr,
) -> Result<(), Denied> {
    let key = format!("{}:{}", record.id, crate::ids::network(client));
    let decision = state.attempt_limiter.check(
        &key,
        state.config.limits.passphrase_attempts_per_minute,
        crate::now().max(0) as u64,
    );
    if decision.allowed {
        Ok(())
    } else {
        Err(Denied::TooManyAttempts {
            retry_after: decision.reset,
        })
    }
}

/// Counts a wrong passphrase atomically; burns at the limit and tells the sender why.
/// Returns (attempts left, burned now); `Unavailable` when the secret went away meanwhile
/// (nothing counted).
pub(crate) async fn count_wrong(
    state: &AppState,
    record: &SecretRecord,
    reason: BurnReason,
) -> Result<(u32, bool), Denied> {
    let now = crate::now();
    let outcome = state
        .store
        .record_wrong_proof(
            &record.id,
            state.config.limits.wrong_proof_limit,
            now,
            reason,
        )
        .await?
        .ok_or(Denied::Unavailable)?;
    if outcome.burned {
        tracing::info!(
            secret = log_id(&record.id),
            reason = reason.as_str(),
            "secret burned after too many wrong attempts"
        );
        if let Some(after) = state.store.get(&record.id).await? {
            state.publish(after.metadata_hash);
            state.notifier.secret_event(&after, now);
        }
    }
    Ok((outcome.attempts_left, outcome.burned))
}
