//! The receipts watcher: a background task that keeps the history's open secrets up to date
//! and raises [`Notice`]s, for every account with open (pending) secrets.
//!
//! - Push first: a Wisp server's server-sent events channel (`POST /receipts/events`), one
//!   subscription per [`wisp_api::MAX_BATCH_KEYS`] keys (the server caps keys per
//!   subscription), preceded by one batched poll per session (push ignores keys the server
//!   no longer knows, the poll reports them).
//! - Polling otherwise (push off, not offered, refused): [`Desk::refresh_account`], i.e. one
//!   batched `POST /receipts/batch` per account per interval — one per 10,000 keys when an
//!   account has more (the server's cap).
//! - Errors back off exponentially (from the poll interval up to `backoff_max`), with jitter;
//!   a request gets 60 s, a push channel silent for 45 s (the server pings every 15 s) is
//!   taken for dead and reopened.
//! - An account without open secrets has no task and costs no request at all; the
//!   supervisor only re-reads the local history every `idle_interval` (or on
//!   [`Watcher::nudge`]) to find new ones.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{mpsc, watch, Notify};
use tokio::task::{JoinHandle, JoinSet};
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;
use wisp_api::KeyedReceipt;
use wisp_client::{Client, ClientError};

use crate::notice::{Notice, Notifier};
use crate::views::HistoryItem;
use crate::{Desk, DeskError};

/// How the watcher paces itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WatchConfig {
    /// Between two batched polls of one account (when push is not used).
    pub poll_interval: Duration,
    /// Between two looks at the local history when nothing needs watching (no request is
    /// made then), and between the supervisor's re-scans in general.
    pub idle_interval: Duration,
    /// Longest wait after repeated errors (backoff starts at the poll interval and doubles).
    pub backoff_max: Duration,
    /// Use the server's push channel where it offers one.
    pub push: bool,
}

impl Default for WatchConfig {
    fn default() -> Self {
        WatchConfig {
            poll_interval: Duration::from_secs(30),
            idle_interval: Duration::from_secs(120),
            backoff_max: Duration::from_secs(600),
            push: true,
        }
    }
}

/// Why one round of watching an account failed (logged, then backed off).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WatchError {
    /// The desk (history, accounts, or the server through the desk) failed.
    #[error(transparent)]
    Desk(#[from] DeskError),
    /// The server failed on the push channel.
    #[error(transparent)]
    Client(#[from] ClientError),
    /// The push stream ended (server restart, network change).
    #[error("the server closed the push channel")]
    Closed,
    /// The push stream broke, or went silent (no keep-alive ping) for too long.
    #[error("the push channel broke: {0}")]
    Stream(ClientError),
    /// The server took too long to answer.
    #[error("no answer from the server within {} s", .0.as_secs())]
    Timeout(Duration),
    /// A background step panicked or was cancelled.
    #[error("a watcher step did not finish: {0}")]
    Task(String),
}

/// Counters since the watcher started (for diagnostics and the benchmark).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WatchStats {
    /// Polling rounds (each is one batched request per 10,000 keys).
    pub polls: u64,
    /// Push sessions opened (each opens one subscription per 10,000 keys).
    pub push_sessions: u64,
    /// Receipt events received over push.
    pub push_events: u64,
    /// Failed rounds (each followed by a backoff).
    pub failures: u64,
    /// Notices handed to the notifier.
    pub notices: u64,
}

#[derive(Debug, Default)]
struct Counters {
    polls: AtomicU64,
    push_sessions: AtomicU64,
    push_events: AtomicU64,
    failures: AtomicU64,
    notices: AtomicU64,
}

type OnChanges = dyn Fn(Vec<HistoryItem>) + Send + Sync;

struct Shared {
    desk: Arc<Desk>,
    config: WatchConfig,
    notifier: Arc<dyn Notifier>,
    on_changes: Box<OnChanges>,
    cancel: CancellationToken,
    counters: Counters,
}

/// The running watcher. Dropping it stops it (without waiting); [`Watcher::shutdown`]
/// stops it and waits until no task is left.
pub struct Watcher {
    shared: Arc<Shared>,
    nudge: Arc<Notify>,
    task: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for Watcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Watcher")
            .field("config", &self.shared.config)
            .field("stats", &self.stats())
            .finish()
    }
}

impl Watcher {
    /// Starts watching on the current tokio runtime (panics outside one, like
    /// `tokio::spawn`). `notifier` shows notices; `on_changes` receives the history entries
    /// whose state or views changed (to refresh the UI). Both are called from the
    /// watcher's tasks.
    pub fn spawn(
        desk: Arc<Desk>,
        config: WatchConfig,
        notifier: Arc<dyn Notifier>,
        on_changes: impl Fn(Vec<HistoryItem>) + Send + Sync + 'static,
    ) -> Watcher {
        let shared = Arc::new(Shared {
            desk,
            config,
            notifier,
            on_changes: Box::new(on_changes),
            cancel: CancellationToken::new(),
            counters: Counters::default(),
        });
        let nudge = Arc::new(Notify::new());
        let task = tokio::spawn(supervise(shared.clone(), nudge.clone()));
        Watcher {
            shared,
            nudge,
            task: Some(task),
        }
    }

