//! Plaintext in, nothing readable at rest. A layer whose API hands the server plaintext seals
//! it at once into an ordinary Wisp payload (the same versioned, chunked AES-256-GCM format
//! the desktop app and the reveal page use) under a fresh link key the server does not keep:
//!
//! - Onetime Secret and Burn the Secret hand out a *secret key*; the secret's storage id and
//!   its link key are both derived from it with HKDF ([`derive`]), so the key a recipient
//!   holds is the only way in. The store never keeps the key; the id is a one-way function
//!   of it (HKDF under a fixed public salt).
//! - Seecret.it puts a fresh random link key in the URL fragment, as Wisp's own links do; the
//!   account's copy of it is sealed under a key derived from the account's API token
//!   ([`seal_with`]).
//! - The sender's *metadata key* is stored as a SHA-256 only; where the API shows the secret
//!   key on the receipt, the secret key is kept sealed (AES-256-GCM) under a key derived from
//!   the metadata key ([`seal_for_sender`]).
//! - A passphrase is mixed into the payload key with Argon2id (the format's own passphrase
//!   layer, v2), so a wrong one fails before a view is spent, and counts towards the burn
//!   limit through the same gate as Wisp's own reveal ([`crate::gate`]).
//!
//! The same payloads open in the reveal page: the service's share URL redirects to
//! `/s/ID#FRAGMENT`, and the page decrypts in the recipient's browser.

use std::io::Read as _;

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use hkdf::Hkdf;
use rand::RngCore as _;
use sha2::Sha256;
use tokio::io::AsyncReadExt as _;
use wisp_crypto::{
    KdfParams, LinkKey, LinkSecret, Metadata, Opener, PayloadHeader, SealOptions, Sealer,
    SecretString,
};
use wisp_store::{BlobRef, SecretRecord, ViewEntry};
use zeroize::Zeroizing;

use super::Internal;
use crate::state::AppState;

const SALT: &[u8] = b"wisp/compat/v1";

/// Argon2id costs for passphrases the server stretches itself (OWASP's minimum: 19 MiB, two
/// passes, one lane). The passphrase is always paired with a secret key of at least 128 bits
/// that is not stored, so these costs only matter to someone who already holds that key.
const SERVER_KDF: KdfParams = KdfParams {
    m_cost_kib: 19 * 1024,
    t_cost: 2,
    p_cost: 1,
};

/// What a secret key opens: the record's id and the payload's link key.
pub(crate) struct Derived {
    /// Storage id (22 base64url characters, like a native id, so the reveal page works).
    pub id: String,
    /// The payload's link key.
    pub link_key: LinkKey,
}

impl std::fmt::Debug for Derived {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Derived(<redacted>)")
    }
}

impl Derived {
    /// The reveal page's address for this secret, key in the fragment.
    pub(crate) fn page_url(&self, base: &str) -> Zeroizing<String> {
        let fragment = LinkSecret::Key(self.link_key.clone()).to_fragment();
        Zeroizing::new(format!("{base}/s/{}#{}", self.id, fragment.as_str()))
    }
}

/// Derives the storage id and link key from a service's secret key. `service` separates the
/// layers, so the same string used as a key on two APIs names two different secrets.
pub(crate) fn derive(service: &str, secret_key: &str) -> Derived {
    let hk = Hkdf::<Sha256>::new(Some(SALT), secret_key.as_bytes());
    let mut id = [0u8; 16];
    let mut key = Zeroizing::new([0u8; 32]);
    hk.expand_multi_info(&[b"wisp/compat/v1/id/", service.as_bytes()], &mut id)
        .expect("16 bytes is a valid HKDF-SHA256 length");
    hk.expand_multi_info(
        &[b"wisp/compat/v1/link-key/", service.as_bytes()],
        key.as_mut(),
    )
    .expect("32 bytes is a valid HKDF-SHA256 length");
    Derived {
        id: URL_SAFE_NO_PAD.encode(id),
        link_key: LinkKey::from_bytes(*key),
    }
}

fn cipher(secret: &str, context: &[u8]) -> Aes256Gcm {
    let hk = Hkdf::<Sha256>::new(Some(SALT), secret.as_bytes());
    let mut key = Zeroizing::new([0u8; 32]);
    hk.expand(context, key.as_mut())
        .expect("32 bytes is a valid HKDF-SHA256 length");
    Aes256Gcm::new(key.as_ref().into())
}

