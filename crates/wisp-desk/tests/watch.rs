//! The receipts watcher against real Wisp servers on port 0, each behind a counting TCP
//! proxy (the watcher's only way in): push latency and exactly-once notices, also across a
//! restart; polling with one batched request per account per interval; paused and
//! per-account-off notifications; expiry; a burn by wrong passphrases told with its reason;
//! backoff while a server is down, then recovery.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use wisp_desk::views::{
    AccountInput, BurnReason, HistoryFilter, SecretState, SendRequest, ServerKind,
};
use wisp_desk::{Desk, ErrorCode, Notice, NoticeEvent, Notifier, WatchConfig, Watcher};
use wisp_vault::MemoryVault;

// ---- a real server that can be killed and restarted on its port ----------------------

struct Server {
    port: u16,
    data_dir: PathBuf,
    tune: fn(&mut wisp_server::config::Config),
    runtime: Option<tokio::runtime::Runtime>,
}

impl Server {
    async fn start(data_dir: &Path, port: u16) -> Server {
        Server::start_with(data_dir, port, |_| {}).await
    }

    /// A server whose configuration `tune` changes first (also after a restart).
    async fn start_with(
        data_dir: &Path,
        port: u16,
        tune: fn(&mut wisp_server::config::Config),
    ) -> Server {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("runtime");
        let mut config = wisp_server::config::Config {
            data_dir: data_dir.to_owned(),
            ..Default::default()
        };
        config.limits.anonymous_requests_per_minute = 1_000_000;
        config.limits.min_ttl = 1;
        // A test spends a secret's wrong passphrases in a few seconds; the burn limit
        // (`wrong_proof_limit`) keeps its default.
        config.limits.passphrase_attempts_per_minute = 1_000;
        tune(&mut config);
        let (tx, rx) = tokio::sync::oneshot::channel();
        runtime.spawn(async move {
            let socket = TcpSocket::new_v4().expect("socket");
            socket.set_reuseaddr(true).expect("reuseaddr");
            socket
                .bind(([127, 0, 0, 1], port).into())
                .expect("bind the server port");
            let listener = socket.listen(128).expect("listen");
            let _ = tx.send(listener.local_addr().expect("addr").port());
            let _ = wisp_server::serve(listener, config, std::future::pending()).await;
        });
        let port = rx.await.expect("server started");
        Server {
            port,
            data_dir: data_dir.to_owned(),
            tune,
            runtime: Some(runtime),
        }
    }

    /// Kills the server: every task and connection is dropped at once, like a crash.
    fn kill(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }

    async fn restart(&mut self) {
        self.kill();
        *self = Server::start_with(&self.data_dir.clone(), self.port, self.tune).await;
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

// ---- a counting proxy ----------------------------------------------------------------

#[derive(Default)]
struct Counts {
    connections: AtomicUsize,
    batch: AtomicUsize,
    events: AtomicUsize,
}

const BATCH: &[u8] = b"POST /api/v1/receipts/batch ";
const EVENTS: &[u8] = b"POST /api/v1/receipts/events ";

fn count(haystack: &[u8], needle: &[u8], skip: usize) -> usize {
    haystack
        .windows(needle.len())
        .enumerate()
        .filter(|(i, w)| *w == needle && i + needle.len() > skip)
        .count()
}

/// Forwards 127.0.0.1:(its port) to the server's port, counting connections and the
/// receipts requests (HTTP/1.1 request lines in the client's bytes).
async fn proxy(upstream: u16) -> (String, Arc<Counts>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let counts = Arc::new(Counts::default());
    let c = counts.clone();
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            c.connections.fetch_add(1, Ordering::SeqCst);
            let c = c.clone();
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
                        c.batch
                            .fetch_add(count(&seen, BATCH, skip), Ordering::SeqCst);
                        c.events
                            .fetch_add(count(&seen, EVENTS, skip), Ordering::SeqCst);
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
    });
    (base, counts)
}

// ---- the desk side -------------------------------------------------------------------

#[derive(Default)]
struct Recorder(Mutex<Vec<(Instant, Notice)>>);

