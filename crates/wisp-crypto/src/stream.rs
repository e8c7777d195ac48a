//! Streaming AEAD, byte-compatible with Tink's AES-GCM-HKDF streaming (AES-256, HKDF-SHA256).
//!
//! ```text
//! stream  = header ‖ C_0 ‖ C_1 ‖ … ‖ C_{n-1}
//! header  = 0x28 ‖ salt (32) ‖ nonce prefix (7)                 (40 bytes)
//! key     = HKDF-SHA256(ikm = payload key, salt = salt, info = associated data), 32 bytes
//! C_i     = AES-256-GCM(key, nonce = prefix ‖ BE32(i) ‖ last?1:0, segment_i)   (no GCM AAD)
//! ```
//!
//! Ciphertext segments are `segment_size` bytes long (the first one `segment_size - 40`
//! because the header shares its budget) except the last, which may be shorter and is the
//! only one with the last-segment flag set. A reader therefore never mistakes a cut
//! stream for a whole one: the segment before a cut was encrypted with flag 0 and fails
//! as a final segment. Memory is one segment, whatever the stream length.
//!
//! When a segment fails, the reader spends a little extra work to say *why*
//! ([`Error::Truncated`], [`Error::TrailingData`], [`Error::SegmentOutOfOrder`] or
//! [`Error::SegmentCorrupted`]); the failure path is the only place that happens.

use std::fmt;
use std::io::{self, Read, Write};

use aes_gcm::aead::AeadInPlace;
use aes_gcm::{Aes256Gcm, KeyInit, Nonce, Tag};
use hkdf::Hkdf;
use rand::RngCore;
use sha2::Sha256;
use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// Length of the stream header: one length byte, 32-byte salt, 7-byte nonce prefix.
pub const STREAM_HEADER_LEN: usize = 1 + SALT_LEN + NONCE_PREFIX_LEN;
/// GCM tag length per segment.
pub const TAG_LEN: usize = 16;
const SALT_LEN: usize = 32;
const NONCE_PREFIX_LEN: usize = 7;
/// How far around a failing segment's position the reader looks for a reordered segment.
const REORDER_SEARCH_WINDOW: u32 = 64;

/// Default ciphertext segment size: 64 KiB.
pub const DEFAULT_SEGMENT_SIZE: usize = 64 * 1024;

/// Ciphertext length for `plaintext_len` bytes with the given segment size.
pub fn ciphertext_len(plaintext_len: u64, segment_size: usize) -> u64 {
    STREAM_HEADER_LEN as u64
        + plaintext_len
        + segment_count(plaintext_len, segment_size) * TAG_LEN as u64
}

/// Number of segments a plaintext of `plaintext_len` bytes is cut into.
fn segment_count(plaintext_len: u64, segment_size: usize) -> u64 {
    let first = (segment_size - STREAM_HEADER_LEN - TAG_LEN) as u64;
    let rest = (segment_size - TAG_LEN) as u64;
    if plaintext_len <= first {
        1
    } else {
        1 + (plaintext_len - first).div_ceil(rest)
    }
}

/// Per-stream AES-GCM state: derived key and nonce prefix.
struct SegmentCipher {
    aes: Aes256Gcm,
    prefix: [u8; NONCE_PREFIX_LEN],
    segment_size: usize,
}

impl SegmentCipher {
    fn new(
        key: &[u8; 32],
        aad: &[u8],
        header: &[u8; STREAM_HEADER_LEN],
        segment_size: usize,
    ) -> Result<Self> {
        if header[0] as usize != STREAM_HEADER_LEN {
            return Err(Error::AbsurdParameters(
                "stream header length byte must be 40",
            ));
        }
        let salt = &header[1..1 + SALT_LEN];
        let mut prefix = [0u8; NONCE_PREFIX_LEN];
        prefix.copy_from_slice(&header[1 + SALT_LEN..]);
        let mut derived = Zeroizing::new([0u8; 32]);
        Hkdf::<Sha256>::new(Some(salt), key)
            .expand(aad, derived.as_mut())
            .map_err(|_| Error::Kdf("hkdf expand".into()))?;
        let aes = Aes256Gcm::new_from_slice(derived.as_ref())
            .map_err(|_| Error::Kdf("aes key length".into()))?;
        Ok(SegmentCipher {
            aes,
            prefix,
            segment_size,
        })
    }

