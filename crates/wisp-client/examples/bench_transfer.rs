//! Helper for `scripts/bench-server.sh`:
//!   bench_transfer fixtures BASE DIR   make a 1 KiB unlimited-views secret for the load test,
//!                                      write DIR/payload-1k.bin (+ print id, proof, verifier)
//!   bench_transfer seal MIB FILE       seal MIB MiB of generated data into FILE for curl,
//!                                      print the verifier and the proof
//!   bench_transfer send-get BASE MIB   send MIB MiB with the client and reveal it into a sink,
//!                                      print seconds and peak RSS

use std::io::{self, Read};
use std::time::Instant;

use tokio::io::AsyncReadExt;
use wisp_client::{Client, SendOptions};
use wisp_crypto::{LinkKey, Metadata, Sealer};

/// Pseudo-random plaintext generated on the fly (a rotated 64 KiB block), never held whole.
struct Generated {
    left: u64,
    block: Vec<u8>,
    offset: usize,
}

impl Generated {
    fn new(len: u64) -> Self {
        let mut state = 7u64;
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
        let n = buf
            .len()
            .min(self.block.len() - self.offset)
            .min(usize::try_from(self.left).unwrap_or(usize::MAX));
        buf[..n].copy_from_slice(&self.block[self.offset..self.offset + n]);
        self.offset = (self.offset + n + 1) % self.block.len();
        self.left -= n as u64;
        Ok(n)
    }
}

impl tokio::io::AsyncRead for Generated {
    fn poll_read(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<io::Result<()>> {
        let n = Read::read(&mut *self, buf.initialize_unfilled())?;
        buf.advance(n);
        std::task::Poll::Ready(Ok(()))
    }
}

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let arg = |i: usize| {
        args.get(i)
            .cloned()
            .ok_or("missing argument (see the file's header)")
    };
    match arg(1)?.as_str() {
        "fixtures" => {
            let client = Client::new(&arg(2)?, None)?;
            let options = SendOptions {
                max_views: Some(None),
                ttl: Some(86400),
                ..SendOptions::default()
            };
            let text = "x".repeat(1000);
            let sent = client.send_text(&text, &options).await?;
            let key = wisp_crypto::combine_links(&sent.links)?;
            let status = client.status(&sent.created.id).await?;
            let header = wisp_crypto::PayloadHeader::from_base64url(&status.header)?;
            let opener = wisp_crypto::Opener::new(&key, None, &header)?;
            let sealed = wisp_crypto::seal_text(&key, None, &text)?;
            std::fs::write(format!("{}/payload-1k.bin", arg(3)?), &sealed.payload)?;
            println!(
                "{} {} {}",
                sent.created.id,
                opener.reveal_proof().to_base64url(),
                sealed.reveal_proof.verifier().to_base64url()
            );
        }
        "seal" => {
            let mib: u64 = arg(2)?.parse()?;
            let key = LinkKey::generate();
            let sealer = Sealer::new(&key, None)?;
            let meta = Metadata::file("big.bin", None, Some(mib << 20));
            let mut out = io::BufWriter::new(std::fs::File::create(arg(3)?)?);
            io::copy(
                &mut sealer.seal(&meta, Generated::new(mib << 20))?,
                &mut out,
            )?;
            println!(
                "{} {}",
                sealer.reveal_proof().verifier().to_base64url(),
                sealer.reveal_proof().to_base64url()
            );
        }
        "send-get" => {
            let client = Client::new(&arg(2)?, None)?;
            let mib: u64 = arg(3)?.parse()?;
            let options = SendOptions {
                ttl: Some(3600),
                ..SendOptions::default()
            };
            let started = Instant::now();
            let sent = client
                .send(
                    Metadata::file("big.bin", None, Some(mib << 20)),
                    Generated::new(mib << 20),
                    &options,
                )
                .await?;
            let sent_at = started.elapsed().as_secs_f64();
            let revealed = client.reveal(&sent.links, None).await?;
            let mut content = revealed.content;
            let mut buf = vec![0u8; 256 * 1024];
            let mut total = 0u64;
            loop {
                let n = content.read(&mut buf).await?;
                if n == 0 {
                    break;
                }
                total += n as u64;
            }
            assert_eq!(total, mib << 20);
            let all = started.elapsed().as_secs_f64();
            println!("{sent_at:.2} {:.2} {}", all - sent_at, peak_rss_kib());
        }
        other => return Err(format!("unknown mode {other}").into()),
    }
    Ok(())
}
