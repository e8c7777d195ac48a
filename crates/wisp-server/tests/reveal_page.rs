//! The recipient's reveal page in a real browser: secrets made by the Rust core and uploaded
//! with the Rust client are opened through the embedded page in Debian's headless chromium,
//! driven by `reveal/e2e/reveal.e2e.mjs` (playwright-core). Screenshots of every state land
//! in `$CARGO_TARGET_DIR/reveal-e2e/` (or the system temp dir).

mod common;

use std::process::Command;

use common::{fast_options, Server};
use serde_json::json;
use sha2::{Digest, Sha256};
use wisp_api::{ReceiptState, Split};
use wisp_crypto::{Metadata, SecretString};

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
            {"name": "passphrase", "links": [url(&phrase, 0)], "passphrase": "open sesame", "wrong_passphrase": "open sesam", "expect": {"kind": "text", "text": "behind a passphrase"}},
            {"name": "split", "links": [url(&parts, 2), url(&parts, 0)], "expect": {"kind": "text", "text": "two of three"}},
            {"name": "unavailable", "links": [url(&gone, 0)], "expect": {"kind": "unavailable"}},
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

    // What the browser did is what the server saw: each secret spent its one view.
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
    }
}
