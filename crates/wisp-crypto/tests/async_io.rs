//! The tokio adapters: round trip through async readers, and errors arrive as errors.

use tokio::io::AsyncReadExt;
use wisp_crypto::async_io::{open_async, open_with_async, seal_async};
use wisp_crypto::{LinkKey, Metadata, Opener, PayloadHeader, Sealer, SecretString};

fn content(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i % 253) as u8).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seal_and_open_async_round_trip() {
    let key = LinkKey::generate();
    let body = content(1_000_000);
    let sealer = Sealer::new(&key, None).expect("sealer");
    let metadata = Metadata::file("a.bin", None, Some(body.len() as u64));
    let mut payload = Vec::new();
    seal_async(sealer, metadata.clone(), std::io::Cursor::new(body.clone()))
        .read_to_end(&mut payload)
        .await
        .expect("seal");
    let (meta, mut reader) = open_async(key, None, std::io::Cursor::new(payload))
        .await
        .expect("open");
    assert_eq!(meta, metadata);
    let mut back = Vec::new();
    reader.read_to_end(&mut back).await.expect("read");
    assert_eq!(back, body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn async_errors_surface() {
    let key = LinkKey::generate();
    let phrase = SecretString::from("pw");
    let options = wisp_crypto::SealOptions {
        kdf: wisp_crypto::KdfParams {
            m_cost_kib: 64,
            t_cost: 1,
            p_cost: 1,
        },
        ..Default::default()
    };
    let sealer = Sealer::with_options(&key, Some(&phrase), &options).expect("sealer");
    let body = content(300_000);
    let mut payload = Vec::new();
    seal_async(
        sealer,
        Metadata::file("b", None, Some(body.len() as u64)),
        std::io::Cursor::new(body),
    )
    .read_to_end(&mut payload)
    .await
    .expect("seal");

    // Wrong passphrase: refused before streaming.
    let wrong = open_async(
        key.clone(),
        Some(SecretString::from("nope")),
        std::io::Cursor::new(payload.clone()),
    )
    .await;
    assert_eq!(wrong.expect_err("wrong").code(), "wrong_passphrase");

    // Truncated stream: the reader ends in an error, not a clean EOF.
    let (header, _) = PayloadHeader::parse(&payload).expect("header");
    let opener = Opener::new(&key, Some(&phrase), &header).expect("opener");
    let cut = payload[..payload.len() - 70_000].to_vec();
    let (_, mut reader) = open_with_async(opener, std::io::Cursor::new(cut))
        .await
        .expect("open");
    let err = reader
        .read_to_end(&mut Vec::new())
        .await
        .expect_err("truncated");
    assert_eq!(wisp_crypto::Error::from_io(err).code(), "truncated");

    // A source longer than declared fails the sealing reader.
    let sealer = Sealer::new(&key, None).expect("sealer");
    let err = seal_async(
        sealer,
        Metadata::text(3),
        std::io::Cursor::new(b"four".to_vec()),
    )
    .read_to_end(&mut Vec::new())
    .await
    .expect_err("too long");
    assert_eq!(wisp_crypto::Error::from_io(err).code(), "content_length");
}
