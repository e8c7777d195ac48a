//! Payload format v2 (and v1, read only): the public header, the encrypted metadata and the
//! padded content stream.
//!
//! ```text
//! payload   = header ‖ stream                       (stream: see `crate::stream`, AAD = header)
//! header    = "WISP" ‖ version (0x02; 0x01 read only) ‖ flags ‖ log2(segment size)
//!             [‖ argon2 m KiB (BE32) ‖ t (BE32) ‖ p (BE32) ‖ salt (16)]   if flags bit 0 (passphrase)
//!             ‖ key check (16)
//! plaintext = BE32(len(meta)) ‖ meta (UTF-8 JSON) ‖ content ‖ zero padding
//! ```
//!
//! The header is public: the server reads it to tell recipients a passphrase is needed and
//! with which Argon2 parameters. It is bound to the ciphertext as the stream's associated
//! data, so changing any header byte makes every segment fail. The key check lets a reader
//! tell "wrong link" from "corrupted" before touching the stream. In v2 it comes from the link
//! key alone, so the header is the same for every passphrase: only the server, which counts
//! wrong attempts, can tell a right passphrase from a wrong one (see [`crate::keys`]).
//!
//! When the content size is known the plaintext is padded with zeros to a bucket (1 KiB
//! steps up to 64 KiB, then 64 KiB steps) so the server learns only an approximate size: a
//! 3-character password and a 300-character one look alike.

use std::fmt;
use std::io::{self, Cursor, Read, Write};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::keys::{
    DerivedKeys, FormatVersion, KdfParams, LinkKey, PassphraseParams, RevealProof, KEY_CHECK_LEN,
    PASSPHRASE_SALT_LEN,
};
use crate::stream::{
    self, DecryptingReader, EncryptingReader, EncryptingWriter, STREAM_HEADER_LEN,
};

/// Magic bytes every payload starts with.
pub const MAGIC: &[u8; 4] = b"WISP";
/// The payload format version this build writes (it reads v1 too).
pub const VERSION: u8 = 2;
/// Largest encrypted metadata block accepted.
pub const MAX_METADATA_LEN: u32 = 16 * 1024;
/// Largest content a v1 payload can declare: 2^48 bytes (the 32-bit segment counter with
/// 64 KiB segments reaches 2^48 too). Bounding it keeps every size computation exact.
pub const MAX_CONTENT_SIZE: u64 = 1 << 48;
/// Longest possible header (with passphrase parameters).
pub const MAX_HEADER_LEN: usize = FIXED_HEADER_LEN + PASSPHRASE_BLOCK_LEN + KEY_CHECK_LEN;

const FIXED_HEADER_LEN: usize = 7;
const PASSPHRASE_BLOCK_LEN: usize = 12 + PASSPHRASE_SALT_LEN;
const FLAG_PASSPHRASE: u8 = 0b0000_0001;
const SMALL_BUCKET: u64 = 1024;
const SMALL_LIMIT: u64 = 64 * 1024;
const LARGE_BUCKET: u64 = 64 * 1024;

/// The public, unencrypted start of a payload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PayloadHeader {
    /// Key schedule and header version.
    pub version: FormatVersion,
    /// Argon2id parameters when the payload needs a passphrase.
    pub passphrase: Option<PassphraseParams>,
    /// Ciphertext segment size of the stream.
    pub segment_size: usize,
    /// Derived from the link key (v1: and the passphrase); lets a reader detect a wrong link early.
    pub key_check: [u8; KEY_CHECK_LEN],
}

impl PayloadHeader {
    /// Whether opening needs a passphrase.
    pub fn needs_passphrase(&self) -> bool {
        self.passphrase.is_some()
    }

    /// Length of this header on the wire.
    pub fn encoded_len(&self) -> usize {
        FIXED_HEADER_LEN
            + if self.passphrase.is_some() {
                PASSPHRASE_BLOCK_LEN
            } else {
                0
            }
            + KEY_CHECK_LEN
    }