    fn nonce(&self, index: u32, last: bool) -> Nonce<aes_gcm::aead::consts::U12> {
        let mut n = [0u8; 12];
        n[..NONCE_PREFIX_LEN].copy_from_slice(&self.prefix);
        n[NONCE_PREFIX_LEN..11].copy_from_slice(&index.to_be_bytes());
        n[11] = u8::from(last);
        n.into()
    }

    /// Ciphertext bytes of segment `index` when it is not the last.
    fn ciphertext_segment_len(&self, index: u32) -> usize {
        if index == 0 {
            self.segment_size - STREAM_HEADER_LEN
        } else {
            self.segment_size
        }
    }

    fn plaintext_segment_len(&self, index: u32) -> usize {
        self.ciphertext_segment_len(index) - TAG_LEN
    }

    /// Tries to authenticate `ct ‖ tag` as segment `index` without modifying it.
    fn authenticates(&self, ct: &[u8], index: u32, last: bool) -> bool {
        let Some(split) = ct.len().checked_sub(TAG_LEN) else {
            return false;
        };
        let mut copy = Zeroizing::new(ct[..split].to_vec());
        let tag = Tag::clone_from_slice(&ct[split..]);
        self.aes
            .decrypt_in_place_detached(&self.nonce(index, last), b"", &mut copy, &tag)
            .is_ok()
    }
}

/// Checks the segment size a header or caller asks for.
pub(crate) fn check_segment_size(segment_size: usize) -> Result<()> {
    if !(STREAM_HEADER_LEN + TAG_LEN + 1..=1 << 24).contains(&segment_size) {
        return Err(Error::AbsurdParameters(
            "segment size must be 57 bytes to 16 MiB",
        ));
    }
    Ok(())
}

/// One segment's worth of memory, allocated once and never zero-filled on the hot path:
/// `data[start..end]` is what has not been handed to the reader's caller yet.
struct SegmentBuffer {
    data: Vec<u8>,
    start: usize,
    end: usize,
}

impl SegmentBuffer {
    fn new(segment_size: usize) -> Self {
        SegmentBuffer {
            data: vec![0u8; segment_size + 1],
            start: 0,
            end: 0,
        }
    }

    fn is_drained(&self) -> bool {
        self.start == self.end
    }

    fn copy_out(&mut self, dst: &mut [u8]) -> usize {
        let n = dst.len().min(self.end - self.start);
        dst[..n].copy_from_slice(&self.data[self.start..self.start + n]);
        self.start += n;
        n
    }
}

