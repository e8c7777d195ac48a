//! Runs every JSON test vector in `tests/vectors/` through the public API: the same files
//! the reveal page's browser implementation runs.

use std::path::PathBuf;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde_json::Value;
use sha2::{Digest, Sha256};
use wisp_crypto::{combine_links, Error, Link, Opener, PayloadHeader, SecretString};

fn load(name: &str) -> Vec<Value> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/vectors")
        .join(name);
    let text = std::fs::read_to_string(&path).expect("vector file");
    let doc: Value = serde_json::from_str(&text).expect("json");
    doc["vectors"].as_array().expect("vectors").clone()
}

fn links_of(v: &Value) -> Result<Vec<Link>, Error> {
    v["links"]
        .as_array()
        .expect("links")
        .iter()
        .map(|l| Link::parse(l.as_str().expect("str")))
        .collect()
}

struct Opened {
    metadata: Value,
    content: Vec<u8>,
    verifier: String,
    passphrase_verifier: Option<String>,
}

fn open_vector(v: &Value) -> Result<Opened, Error> {
    let links = links_of(v)?;
    let key = combine_links(&links)?;
    let passphrase = v["passphrase"].as_str().map(SecretString::from);
    let payload = STANDARD
        .decode(v["payload"].as_str().expect("payload"))
        .expect("base64");
    // The client's real sequence: header first (from the status API), then the stream.
    let (header, _) = PayloadHeader::parse(&payload)?;
    let opener = Opener::new(&key, passphrase.as_ref(), &header)?;
    let verifier = opener.reveal_proof().verifier().to_base64url();
    let passphrase_verifier = opener
        .passphrase_proof()
        .map(|p| p.verifier().to_base64url());
    let reader = opener.open(&payload[..])?;
    let metadata = serde_json::to_value(reader.metadata()).expect("meta");
    let content = reader.read_all()?.to_vec();
    Ok(Opened {
        metadata,
        content,
        verifier,
        passphrase_verifier,
    })
}

#[test]
fn payload_vectors_v1() {
    run_payload_vectors("payload_v1.json", "reveal_verifier");
}

#[test]
fn payload_vectors_v2() {
    run_payload_vectors("payload_v2.json", "link_verifier");
}

fn run_payload_vectors(file: &str, verifier_field: &str) {
    let vectors = load(file);
    assert!(vectors.len() >= 20);
    for v in &vectors {
        let name = v["name"].as_str().expect("name");
        let result = open_vector(v);
        if let Some(code) = v["error"].as_str() {
            assert!(name.starts_with("fail_"), "{name}");
            match result {
                Err(e) => assert_eq!(e.code(), code, "{name}: {e}"),
                Ok(_) => panic!("{name}: opened, but must fail with {code}"),
            }
            continue;
        }
        let opened = result.unwrap_or_else(|e| panic!("{name}: {e}"));
        let expect = &v["expect"];
        assert_eq!(opened.metadata, expect["metadata"], "{name}");
        assert_eq!(
            opened.content.len() as u64,
            expect["content_len"].as_u64().expect("len"),
            "{name}"
        );
        assert_eq!(
            hex::encode(Sha256::digest(&opened.content)),
            expect["content_sha256"].as_str().expect("sha"),
            "{name}"
        );
        if let Some(text) = expect["content_utf8"].as_str() {
            assert_eq!(
                std::str::from_utf8(&opened.content).expect("utf8"),
                text,
                "{name}"
            );
        }
        assert_eq!(
            opened.verifier,
            v["derived"][verifier_field].as_str().expect("verifier"),
            "{name}"
        );
        assert_eq!(
            opened.passphrase_verifier.as_deref(),
            v["derived"]["passphrase_verifier"].as_str(),
            "{name}"
        );
    }
}

#[test]
fn link_vectors() {
    for v in load("link_v1.json") {
        let name = v["name"].as_str().expect("name");
        let result = links_of(&v).and_then(|links| combine_links(&links).map(|key| (links, key)));
        if let Some(code) = v["error"].as_str() {
            match result {
                Err(e) => assert_eq!(e.code(), code, "{name}: {e}"),
                Ok(_) => panic!("{name}: accepted, but must fail with {code}"),
            }
            continue;
        }
        let (links, key) = result.unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            hex::encode(key.expose_bytes()),
            v["expect"]["key"].as_str().expect("key"),
            "{name}"
        );
        assert_eq!(
            links[0].base(),
            v["expect"]["base"].as_str().expect("base"),
            "{name}"
        );
        assert_eq!(
            links[0].secret_id().as_str(),
            v["expect"]["secret_id"].as_str().expect("id"),
            "{name}"
        );
    }
}
