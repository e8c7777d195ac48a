//! The desk: one object holding accounts, history, settings and transfers, with one method
//! per thing the user can do. The Tauri commands and the CLI are thin calls into it.

use std::collections::{HashMap, HashSet};
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
use wisp_history::{BurnReason, ContentKind, Entry, Filter, History, SecretState};
use wisp_vault::Vault;
use zeroize::Zeroizing;

use crate::drops::Drops;
use crate::views::{
    AccountInput, AccountView, ConnectionReport, DroppedFile, HistoryFilter, HistoryItem,
    LinkStatus, LinkView, RevealOutcome, SendRequest, SentSecret, ServerSecret, Settings,
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
    /// History ids being burned by the user right now: the server's "burned" may reach the
    /// watcher before [`Desk::burn`] has marked the entry, and must not read as remote.
    burning: Mutex<HashSet<String>>,
    /// One HTTP client per account id (with the URL it was made for), so that the watcher's
    /// polls reuse connections, TLS sessions and the keyring read of the token instead of
    /// building all three every interval. Dropped when the account is edited or removed.
    clients: Mutex<HashMap<String, (String, Client)>>,
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
            burning: Mutex::new(HashSet::new()),
            clients: Mutex::new(HashMap::new()),
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

    /// The history store (the watcher's notices read and mark it).
    pub(crate) fn history(&self) -> &History {
        &self.history
    }

    /// Whether the user is burning this secret right now (see [`Desk::burn`]).
    pub(crate) fn is_burning(&self, id: &str) -> bool {
        self.lock_burning().contains(id)
    }

    fn lock_burning(&self) -> std::sync::MutexGuard<'_, HashSet<String>> {
        self.burning.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Per-account notification switch, the settings' global pause, and the words of the
    /// settings' language (one read of the settings file).
    pub(crate) fn notification_switches(
        &self,
    ) -> (HashMap<String, (String, bool)>, bool, &'static crate::Words) {
        let accounts = self
            .accounts
            .load()
            .map(|b| {
                b.accounts
                    .into_iter()
                    .map(|a| (a.id, (a.name, a.notifications)))
                    .collect()
            })
            .unwrap_or_default();
        let settings = self.settings.load();
        let words = crate::words(crate::Lang::resolve(&settings.language));
        (accounts, settings.pause_notifications, words)
    }

    /// A client for the account's server when it speaks Wisp's native API (the only one
    /// with a push channel); `None` for other kinds of server.
    pub(crate) fn native_client(&self, account_id: &str) -> Result<Option<Client>> {
        let account = self.account(Some(account_id))?;
        if account.kind != ServerKind::Wisp {
            return Ok(None);
        }
        self.client(&account).map(Some)
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
            features: wisp_providers::features(a.kind).into(),
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
        self.lock_clients().remove(id);
        self.view_of(id)
    }

    /// Removes an account (its history entries stay, marked as from a removed account).
    pub fn remove_account(&self, id: &str) -> Result<()> {
        self.accounts.remove(id)?;
        self.lock_clients().remove(id);
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
        if kind != ServerKind::Wisp {
            return self.test_provider(kind, &url, token, id).await;
        }
        let client = Client::new(&url, token)?;
        match client.account().await {
            Ok(account) => {
                if let Some(id) = id {
                    self.lock_limits()
                        .insert(id.to_owned(), account.limits.max_payload_bytes);
                }
                let authenticated = !account.anonymous;
                let size = human_bytes(account.limits.max_payload_bytes);
                Ok(if authenticated {
                    report(
                        (true, true),
                        format!("Connected as \"{}\". Uploads up to {size}.", account.name),
                        "connection.asUser",
                        &[("name", account.name), ("size", size)],
                    )
                } else {
                    report(
                        (true, false),
                        format!("Connected without a token (anonymous). Uploads up to {size}."),
                        "connection.anonymous",
                        &[("size", size)],
                    )
                })
            }
            Err(e) => Ok(match DeskError::from(e) {
                e if e.code == ErrorCode::Unauthorized && had_token => report(
                    (true, false),
                    "The server is there, but it does not accept this API token.".into(),
                    "connection.tokenRefused",
                    &[],
                ),
                e if e.code == ErrorCode::Unauthorized => report(
                    (true, false),
                    "The server is there, but it needs an API token.".into(),
                    "connection.needsToken",
                    &[],
                ),
                e => unreachable_report(e),
            }),
        }
    }

    /// [`Desk::test_connection`] for the kinds spoken through a provider.
    async fn test_provider(
        &self,
        kind: ServerKind,
        url: &str,
        token: Option<SecretString>,
        id: Option<&str>,
    ) -> Result<ConnectionReport> {
        let had_token = token.is_some();
        let provider = wisp_providers::connect_to(kind, url, token)?;
        let service = || ("service", kind.label().to_owned());
        Ok(match provider.check().await {
            Ok(checked) => {
                if let (Some(id), Some(limit)) = (id, checked.max_payload_bytes) {
                    self.lock_limits().insert(id.to_owned(), limit);
                }
                let ok = (true, checked.authenticated);
                match (checked.account_name, checked.authenticated) {
                    (Some(name), _) => report(
                        ok,
                        format!("Connected to {} as \"{name}\".", kind.label()),
                        "connection.serviceAsUser",
                        &[service(), ("name", name)],
                    ),
                    (None, true) => report(
                        ok,
                        format!("Connected to {}; the token was accepted.", kind.label()),
                        "connection.serviceToken",
                        &[service()],
                    ),
                    (None, false) => report(
                        ok,
                        format!("Connected to {} without a token (anonymous).", kind.label()),
                        "connection.serviceAnonymous",
                        &[service()],
                    ),
                }
            }
            Err(wisp_providers::ProviderError::Unauthorized(_)) if had_token => report(
                (true, false),
                format!(
                    "The {} server is there, but it does not accept these credentials.",
                    kind.label()
                ),
                "connection.serviceRefused",
                &[service()],
            ),
            Err(wisp_providers::ProviderError::Unauthorized(_)) => report(
                (true, false),
                format!(
                    "The {} server is there, but it needs an API token.",
                    kind.label()
                ),
                "connection.serviceNeedsToken",
                &[service()],
            ),
            Err(e) => unreachable_report(DeskError::from(e)),
        })
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
        if let Some((url, client)) = self.lock_clients().get(&account.id) {
            if *url == account.url {
                return Ok(client.clone());
            }
        }
        let client = Client::new(&account.url, self.accounts.token(&account.id)?)?;
        self.lock_clients()
            .insert(account.id.clone(), (account.url.clone(), client.clone()));
        Ok(client)
    }

    fn lock_clients(&self) -> std::sync::MutexGuard<'_, HashMap<String, (String, Client)>> {
        self.clients.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn provider(&self, account: &Account) -> Result<Box<dyn wisp_providers::Provider>> {
        Ok(wisp_providers::connect(
            account,
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
        // A Wisp server sends e-mail only for API tokens (it would otherwise mail anyone,
        // under its operator's name): say so before anything is encrypted or uploaded.
        if send_to.is_some()
            && account.kind == ServerKind::Wisp
            && self.accounts.token(&account.id)?.is_none()
        {
            return Err(DeskError::invalid(
                "Sending the link by e-mail needs an API token for this account. Add one in Accounts, or send the link yourself.",
            )
            .keyed("error.emailNeedsToken"));
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
        let options = self.options(&account, request)?;
        if account.kind != ServerKind::Wisp {
            return self
                .send_text_through_provider(&account, &text, &options, request)
                .await;
        }
        let client = self.client(&account)?;
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

    /// Sends text through the account's kind of server (every kind but Wisp, whose
    /// streaming path handles files and splits).
    async fn send_text_through_provider(
        &self,
        account: &Account,
        text: &str,
        options: &SendOptions,
        request: &SendRequest,
    ) -> Result<SentSecret> {
        let provider = self.provider(account)?;
        let features = provider.features();
        // A view limit that comes from the defaults (not from this request) follows what
        // the kind can do; one the user chose is refused with a sentence if it cannot.
        let max_views = match (request.max_views, options.max_views) {
            (None, Some(None)) if !features.unlimited_views => Some(Some(1)),
            (None, Some(Some(_))) if !features.max_views => Some(Some(1)),
            (None, Some(Some(n))) if n > features.max_views_limit => {
                Some(Some(features.max_views_limit))
            }
            (_, views) => views,
        };
        let text_options = wisp_providers::TextOptions {
            ttl_secs: options.ttl,
            max_views,
            passphrase: options.passphrase.clone(),
            split: options.split.map(|s| (s.needed, s.total)),
            recipient_email: options.send_to.clone(),
            // Kinds without server-side notes keep the note in the local history only.
            note: options.note.clone().filter(|_| features.note),
            seal: options.seal.clone(),
        };
        let created = provider.create_text(text, &text_options).await?;
        let links: Vec<String> = created.links.iter().map(|l| l.to_string()).collect();
        self.record_links(
            account,
            Recorded {
                id: created.id,
                key: created.key,
                links,
                expires_at: created.expires_at,
                max_views: created.max_views,
            },
            ContentKind::Text,
            String::new(),
            text.len() as u64,
            options,
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
        let links = sent
            .links
            .iter()
            .map(|link| link.expose_url().to_string())
            .collect();
        let created = sent.created;
        self.record_links(
            account,
            Recorded {
                id: created.id,
                key: created.metadata_key,
                links,
                expires_at: created.expires_at,
                max_views: created.max_views,
            },
            kind,
            label,
            size,
            options,
            keep_link,
        )
    }

    #[allow(clippy::too_many_arguments)]
    fn record_links(
        &self,
        account: &Account,
        created: Recorded,
        kind: ContentKind,
        label: String,
        size: u64,
        options: &SendOptions,
        keep_link: bool,
    ) -> Result<SentSecret> {
        let total = created.links.len();
        let links: Vec<LinkView> = created
            .links
            .iter()
            .enumerate()
            .map(|(i, url)| LinkView {
                qr_svg: qr_svg(url),
                url: url.clone(),
                label: if total > 1 {
                    format!("Part {} of {total}", i + 1)
                } else {
                    String::new()
                },
            })
            .collect();
        let entry = Entry {
            id: created.id.clone(),
            account_id: account.id.clone(),
            metadata_key: created.key,
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
            burn_reason: None,
            wrong_attempts: 0,
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

    pub(crate) fn account_names(&self) -> HashMap<String, String> {
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
        if account.kind != ServerKind::Wisp {
            return self.refresh_through_provider(&account, &keys).await;
        }
        let client = self.client(&account)?;
        let mut receipts = HashMap::new();
        let mut unknown = Vec::new();
        for chunk in keys.chunks(wisp_api::MAX_BATCH_KEYS) {
            let batch = client.receipts(chunk).await?;
            unknown.extend(batch.unknown);
            receipts.extend(
                batch
                    .receipts
                    .into_iter()
                    .map(|r| (r.key, Seen::from(&r.receipt))),
            );
        }
        for key in unknown {
            receipts
                .entry(key)
                .or_insert(Seen::state(SecretState::Expired));
        }
        self.apply_receipts(account_id, &receipts)
    }

    /// [`Desk::refresh_account`] for the kinds spoken through a provider: their own status
    /// calls (batched where the API allows). Kinds without sender-side status (SecLink)
    /// only learn expiry from the clock.
    async fn refresh_through_provider(
        &self,
        account: &Account,
        keys: &[String],
    ) -> Result<Vec<HistoryItem>> {
        let mut receipts = HashMap::new();
        if wisp_providers::features(account.kind).receipts {
            let provider = self.provider(account)?;
            for r in provider.receipts(keys).await? {
                receipts.insert(
                    r.key,
                    Seen {
                        views: r.views,
                        expires_at: r.expires_at,
                        ..Seen::state(crate::views::SecretState::from(r.state).into())
                    },
                );
            }
        } else {
            let now = OffsetDateTime::now_utc();
            for e in self.history.load()? {
                if e.account_id == account.id && e.is_open() && e.expires_at <= now {
                    receipts.insert(e.metadata_key, Seen::state(SecretState::Expired));
                }
            }
        }
        self.apply_receipts(&account.id, &receipts)
    }

    /// The account's secrets as its server lists them (needs a token, and a kind whose API
    /// lists: Wisp, Onetime Secret, Seecret.it).
    pub async fn list_server(&self, account_id: &str) -> Result<Vec<ServerSecret>> {
        let account = self.account(Some(account_id))?;
        let provider = self.provider(&account)?;
        let listed = provider.list().await?;
        let history = self.history.load()?;
        Ok(listed
            .into_iter()
            .map(|l| {
                let in_history = history.iter().any(|e| {
                    e.account_id == account.id
                        && (e.id == l.id || l.key.as_deref() == Some(e.metadata_key.as_str()))
                });
                ServerSecret {
                    id: l.id,
                    state: l.state.into(),
                    views: l.views,
                    max_views: l.max_views,
                    created_at: l.created_at.map(rfc3339),
                    expires_at: l.expires_at.map(rfc3339),
                    note: l.note,
                    in_history,
                }
            })
            .collect())
    }

    /// Stores what a server said about an account's secrets (metadata key → [`Seen`]).
    /// Returns the entries that changed.
    pub fn apply_receipts(
        &self,
        account_id: &str,
        receipts: &HashMap<String, Seen>,
    ) -> Result<Vec<HistoryItem>> {
        let mut changed_ids = Vec::new();
        let entries = self.history.update(|entries| {
            for e in entries.iter_mut().filter(|e| e.account_id == account_id) {
                let Some(seen) = receipts.get(&e.metadata_key) else {
                    continue;
                };
                let state = seen.state;
                let views = seen.views.unwrap_or(e.views);
                let expires = seen.expires_at.unwrap_or(e.expires_at);
                // A reason belongs to a burn; a server that does not say keeps what is known.
                let reason = match state {
                    SecretState::Burned => seen.burn_reason.or(e.burn_reason),
                    _ => None,
                };
                let attempts = seen.wrong_attempts.unwrap_or(e.wrong_attempts);
                let now = (state, views, expires, reason, attempts);
                if now
                    != (
                        e.state,
                        e.views,
                        e.expires_at,
                        e.burn_reason,
                        e.wrong_attempts,
                    )
                {
                    // A new state or a new view is news for the user; a new expiry (the
                    // sender extended it) or a counted wrong passphrase alone is not.
                    if (state, views) != (e.state, e.views) {
                        e.notified = false;
                    }
                    e.state = state;
                    e.views = views;
                    e.expires_at = expires;
                    e.burn_reason = reason;
                    e.wrong_attempts = attempts;
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

    /// Burns a secret on its server and marks it burned (and notified: the user burned it,
    /// there is nothing to tell them).
    pub async fn burn(&self, id: &str) -> Result<HistoryItem> {
        self.lock_burning().insert(id.to_owned());
        let result = self.burn_marked(id).await;
        self.lock_burning().remove(id);
        result
    }

    async fn burn_marked(&self, id: &str) -> Result<HistoryItem> {
        let entry = self.history.get(id)?;
        let account = self.account(Some(&entry.account_id))?;
        let burned = if account.kind == ServerKind::Wisp {
            let client = self.client(&account)?;
            client
                .burn(&entry.metadata_key)
                .await
                .map_err(DeskError::from)
        } else {
            let provider = self.provider(&account)?;
            provider
                .burn(&entry.metadata_key)
                .await
                .map_err(DeskError::from)
        };
        let reason = match burned {
            Ok(_) => Some(BurnReason::Sender),
            // Already gone (viewed, expired): the history just learns it.
            Err(e) if e.code == ErrorCode::Unavailable => None,
            Err(e) => return Err(e),
        };
        let entries = self.history.update(|entries| {
            entries.iter_mut().filter(|e| e.id == id).for_each(|e| {
                e.state = SecretState::Burned;
                e.burn_reason = reason;
                e.notified = true;
            });
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
        if let Some((kind, urls)) = foreign_links(links) {
            let provider = wisp_providers::connect_to(kind, link_origin(&urls[0]), None)?;
            let info = match provider.link_status(&urls[0]).await {
                Ok(info) => info,
                // The API cannot tell without opening it: say it may be there.
                Err(wisp_providers::ProviderError::Unsupported { .. }) => {
                    wisp_providers::LinkInfo {
                        available: true,
                        needs_passphrase: false,
                        views_left: None,
                        expires_at: None,
                    }
                }
                Err(e) => return Err(e.into()),
            };
            return Ok(LinkStatus {
                id: String::new(),
                available: info.available,
                kind: None,
                size: None,
                needs_passphrase: info.needs_passphrase,
                parts_needed: 1,
                parts_given: 1,
                views_left: info.views_left,
                expires_at: info.expires_at.map(rfc3339),
            });
        }
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
        let passphrase = passphrase.filter(|p| !p.is_empty()).map(SecretString::from);
        if let Some((kind, urls)) = foreign_links(links) {
            let provider = wisp_providers::connect_to(kind, link_origin(&urls[0]), None)?;
            let revealed = provider.reveal(&urls, passphrase.as_ref()).await?;
            let text = String::from_utf8_lossy(&revealed.content).into_owned();
            return Ok(RevealOutcome::Text {
                text,
                views_left: revealed.views_left,
            });
        }
        let links = open::parse_links(links)?;
        open::reveal(&links, passphrase, choose).await
    }
}

/// Pasted links of another kind than Wisp's (recognised by their shape), split on
/// whitespace.
fn foreign_links(input: &[String]) -> Option<(ServerKind, Vec<String>)> {
    let urls: Vec<String> = input
        .iter()
        .flat_map(|chunk| chunk.split_whitespace())
        .map(str::to_owned)
        .collect();
    match wisp_providers::recognise(urls.first()?)? {
        ServerKind::Wisp => None,
        kind => Some((kind, urls)),
    }
}

/// `scheme://host:port` of a link.
fn link_origin(url: &str) -> &str {
    let after = url.find("://").map_or(0, |i| i + 3);
    let end = url[after..]
        .find(['/', '#', '?'])
        .map_or(url.len(), |i| after + i);
    &url[..end]
}

/// What a server gave back for a new secret, whatever its kind.
struct Recorded {
    id: String,
    key: String,
    links: Vec<String>,
    expires_at: OffsetDateTime,
    max_views: Option<u32>,
}

fn supported(kind: ServerKind) -> Result<()> {
    if kind == ServerKind::Wisp {
        Ok(())
    } else {
        Err(DeskError::new(
            ErrorCode::Unsupported,
            format!(
                "{} accounts send text only: files go through Wisp accounts.",
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

/// What a server said about one of an account's secrets (see [`Desk::apply_receipts`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seen {
    /// Its state.
    pub state: SecretState,
    /// Views used; `None` keeps the stored count (a server that forgot a secret, or a kind
    /// of server that does not say).
    pub views: Option<u32>,
    /// Its expiry; `None` keeps the stored one.
    pub expires_at: Option<OffsetDateTime>,
    /// Why it burned, when the server says (Wisp servers since format v2).
    pub burn_reason: Option<BurnReason>,
    /// Wrong passphrase attempts counted so far; `None` keeps the stored count.
    pub wrong_attempts: Option<u32>,
}

impl Seen {
    /// Only a state: everything else stays as stored.
    pub fn state(state: SecretState) -> Seen {
        Seen {
            state,
            views: None,
            expires_at: None,
            burn_reason: None,
            wrong_attempts: None,
        }
    }
}

impl From<&wisp_api::Receipt> for Seen {
    fn from(r: &wisp_api::Receipt) -> Self {
        Seen {
            state: r.state,
            views: Some(r.views_used),
            expires_at: Some(r.expires_at),
            burn_reason: r.burn_reason.filter(|_| r.state == SecretState::Burned),
            wrong_attempts: Some(r.wrong_attempts),
        }
    }
}

pub(crate) fn item(e: Entry, names: &HashMap<String, String>) -> HistoryItem {
    HistoryItem {
        account_name: names
            .get(&e.account_id)
            .cloned()
            // The UI names a removed account in the user's language.
            .unwrap_or_default(),
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
        burn_reason: e.burn_reason.map(Into::into),
        wrong_attempts: e.wrong_attempts,
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

/// A connection test's outcome: (reachable, authenticated), the English sentence, and its
/// dictionary key with placeholder values for the UI.
fn report(
    (reachable, authenticated): (bool, bool),
    message: String,
    key: &str,
    vars: &[(&str, String)],
) -> ConnectionReport {
    ConnectionReport {
        reachable,
        authenticated,
        server_version: None,
        message,
        key: Some(key.to_owned()),
        vars: vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect(),
    }
}

/// A server that could not be reached: the error's own sentence (and key, when it has one).
fn unreachable_report(e: DeskError) -> ConnectionReport {
    ConnectionReport {
        reachable: false,
        authenticated: false,
        server_version: None,
        message: e.message,
        key: e.key.map(str::to_owned),
        vars: e.vars.into_iter().map(|(k, v)| (k.to_owned(), v)).collect(),
    }
}
