//! Generates the JSON test vectors in `tests/vectors/` and checks the committed files match.
//!
//! Everything here is deterministic (fixed keys, fixed salts, a seeded RNG for Shamir), so
//! this test fails when the format drifts from the committed vectors. To regenerate after a
//! deliberate format change: `WISP_WRITE_VECTORS=1 cargo test -p wisp-crypto vectors`.

use std::io::Read;
use std::path::PathBuf;

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use rand::SeedableRng;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::keys::{FormatVersion, KdfParams, LinkKey, PassphraseParams};
use crate::link::{split_key_with_rng, Link, LinkSecret, SecretId};
use crate::payload::{FixedRandomness, Metadata, SealOptions, Sealer};
use crate::SecretString;

const BASE: &str = "https://wisp.example";
const ID: &str = "v1TestVectorSecretId0A";
const PASSPHRASE: &str = "hunter2 but longer";
/// Cheap Argon2 costs so vectors run fast in the browser and in debug builds.
const VECTOR_KDF: KdfParams = KdfParams {
    m_cost_kib: 256,
    t_cost: 1,
    p_cost: 1,
};

fn vectors_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/vectors")
}

fn key(n: u8) -> LinkKey {
    LinkKey::from_bytes(Sha256::digest([b'k', n]).into())
}

fn link_url(secret: LinkSecret) -> String {
    let link = Link::new(BASE, SecretId::parse(ID).expect("id"), secret).expect("link");
    link.expose_url().to_string()
}

fn content(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 7 % 251) as u8).collect()
}

struct Sealed {
    payload: Vec<u8>,
    derived: Value,
}

fn seal(
    v: FormatVersion,
    n: u8,
    passphrase: Option<&str>,
    segment_size: usize,
    metadata: &Metadata,
    body: &[u8],
) -> Sealed {
    let options = SealOptions {
        version: v,
        kdf: VECTOR_KDF,
        segment_size,
        fixed_randomness: Some(FixedRandomness {
            passphrase_salt: [n; 16],
            stream_header: {
                let mut h = [n.wrapping_add(1); 40];
                h[0] = 40;
                h
            },
        }),
    };
    let phrase = passphrase.map(SecretString::from);
    let sealer = Sealer::with_options(&key(n), phrase.as_ref(), &options).expect("sealer");
    let mut payload = Vec::new();
    sealer
        .seal(metadata, body)
        .expect("seal")
        .read_to_end(&mut payload)
        .expect("read");
    let d = sealer.derived();
    let derived = match v {
        FormatVersion::V1 => json!({
            "payload_key": hex::encode(d.payload_key),
            "reveal_proof": d.reveal_proof.to_base64url(),
            "reveal_verifier": d.reveal_proof.verifier().to_base64url(),
            "header_len": sealer.header().encoded_len(),
        }),
        FormatVersion::V2 => {
            let mut derived = json!({
                "payload_key": hex::encode(d.payload_key),
                "link_proof": d.reveal_proof.to_base64url(),
                "link_verifier": d.reveal_proof.verifier().to_base64url(),
                "key_check": hex::encode(d.key_check),
                "header_len": sealer.header().encoded_len(),
            });
            if let (Some(params), Some(phrase)) = (&sealer.header().passphrase, &phrase) {
                let proof = d.passphrase_proof.as_ref().expect("passphrase proof");
                derived["argon2id"] = json!(hex::encode(stretch(params, phrase)));
                derived["passphrase_proof"] = json!(proof.to_base64url());
                derived["passphrase_verifier"] = json!(proof.verifier().to_base64url());
            }
            derived
        }
    };
    Sealed { payload, derived }
}

fn stretch(params: &PassphraseParams, phrase: &SecretString) -> [u8; 32] {
    *params.stretch(phrase).expect("argon2")
}

fn expect_for(metadata: &Metadata, body: &[u8]) -> Value {
    let mut expect = json!({
        "metadata": serde_json::to_value(metadata).expect("meta"),
        "content_len": body.len(),
        "content_sha256": hex::encode(Sha256::digest(body)),
    });
    if let Ok(text) = std::str::from_utf8(body) {
        if metadata.kind == crate::ContentKind::Text {
            expect["content_utf8"] = json!(text);
        }
    }
    expect
}

#[allow(clippy::too_many_arguments)]
fn ok_vector(
    v: FormatVersion,
    name: &str,
    description: &str,
    n: u8,
    passphrase: Option<&str>,
    seg: usize,
    metadata: Metadata,
    body: &[u8],
) -> Value {
    let sealed = seal(v, n, passphrase, seg, &metadata, body);
    json!({
        "name": name,
        "description": description,
        "links": [link_url(LinkSecret::Key(key(n)))],
        "passphrase": passphrase,
        "payload": STANDARD.encode(&sealed.payload),
        "derived": sealed.derived,
        "expect": expect_for(&metadata, body),
    })
}

