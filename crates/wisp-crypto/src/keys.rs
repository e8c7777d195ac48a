//! Key material: the link key, the optional passphrase stretch, and what is derived from them.
//!
//! ```text
//! link key (32 random bytes, URL fragment only)
//!   └─ ikm = link key ‖ Argon2id(passphrase, salt, m, t, p)      (second half only with a passphrase)
//!        └─ prk = HKDF-Extract(salt = "wisp/v1", ikm)
//!             ├─ HKDF-Expand(prk, "wisp/v1/payload-key")   → 32-byte streaming-AEAD key
//!             ├─ HKDF-Expand(prk, "wisp/v1/reveal-proof")  → 32-byte proof sent to the server on reveal
//!             └─ HKDF-Expand(prk, "wisp/v1/key-check")     → 16 bytes stored in the payload header
//! ```
//!
//! The server stores only SHA-256 of the reveal proof (a [`RevealVerifier`]), so it can
//! refuse reveals from anyone without the link key *and* passphrase, without learning
//! anything that decrypts. Because the proof includes the passphrase, a wrong passphrase
//! is refused by the server before a view is spent, and counted towards the burn limit.

use std::fmt;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use hkdf::Hkdf;
use rand::RngCore;
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::error::{Error, Result};

/// Length of a link key in bytes (256 bits).
pub const LINK_KEY_LEN: usize = 32;
/// Length of the Argon2id salt stored in a passphrase-protected payload header.
pub const PASSPHRASE_SALT_LEN: usize = 16;
/// Length of the key check value stored in every payload header.
pub const KEY_CHECK_LEN: usize = 16;

const HKDF_SALT: &[u8] = b"wisp/v1";
const LABEL_PAYLOAD: &[u8] = b"wisp/v1/payload-key";
const LABEL_PROOF: &[u8] = b"wisp/v1/reveal-proof";
const LABEL_CHECK: &[u8] = b"wisp/v1/key-check";

/// The 256-bit random key a link carries in its fragment. Zeroized on drop; never printed.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct LinkKey([u8; LINK_KEY_LEN]);

impl LinkKey {
    /// A fresh key from the operating system's CSPRNG.
    pub fn generate() -> Self {
        let mut bytes = [0u8; LINK_KEY_LEN];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        LinkKey(bytes)
    }

    /// Wraps existing key bytes (from a decoded fragment or a combined split).
    pub fn from_bytes(bytes: [u8; LINK_KEY_LEN]) -> Self {
        LinkKey(bytes)
    }

    /// The raw key bytes. Callers must not log or persist them.
    pub fn expose_bytes(&self) -> &[u8; LINK_KEY_LEN] {
        &self.0
    }
}

impl PartialEq for LinkKey {
    fn eq(&self, other: &Self) -> bool {
        self.0.ct_eq(&other.0).into()
    }
}
impl Eq for LinkKey {}

impl fmt::Debug for LinkKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("LinkKey(<redacted>)")
    }
}

/// Argon2id cost parameters for stretching a passphrase.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KdfParams {
    /// Memory in KiB.
    pub m_cost_kib: u32,
    /// Passes over memory.
    pub t_cost: u32,
    /// Lanes.
    pub p_cost: u32,
}

impl KdfParams {
    /// RFC 9106's second recommended option: 64 MiB, 3 passes, 4 lanes.
    pub const DEFAULT: KdfParams = KdfParams {
        m_cost_kib: 64 * 1024,
        t_cost: 3,
        p_cost: 4,
    };
    /// Largest memory cost accepted from a header: 1 GiB.
    pub const MAX_M_COST_KIB: u32 = 1024 * 1024;
    /// Largest pass count accepted from a header.
    pub const MAX_T_COST: u32 = 10;
    /// Largest lane count accepted from a header.
    pub const MAX_P_COST: u32 = 16;

    /// Refuses parameters a crafted link could use to exhaust memory or time.
    pub fn check(&self) -> Result<()> {
        if self.p_cost == 0 || self.p_cost > Self::MAX_P_COST {
            return Err(Error::AbsurdParameters("argon2 lanes must be 1..=16"));
        }
        if self.t_cost == 0 || self.t_cost > Self::MAX_T_COST {
            return Err(Error::AbsurdParameters("argon2 passes must be 1..=10"));
        }
        if self.m_cost_kib < 8 * self.p_cost || self.m_cost_kib > Self::MAX_M_COST_KIB {
            return Err(Error::AbsurdParameters(
                "argon2 memory must be 8 KiB per lane up to 1 GiB",
            ));
        }
        Ok(())
    }
}