    /// Serialises the header.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.encoded_len());
        out.extend_from_slice(MAGIC);
        out.push(self.version.byte());
        out.push(if self.passphrase.is_some() {
            FLAG_PASSPHRASE
        } else {
            0
        });
        out.push(self.segment_size.trailing_zeros() as u8);
        if let Some(p) = &self.passphrase {
            out.extend_from_slice(&p.kdf.m_cost_kib.to_be_bytes());
            out.extend_from_slice(&p.kdf.t_cost.to_be_bytes());
            out.extend_from_slice(&p.kdf.p_cost.to_be_bytes());
            out.extend_from_slice(&p.salt);
        }
        out.extend_from_slice(&self.key_check);
        out
    }

    /// Parses a header from the start of `bytes`; returns it and its length.
    ///
    /// Needs only the header bytes, so a server can call it on the first bytes of an upload.
    pub fn parse(bytes: &[u8]) -> Result<(Self, usize)> {
        if bytes.len() < MAGIC.len() {
            return Err(if MAGIC.starts_with(bytes) {
                Error::Truncated
            } else {
                Error::NotAPayload
            });
        }
        if &bytes[..4] != MAGIC {
            return Err(Error::NotAPayload);
        }
        if bytes.len() < FIXED_HEADER_LEN {
            return Err(Error::Truncated);
        }
        let version = FormatVersion::from_byte(bytes[4])?;
        let flags = bytes[5];
        if flags & !FLAG_PASSPHRASE != 0 {
            return Err(Error::AbsurdParameters("unknown header flags"));
        }
        let log2 = bytes[6];
        if !(12..=24).contains(&log2) {
            return Err(Error::AbsurdParameters(
                "segment size must be 4 KiB to 16 MiB",
            ));
        }
        let segment_size = 1usize << log2;
        let mut at = FIXED_HEADER_LEN;
        let passphrase = if flags & FLAG_PASSPHRASE != 0 {
            let block = bytes
                .get(at..at + PASSPHRASE_BLOCK_LEN)
                .ok_or(Error::Truncated)?;
            let be32 =
                |i: usize| u32::from_be_bytes([block[i], block[i + 1], block[i + 2], block[i + 3]]);
            let kdf = KdfParams {
                m_cost_kib: be32(0),
                t_cost: be32(4),
                p_cost: be32(8),
            };
            kdf.check()?;
            let mut salt = [0u8; PASSPHRASE_SALT_LEN];
            salt.copy_from_slice(&block[12..]);
            at += PASSPHRASE_BLOCK_LEN;
            Some(PassphraseParams { kdf, salt })
        } else {
            None
        };
        let check = bytes.get(at..at + KEY_CHECK_LEN).ok_or(Error::Truncated)?;
        let mut key_check = [0u8; KEY_CHECK_LEN];
        key_check.copy_from_slice(check);
        at += KEY_CHECK_LEN;
        Ok((
            PayloadHeader {
                version,
                passphrase,
                segment_size,
                key_check,
            },
            at,
        ))
    }

    /// Reads exactly the header's bytes from the start of a payload stream.
    pub fn read_from<R: Read>(source: &mut R) -> Result<Self> {
        let mut buf = Vec::with_capacity(MAX_HEADER_LEN);
        stream::read_up_to(source, &mut buf, FIXED_HEADER_LEN)?;
        // Validate the fixed part first so garbage is refused before reading further; with
        // only the fixed part present, "truncated" is the expected answer.
        if let Err(e) = Self::parse(&buf) {
            if !(matches!(e, Error::Truncated) && buf.len() == FIXED_HEADER_LEN) {
                return Err(e);
            }
        }
        let more = if buf[5] & FLAG_PASSPHRASE != 0 {
            PASSPHRASE_BLOCK_LEN
        } else {
            0
        };
        stream::read_up_to(source, &mut buf, FIXED_HEADER_LEN + more + KEY_CHECK_LEN)?;
        Self::parse(&buf).map(|(h, _)| h)
    }

    /// Compact text form, for the status API.
    pub fn to_base64url(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.to_bytes())
    }

    /// Parses [`PayloadHeader::to_base64url`] output.
    pub fn from_base64url(text: &str) -> Result<Self> {
        let bytes = URL_SAFE_NO_PAD
            .decode(text.trim())
            .map_err(|_| Error::NotAPayload)?;
        let (header, used) = Self::parse(&bytes)?;
        if used != bytes.len() {
            return Err(Error::TrailingData);
        }
        Ok(header)
    }
}