fn fail_vector(
    name: &str,
    description: &str,
    n: u8,
    passphrase: Option<&str>,
    payload: &[u8],
    error: &str,
) -> Value {
    json!({
        "name": name,
        "description": description,
        "links": [link_url(LinkSecret::Key(key(n)))],
        "passphrase": passphrase,
        "payload": STANDARD.encode(payload),
        "error": error,
    })
}

fn payload_vectors(v: FormatVersion) -> Value {
    let mut out = Vec::new();
    let text = "correct horse battery staple";
    out.push(ok_vector(
        v,
        "text_short",
        "A short UTF-8 text, one segment, padded to 1 KiB.",
        1,
        None,
        65536,
        Metadata::text(text.len() as u64),
        text.as_bytes(),
    ));
    let unicode = "Пароль: ¡señal! — mot de passe 🔑";
    out.push(ok_vector(
        v,
        "text_unicode",
        "Non-ASCII text.",
        2,
        None,
        65536,
        Metadata::text(unicode.len() as u64),
        unicode.as_bytes(),
    ));
    out.push(ok_vector(
        v,
        "text_empty",
        "An empty text.",
        3,
        None,
        65536,
        Metadata::text(0),
        b"",
    ));
    out.push(ok_vector(
        v,
        "text_passphrase",
        "Text with a passphrase (Argon2id m=256 KiB, t=1, p=1).",
        4,
        Some(PASSPHRASE),
        65536,
        Metadata::text(text.len() as u64),
        text.as_bytes(),
    ));
    let file = content(13_000);
    let file_meta = Metadata::file(
        "report.pdf",
        Some("application/pdf".into()),
        Some(file.len() as u64),
    );
    out.push(ok_vector(
        v,
        "file_multi_segment",
        "A 13,000-byte file in 4 KiB segments: four segments.",
        5,
        None,
        4096,
        file_meta.clone(),
        &file,
    ));
    let big = content(70_000);
    out.push(ok_vector(
        v,
        "file_large_bucket",
        "A file above 64 KiB, padded to a 64 KiB multiple, 64 KiB segments.",
        6,
        None,
        65536,
        Metadata::file(
            "photo.jpg",
            Some("image/jpeg".into()),
            Some(big.len() as u64),
        ),
        &big,
    ));
    out.push(ok_vector(
        v,
        "file_unknown_size",
        "A file streamed without a declared size: no padding.",
        7,
        None,
        4096,
        Metadata::file("stream.tar", None, None),
        &file[..9000],
    ));

    // A 2-of-3 split link.
    let split = seal(
        v,
        8,
        None,
        65536,
        &Metadata::text(text.len() as u64),
        text.as_bytes(),
    );
    let mut rng = rand::rngs::StdRng::seed_from_u64(8);
    let parts = split_key_with_rng(&key(8), 2, 3, &mut rng).expect("split");
    let part_links: Vec<String> = parts
        .iter()
        .map(|p| link_url(LinkSecret::Part(p.clone())))
        .collect();
    out.push(json!({
        "name": "text_split_2_of_3",
        "description": "A text opened with parts 1 and 3 of a 2-of-3 split link.",
        "links": [part_links[0], part_links[2]],
        "passphrase": null,
        "payload": STANDARD.encode(&split.payload),
        "derived": split.derived,
        "expect": expect_for(&Metadata::text(text.len() as u64), text.as_bytes()),
    }));

    // Failures, all derived from the multi-segment file (segments of 4096 bytes).
    let good = seal(v, 5, None, 4096, &file_meta, &file).payload;
    let header_len = 23;
    let seg0_end = header_len + 4096;
    let seg = |i: usize| seg0_end + (i - 1) * 4096..seg0_end + i * 4096;
    out.push(fail_vector(
        "fail_truncated_at_segment",
        "Cut after segment 2: segment 2 was not encrypted as final.",
        5,
        None,
        &good[..seg(2).end],
        "truncated",
    ));
    out.push(fail_vector(
        "fail_truncated_mid_segment",
        "Cut in the middle of segment 3.",
        5,
        None,
        &good[..seg(3).start + 1000],
        "truncated",
    ));
    out.push(fail_vector(
        "fail_truncated_header",
        "Cut inside the header.",
        5,
        None,
        &good[..12],
        "truncated",
    ));
    let mut swapped = good.clone();
    swapped[seg(1)].copy_from_slice(&good[seg(2)]);
    swapped[seg(2)].copy_from_slice(&good[seg(1)]);
    out.push(fail_vector(
        "fail_reordered",
        "Segments 1 and 2 swapped.",
        5,
        None,
        &swapped,
        "segment_out_of_order",
    ));
    let mut flipped = good.clone();
    flipped[seg(2).start + 100] ^= 0x04;
    out.push(fail_vector(
        "fail_bit_flip",
        "One bit flipped in segment 2.",
        5,
        None,
        &flipped,
        "segment_corrupted",
    ));
    let mut longer = good.clone();
    longer.extend_from_slice(b"appended");
    out.push(fail_vector(
        "fail_trailing_data",
        "Bytes appended after the final segment.",
        5,
        None,
        &longer,
        "trailing_data",
    ));
    out.push(fail_vector(
        "fail_wrong_key",
        "Opened with another link's key.",
        9,
        None,
        &good,
        "wrong_key",
    ));
    let with_phrase = seal(
        v,
        4,
        Some(PASSPHRASE),
        65536,
        &Metadata::text(text.len() as u64),
        text.as_bytes(),
    )
    .payload;
    out.push(fail_vector(
        "fail_wrong_passphrase",
        match v {
            FormatVersion::V1 => "The right link with a wrong passphrase.",
            FormatVersion::V2 => "The right link with a wrong passphrase: the header's key check passes (it does not depend on the passphrase), the first segment fails. A server refuses the passphrase proof before releasing the payload; this is what a reader of a local copy sees.",
        },
        4,
        Some("hunter3 but longer"),
        &with_phrase,
        "wrong_passphrase",
    ));
    if v == FormatVersion::V2 {
        out.push(fail_vector(
            "fail_wrong_link_right_passphrase",
            "Another link's key with the right passphrase: the key check (link key only) fails before Argon2 matters.",
            9,
            Some(PASSPHRASE),
            &with_phrase,
            "wrong_key",
        ));
        let mut downgraded = with_phrase.clone();
        downgraded[4] = 1;
        out.push(fail_vector(
            "fail_version_downgraded",
            "A v2 payload whose version byte was changed to 1: the v1 key check does not match.",
            4,
            Some(PASSPHRASE),
            &downgraded,
            "wrong_passphrase",
        ));
    }
    out.push(fail_vector(
        "fail_passphrase_missing",
        "A passphrase payload opened without one.",
        4,
        None,
        &with_phrase,
        "passphrase_required",
    ));
    let mut tampered = good.clone();
    tampered[6] = 13; // claims 8 KiB segments; the header is the stream's associated data
    out.push(fail_vector(
        "fail_header_tampered",
        "Segment size in the header changed from 4 KiB to 8 KiB.",
        5,
        None,
        &tampered,
        "segment_corrupted",
    ));
    let mut huge = with_phrase.clone();
    huge[7..11].copy_from_slice(&(2u32 * 1024 * 1024).to_be_bytes());
    out.push(fail_vector(
        "fail_absurd_argon_memory",
        "Header asks Argon2 for 2 GiB of memory.",
        4,
        Some(PASSPHRASE),
        &huge,
        "absurd_parameters",
    ));
    let mut passes = with_phrase.clone();
    passes[11..15].copy_from_slice(&1000u32.to_be_bytes());
    out.push(fail_vector(
        "fail_absurd_argon_passes",
        "Header asks Argon2 for 1000 passes.",
        4,
        Some(PASSPHRASE),
        &passes,
        "absurd_parameters",
    ));
    let mut seg_huge = good.clone();
    seg_huge[6] = 40;
    out.push(fail_vector(
        "fail_absurd_segment_size",
        "Header claims 2^40-byte segments.",
        5,
        None,
        &seg_huge,
        "absurd_parameters",
    ));
    let mut magic = good.clone();
    magic[..4].copy_from_slice(b"PK\x03\x04");
    out.push(fail_vector(
        "fail_not_a_payload",
        "A ZIP file, not a payload.",
        5,
        None,
        &magic,
        "not_a_payload",
    ));
    let mut future = good.clone();
    future[4] = 3;
    out.push(fail_vector(
        "fail_future_version",
        "Format version 3.",
        5,
        None,
        &future,
        "unsupported_version",
    ));
    let (format, notes) = match v {
        FormatVersion::V1 => ("wisp payload v1", "payload is standard base64. Open with the key from links (combine parts when there are several) and passphrase; expect either `expect` or the error code `error`. derived.* are intermediate values for debugging implementations."),
        FormatVersion::V2 => ("wisp payload v2", "payload is standard base64. Open with the key from links (combine parts when there are several) and passphrase; expect either `expect` or the error code `error`. derived.* are every value of the v2 key schedule (docs/crypto.md): argon2id is the hex Argon2id output, *_proof are base64url, *_verifier = base64url(SHA-256(proof)), key_check and payload_key are hex. tests/interop derives each of them independently."),
    };
    json!({
        "format": format,
        "notes": notes,
        "vectors": out,
    })
}