impl Default for KdfParams {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// Argon2id parameters and salt of a passphrase-protected payload (public; stored in the header).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PassphraseParams {
    /// Cost parameters.
    pub kdf: KdfParams,
    /// Random per-payload salt.
    pub salt: [u8; PASSPHRASE_SALT_LEN],
}

impl PassphraseParams {
    /// Default costs with a fresh random salt.
    pub fn generate(kdf: KdfParams) -> Self {
        let mut salt = [0u8; PASSPHRASE_SALT_LEN];
        rand::rngs::OsRng.fill_bytes(&mut salt);
        PassphraseParams { kdf, salt }
    }

    /// Runs Argon2id over the passphrase; the result is zeroized on drop.
    pub fn stretch(&self, passphrase: &SecretString) -> Result<Zeroizing<[u8; 32]>> {
        self.kdf.check()?;
        let params = argon2::Params::new(
            self.kdf.m_cost_kib,
            self.kdf.t_cost,
            self.kdf.p_cost,
            Some(32),
        )
        .map_err(|e| Error::Kdf(e.to_string()))?;
        let argon =
            argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
        let mut out = Zeroizing::new([0u8; 32]);
        argon
            .hash_password_into(
                passphrase.expose_secret().as_bytes(),
                &self.salt,
                out.as_mut(),
            )
            .map_err(|e| Error::Kdf(e.to_string()))?;
        Ok(out)
    }
}

/// Proof of holding the link key (and passphrase), sent to the server when revealing.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct RevealProof([u8; 32]);

impl RevealProof {
    /// Encodes for an HTTP header or JSON body.
    pub fn to_base64url(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.0)
    }

    /// Decodes what [`RevealProof::to_base64url`] produced.
    pub fn from_base64url(text: &str) -> Result<Self> {
        let mut bytes = Zeroizing::new(
            URL_SAFE_NO_PAD
                .decode(text.trim())
                .map_err(|_| Error::InvalidLink("reveal proof is not base64url"))?,
        );
        let arr: [u8; 32] = bytes
            .as_slice()
            .try_into()
            .map_err(|_| Error::InvalidLink("reveal proof must be 32 bytes"))?;
        bytes.zeroize();
        Ok(RevealProof(arr))
    }

    /// What the server stores: SHA-256 of the proof.
    pub fn verifier(&self) -> RevealVerifier {
        RevealVerifier(Sha256::digest(self.0).into())
    }
}

impl fmt::Debug for RevealProof {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RevealProof(<redacted>)")
    }
}

/// SHA-256 of a [`RevealProof`]: what the server keeps to check reveals. Not secret by itself.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct RevealVerifier([u8; 32]);

impl RevealVerifier {
    /// Constant-time check of a presented proof.
    pub fn matches(&self, proof: &RevealProof) -> bool {
        let presented: [u8; 32] = Sha256::digest(proof.0).into();
        presented.ct_eq(&self.0).into()
    }

    /// Raw bytes, for storage.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// From stored bytes.
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        RevealVerifier(bytes)
    }

    /// Encodes for the create request.
    pub fn to_base64url(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.0)
    }

    /// Decodes what [`RevealVerifier::to_base64url`] produced.
    pub fn from_base64url(text: &str) -> Result<Self> {
        let bytes = URL_SAFE_NO_PAD
            .decode(text.trim())
            .map_err(|_| Error::InvalidLink("reveal verifier is not base64url"))?;
        let arr: [u8; 32] = bytes
            .as_slice()
            .try_into()
            .map_err(|_| Error::InvalidLink("reveal verifier must be 32 bytes"))?;
        Ok(RevealVerifier(arr))
    }
}

impl fmt::Debug for RevealVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Only a prefix: enough to correlate in a debugger, useless to anyone else.
        write!(f, "RevealVerifier({:02x}{:02x}…)", self.0[0], self.0[1])
    }
}