    /// Re-reads the accounts and open secrets now (call after a send, a burn, an account
    /// change or a manual refresh): new secrets are watched at once, pending notices shown.
    pub fn nudge(&self) {
        self.nudge.notify_one();
    }

    /// Counters since the start.
    pub fn stats(&self) -> WatchStats {
        let c = &self.shared.counters;
        WatchStats {
            polls: c.polls.load(Ordering::Relaxed),
            push_sessions: c.push_sessions.load(Ordering::Relaxed),
            push_events: c.push_events.load(Ordering::Relaxed),
            failures: c.failures.load(Ordering::Relaxed),
            notices: c.notices.load(Ordering::Relaxed),
        }
    }

    /// Stops every task (open push connections are closed) and waits for them.
    pub async fn shutdown(mut self) {
        self.shared.cancel.cancel();
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        self.shared.cancel.cancel();
    }
}

impl Shared {
    /// Runs blocking desk work (history decryption and writes) off the async workers.
    async fn blocking<T: Send + 'static>(
        self: &Arc<Self>,
        work: impl FnOnce(&Desk) -> Result<T, DeskError> + Send + 'static,
    ) -> Result<T, WatchError> {
        let me = self.clone();
        tokio::task::spawn_blocking(move || work(&me.desk))
            .await
            .map_err(|e| WatchError::Task(e.to_string()))?
            .map_err(WatchError::from)
    }

    /// Shows what is new: notices first (latency matters there), then the UI's changes.
    async fn publish(self: &Arc<Self>, changed: Vec<HistoryItem>) {
        match self.blocking(Desk::take_notices).await {
            Ok(notices) => self.show(&notices),
            Err(e) => tracing::warn!(error = %e, "notices could not be read"),
        }
        if !changed.is_empty() {
            (self.on_changes)(changed);
        }
    }

    fn show(&self, notices: &[Notice]) {
        if notices.is_empty() {
            return;
        }
        self.counters
            .notices
            .fetch_add(notices.len() as u64, Ordering::Relaxed);
        self.notifier.notify_all(notices);
    }

    /// Backoff after `failures` failed rounds: the poll interval doubled each time, capped,
    /// then a random 50–100 % of it (so many clients do not retry in step).
    fn backoff(&self, failures: u32) -> Duration {
        let exp = failures.saturating_sub(1).min(20);
        let full = self
            .config
            .poll_interval
            .saturating_mul(1 << exp)
            .min(self.config.backoff_max);
        full.mul_f64(rand::random::<f64>() * 0.5 + 0.5)
    }

    fn failed(&self, account_id: &str, failures: u32, error: &WatchError) -> Duration {
        self.counters.failures.fetch_add(1, Ordering::Relaxed);
        let wait = self.backoff(failures);
        tracing::info!(account = account_id, failures, retry_in = ?wait, error = %error, "receipts watch failed");
        wait
    }
}

/// What to watch: account id → metadata keys of its open secrets (sorted), from one read
/// of the history. A removed account is not watched: without it there is no server or
/// token to ask, and its task would only retry and back off forever.
fn plan(desk: &Desk) -> Result<BTreeMap<String, Vec<String>>, DeskError> {
    let accounts: std::collections::HashSet<String> = desk
        .accounts()
        .load()?
        .accounts
        .into_iter()
        .map(|a| a.id)
        .collect();
    let mut plan: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let watched = desk
        .history()
        .load()?
        .into_iter()
        .filter(|e| e.is_open() && accounts.contains(&e.account_id));
    for e in watched {
        plan.entry(e.account_id).or_default().push(e.metadata_key);
    }
    for keys in plan.values_mut() {
        keys.sort();
    }
    Ok(plan)
}

struct AccountTask {
    keys: watch::Sender<Arc<Vec<String>>>,
    cancel: CancellationToken,
    handle: JoinHandle<()>,
}

