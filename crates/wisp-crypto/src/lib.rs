//! Wisp's zero-knowledge core: everything a sender or recipient computes, and nothing a
//! server could use to read a secret.
//!
//! Layers, from the bottom: [`stream`] (Tink-compatible AES-256-GCM-HKDF streaming AEAD),
//! [`keys`] (link key, Argon2id passphrase stretch, HKDF derivations, reveal proof),
//! [`payload`] (versioned header, encrypted metadata, padded content), [`link`] (URLs and
//! fragments, split links) over [`split`] (Shamir over GF(2^8)). No async, no HTTP;
//! the `tokio` feature adds [`async_io`] adapters.
//!
//! # Example
//!
//! ```
//! use wisp_crypto::{Link, LinkKey, LinkSecret, SecretId, seal_text, open_text, PayloadHeader};
//!
//! // Sender: a fresh key, the payload to upload, the proof's verifier for the server.
//! let key = LinkKey::generate();
//! let sealed = seal_text(&key, None, "correct horse battery staple")?;
//! let verifier = sealed.reveal_proof.verifier();
//! let link = Link::new("https://wisp.example", SecretId::parse("Vq3xVq3xVq3xVq3xVq3xVq")?, LinkSecret::Key(key))?;
//!
//! // Recipient: parse the link, check the header's key check, present the proof, decrypt.
//! let parsed = Link::parse(&link.expose_url())?;
//! let LinkSecret::Key(key) = parsed.secret() else { unreachable!() };
//! let (header, _) = PayloadHeader::parse(&sealed.payload)?;
//! let opener = wisp_crypto::Opener::new(key, None, &header)?;
//! assert!(verifier.matches(opener.reveal_proof()));
//! assert_eq!(&*open_text(key, None, &sealed.payload)?, "correct horse battery staple");
//! # Ok::<(), wisp_crypto::Error>(())
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

#[cfg(feature = "tokio")]
pub mod async_io;
pub mod error;
pub mod keys;
pub mod link;
pub mod payload;
pub mod split;
pub mod stream;
#[cfg(test)]
mod vectors;

pub use error::{Error, Result};
pub use keys::{FormatVersion, KdfParams, LinkKey, PassphraseParams, RevealProof, RevealVerifier};
pub use link::{combine_links, combine_parts, split_key, Link, LinkPart, LinkSecret, SecretId};
pub use payload::{
    open, open_bytes, open_text, padded_len, seal_bytes, seal_text, ContentKind, Metadata, Opener,
    PayloadHeader, PayloadReader, SealOptions, SealedBytes, SealedPayload, Sealer, SealingWriter,
};
pub use secrecy::SecretString;