/// Fills `buf` from `source`, after the carried lookahead byte if any, then reads one byte
/// beyond to learn whether this is the last segment. Returns (bytes filled, last?).
fn fill_segment<R: Read>(
    source: &mut R,
    buf: &mut [u8],
    lookahead: &mut Option<u8>,
) -> io::Result<(usize, bool)> {
    let mut filled = 0;
    if let Some(byte) = lookahead.take() {
        buf[0] = byte;
        filled = 1;
    }
    while filled < buf.len() {
        match source.read(&mut buf[filled..]) {
            Ok(0) => return Ok((filled, true)),
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    let mut one = [0u8; 1];
    let got = read_retrying(source, &mut one)?;
    if got == 1 {
        *lookahead = Some(one[0]);
    }
    Ok((filled, got == 0))
}

impl Drop for SegmentBuffer {
    fn drop(&mut self) {
        // Holds plaintext on one side of the cipher or the other.
        zeroize::Zeroize::zeroize(&mut self.data);
    }
}

/// Encrypts a plaintext `Read` into a Tink-compatible ciphertext `Read`, one segment at a time.
pub struct EncryptingReader<R> {
    source: R,
    cipher: SegmentCipher,
    index: u32,
    /// One byte read ahead to learn whether the segment just filled is the last.
    lookahead: Option<u8>,
    buf: SegmentBuffer,
    finished: bool,
}

impl<R: Read> EncryptingReader<R> {
    /// Starts a stream with a fresh random salt and nonce prefix.
    pub fn new(key: &[u8; 32], aad: &[u8], segment_size: usize, source: R) -> Result<Self> {
        let mut header = [0u8; STREAM_HEADER_LEN];
        rand::rngs::OsRng.fill_bytes(&mut header[1..]);
        header[0] = STREAM_HEADER_LEN as u8;
        Self::with_header(key, aad, segment_size, header, source)
    }

    /// Starts a stream with a caller-chosen header (test vectors need determinism).
    pub fn with_header(
        key: &[u8; 32],
        aad: &[u8],
        segment_size: usize,
        header: [u8; STREAM_HEADER_LEN],
        source: R,
    ) -> Result<Self> {
        check_segment_size(segment_size)?;
        let cipher = SegmentCipher::new(key, aad, &header, segment_size)?;
        let mut buf = SegmentBuffer::new(segment_size);
        buf.data[..STREAM_HEADER_LEN].copy_from_slice(&header);
        buf.end = STREAM_HEADER_LEN;
        Ok(EncryptingReader {
            source,
            cipher,
            index: 0,
            lookahead: None,
            buf,
            finished: false,
        })
    }

    /// Fills and encrypts the next segment into `out` (at least a full segment long);
    /// returns the ciphertext length.
    fn seal_next(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let want = self.cipher.plaintext_segment_len(self.index);
        let (filled, last) = fill_segment(&mut self.source, &mut out[..want], &mut self.lookahead)?;
        let nonce = self.cipher.nonce(self.index, last);
        let tag = self
            .cipher
            .aes
            .encrypt_in_place_detached(&nonce, b"", &mut out[..filled])
            .map_err(|_| Error::TooLarge.into_io())?;
        out[filled..filled + TAG_LEN].copy_from_slice(&tag);
        if last {
            self.finished = true;
        } else {
            self.index = self
                .index
                .checked_add(1)
                .ok_or_else(|| Error::TooLarge.into_io())?;
        }
        Ok(filled + TAG_LEN)
    }
}

impl<R: Read> Read for EncryptingReader<R> {
    fn read(&mut self, dst: &mut [u8]) -> io::Result<usize> {
        if dst.is_empty() {
            return Ok(0);
        }
        if self.buf.is_drained() {
            if self.finished {
                return Ok(0);
            }
            if dst.len() >= self.cipher.ciphertext_segment_len(self.index) {
                // The caller's buffer holds a whole segment: encrypt in place there, no copy.
                return self.seal_next(dst);
            }
            let mut data = std::mem::take(&mut self.buf.data);
            let sealed = self.seal_next(&mut data);
            self.buf.data = data;
            self.buf.start = 0;
            self.buf.end = sealed?;
        }
        Ok(self.buf.copy_out(dst))
    }
}

impl<R> fmt::Debug for EncryptingReader<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EncryptingReader")
            .field("segment", &self.index)
            .field("finished", &self.finished)
            .finish_non_exhaustive()
    }
}

/// Decrypts a Tink-compatible ciphertext `Read` into plaintext, releasing only authenticated
/// segments and returning end-of-stream only after the final segment authenticated.
pub struct DecryptingReader<R> {
    source: R,
    cipher: SegmentCipher,
    index: u32,
    lookahead: Option<u8>,
    buf: SegmentBuffer,
    finished: bool,
    /// Segments the whole stream should have, when the caller knows the plaintext length.
    expected_segments: Option<u64>,
    /// Index and ciphertext length of the final segment, when the plaintext length is known.
    expected_final: Option<(u64, usize)>,
}

impl<R: Read> DecryptingReader<R> {
    /// Reads the stream header from `source` and prepares to decrypt.
    pub fn new(key: &[u8; 32], aad: &[u8], segment_size: usize, mut source: R) -> Result<Self> {
        check_segment_size(segment_size)?;
        let mut got = Vec::with_capacity(STREAM_HEADER_LEN);
        read_up_to(&mut source, &mut got, STREAM_HEADER_LEN)?;
        let header: [u8; STREAM_HEADER_LEN] =
            got.as_slice().try_into().map_err(|_| Error::Truncated)?;
        let cipher = SegmentCipher::new(key, aad, &header, segment_size)?;
        Ok(DecryptingReader {
            source,
            cipher,
            index: 0,
            lookahead: None,
            buf: SegmentBuffer::new(segment_size),
            finished: false,
            expected_segments: None,
            expected_final: None,
        })
    }

