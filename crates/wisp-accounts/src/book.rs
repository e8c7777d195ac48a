//! The account book (`accounts.toml`) and the operations on it, with tokens in the vault.

use std::path::PathBuf;
use std::sync::Arc;

use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use wisp_vault::{Vault, VaultError};

use crate::kind::ServerKind;
use crate::paths::atomic_write;

/// One account: a server, the API it speaks, and defaults for what is sent through it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    /// Stable random id (names the keyring entry of the token).
    pub id: String,
    /// A name chosen by the user, unique on this machine (case-insensitive).
    pub name: String,
    /// The API the server speaks.
    pub kind: ServerKind,
    /// The server's base URL, without a trailing slash.
    pub url: String,
    /// Default lifetime of secrets sent through this account (the app default when unset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_ttl_secs: Option<u64>,
    /// Default view limit (`0` = unlimited; the app default when unset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_max_views: Option<u32>,
    /// Whether views of this account's secrets raise desktop notifications.
    #[serde(default = "yes")]
    pub notifications: bool,
}

fn yes() -> bool {
    true
}

/// What the user typed to add or edit an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountDraft {
    /// Name.
    pub name: String,
    /// Server kind.
    pub kind: ServerKind,
    /// Base URL.
    pub url: String,
    /// Default lifetime.
    pub default_ttl_secs: Option<u64>,
    /// Default view limit.
    pub default_max_views: Option<u32>,
    /// Notifications on.
    pub notifications: bool,
}

/// What to do with an account's token on edit.
#[derive(Debug, Clone)]
pub enum TokenChange {
    /// Leave it as it is.
    Keep,
    /// Store this one.
    Set(SecretString),
    /// Remove it (the account becomes anonymous).
    Remove,
}

/// The whole `accounts.toml`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountBook {
    /// The id of the account used when none is named.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// Every account, in the order they were added.
    #[serde(default, rename = "account")]
    pub accounts: Vec<Account>,
}

impl AccountBook {
    /// The account with this id, or else this name (case-insensitive).
    pub fn find(&self, id_or_name: &str) -> Option<&Account> {
        self.accounts
            .iter()
            .find(|a| a.id == id_or_name)
            .or_else(|| {
                self.accounts
                    .iter()
                    .find(|a| a.name.eq_ignore_ascii_case(id_or_name))
            })
    }

    /// The default account (the first one when the default was never chosen).
    pub fn default_account(&self) -> Option<&Account> {
        self.default
            .as_deref()
            .and_then(|id| self.accounts.iter().find(|a| a.id == id))
            .or_else(|| self.accounts.first())
    }
}

/// Why an account operation failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AccountError {
    /// The input is not acceptable; the message says what to change.
    #[error("{0}")]
    Invalid(String),
    /// No account with that id or name.
    #[error("no account named {0:?}")]
    NotFound(String),
    /// `accounts.toml` could not be read or written.
    #[error("cannot use {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        source: std::io::Error,
    },
    /// `accounts.toml` is not valid.
    #[error("{path} is damaged: {message}")]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// The parser's complaint.
        message: String,
    },
    /// The keyring failed.
    #[error(transparent)]
    Vault(#[from] VaultError),
}

/// Result alias.
pub type Result<T, E = AccountError> = std::result::Result<T, E>;

/// Accounts stored in a config dir, with tokens in a vault.
#[derive(Debug, Clone)]
pub struct Accounts {
    file: PathBuf,
    vault: Arc<dyn Vault>,
}

impl Accounts {
    /// Accounts in `dir/accounts.toml`, tokens in `vault`.
    pub fn new(dir: impl Into<PathBuf>, vault: Arc<dyn Vault>) -> Self {
        Accounts {
            file: dir.into().join("accounts.toml"),
            vault,
        }
    }

    /// The file the accounts live in.
    pub fn file(&self) -> &std::path::Path {
        &self.file
    }

    /// The vault tokens live in.
    pub fn vault(&self) -> &Arc<dyn Vault> {
        &self.vault
    }

