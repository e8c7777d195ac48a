//! The desk: one object holding accounts, history, settings and transfers, with one method
//! per thing the user can do. The Tauri commands and the CLI are thin calls into it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use secrecy::SecretString;
use time::OffsetDateTime;
use tokio::io::{AsyncRead, ReadBuf};
use tokio_util::sync::CancellationToken;
use wisp_accounts::{Account, AccountDraft, Accounts, ServerKind, TokenChange};
use wisp_client::{Client, SendOptions, Sent};
use wisp_crypto::Metadata;
use wisp_history::{ContentKind, Entry, Filter, History, SecretState};
use wisp_vault::Vault;
use zeroize::Zeroizing;

use crate::drops::Drops;
use crate::views::{
    AccountInput, AccountView, ConnectionReport, DroppedFile, HistoryFilter, HistoryItem,
    LinkStatus, LinkView, RevealOutcome, SendRequest, SentSecret, Settings,
};
use crate::{open, pack, qr_svg, DeskError, ErrorCode, SettingsStore};

/// Upload progress callback: plaintext bytes read so far, and the total when known.
pub type Progress = Arc<dyn Fn(u64, Option<u64>) + Send + Sync>;

type Result<T, E = DeskError> = std::result::Result<T, E>;

/// RFC 3339 for the UI.
pub(crate) fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// Longest note and text the app accepts (the server has its own limits).
const MAX_NOTE_CHARS: usize = 500;
const MAX_TEXT_BYTES: usize = 1 << 20;

/// Everything the app does.
#[derive(Debug)]
pub struct Desk {
    accounts: Accounts,
    history: History,
    settings: SettingsStore,
    drops: Drops,
    transfers: Mutex<HashMap<String, CancellationToken>>,
    /// Largest upload per account id, learned from the server.
    limits: Mutex<HashMap<String, u64>>,
}

impl Desk {
    /// A desk over config in `config_dir`, history in `data_dir`, secrets in `vault`.
    pub fn new(config_dir: &Path, data_dir: &Path, vault: Arc<dyn Vault>) -> Self {
        Desk {
            accounts: Accounts::new(config_dir, vault.clone()),
            history: History::new(data_dir, vault),
            settings: SettingsStore::new(config_dir),
            drops: Drops::default(),
            transfers: Mutex::new(HashMap::new()),
            limits: Mutex::new(HashMap::new()),
        }
    }

    /// The desk of this user: platform dirs (or `WISP_CONFIG_DIR` / `WISP_DATA_HOME`) and
    /// the OS keyring.
    pub fn for_user() -> Self {
        Desk::new(
            &wisp_accounts::config_dir(),
            &wisp_accounts::data_dir(),
            Arc::new(wisp_vault::KeyringVault::default()),
        )
    }

    /// The accounts store (shared with the CLI).
    pub fn accounts(&self) -> &Accounts {
        &self.accounts
    }

    // ---- accounts -------------------------------------------------------------------

    /// Every account.
    pub fn list_accounts(&self) -> Result<Vec<AccountView>> {
        let book = self.accounts.load()?;
        let default = book.default_account().map(|a| a.id.clone());
        book.accounts
            .iter()
            .map(|a| self.account_view(a, default.as_deref() == Some(a.id.as_str())))
            .collect()
    }

    fn account_view(&self, a: &Account, is_default: bool) -> Result<AccountView> {
        Ok(AccountView {
            id: a.id.clone(),
            name: a.name.clone(),
            kind: a.kind.into(),
            url: a.url.clone(),
            is_default,
            has_token: self.accounts.token(&a.id)?.is_some(),
            default_ttl_secs: a.default_ttl_secs,
            default_max_views: a.default_max_views,
            notifications: a.notifications,
            server_reads_content: a.kind.server_reads_content(),
        })
    }

    fn view_of(&self, id: &str) -> Result<AccountView> {
        self.list_accounts()?
            .into_iter()
            .find(|a| a.id == id)
            .ok_or_else(|| {
                DeskError::new(ErrorCode::NotFound, "That account no longer exists.")
                    .keyed("error.accountGone")
            })
    }

    /// Adds an account.
    pub fn add_account(&self, input: AccountInput) -> Result<AccountView> {
        let token = input
            .token
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(|t| SecretString::from(t.to_owned()));
        let account = self.accounts.add(draft(&input), token)?;
        self.view_of(&account.id)
    }