/// What a payload holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ContentKind {
    /// A text secret, UTF-8.
    Text,
    /// A file.
    File,
}

/// Encrypted metadata travelling inside the payload.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metadata {
    /// Text or file.
    pub kind: ContentKind,
    /// File name as the sender had it (no directories). Readers must sanitise before saving.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Media type, e.g. `text/plain; charset=utf-8`.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    /// Exact plaintext content size; `None` when streaming from a source of unknown length
    /// (then no padding is applied).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
}

impl Metadata {
    /// Metadata for a UTF-8 text secret of `len` bytes.
    pub fn text(len: u64) -> Self {
        Metadata {
            kind: ContentKind::Text,
            name: None,
            media_type: Some("text/plain; charset=utf-8".into()),
            size: Some(len),
        }
    }

    /// Metadata for a file.
    pub fn file(name: impl Into<String>, media_type: Option<String>, size: Option<u64>) -> Self {
        Metadata {
            kind: ContentKind::File,
            name: Some(name.into()),
            media_type,
            size,
        }
    }

    /// The sender's file name, tamed for saving on the recipient's machine: no directories
    /// (either separator), no control characters, no leading dots (no hidden files, no
    /// `..`); `secret.bin` when nothing is left. The name is attacker-controlled input.
    pub fn safe_file_name(&self) -> String {
        let name = self.name.as_deref().unwrap_or("");
        let base = name.rsplit(['/', '\\']).next().unwrap_or("");
        let clean: String = base.chars().filter(|c| !c.is_control()).collect();
        let clean = clean.trim().trim_start_matches('.');
        if clean.is_empty() {
            "secret.bin".into()
        } else {
            clean.to_owned()
        }
    }

    fn encode(&self) -> Result<Vec<u8>> {
        if self.size.is_some_and(|s| s > MAX_CONTENT_SIZE) {
            return Err(Error::TooLarge);
        }
        let json = serde_json::to_vec(self).map_err(|e| Error::InvalidMetadata(e.to_string()))?;
        if json.len() > MAX_METADATA_LEN as usize {
            return Err(Error::InvalidMetadata("metadata longer than 16 KiB".into()));
        }
        Ok(json)
    }
}

impl fmt::Debug for Metadata {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // File names can be as telling as content: keep them out of logs.
        f.debug_struct("Metadata")
            .field("kind", &self.kind)
            .field("name", &self.name.as_ref().map(|_| "<redacted>"))
            .field("media_type", &self.media_type)
            .field("size", &self.size)
            .finish()
    }
}

/// Plaintext length after padding `len` bytes to their bucket.
pub fn padded_len(len: u64) -> u64 {
    if len <= SMALL_LIMIT {
        len.div_ceil(SMALL_BUCKET).max(1) * SMALL_BUCKET
    } else {
        len.div_ceil(LARGE_BUCKET) * LARGE_BUCKET
    }
}

/// The plaintext layout `BE32(len(meta)) ‖ meta ‖ content ‖ padding` for content of a known
/// size: (bytes before padding, bytes after padding). Sealing, the writer, `payload_len` and
/// opening all take it from here so they cannot disagree.
fn plaintext_len(meta_len: usize, size: u64) -> (u64, u64) {
    let total = 4 + meta_len as u64 + size;
    (total, padded_len(total))
}

