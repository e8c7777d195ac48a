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
use std::io::{self, Read};

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

/// Encrypts a plaintext `Read` into a Tink-compatible ciphertext `Read`, one segment at a time.
pub struct EncryptingReader<R> {
    source: R,
    cipher: SegmentCipher,
    index: u32,
    /// One byte read ahead to learn whether the segment just filled is the last.
    lookahead: Option<u8>,
    out: Vec<u8>,
    out_pos: usize,
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
        let mut out = Vec::with_capacity(segment_size + 1);
        out.extend_from_slice(&header);
        Ok(EncryptingReader {
            source,
            cipher,
            index: 0,
            lookahead: None,
            out,
            out_pos: 0,
            finished: false,
        })
    }

    fn next_segment(&mut self) -> io::Result<()> {
        let want = self.cipher.plaintext_segment_len(self.index);
        let buf = &mut self.out;
        buf.clear();
        if let Some(byte) = self.lookahead.take() {
            buf.push(byte);
        }
        read_up_to(&mut self.source, buf, want)?;
        let last = if buf.len() < want {
            true
        } else {
            let mut one = [0u8; 1];
            let got = read_retrying(&mut self.source, &mut one)?;
            if got == 1 {
                self.lookahead = Some(one[0]);
            }
            got == 0
        };
        let nonce = self.cipher.nonce(self.index, last);
        let tag = self
            .cipher
            .aes
            .encrypt_in_place_detached(&nonce, b"", buf)
            .map_err(|_| Error::TooLarge.into_io())?;
        buf.extend_from_slice(&tag);
        self.out_pos = 0;
        if last {
            self.finished = true;
        } else {
            self.index = self
                .index
                .checked_add(1)
                .ok_or_else(|| Error::TooLarge.into_io())?;
        }
        Ok(())
    }
}

impl<R: Read> Read for EncryptingReader<R> {
    fn read(&mut self, dst: &mut [u8]) -> io::Result<usize> {
        if dst.is_empty() {
            return Ok(0);
        }
        if self.out_pos == self.out.len() {
            if self.finished {
                return Ok(0);
            }
            self.next_segment()?;
        }
        let n = dst.len().min(self.out.len() - self.out_pos);
        dst[..n].copy_from_slice(&self.out[self.out_pos..self.out_pos + n]);
        self.out_pos += n;
        Ok(n)
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
    out: Vec<u8>,
    out_pos: usize,
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
        let mut header = [0u8; STREAM_HEADER_LEN];
        let mut got = Vec::with_capacity(STREAM_HEADER_LEN);
        read_up_to(&mut source, &mut got, STREAM_HEADER_LEN)?;
        if got.len() < STREAM_HEADER_LEN {
            return Err(Error::Truncated);
        }
        header.copy_from_slice(&got);
        let cipher = SegmentCipher::new(key, aad, &header, segment_size)?;
        Ok(DecryptingReader {
            source,
            cipher,
            index: 0,
            lookahead: None,
            out: Vec::with_capacity(segment_size + 1),
            out_pos: 0,
            finished: false,
            expected_segments: None,
            expected_final: None,
        })
    }

    /// Tells the reader how long the plaintext should be, so a stream cut in the middle of
    /// a segment is reported as [`Error::Truncated`] rather than as a corrupted last segment.
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

    fn next_segment(&mut self) -> Result<()> {
        let want = self.cipher.ciphertext_segment_len(self.index);
        let buf = &mut self.out;
        buf.clear();
        if let Some(byte) = self.lookahead.take() {
            buf.push(byte);
        }
        read_up_to(&mut self.source, buf, want)?;
        let last = if buf.len() < want {
            true
        } else {
            let mut one = [0u8; 1];
            let got = read_retrying(&mut self.source, &mut one)?;
            if got == 1 {
                self.lookahead = Some(one[0]);
            }
            got == 0
        };
        if buf.len() < TAG_LEN {
            return Err(Error::Truncated);
        }
        if let Some((final_index, final_len)) = self.expected_final {
            let at_final = u64::from(self.index) == final_index;
            if at_final
                && buf.len() > final_len
                && self
                    .cipher
                    .authenticates(&buf[..final_len], self.index, true)
            {
                return Err(Error::TrailingData);
            }
            if at_final && buf.len() < final_len {
                return Err(Error::Truncated);
            }
        }
        let split = buf.len() - TAG_LEN;
        let tag = Tag::clone_from_slice(&buf[split..]);
        let nonce = self.cipher.nonce(self.index, last);
        let (body, _) = buf.split_at_mut(split);
        if self
            .cipher
            .aes
            .decrypt_in_place_detached(&nonce, b"", body, &tag)
            .is_err()
        {
            // aes-gcm checks the tag before decrypting, so `buf` still holds the ciphertext.
            return Err(self.diagnose(last));
        }
        buf.truncate(split);
        self.out_pos = 0;
        if last {
            self.finished = true;
        } else {
            self.index = self.index.checked_add(1).ok_or(Error::TooLarge)?;
        }
        Ok(())
    }

    /// Explains why segment `self.index` failed to authenticate.
    fn diagnose(&self, last: bool) -> Error {
        let ct = &self.out;
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
        while self.out_pos == self.out.len() {
            if self.finished {
                return Ok(0);
            }
            self.next_segment().map_err(Error::into_io)?;
        }
        let n = dst.len().min(self.out.len() - self.out_pos);
        dst[..n].copy_from_slice(&self.out[self.out_pos..self.out_pos + n]);
        self.out_pos += n;
        Ok(n)
    }
}

impl<R> Drop for DecryptingReader<R> {
    fn drop(&mut self) {
        // The buffer holds decrypted plaintext.
        zeroize::Zeroize::zeroize(&mut self.out);
    }
}

impl<R> Drop for EncryptingReader<R> {
    fn drop(&mut self) {
        // Between reads the buffer may still hold plaintext being assembled.
        zeroize::Zeroize::zeroize(&mut self.out);
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
pub(crate) fn read_up_to<R: Read>(r: &mut R, buf: &mut Vec<u8>, want: usize) -> io::Result<()> {
    while buf.len() < want {
        let start = buf.len();
        // Grow in bounded steps so a short source never makes us allocate `want` twice.
        buf.resize(want, 0);
        match r.read(&mut buf[start..]) {
            Ok(0) => {
                buf.truncate(start);
                return Ok(());
            }
            Ok(n) => buf.truncate(start + n),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => buf.truncate(start),
            Err(e) => {
                buf.truncate(start);
                return Err(e);
            }
        }
    }
    Ok(())
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
