//! Interoperability with independent implementations, driven as subprocesses:
//! Google's Tink (PyPI `tink`) for the streaming AEAD, and the audited npm package
//! `shamir-secret-sharing` for split links; `cryptography` (HKDF, SHA-256) and `argon2-cffi`
//! (Argon2id) re-derive the v2 key schedule of the test vectors. `scripts/setup.sh` installs
//! them (`.venv/` and `tests/interop/node_modules/`).

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use rand::RngCore;
use serde_json::Value;
use wisp_crypto::stream::{DecryptingReader, EncryptingReader};
use wisp_crypto::{combine_parts, split_key, LinkKey, LinkPart, PayloadHeader};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn python() -> PathBuf {
    let path = std::env::var_os("WISP_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join(".venv/bin/python"));
    assert!(
        path.exists(),
        "{} is missing: run scripts/setup.sh (it installs tink into .venv)",
        path.display()
    );
    path
}

fn interop_dir() -> PathBuf {
    let dir = repo().join("tests/interop");
    assert!(
        dir.join("node_modules/shamir-secret-sharing").exists(),
        "tests/interop/node_modules is missing: run scripts/setup.sh"
    );
    dir
}

fn run(cmd: &mut Command) -> String {
    let out = cmd.output().expect("spawn");
    assert!(
        out.status.success(),
        "{:?} failed: {}",
        cmd,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf8")
}

fn tink(mode: &str, key: &[u8; 32], aad: &[u8], segment_size: usize, input: &[u8]) -> Vec<u8> {
    let dir = tempdir();
    let (src, dst) = (dir.join("in"), dir.join("out"));
    std::fs::write(&src, input).expect("write");
    run(Command::new(python())
        .arg(repo().join("tests/interop/tink_stream.py"))
        .args([
            mode,
            &hex::encode(key),
            &hex::encode(aad),
            &segment_size.to_string(),
        ])
        .arg(&src)
        .arg(&dst));
    let out = std::fs::read(&dst).expect("read");
    let _ = std::fs::remove_dir_all(&dir);
    out
}

fn tempdir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wisp-interop-{}", rand::random::<u64>()));
    std::fs::create_dir_all(&dir).expect("mkdir");
    dir
}

fn random_bytes(len: usize) -> Vec<u8> {
    let mut v = vec![0u8; len];
    rand::thread_rng().fill_bytes(&mut v);
    v
}

const CASES: &[(usize, usize)] = &[
    (0, 4096),
    (1, 4096),
    (4040, 4096),
    (4041, 4096),
    (50_000, 4096),
    (200_000, 65536),
    (65536 - 56, 65536),
];

#[test]
fn tink_decrypts_what_wisp_encrypts() {
    for &(len, segment_size) in CASES {
        let key: [u8; 32] = random_bytes(32).try_into().expect("key");
        let aad = random_bytes(23);
        let plaintext = random_bytes(len);
        let mut ciphertext = Vec::new();
        EncryptingReader::new(&key, &aad, segment_size, &plaintext[..])
            .expect("enc")
            .read_to_end(&mut ciphertext)
            .expect("read");
        assert_eq!(
            tink("decrypt", &key, &aad, segment_size, &ciphertext),
            plaintext,
            "len {len} seg {segment_size}"
        );
    }
}

#[test]
fn wisp_decrypts_what_tink_encrypts() {
    for &(len, segment_size) in CASES {
        let key: [u8; 32] = random_bytes(32).try_into().expect("key");
        let aad = random_bytes(51);
        let plaintext = random_bytes(len);
        let ciphertext = tink("encrypt", &key, &aad, segment_size, &plaintext);
        let mut out = Vec::new();
        DecryptingReader::new(&key, &aad, segment_size, &ciphertext[..])
            .expect("header")
            .read_to_end(&mut out)
            .expect("decrypt");
        assert_eq!(out, plaintext, "len {len} seg {segment_size}");
    }
}

#[test]
fn tink_opens_the_stream_inside_every_payload_vector() {
    let doc: Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("tests/vectors/payload_v1.json")).expect("vectors"),
    )
    .expect("json");
    let mut checked = 0;
    for v in doc["vectors"].as_array().expect("vectors") {
        if v["error"].is_string() {
            continue;
        }
        let payload = STANDARD
            .decode(v["payload"].as_str().expect("payload"))
            .expect("b64");
        let (header, header_len) = PayloadHeader::parse(&payload).expect("header");
        let key: [u8; 32] = hex::decode(v["derived"]["payload_key"].as_str().expect("key"))
            .expect("hex")
            .try_into()
            .expect("32");
        let plaintext = tink(
            "decrypt",
            &key,
            &payload[..header_len],
            header.segment_size,
            &payload[header_len..],
        );
        // plaintext = BE32(len(meta)) ‖ meta ‖ content ‖ zero padding
        let meta_len = u32::from_be_bytes(plaintext[..4].try_into().expect("4")) as usize;
        let meta: Value = serde_json::from_slice(&plaintext[4..4 + meta_len]).expect("meta json");
        assert_eq!(meta, v["expect"]["metadata"], "{}", v["name"]);
        let content_len = v["expect"]["content_len"].as_u64().expect("len") as usize;
        if let Some(text) = v["expect"]["content_utf8"].as_str() {
            assert_eq!(
                &plaintext[4 + meta_len..4 + meta_len + content_len],
                text.as_bytes()
            );
        }
        checked += 1;
    }
    assert!(checked >= 7);
}

