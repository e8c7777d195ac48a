//! Peak memory of streaming a large payload: `payload_rss encrypt FILE [MiB]` writes a
//! payload of a generated plaintext to FILE; `payload_rss decrypt FILE` opens it into a sink.
//! Prints the process's peak RSS (VmHWM) so `scripts/bench-crypto.sh` can quote it.

use std::fs::File;
use std::io::{self, BufWriter, Read};

use wisp_crypto::{open, LinkKey, Metadata, Sealer};

/// A fixed key so the decrypt run can open what the encrypt run wrote. Bench only.
const BENCH_KEY: [u8; 32] = [0x5A; 32];

/// Deterministic plaintext without holding it in memory: a 64 KiB pseudo-random block,
/// rotated on every pass so no two segments are alike.
struct Generated {
    left: u64,
    block: Vec<u8>,
    offset: usize,
}

impl Generated {
    fn new(len: u64) -> Self {
        let mut state = 1u64;
        let block = (0..65536)
            .map(|_| {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                (state >> 56) as u8
            })
            .collect();
        Generated {
            left: len,
            block,
            offset: 0,
        }
    }
}

impl Read for Generated {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let avail = self.block.len() - self.offset;
        let n = buf
            .len()
            .min(avail)
            .min(usize::try_from(self.left).unwrap_or(usize::MAX));
        buf[..n].copy_from_slice(&self.block[self.offset..self.offset + n]);
        self.offset = (self.offset + n + 1) % self.block.len();
        self.left -= n as u64;
        Ok(n)
    }
}

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (mode, path) = match (args.get(1), args.get(2)) {
        (Some(m), Some(p)) => (m.as_str(), p.as_str()),
        _ => return Err("usage: payload_rss encrypt|decrypt FILE [MiB]".into()),
    };
    let key = LinkKey::from_bytes(BENCH_KEY);
    let started = std::time::Instant::now();
    let bytes = match mode {
        "encrypt" => {
            let mib: u64 = args.get(3).map_or(Ok(1024), |s| s.parse())?;
            let size = mib * 1024 * 1024;
            let sealer = Sealer::new(&key, None)?;
            let metadata = Metadata::file("big.bin", None, Some(size));
            let mut sealed = sealer.seal(&metadata, Generated::new(size))?;
            io::copy(&mut sealed, &mut BufWriter::new(File::create(path)?))?
        }
        "decrypt" => {
            let mut reader = open(&key, None, File::open(path)?)?;
            io::copy(&mut reader, &mut io::sink())?
        }
        _ => return Err("mode must be encrypt or decrypt".into()),
    };
    let secs = started.elapsed().as_secs_f64();
    println!(
        "{mode}: {bytes} bytes in {secs:.2} s ({:.0} MiB/s), peak RSS {} KiB",
        bytes as f64 / secs / 1048576.0,
        peak_rss_kib()
    );
    Ok(())
}
