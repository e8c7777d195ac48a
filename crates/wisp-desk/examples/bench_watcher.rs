//! Receipts watcher benchmark (driven by `scripts/bench-watcher.sh`), three subcommands:
//!
//! - `proxy UPSTREAM_PORT COUNT_FILE`: a counting TCP proxy in front of the server (one per
//!   account, in its own process so its CPU is not the watcher's); prints `listening on
//!   URL`, keeps `batch events connections` in COUNT_FILE.
//! - `setup DIR N URL...`: N secrets spread over one account per URL (sent through the
//!   proxies' server), their history written in one go; links kept in DIR for the views.
//! - `watch DIR push|poll INTERVAL_MS STEADY_SECS SAMPLES SKIP COUNT_FILE...`: runs the
//!   watcher over DIR, measures its requests per interval per account, CPU and RSS in a
//!   steady window, then notice latency for SAMPLES views (links after the first SKIP).
//!
//! The bench's keyring is a file in DIR (`FileVault`): a bench directory, never a real one.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use secrecy::{ExposeSecret, SecretString};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use wisp_client::{Client, SendOptions};
use wisp_desk::views::{AccountInput, ServerKind};
use wisp_desk::{Desk, Notice, Notifier, WatchConfig, Watcher};
use wisp_history::{ContentKind, Entry, History, SecretState};
use wisp_vault::{Vault, VaultError};

type Res<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// A bench-only vault in a JSON file.
#[derive(Debug)]
struct FileVault(PathBuf, Mutex<()>);

impl FileVault {
    fn map(&self) -> HashMap<String, String> {
        std::fs::read(&self.0)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default()
    }
    fn write(&self, map: &HashMap<String, String>) -> Result<(), VaultError> {
        let bytes = serde_json::to_vec(map).map_err(|e| VaultError::Failed(e.to_string()))?;
        std::fs::write(&self.0, bytes).map_err(|e| VaultError::Failed(e.to_string()))
    }
}

impl Vault for FileVault {
    fn get(&self, name: &str) -> Result<Option<SecretString>, VaultError> {
        let _g = self.1.lock().unwrap_or_else(|p| p.into_inner());
        Ok(self.map().remove(name).map(SecretString::from))
    }
    fn set(&self, name: &str, value: &SecretString) -> Result<(), VaultError> {
        let _g = self.1.lock().unwrap_or_else(|p| p.into_inner());
        let mut map = self.map();
        map.insert(name.to_owned(), value.expose_secret().to_owned());
        self.write(&map)
    }
    fn delete(&self, name: &str) -> Result<(), VaultError> {
        let _g = self.1.lock().unwrap_or_else(|p| p.into_inner());
        let mut map = self.map();
        map.remove(name);
        self.write(&map)
    }
}

fn desk(dir: &Path) -> (Desk, Arc<FileVault>) {
    let vault = Arc::new(FileVault(dir.join("vault.json"), Mutex::new(())));
    (
        Desk::new(&dir.join("config"), &dir.join("data"), vault.clone()),
        vault,
    )
}

// ---- proxy ------------------------------------------------------------------------

const BATCH: &[u8] = b"POST /api/v1/receipts/batch ";
const EVENTS: &[u8] = b"POST /api/v1/receipts/events ";

fn count(haystack: &[u8], needle: &[u8], skip: usize) -> usize {
    haystack
        .windows(needle.len())
        .enumerate()
        .filter(|(i, w)| *w == needle && i + needle.len() > skip)
        .count()
}

async fn proxy(upstream: u16, file: PathBuf) -> Res<()> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    println!("listening on http://{}", listener.local_addr()?);
    let counts: Arc<[AtomicUsize; 3]> = Arc::new(Default::default());
    let c = counts.clone();
    tokio::spawn(async move {
        loop {
            let line = format!(
                "{} {} {}\n",
                c[0].load(Ordering::SeqCst),
                c[1].load(Ordering::SeqCst),
                c[2].load(Ordering::SeqCst)
            );
            let tmp = file.with_extension("tmp");
            if std::fs::write(&tmp, line).is_ok() {
                let _ = std::fs::rename(&tmp, &file);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    });
    loop {
        let (client, _) = listener.accept().await?;
        counts[2].fetch_add(1, Ordering::SeqCst);
        let c = counts.clone();
        tokio::spawn(async move {
            let Ok(server) = TcpStream::connect(("127.0.0.1", upstream)).await else {
                return;
            };
            let (mut cr, mut cw) = client.into_split();
            let (mut sr, mut sw) = server.into_split();
            let up = async {
                let mut buf = vec![0u8; 64 * 1024];
                let mut seen: Vec<u8> = Vec::new();
                loop {
                    let n = match cr.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => n,
                    };
                    let skip = seen.len();
                    seen.extend_from_slice(&buf[..n]);
                    c[0].fetch_add(count(&seen, BATCH, skip), Ordering::SeqCst);
                    c[1].fetch_add(count(&seen, EVENTS, skip), Ordering::SeqCst);
                    let keep = seen.len().saturating_sub(EVENTS.len());
                    seen.drain(..keep);
                    if sw.write_all(&buf[..n]).await.is_err() {
                        return;
                    }
                }
            };
            let down = tokio::io::copy(&mut sr, &mut cw);
            tokio::select! {
                () = up => {}
                _ = down => {}
            }
        });
    }
}