/// Options for [`Sealer::with_options`].
#[derive(Clone, Debug)]
pub struct SealOptions {
    /// Argon2id costs when a passphrase is given.
    pub kdf: KdfParams,
    /// Ciphertext segment size (a power of two, 4 KiB to 16 MiB).
    pub segment_size: usize,
    /// Fixed salts instead of random ones. Only for reproducible test vectors.
    #[doc(hidden)]
    pub fixed_randomness: Option<FixedRandomness>,
    /// The format to write. Always v2, except to make v1 fixtures for compatibility tests.
    #[doc(hidden)]
    pub version: FormatVersion,
}

impl Default for SealOptions {
    fn default() -> Self {
        SealOptions {
            kdf: KdfParams::DEFAULT,
            segment_size: stream::DEFAULT_SEGMENT_SIZE,
            fixed_randomness: None,
            version: FormatVersion::V2,
        }
    }
}

/// Salts fixed by a test-vector generator.
#[doc(hidden)]
#[derive(Clone, Debug)]
pub struct FixedRandomness {
    pub passphrase_salt: [u8; PASSPHRASE_SALT_LEN],
    pub stream_header: [u8; STREAM_HEADER_LEN],
}

/// Encrypts content into a payload for one link key (and optional passphrase).
#[derive(Debug)]
pub struct Sealer {
    header: PayloadHeader,
    header_bytes: Vec<u8>,
    keys: DerivedKeys,
    fixed_stream_header: Option<[u8; STREAM_HEADER_LEN]>,
}

impl Sealer {
    /// A sealer with default costs and 64 KiB segments.
    pub fn new(link_key: &LinkKey, passphrase: Option<&SecretString>) -> Result<Self> {
        Self::with_options(link_key, passphrase, &SealOptions::default())
    }

    /// A sealer with explicit options. Runs Argon2id once if a passphrase is given.
    pub fn with_options(
        link_key: &LinkKey,
        passphrase: Option<&SecretString>,
        options: &SealOptions,
    ) -> Result<Self> {
        if !options.segment_size.is_power_of_two()
            || !(1 << 12..=1 << 24).contains(&options.segment_size)
        {
            return Err(Error::AbsurdParameters(
                "segment size must be a power of two, 4 KiB to 16 MiB",
            ));
        }
        let params = passphrase.map(|_| match &options.fixed_randomness {
            Some(fixed) => PassphraseParams {
                kdf: options.kdf,
                salt: fixed.passphrase_salt,
            },
            None => PassphraseParams::generate(options.kdf),
        });
        let keys = DerivedKeys::derive(options.version, link_key, passphrase.zip(params.as_ref()))?;
        let header = PayloadHeader {
            version: options.version,
            passphrase: params,
            segment_size: options.segment_size,
            key_check: keys.key_check,
        };
        let header_bytes = header.to_bytes();
        Ok(Sealer {
            header,
            header_bytes,
            keys,
            fixed_stream_header: options.fixed_randomness.as_ref().map(|f| f.stream_header),
        })
    }

    /// The link proof a recipient will present (v1: the one reveal proof); the server
    /// stores its [`RevealProof::verifier`].
    pub fn reveal_proof(&self) -> &RevealProof {
        &self.keys.reveal_proof
    }

    /// The passphrase proof (v2 with a passphrase); the server stores its verifier and
    /// counts every wrong one presented with a valid link proof.
    pub fn passphrase_proof(&self) -> Option<&RevealProof> {
        self.keys.passphrase_proof.as_ref()
    }

    #[cfg(test)]
    pub(crate) fn derived(&self) -> &DerivedKeys {
        &self.keys
    }

    /// The public header this sealer writes.
    pub fn header(&self) -> &PayloadHeader {
        &self.header
    }

    /// Exact payload length for this metadata, when its size is known (for `Content-Length`
    /// and size limits before uploading).
    pub fn payload_len(&self, metadata: &Metadata) -> Result<Option<u64>> {
        let meta_len = metadata.encode()?.len();
        Ok(metadata.size.map(|size| {
            let (_, plain) = plaintext_len(meta_len, size);
            self.header_bytes.len() as u64 + stream::ciphertext_len(plain, self.header.segment_size)
        }))
    }

