//! Fuzzes opening payloads whose *plaintext* is arbitrary: the input is sealed with a known
//! key through the crate's Tink-compatible stream, so every segment authenticates and the
//! metadata length, metadata JSON, content and padding parsers see what the fuzzer chose.
//!
//! Input: `mode ‖ padding delta (i8) ‖ cut (BE16) ‖ body`.
//!
//! - mode bits 0–1: key schedule: v2, v2 with a passphrase, v1, v1 with a passphrase;
//! - bit 2: `body` is `BE16(meta length) ‖ meta ‖ content` and the harness lays out
//!   `BE32(len(meta)) ‖ meta ‖ content ‖ zero padding` (the padding the format asks for, plus
//!   the delta); otherwise `body` is the whole plaintext, malformed or not;
//! - bit 3: (laid out) set the metadata's `size` to the content length, if it is a JSON object;
//! - bit 4: (laid out) one padding byte is not zero;
//! - bit 5: 64 KiB segments instead of 4 KiB;
//! - bits 6–7: the sealed payload as is, cut at `cut`, with bytes appended, or `body` itself
//!   opened as a payload (foreign ciphertext: header and segment framing).
//!
//! Oracle: an untouched payload opens and reads to the end exactly when its plaintext is
//! well formed per docs/crypto.md, and then yields the metadata and content that were sealed;
//! a cut or extended payload never reads to the end; nothing panics.
#![no_main]
use std::io::Read;
use std::sync::OnceLock;

use hkdf::Hkdf;
use libfuzzer_sys::fuzz_target;
use sha2::Sha256;
use wisp_crypto::stream::{EncryptingReader, STREAM_HEADER_LEN};
use wisp_crypto::{
    open, padded_len, FormatVersion, KdfParams, LinkKey, Metadata, Opener, PassphraseParams,
    PayloadHeader, SecretString,
};

const LINK_KEY: [u8; 32] = [7; 32];
const PASSPHRASE: &str = "fuzz passphrase";
/// Cheap Argon2id, run once per schedule at start-up (openers are cached, not re-derived).
const KDF: KdfParams = KdfParams {
    m_cost_kib: 64,
    t_cost: 1,
    p_cost: 1,
};
const SALT: [u8; 16] = [0x5a; 16];
const SEGMENT_SIZES: [usize; 2] = [4096, 64 * 1024];
const MAX_METADATA_LEN: usize = 16 * 1024;
const MAX_CONTENT_SIZE: u64 = 1 << 48;

struct Schedule {
    passphrase: Option<SecretString>,
    payload_key: [u8; 32],
    /// Per segment size: the header and, with a passphrase, an opener derived once.
    headers: Vec<(Vec<u8>, Option<Opener>)>,
}

/// The key schedule of docs/crypto.md, written here from the spec (not Wisp's code).
fn derive(version: FormatVersion, passphrase: bool) -> ([u8; 32], [u8; 16]) {
    let stretched = passphrase.then(|| {
        let params =
            argon2::Params::new(KDF.m_cost_kib, KDF.t_cost, KDF.p_cost, Some(32)).expect("params");
        let mut out = [0u8; 32];
        argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
            .hash_password_into(PASSPHRASE.as_bytes(), &SALT, &mut out)
            .expect("argon2");
        out
    });
    let mut ikm = LINK_KEY.to_vec();
    let (mut key, mut check) = ([0u8; 32], [0u8; 16]);
    match version {
        FormatVersion::V1 => {
            ikm.extend(stretched.iter().flatten());
            let hk = Hkdf::<Sha256>::new(Some(b"wisp/v1"), &ikm);
            hk.expand(b"wisp/v1/payload-key", &mut key).expect("hkdf");
            hk.expand(b"wisp/v1/key-check", &mut check).expect("hkdf");
        }
        FormatVersion::V2 => {
            let link = Hkdf::<Sha256>::new(Some(b"wisp/v2"), &LINK_KEY);
            link.expand(b"wisp/v2/key-check", &mut check).expect("hkdf");
            match stretched {
                None => link.expand(b"wisp/v2/payload-key", &mut key).expect("hkdf"),
                Some(s) => {
                    ikm.extend(s);
                    Hkdf::<Sha256>::new(Some(b"wisp/v2/passphrase"), &ikm)
                        .expand(b"wisp/v2/payload-key", &mut key)
                        .expect("hkdf");
                }
            }
        }
    }
    (key, check)
}

fn schedules() -> &'static [Schedule; 4] {
    static SCHEDULES: OnceLock<[Schedule; 4]> = OnceLock::new();
    SCHEDULES.get_or_init(|| {
        let make = |version, with_passphrase: bool| {
            let (payload_key, key_check) = derive(version, with_passphrase);
            let passphrase = with_passphrase.then(|| SecretString::from(PASSPHRASE));
            let headers = SEGMENT_SIZES
                .iter()
                .map(|&segment_size| {
                    let header = PayloadHeader {
                        version,
                        passphrase: with_passphrase.then_some(PassphraseParams {
                            kdf: KDF,
                            salt: SALT,
                        }),
                        segment_size,
                        key_check,
                    };
                    // The key check written here must be the one Wisp derives.
                    let opener =
                        Opener::new(&LinkKey::from_bytes(LINK_KEY), passphrase.as_ref(), &header)
                            .expect("the harness's key schedule matches Wisp's");
                    (header.to_bytes(), with_passphrase.then_some(opener))
                })
                .collect();
            Schedule {
                passphrase,
                payload_key,
                headers,
            }
        };
        [
            make(FormatVersion::V2, false),
            make(FormatVersion::V2, true),
            make(FormatVersion::V1, false),
            make(FormatVersion::V1, true),
        ]
    })
}