fn read_counts(file: &str) -> [u64; 3] {
    let text = std::fs::read_to_string(file).unwrap_or_default();
    let mut out = [0; 3];
    for (o, v) in out.iter_mut().zip(text.split_whitespace()) {
        *o = v.parse().unwrap_or(0);
    }
    out
}

// ---- setup ------------------------------------------------------------------------

async fn setup(dir: PathBuf, n: usize, urls: Vec<String>) -> Res<()> {
    std::fs::create_dir_all(&dir)?;
    let (desk, vault) = desk(&dir);
    let mut accounts = Vec::new();
    for (i, url) in urls.iter().enumerate() {
        let view = desk.add_account(AccountInput {
            name: format!("Account {}", i + 1),
            kind: ServerKind::Wisp,
            url: url.clone(),
            token: None,
            default_ttl_secs: None,
            default_max_views: None,
            notifications: true,
        })?;
        accounts.push((view.id, Client::new(url, None)?));
    }
    let options = SendOptions {
        ttl: Some(86_400),
        max_views: Some(Some(1)),
        ..SendOptions::default()
    };
    let started = Instant::now();
    let mut entries = Vec::with_capacity(n);
    let mut links = String::new();
    let mut next = 0;
    while next < n {
        let mut batch = tokio::task::JoinSet::new();
        for i in next..(next + 32).min(n) {
            let (account_id, client) = accounts[i % accounts.len()].clone();
            let options = options.clone();
            batch.spawn(async move {
                let sent = client
                    .send_text(&format!("bench secret {i}"), &options)
                    .await;
                (i, account_id, sent)
            });
        }
        next = (next + 32).min(n);
        while let Some(done) = batch.join_next().await {
            let (i, account_id, sent) = done?;
            let sent = sent?;
            links.push_str(&format!(
                "{}\t{}\n",
                sent.created.id,
                sent.links[0].expose_url().as_str()
            ));
            entries.push(Entry {
                id: sent.created.id,
                account_id,
                metadata_key: sent.created.metadata_key,
                kind: ContentKind::Text,
                label: String::new(),
                note: Some(format!("bench {i}")),
                size: 20,
                created_at: time::OffsetDateTime::now_utc(),
                expires_at: sent.created.expires_at,
                max_views: sent.created.max_views,
                views: 0,
                state: SecretState::Pending,
                links: None,
                notified: false,
                burn_reason: None,
                wrong_attempts: 0,
            });
        }
    }
    History::new(dir.join("data"), vault).save(&mut entries)?;
    std::fs::write(dir.join("links.tsv"), links)?;
    eprintln!(
        "setup: {n} secrets over {} accounts in {:.1} s",
        urls.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

// ---- watch ------------------------------------------------------------------------

#[derive(Default)]
struct Clock {
    seen: Mutex<HashMap<String, Instant>>,
    wake: tokio::sync::Notify,
}

impl Notifier for Clock {
    fn notify(&self, notice: &Notice) {
        self.seen
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(notice.history_id.clone(), Instant::now());
        self.wake.notify_waiters();
    }
}

/// Process CPU seconds (user + system) and RSS / peak RSS in KiB, from /proc.
fn usage() -> (f64, u64, u64) {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit(')').next().unwrap_or("");
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // Fields 14 and 15 of the stat line (utime, stime), counted after the ")".
    let cpu = (ticks(11) + ticks(12)) / 100.0;
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kib = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (cpu, kib("VmRSS:"), kib("VmHWM:"))
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

#[allow(clippy::too_many_arguments)]
async fn watch(
    dir: PathBuf,
    push: bool,
    interval_ms: u64,
    steady_secs: u64,
    samples: usize,
    skip: usize,
    count_files: Vec<String>,
) -> Res<()> {
    let mode = if push { "push" } else { "poll" };
    let (desk, _) = desk(&dir);
    let desk = Arc::new(desk);
    let open = desk.watched_accounts()?.len();
    let clock = Arc::new(Clock::default());
    let at_start: Vec<[u64; 3]> = count_files.iter().map(|f| read_counts(f)).collect();
    let t_start = Instant::now();
    let (cpu_start, _, _) = usage();
    let interval = Duration::from_millis(interval_ms);
    let watcher = Watcher::spawn(
        desk.clone(),
        WatchConfig {
            poll_interval: interval,
            idle_interval: Duration::from_secs(120),
            backoff_max: Duration::from_secs(600),
            push,
        },
        clock.clone(),
        |_| {},
    );
    // Warm-up: every account's first round (push: its snapshot) is done.
    let keys: usize = {
        let mut n = 0;
        for a in desk.watched_accounts()? {
            n += desk.open_keys(&a)?.len();
        }
        n
    };
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let s = watcher.stats();
        let done = if push {
            s.push_events as usize >= keys
        } else {
            s.polls as usize >= open
        };
        if done || Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let warm = t_start.elapsed();
    let (cpu_warm, rss_warm, _) = usage();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let warm_counts: Vec<String> = count_files
        .iter()
        .zip(&at_start)
        .map(|(f, s)| {
            let c = read_counts(f);
            format!("{} batch + {} subscriptions", c[0] - s[0], c[1] - s[1])
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(700)).await;

    let before: Vec<[u64; 3]> = count_files.iter().map(|f| read_counts(f)).collect();
    let (cpu0, _, _) = usage();
    let t0 = Instant::now();
    tokio::time::sleep(Duration::from_secs(steady_secs)).await;
    let elapsed = t0.elapsed().as_secs_f64();
    let (cpu1, rss, hwm) = usage();
    let after: Vec<[u64; 3]> = count_files.iter().map(|f| read_counts(f)).collect();
    let intervals = elapsed / interval.as_secs_f64();
    println!(
        "[{mode}] {keys} open secrets over {open} accounts; warm-up (first round{}) {:.2} s, {:.2} CPU s, RSS {} MiB",
        if push { ": batch + snapshot" } else { "" },
        warm.as_secs_f64(),
        cpu_warm - cpu_start,
        rss_warm / 1024
    );
    println!(
        "[{mode}] warm-up requests per account: {}",
        warm_counts.join("; ")
    );
    for (i, (b, a)) in before.iter().zip(&after).enumerate() {
        let per_key_count = desk
            .list_accounts()?
            .get(i)
            .map(|a| desk.open_keys(&a.id).map(|k| k.len()).unwrap_or(0))
            .unwrap_or(0);
        println!(
            "[{mode}] account {}: {per_key_count} keys; steady {elapsed:.1} s = {intervals:.1} intervals of {interval_ms} ms: {} batch requests ({:.2} per interval), {} push subscriptions opened, {} connections",
            i + 1,
            a[0] - b[0],
            (a[0] - b[0]) as f64 / intervals,
            a[1] - b[1],
            a[2] - b[2],
        );
    }
    println!(
        "[{mode}] steady: watcher CPU {:.2} % of one core, RSS {} MiB (peak {} MiB since start)",
        (cpu1 - cpu0) / elapsed * 100.0,
        rss / 1024,
        hwm / 1024
    );

    // Latency: view secrets one at a time, at a random moment within the interval.
    let links: Vec<(String, String)> = std::fs::read_to_string(dir.join("links.tsv"))?
        .lines()
        .skip(skip)
        .take(samples)
        .filter_map(|l| l.split_once('\t'))
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
        .collect();
    let mut latencies = Vec::new();
    let mut missed = 0;
    for (id, url) in &links {
        let pause = rand::random::<f64>() * interval.as_secs_f64().min(2.0);
        tokio::time::sleep(Duration::from_secs_f64(pause)).await;
        let link = wisp_crypto::Link::parse(url)?;
        let wait = clock.wake.notified();
        tokio::pin!(wait);
        wait.as_mut().enable();
        let client = Client::new(link.base(), None)?;
        client.reveal_bytes(&[link], None).await?;
        let viewed = Instant::now();
        let limit = viewed + interval * 3 + Duration::from_secs(10);
        let at = loop {
            if let Some(at) = clock.seen.lock().unwrap_or_else(|p| p.into_inner()).get(id) {
                break Some(*at);
            }
            if Instant::now() > limit {
                break None;
            }
            let _ = tokio::time::timeout(Duration::from_millis(50), wait.as_mut()).await;
            wait.set(clock.wake.notified());
            wait.as_mut().enable();
        };
        match at {
            Some(at) => latencies.push(at.saturating_duration_since(viewed).as_secs_f64() * 1000.0),
            None => missed += 1,
        }
    }
    latencies.sort_by(f64::total_cmp);
    println!(
        "[{mode}] notice latency after the reveal returned, {} views: p50 {:.0} ms, p95 {:.0} ms, max {:.0} ms, missed {missed}",
        latencies.len(),
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.95),
        latencies.last().copied().unwrap_or(f64::NAN),
    );
    let s = watcher.stats();
    println!(
        "[{mode}] watcher stats: {} polls, {} push sessions, {} push events, {} failures, {} notices",
        s.polls, s.push_sessions, s.push_events, s.failures, s.notices
    );
    watcher.shutdown().await;
    Ok(())
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Res<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize| args.get(i).cloned().unwrap_or_default();
    match arg(0).as_str() {
        "proxy" => proxy(arg(1).parse()?, PathBuf::from(arg(2))).await,
        "setup" => setup(PathBuf::from(arg(1)), arg(2).parse()?, args[3..].to_vec()).await,
        "watch" => {
            watch(
                PathBuf::from(arg(1)),
                arg(2) == "push",
                arg(3).parse()?,
                arg(4).parse()?,
                arg(5).parse()?,
                arg(6).parse()?,
                args[7..].to_vec(),
            )
            .await
        }
        _ => Err("usage: bench_watcher proxy|setup|watch … (see the file's doc)".into()),
    }
}