    /// Streams `content` into a payload. The returned reader yields the whole payload;
    /// it fails with [`Error::ContentLength`] if `content` is longer or shorter than
    /// `metadata.size` says.
    pub fn seal<R: Read>(&self, metadata: &Metadata, content: R) -> Result<SealedPayload<R>> {
        let meta = metadata.encode()?;
        let mut prefix = Vec::with_capacity(4 + meta.len());
        prefix.extend_from_slice(&(meta.len() as u32).to_be_bytes());
        prefix.extend_from_slice(&meta);
        let padding = metadata.size.map_or(0, |size| {
            let (total, padded) = plaintext_len(meta.len(), size);
            padded - total
        });
        let source = PlaintextSource {
            prefix: Cursor::new(Zeroizing::new(prefix)),
            content,
            declared: metadata.size,
            read: 0,
            content_done: false,
            padding,
        };
        let encrypting = match self.fixed_stream_header {
            Some(h) => EncryptingReader::with_header(
                &self.keys.payload_key,
                &self.header_bytes,
                self.header.segment_size,
                h,
                source,
            )?,
            None => EncryptingReader::new(
                &self.keys.payload_key,
                &self.header_bytes,
                self.header.segment_size,
                source,
            )?,
        };
        Ok(SealedPayload {
            inner: Cursor::new(self.header_bytes.clone()).chain(encrypting),
        })
    }
}

impl Sealer {
    /// The push-based twin of [`Sealer::seal`]: write the content into the returned writer,
    /// then call [`SealingWriter::finish`]. The payload streams into `out` as you write.
    pub fn writer<W: Write>(&self, metadata: &Metadata, mut out: W) -> Result<SealingWriter<W>> {
        let meta = metadata.encode()?;
        out.write_all(&self.header_bytes)?;
        let mut inner = EncryptingWriter::new(
            &self.keys.payload_key,
            &self.header_bytes,
            self.header.segment_size,
            out,
        )?;
        inner.write_all(&(meta.len() as u32).to_be_bytes())?;
        inner.write_all(&meta)?;
        let padding = metadata.size.map_or(0, |size| {
            let (total, padded) = plaintext_len(meta.len(), size);
            padded - total
        });
        Ok(SealingWriter {
            inner,
            declared: metadata.size,
            written: 0,
            padding,
        })
    }
}

/// A payload being written; see [`Sealer::writer`].
pub struct SealingWriter<W: Write> {
    inner: EncryptingWriter<W>,
    declared: Option<u64>,
    written: u64,
    padding: u64,
}

impl<W: Write> SealingWriter<W> {
    /// Checks the content length, writes the padding and the final segment; returns `out`.
    pub fn finish(mut self) -> Result<W> {
        if let Some(declared) = self.declared {
            if self.written != declared {
                return Err(Error::ContentLength {
                    declared,
                    actual: self.written,
                });
            }
        }
        let zeros = [0u8; 4096];
        while self.padding > 0 {
            let n = zeros
                .len()
                .min(usize::try_from(self.padding).unwrap_or(usize::MAX));
            self.inner.write_all(&zeros[..n])?;
            self.padding -= n as u64;
        }
        Ok(self.inner.finish()?)
    }
}

impl<W: Write> Write for SealingWriter<W> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        if let Some(declared) = self.declared {
            let actual = self.written + data.len() as u64;
            if actual > declared {
                return Err(Error::ContentLength { declared, actual }.into_io());
            }
        }
        self.inner.write_all(data)?;
        self.written += data.len() as u64;
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl<W: Write> fmt::Debug for SealingWriter<W> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SealingWriter")
            .field("written", &self.written)
            .finish_non_exhaustive()
    }
}

/// The plaintext side of a payload: length-prefixed metadata, exact-length content, zero padding.
struct PlaintextSource<R> {
    prefix: Cursor<Zeroizing<Vec<u8>>>,
    content: R,
    declared: Option<u64>,
    read: u64,
    content_done: bool,
    padding: u64,
}