/// Seals `plaintext` (AES-256-GCM, random nonce) under a key derived from `secret` (a
/// high-entropy key or API token the server does not store) and `context`.
pub(crate) fn seal_with(secret: &str, context: &[u8], plaintext: &[u8]) -> String {
    let mut nonce = [0u8; 12];
    rand::rngs::OsRng.fill_bytes(&mut nonce);
    let sealed = cipher(secret, context)
        .encrypt(Nonce::from_slice(&nonce), plaintext)
        .expect("AES-GCM encryption of a short value cannot fail");
    let mut out = nonce.to_vec();
    out.extend_from_slice(&sealed);
    URL_SAFE_NO_PAD.encode(out)
}

/// Opens what [`seal_with`] sealed; `None` for another secret or context, or damage.
pub(crate) fn open_with(secret: &str, context: &[u8], sealed: &str) -> Option<Zeroizing<Vec<u8>>> {
    let bytes = URL_SAFE_NO_PAD.decode(sealed).ok()?;
    if bytes.len() < 12 {
        return None;
    }
    let (nonce, body) = bytes.split_at(12);
    cipher(secret, context)
        .decrypt(Nonce::from_slice(nonce), body)
        .ok()
        .map(Zeroizing::new)
}

const SENDER_SEAL: &[u8] = b"wisp/compat/v1/sender-seal";

/// Seals `secret_key` so that only the holder of `metadata_key` can read it back.
pub(crate) fn seal_for_sender(metadata_key: &str, secret_key: &str) -> String {
    seal_with(metadata_key, SENDER_SEAL, secret_key.as_bytes())
}

/// Opens what [`seal_for_sender`] sealed; `None` if the metadata key is not the right one.
pub(crate) fn open_for_sender(metadata_key: &str, sealed: &str) -> Option<Zeroizing<String>> {
    let plain = open_with(metadata_key, SENDER_SEAL, sealed)?;
    String::from_utf8(plain.to_vec()).ok().map(Zeroizing::new)
}

/// A sealed payload, committed to the store's payload directory.
#[derive(Debug)]
pub(crate) struct Stored {
    /// Public payload header (the record's `header`).
    pub header: Vec<u8>,
    /// Verifier of the link proof.
    pub verifier: [u8; 32],
    /// Verifier of the passphrase proof, when sealed with a passphrase.
    pub passphrase_verifier: Option<[u8; 32]>,
    /// Payload size.
    pub size: u64,
    /// Where it is.
    pub blob: BlobRef,
}

/// Counts an anonymous request that carries a passphrase (the server will run Argon2id
/// for it) against `compat.anonymous_passphrase_per_minute`, per IP (IPv6: per /64).
/// `Err` with the limiter's decision when over the limit.
pub(crate) fn passphrase_gate(
    state: &AppState,
    peer: std::net::SocketAddr,
    headers: &axum::http::HeaderMap,
) -> Result<(), crate::state::RateDecision> {
    let key = format!(
        "kdf:{}",
        crate::ids::network(state.client_ip(peer, headers))
    );
    let decision = state.kdf_limiter.check(
        &key,
        state.config.compat.anonymous_passphrase_per_minute,
        crate::now().max(0) as u64,
    );
    if decision.allowed {
        Ok(())
    } else {
        Err(decision)
    }
}

/// A slot to run Argon2id in ([`AppState::kdf_slots`]); held by the blocking task, so a
/// client that goes away does not free it before the work ends.
async fn kdf_slot(state: &AppState) -> Result<tokio::sync::OwnedSemaphorePermit, Internal> {
    Ok(state.kdf_slots.clone().acquire_owned().await?)
}

/// Who stores a payload, for the storage quota: the caller, and its address.
pub(crate) struct Owner<'a> {
    /// A token holder or nobody in particular.
    pub caller: &'a crate::routes::Caller,
    /// The caller's address (after a trusted proxy).
    pub ip: std::net::IpAddr,
}

/// Why a payload was not stored.
#[derive(Debug)]
pub(crate) enum SealError {
    /// Wisp's own refusal (storage quota, free-disk floor), for the layer to say in its shape.
    Refused(crate::error::AppError),
    /// A failure inside the server, already logged.
    Internal,
}

impl From<Internal> for SealError {
    fn from(_: Internal) -> Self {
        SealError::Internal
    }
}