    /// Reads the book (empty when the file does not exist yet).
    pub fn load(&self) -> Result<AccountBook> {
        let text = match std::fs::read_to_string(&self.file) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(AccountBook::default()),
            Err(source) => {
                return Err(AccountError::Io {
                    path: self.file.clone(),
                    source,
                })
            }
        };
        toml::from_str(&text).map_err(|e| AccountError::Corrupt {
            path: self.file.clone(),
            message: e.message().to_owned(),
        })
    }

    fn save(&self, book: &AccountBook) -> Result<()> {
        let text = toml::to_string_pretty(book).map_err(|e| AccountError::Corrupt {
            path: self.file.clone(),
            message: e.to_string(),
        })?;
        let header = "# Wisp accounts. API tokens are not here: they live in the OS keyring.\n";
        atomic_write(&self.file, format!("{header}{text}").as_bytes()).map_err(|source| {
            AccountError::Io {
                path: self.file.clone(),
                source,
            }
        })
    }

    /// Adds an account (the first one becomes the default).
    pub fn add(&self, draft: AccountDraft, token: Option<SecretString>) -> Result<Account> {
        let mut book = self.load()?;
        let draft = validate(draft, &book, None)?;
        let account = Account {
            id: hex::encode(rand::random::<[u8; 8]>()),
            name: draft.name,
            kind: draft.kind,
            url: draft.url,
            default_ttl_secs: draft.default_ttl_secs,
            default_max_views: draft.default_max_views,
            notifications: draft.notifications,
        };
        // The token first: an account that is listed must have the token it was given.
        if let Some(token) = token {
            self.vault.set(&token_entry(&account.id), &token)?;
        }
        if book.accounts.is_empty() {
            book.default = Some(account.id.clone());
        }
        book.accounts.push(account.clone());
        self.save(&book)?;
        Ok(account)
    }

    /// Edits an account in place.
    pub fn update(&self, id: &str, draft: AccountDraft, token: TokenChange) -> Result<Account> {
        let mut book = self.load()?;
        let draft = validate(draft, &book, Some(id))?;
        let index = book
            .accounts
            .iter()
            .position(|a| a.id == id)
            .ok_or_else(|| AccountError::NotFound(id.to_owned()))?;
        match token {
            TokenChange::Keep => {}
            TokenChange::Set(token) => self.vault.set(&token_entry(id), &token)?,
            TokenChange::Remove => self.vault.delete(&token_entry(id))?,
        }
        let account = &mut book.accounts[index];
        account.name = draft.name;
        account.kind = draft.kind;
        account.url = draft.url;
        account.default_ttl_secs = draft.default_ttl_secs;
        account.default_max_views = draft.default_max_views;
        account.notifications = draft.notifications;
        let updated = account.clone();
        self.save(&book)?;
        Ok(updated)
    }

    /// Removes an account (by id or name) and its token.
    pub fn remove(&self, id_or_name: &str) -> Result<Account> {
        let mut book = self.load()?;
        let account = book
            .find(id_or_name)
            .cloned()
            .ok_or_else(|| AccountError::NotFound(id_or_name.to_owned()))?;
        book.accounts.retain(|a| a.id != account.id);
        if book.default.as_deref() == Some(account.id.as_str()) {
            book.default = book.accounts.first().map(|a| a.id.clone());
        }
        self.save(&book)?;
        self.vault.delete(&token_entry(&account.id))?;
        Ok(account)
    }

    /// Makes an account (by id or name) the default.
    pub fn set_default(&self, id_or_name: &str) -> Result<Account> {
        let mut book = self.load()?;
        let account = book
            .find(id_or_name)
            .cloned()
            .ok_or_else(|| AccountError::NotFound(id_or_name.to_owned()))?;
        book.default = Some(account.id.clone());
        self.save(&book)?;
        Ok(account)
    }

    /// The account's API token, if it has one.
    pub fn token(&self, id: &str) -> Result<Option<SecretString>> {
        Ok(self.vault.get(&token_entry(id))?)
    }
}

/// The keyring entry that holds an account's token.
fn token_entry(id: &str) -> String {
    format!("account:{id}")
}

/// Checks and normalises a draft; `editing` is the id of the account being edited.
fn validate(
    mut draft: AccountDraft,
    book: &AccountBook,
    editing: Option<&str>,
) -> Result<AccountDraft> {
    draft.name = draft.name.trim().to_owned();
    if draft.name.is_empty() || draft.name.chars().count() > 64 {
        return Err(AccountError::Invalid(
            "Give the account a name of 1 to 64 characters.".into(),
        ));
    }
    if book
        .accounts
        .iter()
        .any(|a| Some(a.id.as_str()) != editing && a.name.eq_ignore_ascii_case(&draft.name))
    {
        return Err(AccountError::Invalid(format!(
            "An account named \"{}\" already exists: choose another name.",
            draft.name
        )));
    }
    draft.url = normalise_url(&draft.url)?;
    if draft.default_ttl_secs == Some(0) {
        return Err(AccountError::Invalid(
            "The default lifetime must be at least one minute.".into(),
        ));
    }
    Ok(draft)
}