impl<R: Read> Read for PlaintextSource<R> {
    fn read(&mut self, dst: &mut [u8]) -> io::Result<usize> {
        let n = self.prefix.read(dst)?;
        if n > 0 || dst.is_empty() {
            return Ok(n);
        }
        if !self.content_done {
            match self.declared {
                None => {
                    let n = self.content.read(dst)?;
                    if n > 0 {
                        return Ok(n);
                    }
                    self.content_done = true;
                }
                Some(declared) if self.read < declared => {
                    let cap = dst
                        .len()
                        .min(usize::try_from(declared - self.read).unwrap_or(usize::MAX));
                    let n = self.content.read(&mut dst[..cap])?;
                    if n == 0 {
                        return Err(Error::ContentLength {
                            declared,
                            actual: self.read,
                        }
                        .into_io());
                    }
                    self.read += n as u64;
                    return Ok(n);
                }
                Some(declared) => {
                    // Declared size reached: a longer source would silently lose data.
                    let mut probe = [0u8; 1];
                    if stream::read_retrying(&mut self.content, &mut probe)? != 0 {
                        return Err(Error::ContentLength {
                            declared,
                            actual: declared + 1,
                        }
                        .into_io());
                    }
                    self.content_done = true;
                }
            }
        }
        let n = dst
            .len()
            .min(usize::try_from(self.padding).unwrap_or(usize::MAX));
        dst[..n].fill(0);
        self.padding -= n as u64;
        Ok(n)
    }
}

/// A payload being produced: header, then encrypted segments. Implements [`Read`].
pub struct SealedPayload<R> {
    inner: io::Chain<Cursor<Vec<u8>>, EncryptingReader<PlaintextSource<R>>>,
}

impl<R: Read> Read for SealedPayload<R> {
    fn read(&mut self, dst: &mut [u8]) -> io::Result<usize> {
        self.inner.read(dst)
    }
}

impl<R> fmt::Debug for SealedPayload<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SealedPayload")
    }
}

/// Opens payloads for one link key (and passphrase) given their public header.
#[derive(Debug)]
pub struct Opener {
    header: PayloadHeader,
    header_bytes: Vec<u8>,
    keys: DerivedKeys,
}

impl Opener {
    /// Derives keys and checks them against the header's key check, so a wrong link (v1:
    /// or passphrase) is reported before any ciphertext is fetched. In v2 a wrong passphrase
    /// is not detectable here: the server tells it from the passphrase proof, and counts it.
    pub fn new(
        link_key: &LinkKey,
        passphrase: Option<&SecretString>,
        header: &PayloadHeader,
    ) -> Result<Self> {
        let params = match (&header.passphrase, passphrase) {
            (Some(_), None) => return Err(Error::PassphraseRequired),
            (Some(p), Some(_)) => Some(p),
            (None, _) => None,
        };
        let keys = DerivedKeys::derive(header.version, link_key, passphrase.zip(params))?;
        if !keys.key_check_matches(&header.key_check) {
            return Err(match header.version {
                FormatVersion::V1 if params.is_some() => Error::WrongPassphrase,
                _ => Error::WrongKey,
            });
        }
        Ok(Opener {
            header: header.clone(),
            header_bytes: header.to_bytes(),
            keys,
        })
    }

    /// The proof to present to the server when revealing: v2's link proof, v1's reveal proof.
    pub fn reveal_proof(&self) -> &RevealProof {
        &self.keys.reveal_proof
    }

    /// v2's passphrase proof, when the payload has a passphrase.
    pub fn passphrase_proof(&self) -> Option<&RevealProof> {
        self.keys.passphrase_proof.as_ref()
    }

    /// The header this opener was made for.
    pub fn header(&self) -> &PayloadHeader {
        &self.header
    }

    /// Opens a whole payload (header included). Reads the metadata before returning.
    pub fn open<R: Read>(&self, mut payload: R) -> Result<PayloadReader<R>> {
        let header = PayloadHeader::read_from(&mut payload)?;
        if header != self.header {
            return Err(Error::HeaderMismatch);
        }
        self.open_after_header(payload)
    }

