//! The recipient's reveal page in a real browser: secrets made by the Rust core and uploaded
//! with the Rust client are opened through the embedded page in Debian's headless chromium,
//! driven by `reveal/e2e/reveal.e2e.mjs` (playwright-core). Screenshots of every state land
//! in `$CARGO_TARGET_DIR/reveal-e2e/` (or the system temp dir).
//!
//! The passphrase story is format v2's: one wrong passphrase first, which only the server can
//! tell (it answers 403 `wrong_passphrase` with the attempts left, counts it, spends no view),
//! then the right one. Format v1 secrets (read only) come from the committed v1 fixture store
//! (`tests/fixtures/v1-store`, written by the last release that wrote v1), served by a second
//! server: there a wrong passphrase is still told locally by the header.

mod common;

use std::path::Path;
use std::process::Command;

use common::{fast_options, Server};
use serde_json::json;
use sha2::{Digest, Sha256};
use wisp_api::{ReceiptState, Split};
use wisp_crypto::{Metadata, SecretString};

/// The server's default `wrong_proof_limit` (docs/crypto.md, "Keys (format v2)"): after one
/// wrong passphrase, this many minus one attempts are left.
const DEFAULT_WRONG_PROOF_LIMIT: u32 = 10;

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read fixture dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy fixture file");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secrets_open_in_chromium_through_the_reveal_page() {
    let server = Server::start();
    let client = server.client();

    let text = "Tout va bien — всё хорошо — 🔑 correct horse battery staple";
    let plain = client.send_text(text, &fast_options()).await.expect("text");

    let file: Vec<u8> = (0..3_500_000u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 24) as u8)
        .collect();
    let meta = Metadata::file(
        "quarterly report.pdf",
        Some("application/pdf".into()),
        Some(file.len() as u64),
    );
    let big = client
        .send(meta, std::io::Cursor::new(file.clone()), &fast_options())
        .await
        .expect("file");

    let mut locked = fast_options();
    locked.passphrase = Some(SecretString::from("open sesame"));
    let phrase = client
        .send_text("behind a passphrase", &locked)
        .await
        .expect("passphrase");

    let mut split = fast_options();
    split.split = Some(Split {
        needed: 2,
        total: 3,
    });
    let parts = client
        .send_text("two of three", &split)
        .await
        .expect("split");

    let gone = client
        .send_text("already burned", &fast_options())
        .await
        .expect("gone");
    client.burn(&gone.created.metadata_key).await.expect("burn");

    // Format v1 records, as the last v1 release wrote them, served by this build (a copy:
    // opening them spends their views).
    let fixture_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/v1-store");
    let fixture: serde_json::Value = serde_json::from_slice(
        &std::fs::read(fixture_dir.join("fixture.json")).expect("read v1 fixture"),
    )
    .expect("v1 fixture json");
    let old_dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&fixture_dir.join("data"), &old_dir.path().join("data"));
    let old = Server::start_in(old_dir, &[], "");
    let old_base = fixture["base"].as_str().expect("fixture base");
    let old_link = |name: &str| {
        fixture[name]["links"][0]
            .as_str()
            .expect("fixture link")
            .replacen(old_base, &old.base, 1)
    };
    let old_passphrase = fixture["passphrase"].as_str().expect("fixture passphrase");

    let url = |s: &wisp_client::Sent, i: usize| s.links[i].expose_url().to_string();
    let shots = std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(std::env::temp_dir)
        .join("reveal-e2e");
    std::fs::create_dir_all(&shots).expect("shots dir");
    let spec = json!({
        "base": server.base,
        "screenshots": shots,
        "cases": [
            {"name": "text", "links": [url(&plain, 0)], "expect": {"kind": "text", "text": text}},
            {"name": "file", "links": [url(&big, 0)], "expect": {"kind": "file", "name": "quarterly report.pdf", "size": file.len(), "sha256": hex::encode(Sha256::digest(&file))}},
            {"name": "passphrase", "links": [url(&phrase, 0)], "passphrase": "open sesame", "wrong_passphrase": "open sesam", "wrong_passphrase_attempts_left": DEFAULT_WRONG_PROOF_LIMIT - 1, "expect": {"kind": "text", "text": "behind a passphrase"}},
            {"name": "split", "links": [url(&parts, 2), url(&parts, 0)], "expect": {"kind": "text", "text": "two of three"}},
            {"name": "unavailable", "links": [url(&gone, 0)], "expect": {"kind": "unavailable"}},
            {"name": "v1-text", "base": old.base, "format": 1, "links": [old_link("text")], "expect": {"kind": "text", "text": "v1 text secret"}},
            {"name": "v1-passphrase", "base": old.base, "format": 1, "links": [old_link("text_passphrase")], "passphrase": old_passphrase, "wrong_passphrase": "v1 passphrasE", "expect": {"kind": "text", "text": "v1 secret with a passphrase"}},
        ],
    });
    let spec_path = server.dir.path().join("e2e.json");
    std::fs::write(&spec_path, serde_json::to_vec_pretty(&spec).expect("json"))
        .expect("write spec");

    let page_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("reveal");
    let status = Command::new("node")
        .current_dir(&page_dir)
        .arg("e2e/reveal.e2e.mjs")
        .arg(&spec_path)
        .status()
        .expect("run node");
    assert!(
        status.success(),
        "the browser test failed (screenshots in {})",
        shots.display()
    );

    // What the browser did is what the server saw: each secret spent its one view, and the
    // one wrong v2 passphrase was counted (once) without spending one.
    for sent in [&plain, &big, &phrase, &parts] {
        let receipt = client
            .receipt(&sent.created.metadata_key)
            .await
            .expect("receipt");
        assert_eq!(receipt.state, ReceiptState::Viewed, "{}", sent.created.id);
        assert_eq!(
            receipt.views_used, 1,
            "a wrong passphrase or a status read must not spend a view"
        );
        let wrong = u32::from(std::ptr::eq(sent, &phrase));
        assert_eq!(
            receipt.wrong_attempts, wrong,
            "wrong passphrases counted for {}",
            sent.created.id
        );
    }
    // The v1 records too; a wrong v1 passphrase never reached the server, so none is counted.
    let old_client = old.client();
    for name in ["text", "text_passphrase"] {
        let key = fixture[name]["metadata_key"]
            .as_str()
            .expect("metadata key");
        let receipt = old_client.receipt(key).await.expect("v1 receipt");
        assert_eq!(receipt.state, ReceiptState::Viewed, "v1 {name}");
        assert_eq!(receipt.views_used, 1, "v1 {name}");
        assert_eq!(receipt.wrong_attempts, 0, "v1 {name}");
    }
}
