//! Streaming payload throughput as a ratio to one-shot AES-256-GCM of the same bytes.
//!
//! Baseline and candidates run interleaved, round after round, in one process, and the
//! ratio is taken per round before the median: on a shared, noisy machine a slow spell
//! then hits both sides of a ratio alike. `cargo bench -p wisp-crypto --bench throughput`.

use std::hint::black_box;
use std::io::Read;
use std::time::Instant;

use aes_gcm::aead::AeadInPlace;
use aes_gcm::{Aes256Gcm, KeyInit, Nonce};
use wisp_crypto::{open, LinkKey, Metadata, Sealer};

const SIZE: usize = 16 * 1024 * 1024;
const ROUNDS: usize = 15;

/// Drains a reader the way the uploader and the file saver do: one segment-sized buffer.
fn drain<R: Read>(mut reader: R, buf: &mut [u8]) -> usize {
    let mut total = 0;
    loop {
        match reader.read(buf).expect("read") {
            0 => return total,
            n => total += black_box(n),
        }
    }
}

fn time<F: FnMut()>(mut f: F) -> f64 {
    let start = Instant::now();
    f();
    start.elapsed().as_secs_f64()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    if std::env::args().any(|a| a == "--list" || a == "--test") {
        return; // `cargo test --benches` probes bench binaries; nothing to list.
    }
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
    let aes = Aes256Gcm::new_from_slice(&[7u8; 32]).expect("key");
    let mut oneshot = plaintext.clone();
    let mut buf = vec![0u8; 64 * 1024];

    let (mut base_t, mut enc_t, mut dec_t, mut enc_r, mut dec_r) =
        (vec![], vec![], vec![], vec![], vec![]);
    for round in 0..=ROUNDS {
        let b = time(|| {
            let tag = aes
                .encrypt_in_place_detached(Nonce::from_slice(&[0u8; 12]), b"", &mut oneshot)
                .expect("enc");
            black_box(tag);
        });
        let e = time(|| {
            drain(
                sealer.seal(&metadata, &plaintext[..]).expect("seal"),
                &mut buf,
            );
        });
        let d = time(|| {
            drain(open(&key, None, &payload[..]).expect("open"), &mut buf);
        });
        if round == 0 {
            continue; // warm-up
        }
        base_t.push(b);
        enc_t.push(e);
        dec_t.push(d);
        enc_r.push(b / e);
        dec_r.push(b / d);
    }
    let mibs = |t: f64| SIZE as f64 / t / 1048576.0;
    println!("payload 16 MiB, {ROUNDS} interleaved rounds, medians");
    println!(
        "one-shot AES-256-GCM (baseline): {:6.0} MiB/s",
        mibs(median(base_t))
    );
    println!(
        "streaming encrypt (seal):        {:6.0} MiB/s   ratio {:.2}",
        mibs(median(enc_t)),
        median(enc_r)
    );
    println!(
        "streaming decrypt (open):        {:6.0} MiB/s   ratio {:.2}",
        mibs(median(dec_t)),
        median(dec_r)
    );
}