    fn open_after_header<R: Read>(&self, stream: R) -> Result<PayloadReader<R>> {
        let mut inner = DecryptingReader::new(
            &self.keys.payload_key,
            &self.header_bytes,
            self.header.segment_size,
            stream,
        )?;
        let mut len = [0u8; 4];
        read_exact_authenticated(&mut inner, &mut len).map_err(|e| {
            // v2's key check cannot tell a wrong passphrase, so the first segment's tag is
            // where a local (not server-checked) wrong passphrase shows.
            match e {
                Error::SegmentCorrupted { index: 0 }
                    if self.header.version == FormatVersion::V2
                        && self.header.needs_passphrase() =>
                {
                    Error::WrongPassphrase
                }
                e => e,
            }
        })?;
        let meta_len = u32::from_be_bytes(len);
        if meta_len > MAX_METADATA_LEN {
            return Err(Error::InvalidMetadata("metadata longer than 16 KiB".into()));
        }
        let mut meta = Zeroizing::new(vec![0u8; meta_len as usize]);
        read_exact_authenticated(&mut inner, &mut meta)?;
        let metadata: Metadata =
            serde_json::from_slice(&meta).map_err(|e| Error::InvalidMetadata(e.to_string()))?;
        if metadata.size.is_some_and(|s| s > MAX_CONTENT_SIZE) {
            return Err(Error::InvalidMetadata(
                "declared size is beyond what the format allows".into(),
            ));
        }
        let padding = match metadata.size {
            Some(size) => {
                let (total, padded) = plaintext_len(meta_len as usize, size);
                inner.expect_plaintext_len(padded);
                padded - total
            }
            None => 0,
        };
        Ok(PayloadReader {
            remaining: metadata.size,
            metadata,
            inner,
            padding,
            done: false,
        })
    }
}

/// Reads from an authenticated stream; a clean end inside the block means the sender wrote
/// a malformed payload (it authenticated), not that the stream was cut.
fn read_exact_authenticated<R: Read>(r: &mut R, buf: &mut [u8]) -> Result<()> {
    r.read_exact(buf).map_err(|e| {
        if e.kind() == io::ErrorKind::UnexpectedEof {
            Error::InvalidMetadata("payload ends inside its metadata".into())
        } else {
            Error::from_io(e)
        }
    })
}

/// Reads the header from `payload`, checks the key, and opens it: for local use when the
/// whole payload is at hand (tests, CLI files). Clients talking to a server use [`Opener`].
pub fn open<R: Read>(
    link_key: &LinkKey,
    passphrase: Option<&SecretString>,
    mut payload: R,
) -> Result<PayloadReader<R>> {
    let header = PayloadHeader::read_from(&mut payload)?;
    Opener::new(link_key, passphrase, &header)?.open_after_header(payload)
}

/// The content of an opened payload. Yields only authenticated bytes, and signals end of
/// content only after the whole stream, padding included, authenticated.
pub struct PayloadReader<R> {
    metadata: Metadata,
    inner: DecryptingReader<R>,
    remaining: Option<u64>,
    padding: u64,
    done: bool,
}

impl<R: Read> PayloadReader<R> {
    /// The decrypted metadata.
    pub fn metadata(&self) -> &Metadata {
        &self.metadata
    }

    /// Reads everything left (for small text secrets); the buffer is zeroized on drop.
    pub fn read_all(mut self) -> Result<Zeroizing<Vec<u8>>> {
        let cap = self
            .metadata
            .size
            .map_or(0, |s| usize::try_from(s).unwrap_or(0).min(1 << 20));
        let mut out = Zeroizing::new(Vec::with_capacity(cap));
        self.read_to_end(&mut out).map_err(Error::from_io)?;
        Ok(out)
    }

