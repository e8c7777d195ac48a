//! Key material: the link key, the optional passphrase stretch, and what is derived from them.
//!
//! Format v2 (written by this build) separates what the link key proves from what the
//! passphrase proves:
//!
//! ```text
//! link key (32 random bytes, URL fragment only)
//!   └─ prk_link = HKDF-Extract(salt = "wisp/v2", link key)
//!        ├─ HKDF-Expand(prk_link, "wisp/v2/link-proof")   → link proof (server checks it first)
//!        ├─ HKDF-Expand(prk_link, "wisp/v2/key-check")    → 16 bytes in the public header
//!        └─ HKDF-Expand(prk_link, "wisp/v2/payload-key")  → stream key          (no passphrase)
//! with a passphrase:
//!   prk_pass = HKDF-Extract(salt = "wisp/v2/passphrase", link key ‖ Argon2id(passphrase, salt, m, t, p))
//!        ├─ HKDF-Expand(prk_pass, "wisp/v2/passphrase-proof") → passphrase proof (counted when wrong)
//!        └─ HKDF-Expand(prk_pass, "wisp/v2/payload-key")      → stream key
//! ```
//!
//! Nothing public depends on the passphrase: the header's key check tells a wrong *link*
//! locally, but a passphrase can only be tested by presenting its proof to the server,
//! which counts wrong ones and burns at its limit. The server stores SHA-256 of each proof
//! (a [`RevealVerifier`]); it cannot compute a proof, and someone holding only the id
//! cannot make a wrong attempt count (a wrong link proof is answered like an unknown id).
//!
//! Format v1 (read for secrets created before v2) mixed the passphrase into everything:
//! `prk = HKDF-Extract("wisp/v1", link key [‖ Argon2id(...)])`, one reveal proof, and a key
//! check that let a link holder test passphrases offline. It is kept only to open v1 payloads.

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

const V1_SALT: &[u8] = b"wisp/v1";
const V1_PAYLOAD: &[u8] = b"wisp/v1/payload-key";
const V1_PROOF: &[u8] = b"wisp/v1/reveal-proof";
const V1_CHECK: &[u8] = b"wisp/v1/key-check";

const V2_SALT: &[u8] = b"wisp/v2";
const V2_PASSPHRASE_SALT: &[u8] = b"wisp/v2/passphrase";
const V2_LINK_PROOF: &[u8] = b"wisp/v2/link-proof";
const V2_CHECK: &[u8] = b"wisp/v2/key-check";
const V2_PAYLOAD: &[u8] = b"wisp/v2/payload-key";
const V2_PASSPHRASE_PROOF: &[u8] = b"wisp/v2/passphrase-proof";

/// Which key schedule a payload uses (its header's version byte).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FormatVersion {
    /// The first format: one proof and a key check that both include the passphrase.
    V1 = 1,
    /// Link proof and key check from the link key alone; a separate passphrase proof.
    V2 = 2,
}

impl FormatVersion {
    /// The header's version byte.
    pub fn byte(self) -> u8 {
        self as u8
    }

    /// From a header's version byte.
    pub fn from_byte(byte: u8) -> Result<Self> {
        match byte {
            1 => Ok(FormatVersion::V1),
            2 => Ok(FormatVersion::V2),
            other => Err(Error::UnsupportedVersion(other)),
        }
    }
}

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

/// A proof sent to the server when revealing: of the link key (v2's link proof, header
/// `Wisp-Reveal-Proof`), of the passphrase (v2's passphrase proof, `Wisp-Passphrase-Proof`),
/// or of both at once (v1's reveal proof).
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
    /// v2: the link proof; v1: the one reveal proof (link key and passphrase).
    #[zeroize(skip)]
    pub(crate) reveal_proof: RevealProof,
    /// v2 with a passphrase: the proof of the passphrase (with the link key).
    #[zeroize(skip)]
    pub(crate) passphrase_proof: Option<RevealProof>,
    pub(crate) key_check: [u8; KEY_CHECK_LEN],
}

impl DerivedKeys {
    pub(crate) fn derive(
        version: FormatVersion,
        link_key: &LinkKey,
        passphrase: Option<(&SecretString, &PassphraseParams)>,
    ) -> Result<Self> {
        let stretched = match passphrase {
            Some((phrase, params)) => Some(params.stretch(phrase)?),
            None => None,
        };
        Ok(match version {
            FormatVersion::V1 => Self::derive_v1(link_key, stretched.as_deref()),
            FormatVersion::V2 => Self::derive_v2(link_key, stretched.as_deref()),
        })
    }

    fn derive_v1(link_key: &LinkKey, stretched: Option<&[u8; 32]>) -> Self {
        let mut ikm = Zeroizing::new([0u8; 64]);
        ikm[..32].copy_from_slice(link_key.expose_bytes());
        let ikm_len = match stretched {
            Some(s) => {
                ikm[32..].copy_from_slice(s);
                64
            }
            None => 32,
        };
        let hk = Hkdf::<Sha256>::new(Some(V1_SALT), &ikm[..ikm_len]);
        let mut keys = DerivedKeys {
            payload_key: [0u8; 32],
            reveal_proof: RevealProof([0u8; 32]),
            passphrase_proof: None,
            key_check: [0u8; KEY_CHECK_LEN],
        };
        expand(&hk, V1_PAYLOAD, &mut keys.payload_key);
        expand(&hk, V1_PROOF, &mut keys.reveal_proof.0);
        expand(&hk, V1_CHECK, &mut keys.key_check);
        keys
    }