    /// Edits an account; `token`: `None` keeps it, empty removes it.
    pub fn update_account(&self, id: &str, input: AccountInput) -> Result<AccountView> {
        let token = match input.token.as_deref().map(str::trim) {
            None => TokenChange::Keep,
            Some("") => TokenChange::Remove,
            Some(t) => TokenChange::Set(SecretString::from(t.to_owned())),
        };
        self.accounts.update(id, draft(&input), token)?;
        self.lock_limits().remove(id);
        self.view_of(id)
    }

    /// Removes an account (its history entries stay, marked as from a removed account).
    pub fn remove_account(&self, id: &str) -> Result<()> {
        self.accounts.remove(id)?;
        Ok(())
    }

    /// Makes an account the default.
    pub fn set_default_account(&self, id: &str) -> Result<()> {
        self.accounts.set_default(id)?;
        Ok(())
    }

    /// Tries the account's server and token without saving anything. `id` names the
    /// account being edited, whose stored token is used when `input.token` is `None`.
    pub async fn test_connection(
        &self,
        input: &AccountInput,
        id: Option<&str>,
    ) -> Result<ConnectionReport> {
        let kind: ServerKind = input.kind.clone().into();
        supported(kind)?;
        let url = wisp_accounts::normalise_url(&input.url)?;
        let token = match input.token.as_deref().map(str::trim) {
            Some("") => None,
            Some(t) => Some(SecretString::from(t.to_owned())),
            None => match id {
                Some(id) => self.accounts.token(id)?,
                None => None,
            },
        };
        let had_token = token.is_some();
        let client = Client::new(&url, token)?;
        match client.account().await {
            Ok(account) => {
                if let Some(id) = id {
                    self.lock_limits()
                        .insert(id.to_owned(), account.limits.max_payload_bytes);
                }
                let authenticated = !account.anonymous;
                let message = if authenticated {
                    format!(
                        "Connected as \"{}\". Uploads up to {}.",
                        account.name,
                        human_bytes(account.limits.max_payload_bytes)
                    )
                } else {
                    format!(
                        "Connected without a token (anonymous). Uploads up to {}.",
                        human_bytes(account.limits.max_payload_bytes)
                    )
                };
                Ok(ConnectionReport {
                    reachable: true,
                    authenticated,
                    server_version: None,
                    message,
                })
            }
            Err(e) => {
                let e = DeskError::from(e);
                match e.code {
                    ErrorCode::Unauthorized => Ok(ConnectionReport {
                        reachable: true,
                        authenticated: false,
                        server_version: None,
                        message: if had_token {
                            "The server is there, but it does not accept this API token.".into()
                        } else {
                            "The server is there, but it needs an API token.".into()
                        },
                    }),
                    _ => Ok(ConnectionReport {
                        reachable: false,
                        authenticated: false,
                        server_version: None,
                        message: e.message,
                    }),
                }
            }
        }
    }

    fn lock_limits(&self) -> std::sync::MutexGuard<'_, HashMap<String, u64>> {
        self.limits.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Learns every account's upload limit (call at start; failures are only logged).
    pub async fn refresh_limits(&self) {
        let Ok(book) = self.accounts.load() else {
            return;
        };
        for account in book.accounts.iter().filter(|a| a.kind == ServerKind::Wisp) {
            let Ok(client) = self.client(account) else {
                continue;
            };
            match client.account().await {
                Ok(a) => {
                    self.lock_limits()
                        .insert(account.id.clone(), a.limits.max_payload_bytes);
                }
                Err(e) => tracing::info!(account = %account.name, error = %e, "limits unknown"),
            }
        }
    }

    fn default_limit(&self) -> u64 {
        let Ok(book) = self.accounts.load() else {
            return 0;
        };
        book.default_account()
            .and_then(|a| self.lock_limits().get(&a.id).copied())
            .unwrap_or(0)
    }

    // ---- settings -------------------------------------------------------------------

    /// Current settings.
    pub fn settings(&self) -> Settings {
        let mut settings = self.settings.load();
        settings.max_upload_bytes = self.default_limit();
        settings
    }

    /// Saves settings.
    pub fn save_settings(&self, settings: &Settings) -> Result<Settings> {
        self.settings.save(settings)?;
        Ok(self.settings())
    }