impl Notifier for Recorder {
    fn notify(&self, notice: &Notice) {
        self.0
            .lock()
            .expect("lock")
            .push((Instant::now(), notice.clone()));
    }
}

impl Recorder {
    fn notices(&self) -> Vec<Notice> {
        self.0
            .lock()
            .expect("lock")
            .iter()
            .map(|(_, n)| n.clone())
            .collect()
    }
    fn len(&self) -> usize {
        self.0.lock().expect("lock").len()
    }
}

struct Side {
    dir: tempfile::TempDir,
    vault: Arc<MemoryVault>,
}

impl Side {
    fn new() -> Side {
        Side {
            dir: tempfile::tempdir().expect("tempdir"),
            vault: Arc::new(MemoryVault::default()),
        }
    }
    /// A desk over this side's dirs and keyring (a restart makes a new one).
    fn desk(&self) -> Arc<Desk> {
        Arc::new(Desk::new(
            &self.dir.path().join("config"),
            &self.dir.path().join("data"),
            self.vault.clone(),
        ))
    }
}

fn account(name: &str, url: &str, notifications: bool) -> AccountInput {
    AccountInput {
        name: name.into(),
        kind: ServerKind::Wisp,
        url: url.into(),
        token: None,
        default_ttl_secs: None,
        default_max_views: None,
        notifications,
    }
}

fn request(account_id: &str, note: &str) -> SendRequest {
    SendRequest {
        account_id: Some(account_id.into()),
        ttl_secs: Some(3600),
        max_views: Some(1),
        passphrase: None,
        split: None,
        note: Some(note.into()),
        recipient_email: None,
        keep_link: false,
    }
}

async fn send(desk: &Desk, account_id: &str, note: &str) -> (String, Vec<String>) {
    let sent = desk
        .send_text("s3cret".to_owned().into(), &request(account_id, note))
        .await
        .expect("send");
    (
        sent.history_id,
        sent.links.into_iter().map(|l| l.url).collect(),
    )
}

/// Views a secret the way its recipient does: the server's reveal API.
async fn view(links: &[String]) {
    let recipient = Side::new();
    recipient
        .desk()
        .reveal(links, None, |_| async { None::<PathBuf> })
        .await
        .expect("reveal");
}

async fn wait_until(what: &str, limit: Duration, mut done: impl FnMut() -> bool) -> Duration {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < limit, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    start.elapsed()
}

fn config(push: bool, poll_ms: u64) -> WatchConfig {
    WatchConfig {
        poll_interval: Duration::from_millis(poll_ms),
        idle_interval: Duration::from_secs(60),
        backoff_max: Duration::from_secs(2),
        push,
    }
}

type Changes = Arc<Mutex<Vec<wisp_desk::views::HistoryItem>>>;

fn spawn(desk: &Arc<Desk>, config: WatchConfig, recorder: &Arc<Recorder>) -> (Watcher, Changes) {
    let changes: Changes = Arc::default();
    let sink = changes.clone();
    let watcher = Watcher::spawn(desk.clone(), config, recorder.clone(), move |items| {
        sink.lock().expect("lock").extend(items)
    });
    (watcher, changes)
}

fn state_of(desk: &Desk, id: &str) -> SecretState {
    desk.list_history(&HistoryFilter {
        account_id: None,
        state: None,
    })
    .expect("history")
    .into_iter()
    .find(|i| i.id == id)
    .expect("in history")
    .state
}

