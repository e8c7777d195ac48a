//! Property tests: round trips for every size and parameter, and no tampering goes unnoticed.

use std::io::Read;

use proptest::prelude::*;
use wisp_crypto::{
    combine_parts, open, split_key, Link, LinkKey, LinkSecret, Metadata, SealOptions, Sealer,
    SecretId,
};

fn seal(key: &LinkKey, segment_size: usize, metadata: &Metadata, content: &[u8]) -> Vec<u8> {
    let options = SealOptions {
        segment_size,
        ..SealOptions::default()
    };
    let sealer = Sealer::with_options(key, None, &options).expect("sealer");
    let mut payload = Vec::new();
    sealer
        .seal(metadata, content)
        .expect("seal")
        .read_to_end(&mut payload)
        .expect("read");
    assert_eq!(
        Some(payload.len() as u64),
        sealer
            .payload_len(metadata)
            .expect("len")
            .or(Some(payload.len() as u64))
    );
    payload
}

fn open_all(key: &LinkKey, payload: &[u8]) -> wisp_crypto::Result<(Metadata, Vec<u8>)> {
    let reader = open(key, None, payload)?;
    let metadata = reader.metadata().clone();
    Ok((metadata, reader.read_all()?.to_vec()))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn payload_round_trips(
        content in proptest::collection::vec(any::<u8>(), 0..40_000),
        log2 in 12u32..=16,
        known_size in any::<bool>(),
        name in "[a-zA-Z0-9 ._-]{1,40}",
    ) {
        let key = LinkKey::generate();
        let size = known_size.then_some(content.len() as u64);
        let metadata = Metadata::file(name, Some("application/octet-stream".into()), size);
        let payload = seal(&key, 1 << log2, &metadata, &content);
        let (meta, back) = open_all(&key, &payload).expect("open");
        prop_assert_eq!(meta, metadata);
        prop_assert_eq!(back, content);
    }

    #[test]
    fn small_texts_of_different_lengths_look_alike(a in 0usize..900, b in 0usize..900) {
        let key = LinkKey::generate();
        let pa = seal(&key, 65536, &Metadata::text(a as u64), &vec![b'x'; a]);
        let pb = seal(&key, 65536, &Metadata::text(b as u64), &vec![b'y'; b]);
        prop_assert_eq!(pa.len(), pb.len());
    }

    #[test]
    fn any_flipped_bit_is_detected(content in proptest::collection::vec(any::<u8>(), 1..12_000), pos in any::<prop::sample::Index>(), bit in 0u8..8) {
        let key = LinkKey::generate();
        let mut payload = seal(&key, 4096, &Metadata::text(content.len() as u64), &content);
        let at = pos.index(payload.len());
        payload[at] ^= 1 << bit;
        prop_assert!(open_all(&key, &payload).is_err());
    }

    #[test]
    fn any_truncation_is_detected(content in proptest::collection::vec(any::<u8>(), 0..12_000), cut in any::<prop::sample::Index>()) {
        let key = LinkKey::generate();
        let payload = seal(&key, 4096, &Metadata::text(content.len() as u64), &content);
        let at = cut.index(payload.len());
        prop_assert!(open_all(&key, &payload[..at]).is_err());
    }

    #[test]
    fn split_links_round_trip(k in 2u8..=10, extra in 0u8..=8, skip in 0usize..10) {
        let n = (k + extra).min(10);
        let key = LinkKey::generate();
        let parts = split_key(&key, k, n).expect("split");
        let links: Vec<Link> = parts.iter().map(|p| {
            let link = Link::new("https://w.example", SecretId::parse("AAAAAAAAAAAAAAAAAAAAAA").expect("id"), LinkSecret::Part(p.clone())).expect("link");
            Link::parse(&link.expose_url()).expect("parse")
        }).collect();
        let picked: Vec<_> = links.iter().cycle().skip(skip).take(k as usize).map(|l| match l.secret() {
            LinkSecret::Part(p) => p,
            LinkSecret::Key(_) => unreachable!(),
        }).collect();
        prop_assert_eq!(combine_parts(&picked).expect("combine"), key);
        prop_assert!(combine_parts(&picked[1..]).is_err());
    }

    #[test]
    fn garbage_links_never_panic(text in "\\PC{0,120}") {
        let _ = Link::parse(&text);
        let _ = Link::parse(&format!("https://w.example/s/AAAAAAAAAAAAAAAAAAAAAA#{text}"));
    }

    #[test]
    fn garbage_payloads_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let key = LinkKey::generate();
        let mut with_magic = b"WISP\x01\x00\x0c".to_vec();
        with_magic.extend_from_slice(&bytes);
        prop_assert!(open_all(&key, &bytes).is_err());
        prop_assert!(open_all(&key, &with_magic).is_err());
    }
}

#[test]
fn content_longer_or_shorter_than_declared_is_refused() {
    let key = LinkKey::generate();
    let sealer = Sealer::new(&key, None).expect("sealer");
    for (declared, actual) in [(10u64, 9usize), (10, 11), (0, 1)] {
        let mut out = Vec::new();
        let err = sealer
            .seal(&Metadata::text(declared), &vec![b'a'; actual][..])
            .expect("seal")
            .read_to_end(&mut out)
            .map_err(wisp_crypto::Error::from_io)
            .expect_err("must fail");
        assert_eq!(err.code(), "content_length", "{declared} vs {actual}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    /// The push-based writer produces payloads the reader opens, for any write pattern.
    #[test]
    fn writer_payloads_open(content in proptest::collection::vec(any::<u8>(), 0..30_000), chunk in 1usize..5000, known in any::<bool>()) {
        use std::io::Write;
        let key = LinkKey::generate();
        let options = SealOptions { segment_size: 4096, ..SealOptions::default() };
        let sealer = Sealer::with_options(&key, None, &options).expect("sealer");
        let metadata = Metadata::file("w.bin", None, known.then_some(content.len() as u64));
        let mut writer = sealer.writer(&metadata, Vec::new()).expect("writer");
        for piece in content.chunks(chunk) {
            writer.write_all(piece).expect("write");
        }
        let payload = writer.finish().expect("finish");
        if known {
            prop_assert_eq!(Some(payload.len() as u64), sealer.payload_len(&metadata).expect("len"));
        }
        let (meta, back) = open_all(&key, &payload).expect("open");
        prop_assert_eq!(meta, metadata);
        prop_assert_eq!(back, content);
    }
}

#[test]
fn file_names_from_senders_are_tamed() {
    let tamed = |n: &str| Metadata::file(n, None, None).safe_file_name();
    assert_eq!(tamed("../../etc/passwd"), "passwd");
    assert_eq!(tamed("C:\\x\\report.pdf"), "report.pdf");
    assert_eq!(tamed("..."), "secret.bin");
    assert_eq!(tamed(".bashrc"), "bashrc");
    assert_eq!(tamed("a\u{7}b.txt"), "ab.txt");
    assert_eq!(Metadata::text(3).safe_file_name(), "secret.bin");
}

proptest! {
    #[test]
    fn a_tamed_file_name_is_one_plain_path_component(name in any::<String>()) {
        let tamed = Metadata::file(name, None, None).safe_file_name();
        prop_assert!(!tamed.is_empty());
        prop_assert!(!tamed.starts_with('.'));
        prop_assert!(!tamed.contains(['/', '\\']));
        prop_assert!(!tamed.chars().any(char::is_control));
    }
}