    /// Tells the reader how long the plaintext should be, so a stream cut in the middle of
    /// a segment is reported as [`Error::Truncated`] rather than as a corrupted last segment,
    /// and bytes appended after the final segment as [`Error::TrailingData`].
    pub fn expect_plaintext_len(&mut self, plaintext_len: u64) {
        let count = segment_count(plaintext_len, self.cipher.segment_size);
        let first_pt = (self.cipher.segment_size - STREAM_HEADER_LEN - TAG_LEN) as u64;
        let rest_pt = (self.cipher.segment_size - TAG_LEN) as u64;
        let final_pt = if count == 1 {
            plaintext_len
        } else {
            plaintext_len - first_pt - (count - 2) * rest_pt
        };
        self.expected_segments = Some(count);
        self.expected_final = usize::try_from(final_pt)
            .ok()
            .map(|pt| (count - 1, pt + TAG_LEN));
    }

    /// Reads and decrypts the next segment into `buf` (at least a full ciphertext segment
    /// long); returns the plaintext length.
    fn open_next(&mut self, buf: &mut [u8]) -> Result<usize> {
        let want = self.cipher.ciphertext_segment_len(self.index);
        let (filled, last) = fill_segment(&mut self.source, &mut buf[..want], &mut self.lookahead)?;
        if filled < TAG_LEN {
            return Err(Error::Truncated);
        }
        if let Some((final_index, final_len)) = self.expected_final {
            if u64::from(self.index) == final_index {
                if filled > final_len
                    && self
                        .cipher
                        .authenticates(&buf[..final_len], self.index, true)
                {
                    return Err(Error::TrailingData);
                }
                if filled < final_len {
                    return Err(Error::Truncated);
                }
            }
        }
        let split = filled - TAG_LEN;
        let tag = Tag::clone_from_slice(&buf[split..filled]);
        let nonce = self.cipher.nonce(self.index, last);
        if self
            .cipher
            .aes
            .decrypt_in_place_detached(&nonce, b"", &mut buf[..split], &tag)
            .is_err()
        {
            // aes-gcm checks the tag before decrypting, so `buf` still holds the ciphertext.
            return Err(self.diagnose(&buf[..filled], last));
        }
        if last {
            self.finished = true;
        } else {
            self.index = self.index.checked_add(1).ok_or(Error::TooLarge)?;
        }
        Ok(split)
    }

    /// Explains why segment `self.index` (ciphertext `ct`) failed to authenticate.
    fn diagnose(&self, ct: &[u8], last: bool) -> Error {
        let i = self.index;
        if last && self.expected_segments.is_some_and(|n| u64::from(i) + 1 < n) {
            return Error::Truncated;
        }
        if self.cipher.authenticates(ct, i, !last) {
            return if last {
                Error::Truncated
            } else {
                Error::TrailingData
            };
        }
        let lo = i.saturating_sub(REORDER_SEARCH_WINDOW);
        let hi = i.saturating_add(REORDER_SEARCH_WINDOW);
        for j in (lo..=hi).filter(|&j| j != i) {
            if self.cipher.authenticates(ct, j, false) || self.cipher.authenticates(ct, j, true) {
                return Error::SegmentOutOfOrder {
                    position: i,
                    found: j,
                };
            }
        }
        Error::SegmentCorrupted { index: i }
    }
}

impl<R: Read> Read for DecryptingReader<R> {
    fn read(&mut self, dst: &mut [u8]) -> io::Result<usize> {
        if dst.is_empty() {
            return Ok(0);
        }
        while self.buf.is_drained() {
            if self.finished {
                return Ok(0);
            }
            if dst.len() >= self.cipher.ciphertext_segment_len(self.index) {
                // The caller's buffer holds a whole segment: decrypt in place there, no copy.
                let n = self.open_next(dst).map_err(Error::into_io)?;
                if n > 0 || self.finished {
                    return Ok(n);
                }
                continue; // an empty non-final segment (only a hostile stream has one)
            }
            let mut data = std::mem::take(&mut self.buf.data);
            let opened = self.open_next(&mut data);
            self.buf.data = data;
            self.buf.start = 0;
            self.buf.end = opened.map_err(Error::into_io)?;
        }
        Ok(self.buf.copy_out(dst))
    }
}

