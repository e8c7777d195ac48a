//! Accounts: which servers this machine sends secrets through, what kind of API each speaks,
//! and per-account defaults. Settings live in `accounts.toml` in the config dir; API tokens
//! live only in the [`Vault`] (the OS keyring). The desktop app and the CLI read and write
//! the same files and keyring entries.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod book;
mod kind;
mod paths;

pub use book::{
    normalise_url, Account, AccountBook, AccountDraft, AccountError, Accounts, TokenChange,
};
pub use kind::ServerKind;
pub use paths::{atomic_write, config_dir, data_dir};
pub use wisp_vault::{KeyringVault, MemoryVault, Vault, VaultError};