/// Everything derived from a link key (+ passphrase) for one payload.
#[derive(Clone, ZeroizeOnDrop)]
pub(crate) struct DerivedKeys {
    pub(crate) payload_key: [u8; 32],
    #[zeroize(skip)]
    pub(crate) reveal_proof: RevealProof,
    pub(crate) key_check: [u8; KEY_CHECK_LEN],
}

impl DerivedKeys {
    pub(crate) fn derive(
        link_key: &LinkKey,
        passphrase: Option<(&SecretString, &PassphraseParams)>,
    ) -> Result<Self> {
        let mut ikm = Zeroizing::new([0u8; 64]);
        ikm[..32].copy_from_slice(link_key.expose_bytes());
        let ikm_len = match passphrase {
            Some((phrase, params)) => {
                let stretched = params.stretch(phrase)?;
                ikm[32..].copy_from_slice(stretched.as_ref());
                64
            }
            None => 32,
        };
        let hk = Hkdf::<Sha256>::new(Some(HKDF_SALT), &ikm[..ikm_len]);
        let mut keys = DerivedKeys {
            payload_key: [0u8; 32],
            reveal_proof: RevealProof([0u8; 32]),
            key_check: [0u8; KEY_CHECK_LEN],
        };
        // Expanding ≤ 255·32 bytes cannot fail; map anyway rather than unwrap.
        let expand_err = |_| Error::Kdf("hkdf expand".into());
        hk.expand(LABEL_PAYLOAD, &mut keys.payload_key)
            .map_err(expand_err)?;
        hk.expand(LABEL_PROOF, &mut keys.reveal_proof.0)
            .map_err(expand_err)?;
        hk.expand(LABEL_CHECK, &mut keys.key_check)
            .map_err(expand_err)?;
        Ok(keys)
    }

    pub(crate) fn key_check_matches(&self, stored: &[u8; KEY_CHECK_LEN]) -> bool {
        self.key_check.ct_eq(stored).into()
    }
}

impl fmt::Debug for DerivedKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DerivedKeys(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_prints_key_bytes() {
        let key = LinkKey::from_bytes([0xAB; 32]);
        let shown = format!("{key:?}");
        assert!(!shown.to_lowercase().contains("ab, "));
        assert!(!shown.contains("171"));
        assert_eq!(shown, "LinkKey(<redacted>)");
        let keys = DerivedKeys::derive(&key, None).expect("derive");
        assert_eq!(
            format!("{:?}", keys.reveal_proof),
            "RevealProof(<redacted>)"
        );
    }

    #[test]
    fn verifier_accepts_only_its_proof() {
        let a = DerivedKeys::derive(&LinkKey::from_bytes([1; 32]), None).expect("derive");
        let b = DerivedKeys::derive(&LinkKey::from_bytes([2; 32]), None).expect("derive");
        let v = a.reveal_proof.verifier();
        assert!(v.matches(&a.reveal_proof));
        assert!(!v.matches(&b.reveal_proof));
        let round = RevealProof::from_base64url(&a.reveal_proof.to_base64url()).expect("decode");
        assert!(v.matches(&round));
    }

    #[test]
    fn labels_give_independent_keys() {
        let k = DerivedKeys::derive(&LinkKey::from_bytes([7; 32]), None).expect("derive");
        assert_ne!(k.payload_key, k.reveal_proof.0);
        assert_ne!(&k.payload_key[..16], &k.key_check[..]);
    }

    #[test]
    fn absurd_kdf_params_are_refused() {
        for bad in [
            KdfParams {
                m_cost_kib: KdfParams::MAX_M_COST_KIB + 1,
                t_cost: 1,
                p_cost: 1,
            },
            KdfParams {
                m_cost_kib: 1024,
                t_cost: 11,
                p_cost: 1,
            },
            KdfParams {
                m_cost_kib: 1024,
                t_cost: 1,
                p_cost: 0,
            },
            KdfParams {
                m_cost_kib: 4,
                t_cost: 1,
                p_cost: 1,
            },
        ] {
            assert!(
                matches!(bad.check(), Err(Error::AbsurdParameters(_))),
                "{bad:?}"
            );
        }
        assert!(KdfParams::DEFAULT.check().is_ok());
    }
}