/// Keeps one task per account with open secrets, re-reading the history every idle
/// interval or on a nudge, and shows notices left over (e.g. from a UI refresh).
async fn supervise(shared: Arc<Shared>, nudge: Arc<Notify>) {
    let mut tasks: HashMap<String, AccountTask> = HashMap::new();
    loop {
        match shared.blocking(plan).await {
            Ok(plan) => {
                tasks.retain(|id, task| {
                    let keep = plan.contains_key(id) && !task.handle.is_finished();
                    if !keep {
                        task.cancel.cancel();
                    }
                    keep
                });
                for (account_id, keys) in plan {
                    let keys = Arc::new(keys);
                    match tasks.get(&account_id) {
                        Some(task) => {
                            task.keys.send_if_modified(|current| {
                                let modified = *current != keys;
                                if modified {
                                    *current = keys.clone();
                                }
                                modified
                            });
                        }
                        None => {
                            let (tx, rx) = watch::channel(keys);
                            let cancel = shared.cancel.child_token();
                            let handle = tokio::spawn(watch_account(
                                shared.clone(),
                                account_id.clone(),
                                rx,
                                cancel.clone(),
                            ));
                            tasks.insert(
                                account_id,
                                AccountTask {
                                    keys: tx,
                                    cancel,
                                    handle,
                                },
                            );
                        }
                    }
                }
            }
            Err(e) => tracing::warn!(error = %e, "the history could not be read"),
        }
        shared.publish(Vec::new()).await;
        tokio::select! {
            () = shared.cancel.cancelled() => break,
            () = nudge.notified() => {}
            () = tokio::time::sleep(shared.config.idle_interval) => {}
        }
    }
    for (_, task) in tasks {
        task.cancel.cancel();
        let _ = task.handle.await;
    }
}

/// How a push session ended.
enum PushEnd {
    Cancelled,
    /// New keys to watch: subscribe again.
    KeysChanged,
    /// The server does not offer push (or refused a subscription): poll for a while.
    Unavailable(WatchError),
    /// Network trouble or a closed stream: back off, then try push again.
    Failed(WatchError),
}

/// How long to poll before trying push again after a server refused it.
const PUSH_RETRY: Duration = Duration::from_secs(600);
/// Push events are applied together when they arrive this close to each other…
const COALESCE_GAP: Duration = Duration::from_millis(20);
/// … for at most this long (a snapshot of thousands of keys is one history write).
const COALESCE_MAX: Duration = Duration::from_millis(200);
/// Longest wait for a poll or a subscription (the HTTP client has no overall timeout).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);
/// A push channel with neither an event nor the server's ping (every 15 s) for this long is
/// taken for dead and reopened.
const PUSH_SILENCE: Duration = Duration::from_secs(45);

/// `work`, unless it takes longer than [`REQUEST_TIMEOUT`] (`None` when cancelled).
async fn bounded<T>(
    cancel: &CancellationToken,
    work: impl std::future::Future<Output = Result<T, WatchError>>,
) -> Option<Result<T, WatchError>> {
    tokio::select! {
        () = cancel.cancelled() => None,
        r = tokio::time::timeout(REQUEST_TIMEOUT, work) => {
            Some(r.unwrap_or(Err(WatchError::Timeout(REQUEST_TIMEOUT))))
        }
    }
}

async fn watch_account(
    shared: Arc<Shared>,
    account_id: String,
    mut keys: watch::Receiver<Arc<Vec<String>>>,
    cancel: CancellationToken,
) {
    let mut failures = 0u32;
    let mut push_after = Instant::now();
    loop {
        if cancel.is_cancelled() {
            return;
        }
        if shared.config.push && Instant::now() >= push_after {
            let id = account_id.clone();
            match shared.blocking(move |desk| desk.native_client(&id)).await {
                Ok(Some(client)) => {
                    match push_session(
                        &shared,
                        &account_id,
                        &client,
                        &mut keys,
                        &cancel,
                        &mut failures,
                    )
                    .await
                    {
                        PushEnd::Cancelled => return,
                        PushEnd::KeysChanged => continue,
                        PushEnd::Unavailable(e) => {
                            tracing::info!(account = %account_id, error = %e, "no push channel: polling");
                            push_after = Instant::now() + PUSH_RETRY.max(shared.config.backoff_max);
                        }
                        PushEnd::Failed(e) => {
                            failures += 1;
                            let wait = shared.failed(&account_id, failures, &e);
                            push_after = Instant::now() + wait;
                            tokio::select! {
                                () = cancel.cancelled() => return,
                                () = tokio::time::sleep(wait) => {}
                            }
                            continue;
                        }
                    }
                }
                Ok(None) => push_after = Instant::now() + Duration::from_secs(365 * 86_400),
                Err(e) => {
                    failures += 1;
                    let wait = shared.failed(&account_id, failures, &e);
                    tokio::select! {
                        () = cancel.cancelled() => return,
                        () = tokio::time::sleep(wait) => {}
                    }
                    continue;
                }
            }
        }
        let started = Instant::now();
        let Some(polled) = bounded(&cancel, poll(&shared, &account_id)).await else {
            return;
        };
        let wait = match polled {
            Ok(()) => {
                failures = 0;
                // One round per interval, however long the round took.
                shared
                    .config
                    .poll_interval
                    .saturating_sub(started.elapsed())
            }
            Err(e) => {
                failures += 1;
                shared.failed(&account_id, failures, &e)
            }
        };
        tokio::select! {
            () = cancel.cancelled() => return,
            () = tokio::time::sleep(wait) => {}
            // New secrets are polled at once (a vanished sender means the task is ending).
            changed = keys.changed() => if changed.is_err() { return },
        }
    }
}