impl<R> fmt::Debug for DecryptingReader<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecryptingReader")
            .field("segment", &self.index)
            .field("finished", &self.finished)
            .finish_non_exhaustive()
    }
}

/// Appends up to `want - buf.len()` bytes from `r`, stopping early only at end of input.
/// For small reads (headers); segments use [`SegmentBuffer::fill`].
pub(crate) fn read_up_to<R: Read>(r: &mut R, buf: &mut Vec<u8>, want: usize) -> io::Result<()> {
    let missing = want.saturating_sub(buf.len()) as u64;
    r.by_ref().take(missing).read_to_end(buf).map(|_| ())
}

pub(crate) fn read_retrying<R: Read>(r: &mut R, dst: &mut [u8]) -> io::Result<usize> {
    loop {
        match r.read(dst) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            other => return other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encrypt(pt: &[u8], seg: usize) -> Vec<u8> {
        let mut out = Vec::new();
        EncryptingReader::new(&[9; 32], b"aad", seg, pt)
            .expect("enc")
            .read_to_end(&mut out)
            .expect("read");
        out
    }

    fn decrypt(ct: &[u8], seg: usize) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        DecryptingReader::new(&[9; 32], b"aad", seg, ct)?
            .read_to_end(&mut out)
            .map_err(Error::from_io)?;
        Ok(out)
    }

    #[test]
    fn round_trips_at_segment_boundaries() {
        let seg = 100;
        let first = seg - STREAM_HEADER_LEN - TAG_LEN;
        let rest = seg - TAG_LEN;
        for len in [
            0,
            1,
            first - 1,
            first,
            first + 1,
            first + rest,
            first + rest + 1,
            1000,
        ] {
            let pt: Vec<u8> = (0..len).map(|i| i as u8).collect();
            let ct = encrypt(&pt, seg);
            assert_eq!(
                ct.len() as u64,
                ciphertext_len(len as u64, seg),
                "len {len}"
            );
            assert_eq!(decrypt(&ct, seg).expect("dec"), pt, "len {len}");
        }
    }

    #[test]
    fn each_tampering_has_its_own_error() {
        let seg = 100;
        let pt = vec![5u8; 500];
        let ct = encrypt(&pt, seg);
        let first = seg - STREAM_HEADER_LEN; // ciphertext bytes of segment 0 after the header
        let s1 = STREAM_HEADER_LEN + first;

        // Cut at a segment boundary.
        assert!(matches!(
            decrypt(&ct[..s1 + seg], seg),
            Err(Error::Truncated)
        ));
        // Cut in the middle of a segment: corrupt unless the reader knows the length.
        assert!(matches!(
            decrypt(&ct[..s1 + 50], seg),
            Err(Error::SegmentCorrupted { index: 1 })
        ));
        let mut reader = DecryptingReader::new(&[9; 32], b"aad", seg, &ct[..s1 + 50]).expect("hdr");
        reader.expect_plaintext_len(pt.len() as u64);
        let err = reader.read_to_end(&mut Vec::new()).map_err(Error::from_io);
        assert!(matches!(err, Err(Error::Truncated)));
        // Cut inside the header.
        assert!(matches!(decrypt(&ct[..10], seg), Err(Error::Truncated)));
        // Flipped bit.
        let mut flipped = ct.clone();
        flipped[s1 + 3] ^= 1;
        assert!(matches!(
            decrypt(&flipped, seg),
            Err(Error::SegmentCorrupted { index: 1 })
        ));
        // Swap segments 1 and 2.
        let mut swapped = ct.clone();
        let (a, b) = (s1, s1 + seg);
        let seg1 = ct[a..a + seg].to_vec();
        swapped[a..a + seg].copy_from_slice(&ct[b..b + seg]);
        swapped[b..b + seg].copy_from_slice(&seg1);
        assert!(matches!(
            decrypt(&swapped, seg),
            Err(Error::SegmentOutOfOrder {
                position: 1,
                found: 2
            })
        ));
        // Data appended after the final segment: detectable by the stream alone when the
        // final segment is full, and always when the reader knows the plaintext length.
        let full_pt = vec![5u8; first - TAG_LEN + 5 * (seg - TAG_LEN)];
        let mut longer = encrypt(&full_pt, seg);
        longer.extend_from_slice(&[0u8; 30]);
        assert!(matches!(decrypt(&longer, seg), Err(Error::TrailingData)));
        let mut longer = ct.clone();
        longer.extend_from_slice(&[0u8; 30]);
        assert!(matches!(
            decrypt(&longer, seg),
            Err(Error::SegmentCorrupted { .. })
        ));
        let mut reader = DecryptingReader::new(&[9; 32], b"aad", seg, &longer[..]).expect("hdr");
        reader.expect_plaintext_len(pt.len() as u64);
        let err = reader.read_to_end(&mut Vec::new()).map_err(Error::from_io);
        assert!(matches!(err, Err(Error::TrailingData)), "{err:?}");
        // Wrong key.
        let mut out = Vec::new();
        let err = DecryptingReader::new(&[8; 32], b"aad", seg, &ct[..])
            .expect("header")
            .read_to_end(&mut out)
            .map_err(Error::from_io);
        assert!(matches!(err, Err(Error::SegmentCorrupted { index: 0 })));
    }

    #[test]
    fn absurd_segment_sizes_are_refused() {
        assert!(matches!(
            EncryptingReader::new(&[0; 32], b"", 10, &b""[..]),
            Err(Error::AbsurdParameters(_))
        ));
        assert!(matches!(
            DecryptingReader::new(&[0; 32], b"", usize::MAX, &[40u8; 40][..]),
            Err(Error::AbsurdParameters(_))
        ));
    }
}