    fn derive_v2(link_key: &LinkKey, stretched: Option<&[u8; 32]>) -> Self {
        let link = Hkdf::<Sha256>::new(Some(V2_SALT), link_key.expose_bytes());
        let mut keys = DerivedKeys {
            payload_key: [0u8; 32],
            reveal_proof: RevealProof([0u8; 32]),
            passphrase_proof: None,
            key_check: [0u8; KEY_CHECK_LEN],
        };
        expand(&link, V2_LINK_PROOF, &mut keys.reveal_proof.0);
        expand(&link, V2_CHECK, &mut keys.key_check);
        match stretched {
            None => expand(&link, V2_PAYLOAD, &mut keys.payload_key),
            Some(s) => {
                let mut ikm = Zeroizing::new([0u8; 64]);
                ikm[..32].copy_from_slice(link_key.expose_bytes());
                ikm[32..].copy_from_slice(s);
                let pass = Hkdf::<Sha256>::new(Some(V2_PASSPHRASE_SALT), ikm.as_ref());
                let mut proof = RevealProof([0u8; 32]);
                expand(&pass, V2_PASSPHRASE_PROOF, &mut proof.0);
                expand(&pass, V2_PAYLOAD, &mut keys.payload_key);
                keys.passphrase_proof = Some(proof);
            }
        }
        keys
    }

    pub(crate) fn key_check_matches(&self, stored: &[u8; KEY_CHECK_LEN]) -> bool {
        self.key_check.ct_eq(stored).into()
    }
}

/// HKDF-Expand into `out`. Every output here is at most 32 bytes, far below HKDF-SHA256's
/// limit of 255·32, so expansion cannot fail.
fn expand(hk: &Hkdf<Sha256>, label: &[u8], out: &mut [u8]) {
    hk.expand(label, out)
        .expect("outputs of at most 32 bytes are valid HKDF-SHA256 lengths");
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
        let keys = DerivedKeys::derive(FormatVersion::V2, &key, None).expect("derive");
        assert_eq!(
            format!("{:?}", keys.reveal_proof),
            "RevealProof(<redacted>)"
        );
    }

    #[test]
    fn verifier_accepts_only_its_proof() {
        let a = DerivedKeys::derive(FormatVersion::V2, &LinkKey::from_bytes([1; 32]), None)
            .expect("derive");
        let b = DerivedKeys::derive(FormatVersion::V2, &LinkKey::from_bytes([2; 32]), None)
            .expect("derive");
        let v = a.reveal_proof.verifier();
        assert!(v.matches(&a.reveal_proof));
        assert!(!v.matches(&b.reveal_proof));
        let round = RevealProof::from_base64url(&a.reveal_proof.to_base64url()).expect("decode");
        assert!(v.matches(&round));
    }

    #[test]
    fn labels_give_independent_keys() {
        let k = DerivedKeys::derive(FormatVersion::V2, &LinkKey::from_bytes([7; 32]), None)
            .expect("derive");
        assert_ne!(k.payload_key, k.reveal_proof.0);
        assert_ne!(&k.payload_key[..16], &k.key_check[..]);
    }

    #[test]
    fn v2_public_values_do_not_depend_on_the_passphrase() {
        let key = LinkKey::from_bytes([9; 32]);
        let params = PassphraseParams {
            kdf: KdfParams {
                m_cost_kib: 64,
                t_cost: 1,
                p_cost: 1,
            },
            salt: [3; PASSPHRASE_SALT_LEN],
        };
        let one = SecretString::from("one passphrase");
        let two = SecretString::from("another passphrase");
        let none = DerivedKeys::derive(FormatVersion::V2, &key, None).expect("derive");
        let a = DerivedKeys::derive(FormatVersion::V2, &key, Some((&one, &params))).expect("a");
        let b = DerivedKeys::derive(FormatVersion::V2, &key, Some((&two, &params))).expect("b");
        // What the public header and the link proof carry is the same for every passphrase…
        assert_eq!(a.key_check, b.key_check);
        assert_eq!(a.key_check, none.key_check);
        assert_eq!(a.reveal_proof.0, b.reveal_proof.0);
        assert_eq!(a.reveal_proof.0, none.reveal_proof.0);
        // …while the passphrase proof and the payload key are not.
        let (pa, pb) = (
            a.passphrase_proof.as_ref().expect("proof"),
            b.passphrase_proof.as_ref().expect("proof"),
        );
        assert_ne!(pa.0, pb.0);
        assert_ne!(a.payload_key, b.payload_key);
        assert_ne!(a.payload_key, none.payload_key);
        assert!(none.passphrase_proof.is_none());
        // v1 mixed the passphrase into the key check: the offline oracle v2 removes.
        let v1a = DerivedKeys::derive(FormatVersion::V1, &key, Some((&one, &params))).expect("v1");
        let v1b = DerivedKeys::derive(FormatVersion::V1, &key, Some((&two, &params))).expect("v1");
        assert_ne!(v1a.key_check, v1b.key_check);
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