fn seal(schedule: &Schedule, header: &[u8], segment_size: usize, plaintext: &[u8]) -> Vec<u8> {
    let mut payload = header.to_vec();
    let mut stream_header = [0x42u8; STREAM_HEADER_LEN];
    stream_header[0] = STREAM_HEADER_LEN as u8;
    EncryptingReader::with_header(
        &schedule.payload_key,
        header,
        segment_size,
        stream_header,
        plaintext,
    )
    .expect("encrypting reader")
    .read_to_end(&mut payload)
    .expect("encrypt");
    payload
}

/// Opens with the public API; `Some((metadata, content))` when it read to the end.
fn open_all(
    schedule: &Schedule,
    opener: Option<&Opener>,
    payload: &[u8],
) -> Option<(Metadata, Vec<u8>)> {
    let key = LinkKey::from_bytes(LINK_KEY);
    let mut reader = match opener {
        Some(opener) => opener.open(payload).ok()?,
        None => open(&key, schedule.passphrase.as_ref(), payload).ok()?,
    };
    let metadata = reader.metadata().clone();
    let mut content = Vec::new();
    reader.read_to_end(&mut content).ok()?;
    Some((metadata, content))
}

/// What a correct reader must yield for this plaintext, or `None` if it is malformed.
fn expected(plaintext: &[u8]) -> Option<(Metadata, Vec<u8>)> {
    let meta_len = u32::from_be_bytes(plaintext.get(..4)?.try_into().ok()?) as usize;
    if meta_len > MAX_METADATA_LEN {
        return None;
    }
    let meta = plaintext.get(4..4 + meta_len)?;
    let metadata: Metadata = serde_json::from_slice(meta).ok()?;
    let rest = &plaintext[4 + meta_len..];
    match metadata.size {
        None => Some((metadata, rest.to_vec())),
        Some(size) if size > MAX_CONTENT_SIZE => None,
        Some(size) => {
            let size = usize::try_from(size).ok().filter(|&s| s <= rest.len())?;
            let well_formed = plaintext.len() as u64 == padded_len((4 + meta_len + size) as u64)
                && rest[size..].iter().all(|&b| b == 0);
            well_formed.then(|| (metadata, rest[..size].to_vec()))
        }
    }
}

/// `BE32(len(meta)) ‖ meta ‖ content ‖ padding` from `BE16(meta length) ‖ meta ‖ content`.
fn lay_out(mode: u8, delta: i8, body: &[u8]) -> Vec<u8> {
    let (len, body) = match body {
        [a, b, rest @ ..] => (
            usize::from(u16::from_be_bytes([*a, *b])).min(rest.len()),
            rest,
        ),
        _ => (0, body),
    };
    let (meta, content) = body.split_at(len);
    let mut meta = meta.to_vec();
    if mode & 0b1000 != 0 {
        if let Ok(serde_json::Value::Object(mut object)) = serde_json::from_slice(&meta) {
            object.insert("size".into(), (content.len() as u64).into());
            meta = serde_json::to_vec(&object).expect("json");
        }
    }
    let mut plaintext = (meta.len() as u32).to_be_bytes().to_vec();
    plaintext.extend_from_slice(&meta);
    plaintext.extend_from_slice(content);
    let unpadded = plaintext.len() as u64;
    let padding = (padded_len(unpadded) - unpadded) as i64 + i64::from(delta);
    plaintext.resize(plaintext.len() + padding.max(0) as usize, 0);
    if mode & 0b1_0000 != 0 && plaintext.len() as u64 > unpadded {
        let at = unpadded as usize
            + usize::from(delta.unsigned_abs()) % (plaintext.len() - unpadded as usize);
        plaintext[at] = 1;
    }
    plaintext
}

fuzz_target!(|data: &[u8]| {
    let [mode, delta, cut_hi, cut_lo, body @ ..] = data else {
        return;
    };
    let (mode, delta, cut) = (
        *mode,
        *delta as i8,
        usize::from(u16::from_be_bytes([*cut_hi, *cut_lo])),
    );
    let schedule = &schedules()[usize::from(mode & 0b11)];
    let segment = usize::from(mode >> 5 & 1);
    let (header, opener) = &schedule.headers[segment];
    let opener = opener.as_ref();

    let tweak = mode >> 6;
    if tweak == 3 {
        // Foreign bytes as a payload: header, stream header and segment framing.
        let _ = open_all(schedule, opener, body);
        return;
    }
    let plaintext = if mode & 0b100 != 0 {
        lay_out(mode, delta, body)
    } else {
        body.to_vec()
    };
    let mut payload = seal(schedule, header, SEGMENT_SIZES[segment], &plaintext);
    match tweak {
        0 => {
            let got = open_all(schedule, opener, &payload);
            let want = expected(&plaintext);
            match (&got, &want) {
                (Some((gm, gc)), Some((wm, wc))) => {
                    assert!(gm == wm, "metadata did not round-trip");
                    assert!(gc == wc, "content did not round-trip");
                }
                (None, None) => {}
                (Some(_), None) => panic!("a malformed plaintext opened"),
                (None, Some(_)) => panic!("a well-formed plaintext did not open"),
            }
        }
        1 if cut < payload.len() => {
            payload.truncate(cut);
            assert!(
                open_all(schedule, opener, &payload).is_none(),
                "a cut payload read to the end"
            );
        }
        2 => {
            payload.extend_from_slice(&[delta as u8; 3][..1 + cut % 3]);
            assert!(
                open_all(schedule, opener, &payload).is_none(),
                "an extended payload read to the end"
            );
        }
        _ => {}
    }
});
