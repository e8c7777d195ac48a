//! Where Wisp keeps its few long-lived secrets (account API tokens, the history key): the
//! OS keyring — Secret Service on Linux, Keychain on macOS, Credential Manager on Windows —
//! never a file. Desktop app and CLI share the same entries, so an account added in one
//! works in the other.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use secrecy::{ExposeSecret, SecretString};

/// The keyring service name Wisp's entries live under.
pub const SERVICE: &str = "wisp";

/// Why the vault could not do what was asked.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum VaultError {
    /// No keyring is usable here (no Secret Service, locked and not unlockable, …).
    #[error("the system keyring is not available: {0}")]
    Unavailable(String),
    /// The keyring refused or failed the operation.
    #[error("the system keyring failed: {0}")]
    Failed(String),
}

/// Result alias.
pub type Result<T, E = VaultError> = std::result::Result<T, E>;

/// A store of named secrets. Names are plain (`account:<id>`, `history-key`); values are
/// secret strings. Calls may block on D-Bus: call them off the async executor.
pub trait Vault: Send + Sync + std::fmt::Debug {
    /// The secret stored under `name`, if any.
    fn get(&self, name: &str) -> Result<Option<SecretString>>;
    /// Stores (or replaces) `value` under `name`.
    fn set(&self, name: &str, value: &SecretString) -> Result<()>;
    /// Removes `name`; removing what is not there is not an error.
    fn delete(&self, name: &str) -> Result<()>;
}

/// The OS keyring under one service name (normally [`SERVICE`]; tests use their own).
#[derive(Debug, Clone)]
pub struct KeyringVault {
    service: String,
}

impl KeyringVault {
    /// The keyring entries of `service`.
    pub fn new(service: impl Into<String>) -> Self {
        KeyringVault {
            service: service.into(),
        }
    }

    fn entry(&self, name: &str) -> Result<keyring::Entry> {
        keyring::Entry::new(&self.service, name).map_err(map_err)
    }
}

impl Default for KeyringVault {
    fn default() -> Self {
        KeyringVault::new(SERVICE)
    }
}

fn map_err(e: keyring::Error) -> VaultError {
    match e {
        keyring::Error::NoStorageAccess(inner) => VaultError::Unavailable(inner.to_string()),
        keyring::Error::PlatformFailure(inner) => VaultError::Unavailable(inner.to_string()),
        other => VaultError::Failed(other.to_string()),
    }
}

impl Vault for KeyringVault {
    fn get(&self, name: &str) -> Result<Option<SecretString>> {
        match self.entry(name)?.get_password() {
            Ok(value) => Ok(Some(SecretString::from(value))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(map_err(e)),
        }
    }

    fn set(&self, name: &str, value: &SecretString) -> Result<()> {
        self.entry(name)?
            .set_password(value.expose_secret())
            .map_err(map_err)
    }

    fn delete(&self, name: &str) -> Result<()> {
        match self.entry(name)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(map_err(e)),
        }
    }
}

/// An in-memory vault: for tests, and for CI machines without a keyring where tokens come
/// from the environment instead.
#[derive(Debug, Clone, Default)]
pub struct MemoryVault {
    entries: Arc<Mutex<HashMap<String, SecretString>>>,
}

impl MemoryVault {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, SecretString>> {
        // A poisoned map is still a valid map: a panic elsewhere must not lose tokens.
        self.entries.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Vault for MemoryVault {
    fn get(&self, name: &str) -> Result<Option<SecretString>> {
        Ok(self.lock().get(name).cloned())
    }

    fn set(&self, name: &str, value: &SecretString) -> Result<()> {
        self.lock().insert(name.to_owned(), value.clone());
        Ok(())
    }

    fn delete(&self, name: &str) -> Result<()> {
        self.lock().remove(name);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(vault: &dyn Vault) {
        let name = "test-entry";
        vault.delete(name).expect("delete missing");
        assert!(vault.get(name).expect("get").is_none());
        vault.set(name, &SecretString::from("s3cret")).expect("set");
        let got = vault.get(name).expect("get").expect("present");
        assert_eq!(got.expose_secret(), "s3cret");
        vault
            .set(name, &SecretString::from("other"))
            .expect("replace");
        assert_eq!(
            vault
                .get(name)
                .expect("get")
                .expect("present")
                .expose_secret(),
            "other"
        );
        vault.delete(name).expect("delete");
        assert!(vault.get(name).expect("get").is_none());
    }

    #[test]
    fn memory_vault_round_trip() {
        round_trip(&MemoryVault::default());
    }

    /// Runs against the real Secret Service when the test suite started one
    /// (`WISP_TEST_KEYRING=1`, see scripts/test.sh); skipped otherwise.
    #[test]
    fn keyring_vault_round_trip() {
        if std::env::var_os("WISP_TEST_KEYRING").is_none() {
            eprintln!("WISP_TEST_KEYRING not set: no Secret Service session, skipped");
            return;
        }
        round_trip(&KeyringVault::new(format!(
            "wisp-test-{}",
            std::process::id()
        )));
    }
}