/// The v2 key schedule re-derived outside Wisp (tests/interop/keyschedule.py): HKDF and
/// SHA-256 from `cryptography`, Argon2id from `argon2-cffi`, the stream from Tink keyed with
/// the payload key derived there, the header and plaintext layout parsed there.
#[test]
fn independent_implementations_derive_the_v2_key_schedule() {
    let out = run(Command::new(python())
        .arg(repo().join("tests/interop/keyschedule.py"))
        .arg(repo().join("tests/vectors/payload_v2.json")));
    let summary: Value = serde_json::from_str(out.trim()).expect("summary json");
    let names = |key: &str| -> Vec<String> {
        summary[key]
            .as_array()
            .expect(key)
            .iter()
            .map(|n| n.as_str().expect("name").to_owned())
            .collect()
    };
    let checked = names("checked");
    assert!(checked.len() >= 7, "only {checked:?} checked");
    assert!(
        checked.iter().any(|n| n == "text_passphrase"),
        "{checked:?}"
    );
    assert!(summary["with_passphrase"].as_u64().expect("count") >= 1);
    let fails = names("fail_vectors");
    for required in ["fail_wrong_passphrase", "fail_wrong_link_right_passphrase"] {
        assert!(
            fails.iter().any(|n| n == required),
            "{required} not checked"
        );
    }
}

fn node(args: &[&str]) -> String {
    let dir = interop_dir();
    run(Command::new("node")
        .current_dir(&dir)
        .arg(Path::new("shamir.mjs"))
        .args(args))
}

#[test]
fn npm_shamir_combines_wisp_parts() {
    for (k, n) in [(2u8, 2u8), (2, 3), (3, 5), (5, 10), (10, 10)] {
        let key = LinkKey::generate();
        let parts = split_key(&key, k, n).expect("split");
        // Any K of them, starting at a different offset each time.
        let picked: Vec<String> = parts
            .iter()
            .cycle()
            .skip(usize::from(n - 1))
            .take(usize::from(k))
            .map(|p| hex::encode(p.share()))
            .collect();
        let mut args = vec!["combine"];
        args.extend(picked.iter().map(String::as_str));
        assert_eq!(
            node(&args).trim(),
            hex::encode(key.expose_bytes()),
            "{k}-of-{n}"
        );
    }
}

#[test]
fn wisp_combines_npm_shamir_shares() {
    for (k, n) in [(2u8, 3u8), (3, 5), (4, 10)] {
        let key = LinkKey::generate();
        let out = node(&[
            "split",
            &hex::encode(key.expose_bytes()),
            &n.to_string(),
            &k.to_string(),
        ]);
        let shares: Vec<String> = serde_json::from_str(&out).expect("json");
        assert_eq!(shares.len(), usize::from(n));
        let parts: Vec<LinkPart> = shares
            .iter()
            .enumerate()
            .map(|(i, s)| {
                LinkPart::from_share(k, n, i as u8 + 1, [7; 4], &hex::decode(s).expect("hex"))
                    .expect("part")
            })
            .collect();
        let picked: Vec<&LinkPart> = parts.iter().rev().take(usize::from(k)).collect();
        assert_eq!(combine_parts(&picked).expect("combine"), key, "{k}-of-{n}");
        // K-1 parts are refused, not silently combined.
        assert!(combine_parts(&picked[1..]).is_err());
    }
}
