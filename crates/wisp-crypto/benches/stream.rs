//! Throughput of the streaming payload format against one-shot AES-256-GCM of the same
//! bytes (the baseline), and the cost of the default Argon2id passphrase stretch.
//!
//! `scripts/bench-crypto.sh` runs this and prints the ratios quoted in docs/benchmarks.md.

use std::hint::black_box;
use std::io::{self, Read};

use aes_gcm::aead::AeadInPlace;
use aes_gcm::{Aes256Gcm, KeyInit, Nonce};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use wisp_crypto::{open, KdfParams, LinkKey, Metadata, PassphraseParams, Sealer, SecretString};

const SIZE: usize = 16 * 1024 * 1024;

fn throughput(c: &mut Criterion) {
    let plaintext: Vec<u8> = (0..SIZE).map(|i| (i * 31 % 251) as u8).collect();
    let key = LinkKey::generate();
    let sealer = Sealer::new(&key, None).expect("sealer");
    let metadata = Metadata::file("bench.bin", None, Some(SIZE as u64));
    let mut payload = Vec::new();
    sealer
        .seal(&metadata, &plaintext[..])
        .expect("seal")
        .read_to_end(&mut payload)
        .expect("read");

    let mut group = c.benchmark_group("payload_16MiB");
    group.throughput(Throughput::Bytes(SIZE as u64));
    group.sample_size(20);
    group.bench_function("baseline_oneshot_aes_gcm", |b| {
        let aes = Aes256Gcm::new_from_slice(&[7u8; 32]).expect("key");
        b.iter_batched_ref(
            || plaintext.clone(),
            |buf| {
                let tag = aes
                    .encrypt_in_place_detached(Nonce::from_slice(&[0u8; 12]), b"", buf)
                    .expect("encrypt");
                black_box(tag);
            },
            BatchSize::LargeInput,
        )
    });
    group.bench_function("stream_encrypt", |b| {
        b.iter(|| {
            let mut sealed = sealer.seal(&metadata, &plaintext[..]).expect("seal");
            io::copy(&mut sealed, &mut io::sink()).expect("copy")
        })
    });
    group.bench_function("stream_decrypt", |b| {
        b.iter(|| {
            let mut reader = open(&key, None, &payload[..]).expect("open");
            io::copy(&mut reader, &mut io::sink()).expect("copy")
        })
    });
    group.finish();
}

fn argon2_default(c: &mut Criterion) {
    let mut group = c.benchmark_group("argon2id");
    group.sample_size(10);
    let params = PassphraseParams::generate(KdfParams::DEFAULT);
    let phrase = SecretString::from("correct horse battery staple");
    group.bench_function("default_m64MiB_t3_p4", |b| {
        b.iter(|| black_box(params.stretch(&phrase).expect("stretch")))
    });
    group.finish();
}

criterion_group!(benches, throughput, argon2_default);
criterion_main!(benches);
