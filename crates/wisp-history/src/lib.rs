//! History: every secret sent from this machine — account, times, views, state, note, and
//! the link only when the user opted in. The file is sealed with AES-256-GCM under a key
//! kept in the OS keyring, so a copied disk or backup shows nothing but ciphertext.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use wisp_accounts::atomic_write;
use wisp_vault::{Vault, VaultError};
use zeroize::Zeroizing;

pub use wisp_api::BurnReason;
pub use wisp_api::ReceiptState as SecretState;

/// The keyring entry holding the history key.
pub const KEY_ENTRY: &str = "history-key";
const MAGIC: &[u8; 8] = b"WISPHST1";
const NONCE_LEN: usize = 12;

/// What a secret holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContentKind {
    /// Text typed or pasted.
    Text,
    /// A file (or a packed folder).
    File,
}

/// One secret sent from this machine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The secret's id on its server.
    pub id: String,
    /// The account it was sent through.
    pub account_id: String,
    /// The sender's receipt key (status, burn): as sensitive as the history itself.
    pub metadata_key: String,
    /// Text or file.
    pub kind: ContentKind,
    /// File name, or empty for text.
    pub label: String,
    /// The creator note.
    pub note: Option<String>,
    /// Plaintext size in bytes.
    pub size: u64,
    /// Created.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// Expires.
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
    /// Views allowed (`None` = unlimited).
    pub max_views: Option<u32>,
    /// Views so far.
    pub views: u32,
    /// Lifecycle state as last seen.
    pub state: SecretState,
    /// The link(s), only when the user chose to keep them.
    pub links: Option<Vec<String>>,
    /// Whether the user was already told about the current state (so a restart never
    /// notifies twice).
    #[serde(default)]
    pub notified: bool,
    /// Why it burned, as its server said (only for a burned secret; `None` when the server
    /// did not say, or the user burned it here).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub burn_reason: Option<BurnReason>,
    /// Wrong passphrase attempts the server counted on it (v1: wrong reveal proofs).
    #[serde(default)]
    pub wrong_attempts: u32,
}

impl Entry {
    /// Whether the secret can still change state (worth watching).
    pub fn is_open(&self) -> bool {
        matches!(self.state, SecretState::Pending | SecretState::Viewed)
            && self.max_views.is_none_or(|m| self.views < m)
    }
}

/// Which entries to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Only this account.
    pub account_id: Option<String>,
    /// Only this state.
    pub state: Option<SecretState>,
}

impl Filter {
    fn matches(&self, entry: &Entry) -> bool {
        self.account_id
            .as_ref()
            .is_none_or(|a| *a == entry.account_id)
            && self.state.is_none_or(|s| s == entry.state)
    }
}

/// Why the history could not be read or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum HistoryError {
    /// The file could not be read or written.
    #[error("cannot use the history file {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        source: std::io::Error,
    },
    /// The file does not open with the key in the keyring (damaged, or the keyring entry
    /// was replaced). Nothing is overwritten: the file is left for the user to inspect.
    #[error("the history file {0} cannot be decrypted with the key in the keyring")]
    Undecryptable(PathBuf),
    /// The keyring failed.
    #[error(transparent)]
    Vault(#[from] VaultError),
    /// No entry with that id.
    #[error("no secret {0} in the history")]
    NotFound(String),
}

/// Result alias.
pub type Result<T, E = HistoryError> = std::result::Result<T, E>;

/// The encrypted history file.
#[derive(Debug, Clone)]
pub struct History {
    file: PathBuf,
    vault: Arc<dyn Vault>,
    /// Serialises read-modify-write cycles of this process (clones share it): the
    /// receipts watcher updates entries from several tasks while the UI refreshes and
    /// sends, and an unserialised load-change-save would lose one of two updates.
    lock: Arc<Mutex<()>>,
}

impl History {
    /// The history in `dir/history.wisp`, keyed from `vault`.
    pub fn new(dir: impl AsRef<Path>, vault: Arc<dyn Vault>) -> Self {
        History {
            file: dir.as_ref().join("history.wisp"),
            vault,
            lock: Arc::new(Mutex::new(())),
        }
    }

    fn write_lock(&self) -> MutexGuard<'_, ()> {
        self.lock.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The file.
    pub fn file(&self) -> &Path {
        &self.file
    }

