//! Everything the desktop app does, as a library the Tauri shell and the CLI call: accounts
//! with tokens in the keyring, sending text and files with progress and cancel, the
//! encrypted history and its refresh, received links, settings. The view types in
//! [`views`] are what crosses IPC; with feature `ts` they generate the UI's TypeScript.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod background;
mod desk;
mod drops;
mod error;
pub mod locale;
pub mod notice;
mod open;
mod pack;
mod password;
mod qr;
mod settings;
pub mod views;
pub mod watch;

pub use background::BurnAll;
pub use desk::{Desk, Progress, Seen};
pub use drops::Drops;
pub use error::{DeskError, ErrorCode};
pub use locale::{words, Lang, Words};
pub use notice::{
    notification_text, summary_text, Notice, NoticeEvent, Notifier, Silent, MOST_SEPARATE,
};
pub use open::parse_links;
pub use password::generate_password;
pub use qr::qr_svg;
pub use settings::SettingsStore;
pub use watch::{WatchConfig, WatchError, WatchStats, Watcher};