#[cfg(test)]
mod buffer_size_tests {
    use super::*;

    fn read_with(mut r: impl Read, chunk: usize) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        let mut buf = vec![0u8; chunk];
        loop {
            match r.read(&mut buf).map_err(Error::from_io)? {
                0 => return Ok(out),
                n => out.extend_from_slice(&buf[..n]),
            }
        }
    }

    #[test]
    fn small_and_whole_segment_reads_agree() {
        let seg = 4096;
        let pt: Vec<u8> = (0..20_000u32).map(|i| (i % 241) as u8).collect();
        let mut cts = Vec::new();
        for chunk in [1, 7, seg - 1, seg, seg * 3] {
            let ct = read_with(
                EncryptingReader::new(&[4; 32], b"a", seg, &pt[..]).expect("enc"),
                chunk,
            )
            .expect("enc");
            assert_eq!(ct.len() as u64, ciphertext_len(pt.len() as u64, seg));
            cts.push(ct);
        }
        for ct in &cts {
            for chunk in [1, 13, seg, seg * 2] {
                let back = read_with(
                    DecryptingReader::new(&[4; 32], b"a", seg, &ct[..]).expect("hdr"),
                    chunk,
                )
                .expect("dec");
                assert_eq!(back, pt, "chunk {chunk}");
            }
        }
        // Tampering is caught whichever path decrypts the segment.
        let mut bad = cts[0].clone();
        bad[STREAM_HEADER_LEN + seg + 5] ^= 1;
        for chunk in [1, seg * 2] {
            let err = read_with(
                DecryptingReader::new(&[4; 32], b"a", seg, &bad[..]).expect("hdr"),
                chunk,
            );
            assert!(
                matches!(err, Err(Error::SegmentCorrupted { index: 1 })),
                "chunk {chunk}: {err:?}"
            );
        }
    }
}

/// Encrypts into a `Write`: the push-based twin of [`EncryptingReader`], for producers
/// that write (an archiver, a serializer). Call [`EncryptingWriter::finish`] to write the
/// final segment; a writer dropped without it leaves a stream every reader rejects as
/// truncated.
pub struct EncryptingWriter<W: Write> {
    sink: W,
    cipher: SegmentCipher,
    index: u32,
    /// Plaintext of the segment being filled (zeroized on drop; room for the tag).
    pending: Zeroizing<Vec<u8>>,
}