// ---- tests ---------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn push_notifies_a_view_once_and_never_again_after_a_restart() {
    let server_dir = tempfile::tempdir().expect("tempdir");
    let server = Server::start(server_dir.path(), 0).await;
    let (base, counts) = proxy(server.port).await;
    let side = Side::new();
    let desk = side.desk();
    let acc = desk.add_account(account("Work", &base, true)).expect("add");
    let (id, links) = send(&desk, &acc.id, "db password").await;

    let recorder = Arc::new(Recorder::default());
    // Polling every minute: only push can explain a notice within seconds.
    let (watcher, changes) = spawn(&desk, config(true, 60_000), &recorder);
    wait_until("the push subscription", Duration::from_secs(10), || {
        counts.events.load(Ordering::SeqCst) >= 1
    })
    .await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        counts.batch.load(Ordering::SeqCst),
        1,
        "one poll per session"
    );

    let viewed_at = Instant::now();
    view(&links).await;
    wait_until("the notice", Duration::from_secs(3), || recorder.len() >= 1).await;
    eprintln!(
        "push: notice {:?} after the reveal started",
        recorder.0.lock().expect("lock")[0].0 - viewed_at
    );
    tokio::time::sleep(Duration::from_millis(700)).await;
    let notices = recorder.notices();
    assert_eq!(notices.len(), 1, "exactly one notice: {notices:?}");
    let n = &notices[0];
    assert_eq!(n.history_id, id);
    assert_eq!(n.account_name, "Work");
    assert_eq!(n.note.as_deref(), Some("db password"));
    assert_eq!(
        n.event,
        NoticeEvent::Viewed {
            views: 1,
            max_views: Some(1)
        }
    );
    let (title, body) = wisp_desk::notification_text(wisp_desk::words(wisp_desk::Lang::En), n);
    assert_eq!(title, "Secret viewed");
    assert!(
        body.contains("db password") && body.contains("Work"),
        "{body}"
    );
    assert!(viewed_at.elapsed() < Duration::from_secs(3));
    assert_eq!(state_of(&desk, &id), SecretState::Viewed);
    assert!(
        changes.lock().expect("lock").iter().any(|i| i.id == id),
        "the UI heard of the change"
    );
    assert_eq!(counts.batch.load(Ordering::SeqCst), 1, "push, not polling");

    // A secret the user burns: history says burned, no notice.
    let (burned_id, _) = send(&desk, &acc.id, "burn me").await;
    watcher.nudge();
    wait_until("a new subscription", Duration::from_secs(5), || {
        counts.events.load(Ordering::SeqCst) >= 2
    })
    .await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    desk.burn(&burned_id).await.expect("burn");
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert_eq!(recorder.len(), 1, "a local burn is not news");
    assert_eq!(state_of(&desk, &burned_id), SecretState::Burned);

    // Restart: a new desk and watcher over the same files, and a third secret still open.
    let (_, open_links) = send(&desk, &acc.id, "still open").await;
    watcher.shutdown().await;
    drop(desk);
    let desk = side.desk();
    let recorder2 = Arc::new(Recorder::default());
    let (watcher, _) = spawn(&desk, config(true, 60_000), &recorder2);
    wait_until("the push subscription", Duration::from_secs(10), || {
        counts.events.load(Ordering::SeqCst) >= 3
    })
    .await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(recorder2.len(), 0, "nothing is told twice after a restart");
    view(&open_links).await;
    wait_until("the new notice", Duration::from_secs(3), || {
        recorder2.len() >= 1
    })
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(recorder2.len(), 1);
    assert_eq!(recorder2.notices()[0].note.as_deref(), Some("still open"));
    watcher.shutdown().await;
    drop(server);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn polling_sends_one_batched_request_per_account_per_interval() {
    let dirs: Vec<_> = (0..3)
        .map(|_| tempfile::tempdir().expect("tempdir"))
        .collect();
    let mut servers = Vec::new();
    let mut proxies = Vec::new();
    for d in &dirs {
        let s = Server::start(d.path(), 0).await;
        proxies.push(proxy(s.port).await);
        servers.push(s);
    }
    let side = Side::new();
    let desk = side.desk();
    let a = desk
        .add_account(account("A", &proxies[0].0, true))
        .expect("add");
    let b = desk
        .add_account(account("B", &proxies[1].0, true))
        .expect("add");
    let _idle = desk
        .add_account(account("Idle", &proxies[2].0, true))
        .expect("add");
    let mut a_links = Vec::new();
    for i in 0..5 {
        a_links.push(send(&desk, &a.id, &format!("a{i}")).await.1);
    }
    for i in 0..3 {
        send(&desk, &b.id, &format!("b{i}")).await;
    }

    let recorder = Arc::new(Recorder::default());
    let interval = 400;
    let (watcher, _) = spawn(&desk, config(false, interval), &recorder);
    let window = Duration::from_millis(interval * 8 + interval / 2);
    tokio::time::sleep(window).await;
    let rounds = watcher.stats().polls;
    for (name, (_, counts)) in ["A", "B"].iter().zip(&proxies) {
        let batches = counts.batch.load(Ordering::SeqCst);
        eprintln!("account {name}: {batches} batch requests in {window:?}");
        // 8 intervals: 9 polls at most (one at start), never one per secret (5 or 3 × 9).
        assert!((5..=10).contains(&batches), "{name}: {batches} requests");
        assert_eq!(counts.events.load(Ordering::SeqCst), 0, "push is off");
    }
    assert_eq!(
        proxies[2].1.connections.load(Ordering::SeqCst),
        0,
        "an account with nothing open costs no request"
    );
    assert!(rounds >= 10, "{rounds} rounds for two accounts");

    view(&a_links[2]).await;
    let latency = wait_until("the polled notice", Duration::from_secs(3), || {
        recorder.len() >= 1
    })
    .await;
    eprintln!("polling notice latency: {latency:?} (interval {interval} ms)");
    assert_eq!(recorder.notices()[0].note.as_deref(), Some("a2"));
    tokio::time::sleep(Duration::from_millis(interval * 2)).await;
    assert_eq!(recorder.len(), 1);
    watcher.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paused_or_switched_off_notifications_stay_silent_but_history_updates() {
    let server_dir = tempfile::tempdir().expect("tempdir");
    let server = Server::start(server_dir.path(), 0).await;
    let (base, counts) = proxy(server.port).await;
    let side = Side::new();
    let desk = side.desk();
    let quiet = desk
        .add_account(account("Quiet", &base, false))
        .expect("add");
    let loud = desk.add_account(account("Loud", &base, true)).expect("add");
    let (quiet_id, quiet_links) = send(&desk, &quiet.id, "quiet").await;
    let (loud_id, loud_links) = send(&desk, &loud.id, "loud").await;
    let (_, later_links) = send(&desk, &loud.id, "later").await;

    let mut settings = desk.settings();
    settings.pause_notifications = true;
    desk.save_settings(&settings).expect("pause");

    let recorder = Arc::new(Recorder::default());
    let (watcher, changes) = spawn(&desk, config(true, 60_000), &recorder);
    wait_until("two push subscriptions", Duration::from_secs(10), || {
        counts.events.load(Ordering::SeqCst) >= 2
    })
    .await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    view(&quiet_links).await;
    view(&loud_links).await;
    wait_until(
        "the history to learn both views",
        Duration::from_secs(3),
        || {
            let c = changes.lock().expect("lock");
            c.iter().any(|i| i.id == quiet_id) && c.iter().any(|i| i.id == loud_id)
        },
    )
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(recorder.len(), 0, "paused");
    assert_eq!(state_of(&desk, &quiet_id), SecretState::Viewed);
    assert_eq!(state_of(&desk, &loud_id), SecretState::Viewed);

    // Unpaused: what happened while paused is not told late; new views are, except for
    // the account with notifications off.
    settings.pause_notifications = false;
    desk.save_settings(&settings).expect("unpause");
    watcher.nudge();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(recorder.len(), 0, "no late notices");
    view(&later_links).await;
    wait_until("the notice", Duration::from_secs(3), || recorder.len() >= 1).await;
    let (_, quiet_again) = send(&desk, &quiet.id, "quiet again").await;
    watcher.nudge();
    wait_until("a new subscription", Duration::from_secs(5), || {
        counts.events.load(Ordering::SeqCst) >= 3
    })
    .await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    view(&quiet_again).await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    let notices = recorder.notices();
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert_eq!(notices[0].note.as_deref(), Some("later"));
    watcher.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expiry_raises_a_notice() {
    let server_dir = tempfile::tempdir().expect("tempdir");
    let server = Server::start(server_dir.path(), 0).await;
    let (base, _) = proxy(server.port).await;
    let side = Side::new();
    let desk = side.desk();
    let acc = desk.add_account(account("Work", &base, true)).expect("add");
    let (id, _) = send(&desk, &acc.id, "short-lived").await;
    // The sender shortens its life to one second (the server's minimum in this test).
    let history = wisp_history::History::new(side.dir.path().join("data"), side.vault.clone());
    let key = history.get(&id).expect("entry").metadata_key;
    let response = reqwest::Client::new()
        .patch(format!("{base}/api/v1/receipts/{key}"))
        .json(&serde_json::json!({"ttl": 1}))
        .send()
        .await
        .expect("patch");
    assert!(response.status().is_success(), "{}", response.status());

    let recorder = Arc::new(Recorder::default());
    let (watcher, _) = spawn(&desk, config(true, 60_000), &recorder);
    // The server's sweeper runs every 5 s and publishes the expiry on the push channel.
    wait_until("the expiry notice", Duration::from_secs(10), || {
        recorder.len() >= 1
    })
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let notices = recorder.notices();
    assert_eq!(notices.len(), 1);
    assert_eq!(notices[0].event, NoticeEvent::Expired { views: 0 });
    assert_eq!(state_of(&desk, &id), SecretState::Expired);
    watcher.shutdown().await;
}

/// The server's documented default: wrong passphrases before a secret burns
/// (`limits.wrong_proof_limit`, docs/crypto.md "Keys (format v2)").
const WRONG_PASSPHRASE_LIMIT: u32 = 10;

/// Sends a passphrase secret, has a recipient enter `WRONG_PASSPHRASE_LIMIT` wrong
/// passphrases (the server burns it at the last), and checks what the watcher tells.
async fn burn_by_wrong_passphrases(push: bool) {
    let server_dir = tempfile::tempdir().expect("tempdir");
    let server = Server::start(server_dir.path(), 0).await;
    let (base, counts) = proxy(server.port).await;
    let side = Side::new();
    let desk = side.desk();
    let acc = desk.add_account(account("Work", &base, true)).expect("add");
    let sent = desk
        .send_text(
            "s3cret".to_owned().into(),
            &SendRequest {
                passphrase: Some("the right one".into()),
                ..request(&acc.id, "vault key")
            },
        )
        .await
        .expect("send");
    let links: Vec<String> = sent.links.into_iter().map(|l| l.url).collect();
    let recorder = Arc::new(Recorder::default());
    let (watcher, _) = spawn(&desk, config(push, 300), &recorder);
    if push {
        wait_until("the push subscription", Duration::from_secs(10), || {
            counts.events.load(Ordering::SeqCst) >= 1
        })
        .await;
    }

    // The recipient's side: every wrong passphrase is counted by the server, which says
    // how many remain; the last one burns the secret.
    let recipient = Side::new();
    let recipient = recipient.desk();
    for attempt in 1..=WRONG_PASSPHRASE_LIMIT {
        let error = recipient
            .reveal(&links, Some(format!("wrong {attempt}")), |_| async {
                None::<PathBuf>
            })
            .await
            .expect_err("a wrong passphrase opens nothing");
        let left = WRONG_PASSPHRASE_LIMIT - attempt;
        if left > 0 {
            assert_eq!(error.code, ErrorCode::WrongPassphrase, "{error:?}");
            assert_eq!(error.key, Some("error.wrongPassphraseLeft"), "{error:?}");
            assert_eq!(error.vars.get("left"), Some(&left.to_string()), "{error:?}");
        } else {
            assert_eq!(error.key, Some("error.wrongPassphraseBurned"), "{error:?}");
        }
    }
    let gone = recipient
        .reveal(&links, Some("the right one".into()), |_| async {
            None::<PathBuf>
        })
        .await
        .expect_err("burned: not even the right passphrase opens it");
    assert_eq!(gone.code, ErrorCode::Unavailable, "{gone:?}");

    wait_until("the burn notice", Duration::from_secs(5), || {
        recorder.len() >= 1
    })
    .await;
    tokio::time::sleep(Duration::from_millis(700)).await;
    let notices = recorder.notices();
    assert_eq!(notices.len(), 1, "exactly one notice: {notices:?}");
    let n = &notices[0];
    assert_eq!(n.history_id, sent.history_id);
    assert_eq!(
        n.event,
        NoticeEvent::Burned {
            reason: Some(wisp_api::BurnReason::WrongPassphrase),
            wrong_attempts: WRONG_PASSPHRASE_LIMIT,
        }
    );
    let (title, body) = wisp_desk::notification_text(wisp_desk::words(wisp_desk::Lang::En), n);
    assert_eq!(title, "Secret destroyed · after 10 wrong passphrases");
    assert_eq!(
        body,
        "“vault key” was destroyed: someone with its link tried 10 wrong passphrases (Work)."
    );
    let (title, _) = wisp_desk::notification_text(wisp_desk::words(wisp_desk::Lang::Ru), n);
    assert_eq!(title, "Секрет уничтожен · после 10 неверных парольных фраз");
    for lang in wisp_desk::Lang::ALL {
        let (title, body) = wisp_desk::notification_text(wisp_desk::words(lang), n);
        assert!(
            title.contains("10") && body.contains("10") && body.contains("vault key"),
            "{lang:?}: {title} / {body}"
        );
    }

    // The history keeps the reason, for the UI.
    let item = desk
        .list_history(&HistoryFilter {
            account_id: None,
            state: None,
        })
        .expect("history")
        .into_iter()
        .find(|i| i.id == sent.history_id)
        .expect("in history");
    assert_eq!(item.state, SecretState::Burned);
    assert_eq!(item.burn_reason, Some(BurnReason::WrongPassphrase));
    assert_eq!(item.wrong_attempts, WRONG_PASSPHRASE_LIMIT);
    watcher.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn push_tells_why_a_secret_burned_after_wrong_passphrases() {
    burn_by_wrong_passphrases(true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn polling_tells_why_a_secret_burned_after_wrong_passphrases() {
    burn_by_wrong_passphrases(false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_back_off_then_the_watcher_recovers() {
    let server_dir = tempfile::tempdir().expect("tempdir");
    let mut server = Server::start(server_dir.path(), 0).await;
    let (base, counts) = proxy(server.port).await;
    let side = Side::new();
    let desk = side.desk();
    let acc = desk.add_account(account("Work", &base, true)).expect("add");
    let (_, links) = send(&desk, &acc.id, "after the outage").await;

    let recorder = Arc::new(Recorder::default());
    let poll = 100;
    let (watcher, _) = spawn(&desk, config(true, poll), &recorder);
    wait_until("the push subscription", Duration::from_secs(10), || {
        counts.events.load(Ordering::SeqCst) >= 1
    })
    .await;

    server.kill();
    let before = counts.connections.load(Ordering::SeqCst);
    let down = Duration::from_secs(4);
    tokio::time::sleep(down).await;
    let attempts = counts.connections.load(Ordering::SeqCst) - before;
    let failures = watcher.stats().failures;
    eprintln!("{attempts} connection attempts and {failures} failed rounds in {down:?} down");
    // Without backoff: a retry every 100 ms, 40 in 4 s. With it (100 ms doubling up to
    // 2 s, 50–100 % jitter): about 6.
    assert!(failures >= 2, "{failures} failures seen");
    assert!(attempts <= 12, "{attempts} attempts: no backoff?");

    server.restart().await;
    wait_until("a new subscription", Duration::from_secs(6), || {
        counts.events.load(Ordering::SeqCst) >= 2
    })
    .await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    view(&links).await;
    wait_until(
        "the notice after the outage",
        Duration::from_secs(3),
        || recorder.len() >= 1,
    )
    .await;
    assert_eq!(
        recorder.notices()[0].note.as_deref(),
        Some("after the outage")
    );
    watcher.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_removed_account_is_no_longer_watched() {
    let server_dir = tempfile::tempdir().expect("tempdir");
    let mut server = Server::start(server_dir.path(), 0).await;
    let (base, counts) = proxy(server.port).await;
    let side = Side::new();
    let desk = side.desk();
    let acc = desk.add_account(account("Work", &base, true)).expect("add");
    send(&desk, &acc.id, "left behind").await;

    let recorder = Arc::new(Recorder::default());
    let (watcher, _) = spawn(&desk, config(true, 100), &recorder);
    wait_until("the push subscription", Duration::from_secs(10), || {
        counts.events.load(Ordering::SeqCst) >= 1
    })
    .await;
    desk.remove_account(&acc.id).expect("remove");
    watcher.nudge();
    tokio::time::sleep(Duration::from_millis(500)).await;
    // A watched account's task would now lose its push channel and retry (failures, new
    // connections); the removed account's task is gone, so nothing happens.
    let before = (
        counts.connections.load(Ordering::SeqCst),
        watcher.stats().failures,
    );
    server.kill();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let after = (
        counts.connections.load(Ordering::SeqCst),
        watcher.stats().failures,
    );
    assert_eq!(
        after, before,
        "(connections, failures) changed: still watched"
    );
    assert!(recorder.notices().is_empty());
    watcher.shutdown().await;
}

/// Two accounts on one server that takes a single push subscription (from an address, or in
/// all): one gets it, the other is refused (`too_many_subscriptions`, or `unavailable`) and
/// polls instead, quietly (no failure counted, no notice) and without asking again and again;
/// a view of either account's secret is still told.
async fn a_refused_subscription_falls_back_to_polling(tune: fn(&mut wisp_server::config::Config)) {
    let server_dir = tempfile::tempdir().expect("tempdir");
    let server = Server::start_with(server_dir.path(), 0, tune).await;
    let (base_a, counts_a) = proxy(server.port).await;
    let (base_b, counts_b) = proxy(server.port).await;
    let side = Side::new();
    let desk = side.desk();
    let a = desk.add_account(account("A", &base_a, true)).expect("add");
    let b = desk.add_account(account("B", &base_b, true)).expect("add");
    let (_, a_links) = send(&desk, &a.id, "from A").await;
    let (_, b_links) = send(&desk, &b.id, "from B").await;

    let recorder = Arc::new(Recorder::default());
    let poll = 100;
    let (watcher, _) = spawn(&desk, config(true, poll), &recorder);
    let subscriptions =
        || counts_a.events.load(Ordering::SeqCst) + counts_b.events.load(Ordering::SeqCst);
    wait_until("both subscriptions", Duration::from_secs(10), || {
        subscriptions() >= 2
    })
    .await;
    let window = Duration::from_secs(2);
    tokio::time::sleep(window).await;
    let batches = [
        counts_a.batch.load(Ordering::SeqCst),
        counts_b.batch.load(Ordering::SeqCst),
    ];
    eprintln!(
        "batch requests (A, B) {batches:?} in {window:?}, subscriptions {}",
        subscriptions()
    );
    assert_eq!(
        subscriptions(),
        2,
        "a refused subscription is not asked for again and again"
    );
    // The one with push polled once (its session's poll); the refused one every interval
    // (about 20 in 2 s at 100 ms).
    assert_eq!(batches.iter().min(), Some(&1), "{batches:?}");
    assert!(
        batches.iter().max().is_some_and(|&n| n >= 8),
        "{batches:?}: not polling"
    );
    assert_eq!(
        watcher.stats().failures,
        0,
        "a refused subscription is not a failure"
    );
    assert!(recorder.notices().is_empty());

    view(&a_links).await;
    view(&b_links).await;
    wait_until("both notices", Duration::from_secs(3), || {
        recorder.len() >= 2
    })
    .await;
    let mut notes: Vec<_> = recorder
        .notices()
        .into_iter()
        .filter_map(|n| n.note)
        .collect();
    notes.sort();
    assert_eq!(notes, ["from A", "from B"]);
    watcher.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn too_many_subscriptions_from_an_address_falls_back_to_polling() {
    a_refused_subscription_falls_back_to_polling(|c| c.connections.subscriptions_per_address = 1)
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_at_its_subscription_limit_falls_back_to_polling() {
    a_refused_subscription_falls_back_to_polling(|c| c.connections.max_subscriptions = 1).await;
}