/// Encrypts `content` under `link_key` (and `passphrase`) and writes the payload, charged
/// to `owner`'s storage quota like any upload.
pub(crate) async fn seal(
    state: &AppState,
    owner: Owner<'_>,
    link_key: &LinkKey,
    passphrase: Option<SecretString>,
    content: Zeroizing<Vec<u8>>,
) -> Result<Stored, SealError> {
    let mut charge = crate::quota::Charge::start(state, owner.caller, owner.ip, None)
        .map_err(SealError::Refused)?;
    let link_key = link_key.clone();
    let slot = if passphrase.is_some() {
        Some(kdf_slot(state).await?)
    } else {
        None
    };
    let (payload, header, verifier, passphrase_verifier) = tokio::task::spawn_blocking(move || {
        let _slot = slot;
        let options = SealOptions {
            kdf: SERVER_KDF,
            ..SealOptions::default()
        };
        let sealer = Sealer::with_options(&link_key, passphrase.as_ref(), &options)?;
        let mut payload = Vec::new();
        sealer
            .seal(&Metadata::text(content.len() as u64), &content[..])?
            .read_to_end(&mut payload)
            .map_err(wisp_crypto::Error::from_io)?;
        Ok::<_, wisp_crypto::Error>((
            payload,
            sealer.header().to_bytes(),
            *sealer.reveal_proof().verifier().as_bytes(),
            sealer.passphrase_proof().map(|p| *p.verifier().as_bytes()),
        ))
    })
    .await
    .map_err(Internal::from)?
    .map_err(Internal::from)?;
    charge
        .add(payload.len() as u64)
        .map_err(SealError::Refused)?;
    let mut writer = state.store.blob_writer().await.map_err(Internal::from)?;
    writer.write(&payload).await.map_err(Internal::from)?;
    let blob = writer.commit().await.map_err(Internal::from)?;
    charge.keep();
    Ok(Stored {
        header,
        verifier,
        passphrase_verifier,
        size: payload.len() as u64,
        blob,
    })
}

/// Why a reveal did not happen.
#[derive(Debug)]
pub(crate) enum RevealError {
    /// Viewed, burned, expired, or taken by a concurrent reveal.
    Unavailable,
    /// The secret has a passphrase and none was given (not counted as a wrong attempt).
    PassphraseRequired,
    /// Wrong passphrase: counted; `burned` when this attempt reached the limit.
    WrongPassphrase {
        /// Whether the secret burned now.
        burned: bool,
    },
    /// Too many passphrase attempts on this secret from this address (not counted).
    TooManyAttempts {
        /// Seconds until attempts are accepted again.
        retry_after: u64,
    },
    /// Server failure (logged).
    Internal,
}

impl From<Internal> for RevealError {
    fn from(_: Internal) -> Self {
        RevealError::Internal
    }
}

/// Checks the passphrase, spends one view atomically, and decrypts. A missing or wrong
/// passphrase never spends a view; a wrong one counts towards the server's burn limit,
/// exactly as through Wisp's own API (the same [`crate::gate`]).
pub(crate) async fn reveal(
    state: &AppState,
    record: &SecretRecord,
    link_key: &LinkKey,
    passphrase: Option<SecretString>,
    view: ViewEntry,
    client: std::net::IpAddr,
) -> Result<(SecretRecord, Zeroizing<Vec<u8>>), RevealError> {
    let now = view.at;
    if !record.available(now) {
        return Err(RevealError::Unavailable);
    }
    let opener = open(state, record, link_key, passphrase, client).await?;
    let blob = record.blob.clone().ok_or(RevealError::Unavailable)?;
    // Read the payload before spending the view: once read, the sweeper deleting the file
    // cannot turn a spent view into an error.
    let mut file = state
        .store
        .open_blob(&blob, 0)
        .await
        .map_err(|_| RevealError::Unavailable)?;
    let mut payload = Vec::with_capacity(record.size as usize);
    file.read_to_end(&mut payload)
        .await
        .map_err(Internal::from)?;
    let claim = state
        .store
        .claim_view(
            &record.id,
            &record.verifier,
            record.passphrase_verifier.as_ref(),
            now,
            view,
            None,
        )
        .await
        .map_err(Internal::from)?
        .ok_or(RevealError::Unavailable)?;
    tracing::info!(secret = crate::ids::log_id(&record.id), views_left = ?claim.record.views_left(), "secret revealed");
    state.publish(claim.record.metadata_hash);
    state.notifier.secret_event(&claim.record, now);
    let content = tokio::task::spawn_blocking(move || opener.open(&payload[..])?.read_all())
        .await
        .map_err(Internal::from)?
        .map_err(Internal::from)?;
    Ok((claim.record, content))
}