fn link_vectors() -> Value {
    let key_link = link_url(LinkSecret::Key(key(1)));
    let frag = |bytes: &[u8]| format!("{BASE}/s/{ID}#{}", URL_SAFE_NO_PAD.encode(bytes));
    let mut rng = rand::rngs::StdRng::seed_from_u64(11);
    let parts = split_key_with_rng(&key(11), 3, 5, &mut rng).expect("split");
    let part_links: Vec<String> = parts
        .iter()
        .map(|p| link_url(LinkSecret::Part(p.clone())))
        .collect();
    let mut other_rng = rand::rngs::StdRng::seed_from_u64(12);
    let other = split_key_with_rng(&key(12), 3, 5, &mut other_rng).expect("split");
    let other_link = link_url(LinkSecret::Part(other[3].clone()));
    let mut bad_k = vec![1u8, 1, 1, 5, 1, 0, 0, 0, 0];
    bad_k.extend_from_slice(parts[0].share());
    let mut x_zero = vec![1u8, 1, 3, 5, 1, 0, 0, 0, 0];
    x_zero.extend_from_slice(&parts[0].share()[..32]);
    x_zero.push(0);
    json!({
        "format": "wisp link v1",
        "notes": "Each vector gives one or more links. `expect.key` is the hex link key after combining; `error` is the code a reader must fail with.",
        "vectors": [
            {"name": "key_link", "links": [key_link], "expect": {"base": BASE, "secret_id": ID, "key": hex::encode(key(1).expose_bytes())}},
            {"name": "key_link_with_prefix_and_query", "links": [format!("https://h.example/wisp/s/{ID}?utm=x#{}", LinkSecret::Key(key(1)).to_fragment().as_str())], "expect": {"base": "https://h.example/wisp", "secret_id": ID, "key": hex::encode(key(1).expose_bytes())}},
            {"name": "split_3_of_5_parts_1_2_3", "links": [part_links[0], part_links[1], part_links[2]], "expect": {"base": BASE, "secret_id": ID, "key": hex::encode(key(11).expose_bytes())}},
            {"name": "split_3_of_5_parts_5_2_4", "links": [part_links[4], part_links[1], part_links[3]], "expect": {"base": BASE, "secret_id": ID, "key": hex::encode(key(11).expose_bytes())}},
            {"name": "split_all_five", "links": part_links, "expect": {"base": BASE, "secret_id": ID, "key": hex::encode(key(11).expose_bytes())}},
            {"name": "fail_no_fragment", "links": [format!("{BASE}/s/{ID}")], "error": "invalid_link"},
            {"name": "fail_fragment_not_base64", "links": [format!("{BASE}/s/{ID}#%%%")], "error": "invalid_link"},
            {"name": "fail_fragment_cut", "links": [key_link[..key_link.len() - 5].to_string()], "error": "invalid_link"},
            {"name": "fail_fragment_future_version", "links": [frag(&[2, 0, 1, 2, 3])], "error": "unsupported_version"},
            {"name": "fail_unknown_kind", "links": [frag(&[1, 9, 1, 2, 3])], "error": "invalid_link"},
            {"name": "fail_not_wisp_path", "links": [format!("{BASE}/x/{ID}#{}", LinkSecret::Key(key(1)).to_fragment().as_str())], "error": "invalid_link"},
            {"name": "fail_bad_secret_id", "links": [format!("{BASE}/s/a.b#{}", LinkSecret::Key(key(1)).to_fragment().as_str())], "error": "invalid_link"},
            {"name": "fail_split_k_below_2", "links": [frag(&bad_k)], "error": "invalid_split"},
            {"name": "fail_share_x_zero", "links": [frag(&x_zero)], "error": "invalid_part"},
            {"name": "fail_not_enough_parts", "links": [part_links[0], part_links[1]], "error": "not_enough_parts"},
            {"name": "fail_duplicate_part", "links": [part_links[0], part_links[1], part_links[1]], "error": "duplicate_part"},
            {"name": "fail_parts_of_different_splits", "links": [part_links[0], part_links[1], other_link], "error": "parts_mismatch"},
        ],
    })
}

fn check_or_write(file: &str, value: &Value) {
    let path = vectors_dir().join(file);
    let text = serde_json::to_string_pretty(value).expect("json") + "\n";
    if std::env::var_os("WISP_WRITE_VECTORS").is_some() {
        std::fs::write(&path, text).expect("write vectors");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == text,
        "{} differs from what the format produces; if the change is deliberate, regenerate with WISP_WRITE_VECTORS=1",
        path.display()
    );
}

#[test]
fn committed_vectors_match_the_format() {
    check_or_write("payload_v1.json", &payload_vectors(FormatVersion::V1));
    check_or_write("payload_v2.json", &payload_vectors(FormatVersion::V2));
    check_or_write("link_v1.json", &link_vectors());
}