    fn cipher(&self, create: bool) -> Result<Option<Aes256Gcm>> {
        let encoded = match self.vault.get(KEY_ENTRY)? {
            Some(encoded) => encoded,
            None if !create => return Ok(None),
            None => {
                let key = Zeroizing::new(rand::random::<[u8; 32]>());
                let encoded = SecretString::from(STANDARD.encode(key.as_slice()));
                self.vault.set(KEY_ENTRY, &encoded)?;
                encoded
            }
        };
        let key = Zeroizing::new(
            STANDARD
                .decode(encoded.expose_secret())
                .map_err(|_| HistoryError::Undecryptable(self.file.clone()))?,
        );
        Aes256Gcm::new_from_slice(&key)
            .map(Some)
            .map_err(|_| HistoryError::Undecryptable(self.file.clone()))
    }

    /// Every entry, newest first.
    pub fn load(&self) -> Result<Vec<Entry>> {
        let sealed = match std::fs::read(&self.file) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(source) => {
                return Err(HistoryError::Io {
                    path: self.file.clone(),
                    source,
                })
            }
        };
        let undecryptable = || HistoryError::Undecryptable(self.file.clone());
        let cipher = self.cipher(false)?.ok_or_else(undecryptable)?;
        let body = sealed
            .strip_prefix(MAGIC.as_slice())
            .ok_or_else(undecryptable)?;
        if body.len() < NONCE_LEN {
            return Err(undecryptable());
        }
        let (nonce, ciphertext) = body.split_at(NONCE_LEN);
        let plain = Zeroizing::new(
            cipher
                .decrypt(
                    Nonce::from_slice(nonce),
                    Payload {
                        msg: ciphertext,
                        aad: MAGIC,
                    },
                )
                .map_err(|_| undecryptable())?,
        );
        serde_json::from_slice(&plain).map_err(|_| undecryptable())
    }

    /// Replaces every entry (sorted newest first).
    pub fn save(&self, entries: &mut [Entry]) -> Result<()> {
        let _guard = self.write_lock();
        self.save_unlocked(entries)
    }

    fn save_unlocked(&self, entries: &mut [Entry]) -> Result<()> {
        entries.sort_by_key(|e| std::cmp::Reverse(e.created_at));
        let cipher = self
            .cipher(true)?
            .ok_or_else(|| HistoryError::Undecryptable(self.file.clone()))?;
        let plain = Zeroizing::new(serde_json::to_vec(&entries).map_err(|e| HistoryError::Io {
            path: self.file.clone(),
            source: std::io::Error::other(e),
        })?);
        let nonce = rand::random::<[u8; NONCE_LEN]>();
        let ciphertext = cipher
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: &plain,
                    aad: MAGIC,
                },
            )
            .map_err(|_| HistoryError::Undecryptable(self.file.clone()))?;
        let mut sealed = Vec::with_capacity(MAGIC.len() + NONCE_LEN + ciphertext.len());
        sealed.extend_from_slice(MAGIC);
        sealed.extend_from_slice(&nonce);
        sealed.extend_from_slice(&ciphertext);
        atomic_write(&self.file, &sealed).map_err(|source| HistoryError::Io {
            path: self.file.clone(),
            source,
        })
    }

    /// Entries matching `filter`, newest first.
    pub fn list(&self, filter: &Filter) -> Result<Vec<Entry>> {
        Ok(self
            .load()?
            .into_iter()
            .filter(|e| filter.matches(e))
            .collect())
    }

    /// Adds (or replaces, by id) an entry.
    pub fn insert(&self, entry: Entry) -> Result<()> {
        let _guard = self.write_lock();
        let mut entries = self.load()?;
        entries.retain(|e| e.id != entry.id);
        entries.push(entry);
        self.save_unlocked(&mut entries)
    }

    /// Changes entries in one read-modify-write; `change` returns whether it changed
    /// anything (nothing is written otherwise).
    pub fn update(&self, change: impl FnOnce(&mut Vec<Entry>) -> bool) -> Result<Vec<Entry>> {
        let _guard = self.write_lock();
        let mut entries = self.load()?;
        if change(&mut entries) {
            self.save_unlocked(&mut entries)?;
        }
        Ok(entries)
    }

    /// Removes an entry.
    pub fn remove(&self, id: &str) -> Result<Entry> {
        let _guard = self.write_lock();
        let mut entries = self.load()?;
        let index = entries
            .iter()
            .position(|e| e.id == id)
            .ok_or_else(|| HistoryError::NotFound(id.to_owned()))?;
        let removed = entries.remove(index);
        self.save_unlocked(&mut entries)?;
        Ok(removed)
    }

    /// One entry.
    pub fn get(&self, id: &str) -> Result<Entry> {
        self.load()?
            .into_iter()
            .find(|e| e.id == id)
            .ok_or_else(|| HistoryError::NotFound(id.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::Duration;
    use wisp_vault::MemoryVault;

    fn entry(id: &str, account: &str, state: SecretState, age_secs: i64) -> Entry {
        let now = OffsetDateTime::from_unix_timestamp(1_800_000_000).expect("time");
        Entry {
            id: id.into(),
            account_id: account.into(),
            metadata_key: format!("mk-{id}"),
            kind: ContentKind::Text,
            label: String::new(),
            note: Some(format!("note {id}")),
            size: 42,
            created_at: now - Duration::seconds(age_secs),
            expires_at: now + Duration::hours(1),
            max_views: Some(1),
            views: 0,
            state,
            links: None,
            notified: false,
            burn_reason: None,
            wrong_attempts: 0,
        }
    }

    #[test]
    fn round_trip_sorted_and_filtered() {
        let dir = tempfile::tempdir().expect("tempdir");
        let history = History::new(dir.path(), Arc::new(MemoryVault::default()));
        assert!(history.load().expect("empty").is_empty());
        history
            .insert(entry("old", "a", SecretState::Viewed, 100))
            .expect("insert");
        history
            .insert(entry("new", "b", SecretState::Pending, 1))
            .expect("insert");
        history
            .insert(entry("mid", "a", SecretState::Pending, 50))
            .expect("insert");
        let ids: Vec<_> = history
            .load()
            .expect("load")
            .into_iter()
            .map(|e| e.id)
            .collect();
        assert_eq!(ids, ["new", "mid", "old"]);
        let only_a_pending = history
            .list(&Filter {
                account_id: Some("a".into()),
                state: Some(SecretState::Pending),
            })
            .expect("list");
        assert_eq!(only_a_pending.len(), 1);
        assert_eq!(only_a_pending[0].id, "mid");
        history.remove("mid").expect("remove");
        assert!(matches!(history.get("mid"), Err(HistoryError::NotFound(_))));
    }

    #[test]
    fn the_file_is_ciphertext() {
        let dir = tempfile::tempdir().expect("tempdir");
        let history = History::new(dir.path(), Arc::new(MemoryVault::default()));
        let mut e = entry("s3cr3tid", "acct", SecretState::Pending, 0);
        e.links = Some(vec!["https://wisp.example/s/s3cr3tid#k=KEYKEYKEY".into()]);
        history.insert(e).expect("insert");
        let raw = std::fs::read(history.file()).expect("read");
        for needle in ["s3cr3tid", "KEYKEYKEY", "note", "mk-"] {
            assert!(
                !raw.windows(needle.len()).any(|w| w == needle.as_bytes()),
                "{needle} is in the file"
            );
        }
    }

    #[test]
    fn a_wrong_key_or_damage_is_reported_and_nothing_is_overwritten() {
        let dir = tempfile::tempdir().expect("tempdir");
        let history = History::new(dir.path(), Arc::new(MemoryVault::default()));
        history
            .insert(entry("x", "a", SecretState::Pending, 0))
            .expect("insert");
        let before = std::fs::read(history.file()).expect("read");

        let other = History::new(dir.path(), Arc::new(MemoryVault::default()));
        assert!(matches!(other.load(), Err(HistoryError::Undecryptable(_))));
        assert!(other
            .insert(entry("y", "a", SecretState::Pending, 0))
            .is_err());
        assert_eq!(std::fs::read(history.file()).expect("read"), before);

        let mut damaged = before.clone();
        let last = damaged.len() - 1;
        damaged[last] ^= 1;
        std::fs::write(history.file(), &damaged).expect("write");
        assert!(matches!(
            history.load(),
            Err(HistoryError::Undecryptable(_))
        ));
    }

    #[test]
    fn entries_written_before_burn_reasons_still_read() {
        let mut e = entry("x", "a", SecretState::Burned, 0);
        let mut json = serde_json::to_value(&e).expect("serialises");
        assert!(json.get("burn_reason").is_none(), "no reason, no field");
        json.as_object_mut()
            .expect("object")
            .remove("wrong_attempts");
        let old: Entry = serde_json::from_value(json).expect("an older entry reads");
        assert_eq!((old.burn_reason, old.wrong_attempts), (None, 0));

        let dir = tempfile::tempdir().expect("tempdir");
        let history = History::new(dir.path(), Arc::new(MemoryVault::default()));
        e.burn_reason = Some(BurnReason::WrongPassphrase);
        e.wrong_attempts = 10;
        history.insert(e.clone()).expect("insert");
        assert_eq!(history.get("x").expect("get"), e);
    }

    #[test]
    fn open_means_still_watchable() {
        let mut e = entry("x", "a", SecretState::Pending, 0);
        assert!(e.is_open());
        e.state = SecretState::Viewed;
        e.views = 1;
        assert!(!e.is_open(), "all views used");
        e.max_views = None;
        assert!(e.is_open());
        e.state = SecretState::Burned;
        assert!(!e.is_open());
    }
}