impl<W: Write> EncryptingWriter<W> {
    /// Writes a fresh stream header to `sink` and prepares to encrypt.
    pub fn new(key: &[u8; 32], aad: &[u8], segment_size: usize, mut sink: W) -> Result<Self> {
        check_segment_size(segment_size)?;
        let mut header = [0u8; STREAM_HEADER_LEN];
        rand::rngs::OsRng.fill_bytes(&mut header[1..]);
        header[0] = STREAM_HEADER_LEN as u8;
        let cipher = SegmentCipher::new(key, aad, &header, segment_size)?;
        sink.write_all(&header)?;
        Ok(EncryptingWriter {
            sink,
            cipher,
            index: 0,
            pending: Zeroizing::new(Vec::with_capacity(segment_size)),
        })
    }

    fn flush_segment(&mut self, last: bool) -> io::Result<()> {
        let nonce = self.cipher.nonce(self.index, last);
        let tag = self
            .cipher
            .aes
            .encrypt_in_place_detached(&nonce, b"", &mut self.pending[..])
            .map_err(|_| Error::TooLarge.into_io())?;
        self.pending.extend_from_slice(&tag);
        self.sink.write_all(&self.pending)?;
        self.pending.clear();
        if !last {
            self.index = self
                .index
                .checked_add(1)
                .ok_or_else(|| Error::TooLarge.into_io())?;
        }
        Ok(())
    }

    /// Encrypts what is pending as the final segment, flushes, and returns the sink.
    pub fn finish(mut self) -> io::Result<W> {
        self.flush_segment(true)?;
        self.sink.flush()?;
        Ok(self.sink)
    }
}

impl<W: Write> Write for EncryptingWriter<W> {
    fn write(&mut self, mut data: &[u8]) -> io::Result<usize> {
        let total = data.len();
        while !data.is_empty() {
            let want = self.cipher.plaintext_segment_len(self.index);
            if self.pending.len() == want {
                // More data follows a full segment, so that segment is not the last.
                self.flush_segment(false)?;
                continue;
            }
            let take = (want - self.pending.len()).min(data.len());
            self.pending.extend_from_slice(&data[..take]);
            data = &data[take..];
        }
        Ok(total)
    }

    /// Flushes the sink. Pending plaintext stays until it fills a segment or `finish`.
    fn flush(&mut self) -> io::Result<()> {
        self.sink.flush()
    }
}

impl<W: Write> fmt::Debug for EncryptingWriter<W> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EncryptingWriter")
            .field("segment", &self.index)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod writer_tests {
    use super::*;

    #[test]
    fn writer_output_decrypts_like_reader_output() {
        let seg = 4096;
        let first = seg - STREAM_HEADER_LEN - TAG_LEN;
        for len in [0, 1, first, first + 1, first + (seg - TAG_LEN), 30_000] {
            let pt: Vec<u8> = (0..len).map(|i| (i % 199) as u8).collect();
            let mut w = EncryptingWriter::new(&[6; 32], b"aad", seg, Vec::new()).expect("writer");
            for chunk in pt.chunks(777) {
                w.write_all(chunk).expect("write");
            }
            let ct = w.finish().expect("finish");
            assert_eq!(
                ct.len() as u64,
                ciphertext_len(len as u64, seg),
                "len {len}"
            );
            let mut back = Vec::new();
            DecryptingReader::new(&[6; 32], b"aad", seg, &ct[..])
                .expect("hdr")
                .read_to_end(&mut back)
                .expect("dec");
            assert_eq!(back, pt, "len {len}");
        }
        // Dropped without finish: readers see a truncated stream.
        let mut w = EncryptingWriter::new(&[6; 32], b"aad", seg, Vec::new()).expect("writer");
        w.write_all(&[1u8; 10_000]).expect("write");
        let partial = std::mem::take(&mut w.sink);
        let err = DecryptingReader::new(&[6; 32], b"aad", seg, &partial[..])
            .expect("hdr")
            .read_to_end(&mut Vec::new());
        assert!(err.is_err());
    }
}