/// One polling round: one batched request per 10,000 keys, through the desk's shared step.
async fn poll(shared: &Arc<Shared>, account_id: &str) -> Result<(), WatchError> {
    shared.counters.polls.fetch_add(1, Ordering::Relaxed);
    let changed = shared.desk.refresh_account(account_id).await?;
    shared.publish(changed).await;
    Ok(())
}

/// Whether the server refused the push channel itself (no such route, at its subscription
/// limit, not Wisp's API), rather than being unreachable or busy.
fn push_refused(e: &WatchError) -> bool {
    match e {
        WatchError::Client(ClientError::Protocol(_)) => true,
        WatchError::Client(c) => c
            .api_code()
            .is_some_and(|code| code != wisp_api::ErrorCode::RateLimited),
        _ => false,
    }
}

async fn push_session(
    shared: &Arc<Shared>,
    account_id: &str,
    client: &Client,
    keys: &mut watch::Receiver<Arc<Vec<String>>>,
    cancel: &CancellationToken,
    failures: &mut u32,
) -> PushEnd {
    let watched = keys.borrow_and_update().clone();
    let classify = |e: WatchError| {
        if push_refused(&e) {
            PushEnd::Unavailable(e)
        } else {
            PushEnd::Failed(e)
        }
    };
    shared
        .counters
        .push_sessions
        .fetch_add(1, Ordering::Relaxed);
    // The server's push ignores keys it does not know (any more): one poll catches those,
    // and whatever changed while no session was open.
    match bounded(cancel, poll(shared, account_id)).await {
        None => return PushEnd::Cancelled,
        // A failed poll is a failed session (server down): back off, then try again.
        Some(Err(e)) => return PushEnd::Failed(e),
        Some(Ok(())) => {}
    }
    let (tx, mut rx) = mpsc::channel::<Result<KeyedReceipt, WatchError>>(1024);
    let mut streams = JoinSet::new();
    for chunk in watched.chunks(wisp_api::MAX_BATCH_KEYS) {
        let subscribe = async { client.watch(chunk).await.map_err(WatchError::from) };
        let mut events = match bounded(cancel, subscribe).await {
            None => return PushEnd::Cancelled,
            Some(Ok(events)) => events.idle_timeout(PUSH_SILENCE),
            Some(Err(e)) => return classify(e),
        };
        let tx = tx.clone();
        streams.spawn(async move {
            while let Some(event) = events.next().await {
                let failed = event.is_err();
                if tx.send(event.map_err(WatchError::Stream)).await.is_err() || failed {
                    return;
                }
            }
            let _ = tx.send(Err(WatchError::Closed)).await;
        });
    }
    drop(tx);
    *failures = 0;
    loop {
        let first = tokio::select! {
            () = cancel.cancelled() => return PushEnd::Cancelled,
            changed = keys.changed() => {
                if changed.is_err() {
                    return PushEnd::Cancelled;
                }
                let now = keys.borrow_and_update().clone();
                let known: HashSet<&String> = watched.iter().collect();
                // Keys that are no longer open do no harm in a subscription; new ones need
                // a new subscription.
                if now.iter().any(|k| !known.contains(k)) {
                    return PushEnd::KeysChanged;
                }
                continue;
            }
            event = rx.recv() => event,
        };
        let Some(first) = first else {
            return PushEnd::Failed(WatchError::Closed);
        };
        let mut batch = vec![first];
        let started = Instant::now();
        while started.elapsed() < COALESCE_MAX {
            match tokio::time::timeout(COALESCE_GAP, rx.recv()).await {
                Ok(Some(event)) => batch.push(event),
                Ok(None) | Err(_) => break,
            }
        }
        let mut receipts = HashMap::new();
        let mut failure = None;
        for event in batch {
            match event {
                Ok(r) => {
                    shared.counters.push_events.fetch_add(1, Ordering::Relaxed);
                    receipts.insert(r.key, crate::Seen::from(&r.receipt));
                }
                Err(e) => failure = Some(e),
            }
        }
        if !receipts.is_empty() {
            let id = account_id.to_owned();
            match shared
                .blocking(move |desk| desk.apply_receipts(&id, &receipts))
                .await
            {
                Ok(changed) => shared.publish(changed).await,
                Err(e) => return PushEnd::Failed(e),
            }
        }
        if let Some(e) = failure {
            return classify(e);
        }
    }
}
