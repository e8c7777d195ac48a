//! The cost of the default Argon2id passphrase stretch (criterion). Throughput ratios are
//! in `benches/throughput.rs`; `scripts/bench-crypto.sh` runs both.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use wisp_crypto::{KdfParams, PassphraseParams, SecretString};

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

criterion_group!(benches, argon2_default);
criterion_main!(benches);