    // ---- sending --------------------------------------------------------------------

    fn account(&self, id: Option<&str>) -> Result<Account> {
        let book = self.accounts.load()?;
        let account = match id {
            Some(id) => book.find(id),
            None => book.default_account(),
        };
        account.cloned().ok_or_else(|| match id {
            Some(_) => DeskError::new(ErrorCode::NotFound, "That account no longer exists.")
                .keyed("error.accountGone"),
            None => DeskError::new(
                ErrorCode::NotFound,
                "Add an account first: Wisp needs a server to send through.",
            )
            .keyed("error.noAccount"),
        })
    }

    fn client(&self, account: &Account) -> Result<Client> {
        supported(account.kind)?;
        Ok(Client::new(
            &account.url,
            self.accounts.token(&account.id)?,
        )?)
    }

    fn options(&self, account: &Account, request: &SendRequest) -> Result<SendOptions> {
        let settings = self.settings.load();
        let ttl = request
            .ttl_secs
            .or(account.default_ttl_secs)
            .unwrap_or(settings.default_ttl_secs);
        if ttl < 60 {
            return Err(
                DeskError::invalid("A secret must live at least one minute.")
                    .keyed("error.ttlTooShort"),
            );
        }
        let views = request
            .max_views
            .or(account.default_max_views)
            .unwrap_or(settings.default_max_views);
        let split = match &request.split {
            Some(s) if !(2..=10).contains(&s.total) || s.needed < 2 || s.needed > s.total => {
                return Err(DeskError::invalid(
                    "A split link needs 2 to 10 parts, and at least 2 (at most all) of them to open.",
                ).keyed("error.splitRange"))
            }
            Some(s) => Some(wisp_api::Split {
                needed: s.needed,
                total: s.total,
            }),
            None => None,
        };
        let note = request
            .note
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_owned);
        if note
            .as_ref()
            .is_some_and(|n| n.chars().count() > MAX_NOTE_CHARS)
        {
            return Err(DeskError::invalid(format!(
                "Keep the note under {MAX_NOTE_CHARS} characters."
            ))
            .keyed("error.noteTooLong")
            .var("max", MAX_NOTE_CHARS));
        }
        let send_to = request
            .recipient_email
            .as_deref()
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .map(str::to_owned);
        if send_to
            .as_ref()
            .is_some_and(|e| !e.contains('@') || e.contains(char::is_whitespace))
        {
            return Err(
                DeskError::invalid("The recipient's e-mail address does not look right.")
                    .keyed("error.email"),
            );
        }
        Ok(SendOptions {
            ttl: Some(ttl),
            max_views: Some(if views == 0 { None } else { Some(views) }),
            passphrase: request
                .passphrase
                .as_deref()
                .filter(|p| !p.is_empty())
                .map(|p| SecretString::from(p.to_owned())),
            split,
            note,
            send_to,
            ..SendOptions::default()
        })
    }

    /// Encrypts and sends a text secret.
    pub async fn send_text(
        &self,
        text: Zeroizing<String>,
        request: &SendRequest,
    ) -> Result<SentSecret> {
        if text.trim().is_empty() {
            return Err(
                DeskError::invalid("Type or paste the secret first.").keyed("error.emptySecret")
            );
        }
        if text.len() > MAX_TEXT_BYTES {
            return Err(
                DeskError::invalid("That text is over 1 MiB: drop it as a file instead.")
                    .keyed("error.textTooLarge"),
            );
        }
        let account = self.account(request.account_id.as_deref())?;
        let client = self.client(&account)?;
        let options = self.options(&account, request)?;
        let sent = client.send_text(&text, &options).await?;
        self.record(
            &account,
            sent,
            ContentKind::Text,
            String::new(),
            text.len() as u64,
            &options,
            request.keep_link,
        )
    }

    /// Registers dropped or picked paths; the UI only ever sees tokens.
    pub fn register_drops(&self, paths: &[PathBuf]) -> Vec<DroppedFile> {
        self.drops.register(paths, self.default_limit())
    }

    /// Encrypts and uploads a dropped file or folder, reporting progress, until done or
    /// cancelled with [`Desk::cancel_transfer`]. A cancelled upload leaves nothing on the
    /// server (an incomplete body is never stored).
    pub async fn send_file(
        &self,
        token: &str,
        transfer_id: &str,
        request: &SendRequest,
        progress: Progress,
    ) -> Result<SentSecret> {
        let item = self.drops.get(token)?;
        let account = self.account(request.account_id.as_deref())?;
        let limit = self.lock_limits().get(&account.id).copied().unwrap_or(0);
        if limit > 0 && item.size > limit {
            return Err(DeskError::new(
                ErrorCode::TooLarge,
                format!(
                    "{} is {}; {} accepts at most {}.",
                    item.name,
                    human_bytes(item.size),
                    account.name,
                    human_bytes(limit)
                ),
            ));
        }
        let client = self.client(&account)?;
        let options = self.options(&account, request)?;
        let cancel = CancellationToken::new();
        self.lock_transfers()
            .insert(transfer_id.to_owned(), cancel.clone());
        let (name, total, metadata, reader): (
            String,
            Option<u64>,
            Metadata,
            Box<dyn AsyncRead + Send + Unpin>,
        ) = if item.is_dir {
            let name = format!("{}.tar", item.name);
            (
                name.clone(),
                None,
                Metadata::file(name, Some("application/x-tar".into()), None),
                Box::new(pack::tar_folder(item.path.clone(), item.name.clone())),
            )
        } else {
            let file = tokio::fs::File::open(&item.path).await?;
            let size = file.metadata().await?.len();
            (
                item.name.clone(),
                Some(size),
                Metadata::file(item.name.clone(), None, Some(size)),
                Box::new(file),
            )
        };
        let reader = Counting {
            inner: reader,
            done: 0,
            reported_at: None,
            total,
            progress,
        };
        let result = tokio::select! {
            sent = client.send(metadata, reader, &options) => sent.map_err(DeskError::from),
            () = cancel.cancelled() => Err(DeskError::cancelled()),
        };
        self.lock_transfers().remove(transfer_id);
        let sent = result?;
        self.drops.forget(token);
        self.record(
            &account,
            sent,
            ContentKind::File,
            name,
            total.unwrap_or(item.size),
            &options,
            request.keep_link,
        )
    }

    fn lock_transfers(&self) -> std::sync::MutexGuard<'_, HashMap<String, CancellationToken>> {
        self.transfers.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Cancels an upload in progress (no-op when it already ended).
    pub fn cancel_transfer(&self, transfer_id: &str) {
        if let Some(token) = self.lock_transfers().remove(transfer_id) {
            token.cancel();
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn record(
        &self,
        account: &Account,
        sent: Sent,
        kind: ContentKind,
        label: String,
        size: u64,
        options: &SendOptions,
        keep_link: bool,
    ) -> Result<SentSecret> {
        let total = sent.links.len();
        let links: Vec<LinkView> = sent
            .links
            .iter()
            .enumerate()
            .map(|(i, link)| {
                let url = link.expose_url();
                LinkView {
                    qr_svg: qr_svg(&url),
                    url: url.to_string(),
                    label: if total > 1 {
                        format!("Part {} of {total}", i + 1)
                    } else {
                        String::new()
                    },
                }
            })
            .collect();
        let created = sent.created;
        let entry = Entry {
            id: created.id.clone(),
            account_id: account.id.clone(),
            metadata_key: created.metadata_key,
            kind,
            label,
            note: options.note.clone(),
            size,
            created_at: OffsetDateTime::now_utc(),
            expires_at: created.expires_at,
            max_views: created.max_views,
            views: 0,
            state: SecretState::Pending,
            links: keep_link.then(|| links.iter().map(|l| l.url.clone()).collect()),
            notified: false,
        };
        self.history.insert(entry)?;
        Ok(SentSecret {
            history_id: created.id,
            links,
            expires_at: rfc3339(created.expires_at),
            max_views: created.max_views,
        })
    }

    // ---- history --------------------------------------------------------------------

    /// History entries matching `filter`, newest first.
    pub fn list_history(&self, filter: &HistoryFilter) -> Result<Vec<HistoryItem>> {
        let names = self.account_names();
        let filter = Filter {
            account_id: filter.account_id.clone(),
            state: filter.state.clone().map(Into::into),
        };
        Ok(self
            .history
            .list(&filter)?
            .into_iter()
            .map(|e| item(e, &names))
            .collect())
    }

    fn account_names(&self) -> HashMap<String, String> {
        self.accounts
            .load()
            .map(|b| b.accounts.into_iter().map(|a| (a.id, a.name)).collect())
            .unwrap_or_default()
    }

    /// Asks each account's server, in one batched request per account, how its open
    /// secrets are doing; stores and returns the entries whose state or views changed.
    /// Fails only when every account with open secrets failed.
    pub async fn refresh_history(&self) -> Result<Vec<HistoryItem>> {
        let mut changed = Vec::new();
        let mut failure = None;
        let mut any_ok = false;
        for account_id in self.watched_accounts()? {
            match self.refresh_account(&account_id).await {
                Ok(items) => {
                    any_ok = true;
                    changed.extend(items);
                }
                Err(e) => failure = Some(e),
            }
        }
        match failure {
            Some(e) if !any_ok => Err(e),
            _ => Ok(changed),
        }
    }

    /// Ids of the accounts that have open (pending) secrets in the history.
    pub fn watched_accounts(&self) -> Result<Vec<String>> {
        let mut ids: Vec<String> = self
            .history
            .load()?
            .into_iter()
            .filter(Entry::is_open)
            .map(|e| e.account_id)
            .collect();
        ids.sort();
        ids.dedup();
        Ok(ids)
    }

    /// Metadata keys of one account's open secrets.
    pub fn open_keys(&self, account_id: &str) -> Result<Vec<String>> {
        Ok(self
            .history
            .load()?
            .into_iter()
            .filter(|e| e.is_open() && e.account_id == account_id)
            .map(|e| e.metadata_key)
            .collect())
    }

    /// Asks one account's server how its open secrets are doing, in one batched request
    /// (per [`wisp_api::MAX_BATCH_KEYS`]); stores and returns the entries that changed.
    pub async fn refresh_account(&self, account_id: &str) -> Result<Vec<HistoryItem>> {
        let keys = self.open_keys(account_id)?;
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let account = self.account(Some(account_id))?;
        let client = self.client(&account)?;
        let mut receipts = HashMap::new();
        let mut unknown = Vec::new();
        for chunk in keys.chunks(wisp_api::MAX_BATCH_KEYS) {
            let batch = client.receipts(chunk).await?;
            unknown.extend(batch.unknown);
            receipts.extend(batch.receipts.into_iter().map(|r| {
                (
                    r.key,
                    (
                        r.receipt.state,
                        r.receipt.views_used,
                        Some(r.receipt.expires_at),
                    ),
                )
            }));
        }
        for key in unknown {
            receipts
                .entry(key)
                .or_insert((SecretState::Expired, u32::MAX, None));
        }
        self.apply_receipts(account_id, &receipts)
    }

    /// Stores what a server said about an account's secrets: metadata key → (state,
    /// views used, expiry). `u32::MAX` views / `None` expiry keep the stored values (a
    /// server that forgot a secret says neither). Returns the entries that changed.
    pub fn apply_receipts(
        &self,
        account_id: &str,
        receipts: &HashMap<String, (SecretState, u32, Option<OffsetDateTime>)>,
    ) -> Result<Vec<HistoryItem>> {
        let mut changed_ids = Vec::new();
        let entries = self.history.update(|entries| {
            for e in entries.iter_mut().filter(|e| e.account_id == account_id) {
                let Some(&(state, views, expires)) = receipts.get(&e.metadata_key) else {
                    continue;
                };
                let views = if views == u32::MAX { e.views } else { views };
                let expires = expires.unwrap_or(e.expires_at);
                if (state, views, expires) != (e.state, e.views, e.expires_at) {
                    e.state = state;
                    e.views = views;
                    e.expires_at = expires;
                    e.notified = false;
                    changed_ids.push(e.id.clone());
                }
            }
            !changed_ids.is_empty()
        })?;
        let names = self.account_names();
        Ok(entries
            .into_iter()
            .filter(|e| changed_ids.contains(&e.id))
            .map(|e| item(e, &names))
            .collect())
    }

    /// Burns a secret on its server and marks it burned.
    pub async fn burn(&self, id: &str) -> Result<HistoryItem> {
        let entry = self.history.get(id)?;
        let account = self.account(Some(&entry.account_id))?;
        let client = self.client(&account)?;
        if let Err(e) = client.burn(&entry.metadata_key).await {
            let e = DeskError::from(e);
            // Already gone (viewed, expired): the history just learns it.
            if e.code != ErrorCode::Unavailable {
                return Err(e);
            }
        }
        let entries = self.history.update(|entries| {
            entries
                .iter_mut()
                .filter(|e| e.id == id)
                .for_each(|e| e.state = SecretState::Burned);
            true
        })?;
        let names = self.account_names();
        entries
            .into_iter()
            .find(|e| e.id == id)
            .map(|e| item(e, &names))
            .ok_or_else(|| {
                DeskError::new(ErrorCode::NotFound, "That secret is not in the history.")
            })
    }

    /// Removes an entry from the local history (the secret itself is untouched).
    pub fn forget(&self, id: &str) -> Result<()> {
        self.history.remove(id)?;
        Ok(())
    }

    // ---- received links ---------------------------------------------------------------

    /// Status of the secret behind pasted link(s); spends no view.
    pub async fn inspect_links(&self, links: &[String]) -> Result<LinkStatus> {
        open::inspect(&open::parse_links(links)?).await
    }

    /// Reveals the secret behind pasted link(s): spends one view.
    pub async fn reveal<C, F>(
        &self,
        links: &[String],
        passphrase: Option<String>,
        choose: C,
    ) -> Result<RevealOutcome>
    where
        C: FnOnce(String) -> F,
        F: std::future::Future<Output = Option<PathBuf>>,
    {
        let links = open::parse_links(links)?;
        let passphrase = passphrase.filter(|p| !p.is_empty()).map(SecretString::from);
        open::reveal(&links, passphrase, choose).await
    }
}

fn supported(kind: ServerKind) -> Result<()> {
    if kind == ServerKind::Wisp {
        Ok(())
    } else {
        Err(DeskError::new(
            ErrorCode::Unsupported,
            format!(
                "{} accounts can be saved, but this version of Wisp talks to Wisp servers only.",
                kind.label()
            ),
        ))
    }
}

fn draft(input: &AccountInput) -> AccountDraft {
    AccountDraft {
        name: input.name.clone(),
        kind: input.kind.clone().into(),
        url: input.url.clone(),
        default_ttl_secs: input.default_ttl_secs,
        default_max_views: input.default_max_views,
        notifications: input.notifications,
    }
}

fn item(e: Entry, names: &HashMap<String, String>) -> HistoryItem {
    HistoryItem {
        account_name: names
            .get(&e.account_id)
            .cloned()
            .unwrap_or_else(|| "Removed account".into()),
        id: e.id,
        account_id: e.account_id,
        kind: e.kind.into(),
        label: e.label,
        note: e.note,
        size: e.size,
        created_at: rfc3339(e.created_at),
        expires_at: rfc3339(e.expires_at),
        max_views: e.max_views,
        views: e.views,
        state: e.state.into(),
        links: e.links,
    }
}

/// Sizes for people, in decimal units as labelled.
pub(crate) fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["bytes", "kB", "MB", "GB", "TB"];
    let mut value = n as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit < UNITS.len() - 1 {
        value /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} bytes")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// How often progress is reported. Each report becomes an IPC event and a re-render in the
/// webview: reporting per chunk (thousands per GiB) kept WebKit busy at 90 % CPU and slowed
/// the upload itself; ten a second is smooth for a progress bar.
const PROGRESS_INTERVAL: std::time::Duration = std::time::Duration::from_millis(100);

/// Counts plaintext as the encryptor pulls it, reporting at most every [`PROGRESS_INTERVAL`]
/// and always at the end.
struct Counting {
    inner: Box<dyn AsyncRead + Send + Unpin>,
    done: u64,
    reported_at: Option<std::time::Instant>,
    total: Option<u64>,
    progress: Progress,
}

impl AsyncRead for Counting {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let poll = Pin::new(&mut self.inner).poll_read(cx, buf);
        if let Poll::Ready(Ok(())) = poll {
            let read = (buf.filled().len() - before) as u64;
            self.done += read;
            let due = self
                .reported_at
                .is_none_or(|at| at.elapsed() >= PROGRESS_INTERVAL);
            if read == 0 || due {
                self.reported_at = Some(std::time::Instant::now());
                (self.progress)(self.done, self.total);
            }
        }
        poll
    }
}