    fn finish(&mut self) -> Result<()> {
        let mut buf = Zeroizing::new([0u8; 4096]);
        let mut seen = 0u64;
        loop {
            let n = self.inner.read(buf.as_mut()).map_err(Error::from_io)?;
            if n == 0 {
                break;
            }
            if buf[..n].iter().any(|&b| b != 0) {
                return Err(Error::InvalidPadding);
            }
            seen += n as u64;
        }
        if seen != self.padding {
            return Err(Error::InvalidPadding);
        }
        self.done = true;
        Ok(())
    }
}

impl<R: Read> Read for PayloadReader<R> {
    fn read(&mut self, dst: &mut [u8]) -> io::Result<usize> {
        if self.done || dst.is_empty() {
            return Ok(0);
        }
        match self.remaining {
            Some(0) => {
                self.finish().map_err(Error::into_io)?;
                Ok(0)
            }
            Some(left) => {
                let cap = dst.len().min(usize::try_from(left).unwrap_or(usize::MAX));
                let n = self.inner.read(&mut dst[..cap])?;
                if n == 0 {
                    // Authenticated end before the declared size: a malformed payload.
                    return Err(
                        Error::InvalidMetadata("content shorter than declared".into()).into_io(),
                    );
                }
                self.remaining = Some(left - n as u64);
                Ok(n)
            }
            None => {
                let n = self.inner.read(dst)?;
                self.done = n == 0;
                Ok(n)
            }
        }
    }
}

impl<R> fmt::Debug for PayloadReader<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PayloadReader")
            .field("metadata", &self.metadata)
            .field("remaining", &self.remaining)
            .finish_non_exhaustive()
    }
}

/// A small secret sealed in one go.
#[derive(Debug)]
pub struct SealedBytes {
    /// The complete payload to upload.
    pub payload: Vec<u8>,
    /// The link proof; upload its verifier, keep it if you want to reveal yourself.
    pub reveal_proof: RevealProof,
    /// The passphrase proof, when sealed with a passphrase; upload its verifier too.
    pub passphrase_proof: Option<RevealProof>,
}

/// Seals a small in-memory secret (text or a small file) in one call.
pub fn seal_bytes(
    link_key: &LinkKey,
    passphrase: Option<&SecretString>,
    metadata: &Metadata,
    content: &[u8],
) -> Result<SealedBytes> {
    let sealer = Sealer::new(link_key, passphrase)?;
    let mut payload = Vec::new();
    sealer
        .seal(metadata, content)?
        .read_to_end(&mut payload)
        .map_err(Error::from_io)?;
    Ok(SealedBytes {
        payload,
        reveal_proof: sealer.reveal_proof().clone(),
        passphrase_proof: sealer.passphrase_proof().cloned(),
    })
}

/// Seals a UTF-8 text secret.
pub fn seal_text(
    link_key: &LinkKey,
    passphrase: Option<&SecretString>,
    text: &str,
) -> Result<SealedBytes> {
    seal_bytes(
        link_key,
        passphrase,
        &Metadata::text(text.len() as u64),
        text.as_bytes(),
    )
}

/// Opens a payload held in memory; returns its metadata and content (zeroized on drop).
pub fn open_bytes(
    link_key: &LinkKey,
    passphrase: Option<&SecretString>,
    payload: &[u8],
) -> Result<(Metadata, Zeroizing<Vec<u8>>)> {
    let reader = open(link_key, passphrase, payload)?;
    let metadata = reader.metadata().clone();
    Ok((metadata, reader.read_all()?))
}

/// Opens a text payload held in memory.
pub fn open_text(
    link_key: &LinkKey,
    passphrase: Option<&SecretString>,
    payload: &[u8],
) -> Result<Zeroizing<String>> {
    let (metadata, bytes) = open_bytes(link_key, passphrase, payload)?;
    if metadata.kind != ContentKind::Text {
        return Err(Error::InvalidMetadata(
            "this secret is a file, not text".into(),
        ));
    }
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| Error::InvalidMetadata("text is not UTF-8".into()))?;
    Ok(Zeroizing::new(text.to_owned()))
}