/// A base URL: http(s), no credentials, query or fragment; plain http only on loopback,
/// because tokens and ciphertext must not cross a network in clear.
pub fn normalise_url(input: &str) -> Result<String> {
    let invalid = |why: &str| AccountError::Invalid(format!("The server address {why}."));
    let url = url::Url::parse(input.trim()).map_err(|_| {
        invalid("is not a valid URL (expected something like https://wisp.example.com)")
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid("must start with https://"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid(
            "must not contain a user name or password (use the API token field)",
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("must not contain ? or #"));
    }
    let loopback = match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => return Err(invalid("has no host")),
    };
    if url.scheme() == "http" && !loopback {
        return Err(invalid(
            "must use https:// (plain http is only allowed for a server on this computer)",
        ));
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;
    use wisp_vault::MemoryVault;

    fn draft(name: &str, url: &str) -> AccountDraft {
        AccountDraft {
            name: name.into(),
            kind: ServerKind::Wisp,
            url: url.into(),
            default_ttl_secs: None,
            default_max_views: None,
            notifications: true,
        }
    }

    fn accounts() -> (tempfile::TempDir, Accounts, MemoryVault) {
        let dir = tempfile::tempdir().expect("tempdir");
        let vault = MemoryVault::default();
        let accounts = Accounts::new(dir.path(), Arc::new(vault.clone()));
        (dir, accounts, vault)
    }

    #[test]
    fn add_edit_remove_with_tokens_outside_the_file() {
        let (_dir, accounts, vault) = accounts();
        let work = accounts
            .add(
                draft("Work", "https://wisp.example.com/"),
                Some("tok-123".to_owned().into()),
            )
            .expect("add");
        assert_eq!(work.url, "https://wisp.example.com");
        let home = accounts
            .add(draft("Home", "http://127.0.0.1:8787"), None)
            .expect("add");

        let book = accounts.load().expect("load");
        assert_eq!(
            book.default_account().map(|a| a.id.as_str()),
            Some(work.id.as_str())
        );
        let text = std::fs::read_to_string(accounts.file()).expect("read");
        assert!(
            !text.contains("tok-123"),
            "the token must never be in the file"
        );
        assert_eq!(
            accounts
                .token(&work.id)
                .expect("token")
                .expect("some")
                .expose_secret(),
            "tok-123"
        );
        assert!(accounts.token(&home.id).expect("token").is_none());

        accounts.set_default("home").expect("by name");
        assert_eq!(
            accounts.load().expect("load").default_account(),
            Some(&home)
        );

        let mut edited = draft("Work 2", "https://other.example.com");
        edited.default_max_views = Some(3);
        let work = accounts
            .update(&work.id, edited, TokenChange::Keep)
            .expect("update");
        assert_eq!(work.default_max_views, Some(3));
        assert!(accounts.token(&work.id).expect("token").is_some());
        accounts
            .update(
                &work.id,
                draft("Work 2", "https://other.example.com"),
                TokenChange::Remove,
            )
            .expect("update");
        assert!(accounts.token(&work.id).expect("token").is_none());

        accounts.remove(&home.id).expect("remove");
        let book = accounts.load().expect("load");
        assert_eq!(book.accounts.len(), 1);
        assert_eq!(
            book.default.as_deref(),
            Some(work.id.as_str()),
            "default moves on"
        );
        assert!(vault.get(&token_entry(&home.id)).expect("get").is_none());
    }

    #[test]
    fn bad_input_is_refused_with_a_sentence_and_changes_nothing() {
        let (_dir, accounts, _vault) = accounts();
        accounts
            .add(draft("Work", "https://a.example"), None)
            .expect("add");
        for (d, needle) in [
            (draft("work", "https://b.example"), "already exists"),
            (draft("  ", "https://b.example"), "name"),
            (draft("X", "ftp://b.example"), "https://"),
            (draft("X", "http://b.example"), "https://"),
            (draft("X", "https://user:pw@b.example"), "password"),
            (draft("X", "not a url"), "valid URL"),
            (draft("X", "https://b.example/?q#k"), "? or #"),
        ] {
            let err = accounts.add(d, None).expect_err("refused");
            assert!(
                err.to_string().contains(needle),
                "{err} should mention {needle}"
            );
        }
        assert_eq!(accounts.load().expect("load").accounts.len(), 1);
        assert!(matches!(
            accounts.remove("nobody"),
            Err(AccountError::NotFound(_))
        ));
    }

    #[test]
    fn loopback_http_is_allowed() {
        for url in [
            "http://localhost:8787",
            "http://127.0.0.1:1",
            "http://[::1]:80/wisp/",
        ] {
            assert!(normalise_url(url).is_ok(), "{url}");
        }
        assert_eq!(
            normalise_url("http://[::1]:80/wisp/").expect("ok"),
            "http://[::1]/wisp"
        );
    }

    #[test]
    fn a_damaged_file_is_reported_not_overwritten() {
        let (_dir, accounts, _vault) = accounts();
        std::fs::write(accounts.file(), "this is = = not toml").expect("write");
        assert!(matches!(accounts.load(), Err(AccountError::Corrupt { .. })));
        assert!(accounts.add(draft("A", "https://a.example"), None).is_err());
        assert_eq!(
            std::fs::read_to_string(accounts.file()).expect("read"),
            "this is = = not toml"
        );
    }

    #[cfg(unix)]
    #[test]
    fn the_file_is_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let (_dir, accounts, _vault) = accounts();
        accounts
            .add(draft("A", "https://a.example"), None)
            .expect("add");
        let mode = std::fs::metadata(accounts.file())
            .expect("meta")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}