/// Derives the proofs from the secret key (and passphrase) and passes them through the
/// reveal gate: `Ok` when the caller may have the payload (or burn the secret).
pub(crate) async fn open(
    state: &AppState,
    record: &SecretRecord,
    link_key: &LinkKey,
    passphrase: Option<SecretString>,
    client: std::net::IpAddr,
) -> Result<Opener, RevealError> {
    let (header, _) = PayloadHeader::parse(&record.header).map_err(Internal::from)?;
    let key = link_key.clone();
    let slot = if passphrase.is_some() && header.needs_passphrase() {
        Some(kdf_slot(state).await?)
    } else {
        None
    };
    let opened = tokio::task::spawn_blocking(move || {
        let _slot = slot;
        Opener::new(&key, passphrase.as_ref(), &header)
    })
    .await
    .map_err(Internal::from)?;
    let opener = match opened {
        Ok(opener) => opener,
        Err(wisp_crypto::Error::PassphraseRequired) => return Err(RevealError::PassphraseRequired),
        // v1 only: its key check includes the passphrase. Counted as v1 counts it.
        Err(wisp_crypto::Error::WrongPassphrase) => {
            crate::gate::throttle(state, record, client).map_err(RevealError::from)?;
            let (_, burned) =
                crate::gate::count_wrong(state, record, wisp_api::BurnReason::WrongProof)
                    .await
                    .map_err(RevealError::from)?;
            return Err(RevealError::WrongPassphrase { burned });
        }
        // The id is derived from the same secret key as the link key, so another key
        // cannot name this record; answer as for an unknown secret.
        Err(wisp_crypto::Error::WrongKey) => return Err(RevealError::Unavailable),
        Err(e) => return Err(Internal::from(e).into()),
    };
    let presented = crate::gate::Presented {
        link: opener.reveal_proof().clone(),
        passphrase: opener.passphrase_proof().cloned(),
    };
    crate::gate::check(state, record, &presented, client)
        .await
        .map_err(RevealError::from)?;
    Ok(opener)
}

impl From<crate::gate::Denied> for RevealError {
    fn from(denied: crate::gate::Denied) -> Self {
        use crate::gate::Denied;
        match denied {
            Denied::Unavailable => RevealError::Unavailable,
            Denied::PassphraseRequired { .. } => RevealError::PassphraseRequired,
            Denied::TooManyAttempts { retry_after } => RevealError::TooManyAttempts { retry_after },
            Denied::WrongPassphrase { burned, .. } | Denied::WrongProof { burned, .. } => {
                RevealError::WrongPassphrase { burned }
            }
            Denied::Internal(_) => RevealError::Internal,
        }
    }
}

/// Burns an available secret (payload deleted, receipt kept) and tells subscribers.
pub(crate) async fn burn(
    state: &AppState,
    id: &str,
    reason: wisp_api::BurnReason,
) -> Result<Option<SecretRecord>, Internal> {
    let now = crate::now();
    let after = state.store.burn(id, now, reason).await?;
    if let Some(after) = &after {
        tracing::info!(secret = crate::ids::log_id(id), "secret burned");
        state.publish(after.metadata_hash);
        state.notifier.secret_event(after, now);
    }
    Ok(after)
}

/// A passphrase from a request field (empty = none).
pub(crate) fn passphrase(text: Option<&str>) -> Option<SecretString> {
    text.filter(|p| !p.is_empty())
        .map(|p| SecretString::from(p.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derivation_is_stable_and_separated_per_layer() {
        let a = derive("onetime", "key");
        let b = derive("onetime", "key");
        let c = derive("burn_the_secret", "key");
        assert_eq!(a.id, b.id);
        assert_eq!(a.link_key, b.link_key);
        assert_ne!(a.id, c.id);
        assert_ne!(a.link_key, c.link_key);
        assert!(crate::ids::is_id(&a.id));
    }

    #[test]
    fn sender_seal_needs_the_metadata_key() {
        let sealed = seal_for_sender("metadata", "secret-key");
        assert_eq!(
            open_for_sender("metadata", &sealed)
                .as_deref()
                .map(|s| s.as_str()),
            Some("secret-key")
        );
        assert!(open_for_sender("other", &sealed).is_none());
        assert!(open_for_sender("metadata", "garbage").is_none());
    }
}
