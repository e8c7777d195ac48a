//! App preferences in `settings.toml` (config dir): defaults for sending, clipboard
//! clearing, theme, language, the tray, the quick-share shortcut and updates. Nothing secret
//! lives here.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use wisp_accounts::atomic_write;

use crate::views::{Settings, Theme};
use crate::DeskError;

/// Ninety days: longer is never a good idea for a secret.
const MAX_TTL_SECS: u64 = 90 * 24 * 3600;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
struct Stored {
    default_ttl_secs: u64,
    default_max_views: u32,
    clipboard_clear_secs: u32,
    theme: Theme,
    language: String,
    keep_links: bool,
    close_to_tray: bool,
    quick_share_shortcut: String,
    check_updates: bool,
    update_endpoint: String,
    pause_notifications: bool,
}

/// Where updates are announced unless the user points elsewhere (a mirror, a company feed).
pub const DEFAULT_UPDATE_ENDPOINT: &str =
    "https://github.com/wisp-secrets/wisp/releases/latest/download/latest.json";

/// The quick-share shortcut unless the user picks another.
pub const DEFAULT_SHORTCUT: &str = "Ctrl+Alt+S";

impl Default for Stored {
    fn default() -> Self {
        Stored {
            default_ttl_secs: 24 * 3600,
            default_max_views: 1,
            clipboard_clear_secs: 60,
            theme: Theme::System,
            language: "system".into(),
            keep_links: false,
            close_to_tray: true,
            quick_share_shortcut: DEFAULT_SHORTCUT.into(),
            check_updates: true,
            update_endpoint: DEFAULT_UPDATE_ENDPOINT.into(),
            pause_notifications: false,
        }
    }
}

/// Settings stored in a config dir.
#[derive(Debug, Clone)]
pub struct SettingsStore {
    file: PathBuf,
}

impl SettingsStore {
    /// Settings in `dir/settings.toml`.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        SettingsStore {
            file: dir.into().join("settings.toml"),
        }
    }

    /// The current settings (defaults for anything missing or unreadable: preferences are
    /// never worth refusing to start over). `max_upload_bytes` is filled in by the caller.
    pub fn load(&self) -> Settings {
        let stored: Stored = std::fs::read_to_string(&self.file)
            .ok()
            .and_then(|t| toml::from_str(&t).ok())
            .unwrap_or_default();
        Settings {
            default_ttl_secs: stored.default_ttl_secs,
            default_max_views: stored.default_max_views,
            clipboard_clear_secs: stored.clipboard_clear_secs,
            theme: stored.theme,
            language: stored.language,
            keep_links: stored.keep_links,
            close_to_tray: stored.close_to_tray,
            quick_share_shortcut: stored.quick_share_shortcut,
            check_updates: stored.check_updates,
            update_endpoint: stored.update_endpoint,
            pause_notifications: stored.pause_notifications,
            max_upload_bytes: 0,
        }
    }

    /// Checks and stores new settings.
    pub fn save(&self, settings: &Settings) -> Result<(), DeskError> {
        if settings.default_ttl_secs < 60 || settings.default_ttl_secs > MAX_TTL_SECS {
            return Err(DeskError::invalid(
                "The default lifetime must be between one minute and 90 days.",
            )
            .keyed("error.settingsTtl"));
        }
        if settings.default_max_views > 1000 {
            return Err(DeskError::invalid(
                "The default view limit must be at most 1000 (or unlimited).",
            )
            .keyed("error.settingsViews"));
        }
        if settings.clipboard_clear_secs > 24 * 3600 {
            return Err(DeskError::invalid(
                "Clipboard clearing can wait at most a day (0 turns it off).",
            )
            .keyed("error.settingsClipboard"));
        }
        if !matches!(
            settings.language.as_str(),
            "system" | "en" | "fr" | "es" | "ru"
        ) {
            return Err(DeskError::invalid(
                "Choose a language among English, French, Spanish and Russian.",
            )
            .keyed("error.settingsLanguage"));
        }
        if !settings.quick_share_shortcut.is_empty() && !is_shortcut(&settings.quick_share_shortcut)
        {
            return Err(DeskError::invalid(
                "A shortcut is modifiers and one key, like Ctrl+Alt+S (empty turns it off).",
            )
            .keyed("error.settingsShortcut"));
        }
        let endpoint = settings.update_endpoint.trim();
        if !(endpoint.starts_with("https://") || is_loopback_http(endpoint)) {
            return Err(DeskError::invalid(
                "The update address must start with https:// (updates are never fetched in the clear).",
            ).keyed("error.settingsUpdateHttps"));
        }
        let stored = Stored {
            default_ttl_secs: settings.default_ttl_secs,
            default_max_views: settings.default_max_views,
            clipboard_clear_secs: settings.clipboard_clear_secs,
            theme: settings.theme.clone(),
            language: settings.language.clone(),
            keep_links: settings.keep_links,
            close_to_tray: settings.close_to_tray,
            quick_share_shortcut: settings.quick_share_shortcut.trim().to_owned(),
            check_updates: settings.check_updates,
            update_endpoint: endpoint.to_owned(),
            pause_notifications: settings.pause_notifications,
        };
        let text = toml::to_string_pretty(&stored)
            .map_err(|e| DeskError::new(crate::ErrorCode::Internal, e.to_string()))?;
        atomic_write(&self.file, text.as_bytes()).map_err(|e| {
            DeskError::new(
                crate::ErrorCode::Storage,
                format!(
                    "The settings could not be saved to {}: {e}.",
                    self.file.display()
                ),
            )
        })
    }
}

/// "Ctrl+Alt+S": at least one modifier, then exactly one key (a letter, digit or F1–F24).
/// The shell's shortcut parser is the final judge; this catches typos before saving.
fn is_shortcut(text: &str) -> bool {
    let parts: Vec<&str> = text.split('+').map(str::trim).collect();
    let Some((key, modifiers)) = parts.split_last() else {
        return false;
    };
    let modifier = |m: &&str| {
        matches!(
            m.to_ascii_lowercase().as_str(),
            "ctrl"
                | "control"
                | "alt"
                | "option"
                | "shift"
                | "super"
                | "cmd"
                | "command"
                | "commandorcontrol"
                | "cmdorctrl"
        )
    };
    let key_ok = key.len() == 1 && key.chars().all(|c| c.is_ascii_alphanumeric())
        || key
            .strip_prefix(['F', 'f'])
            .and_then(|n| n.parse::<u8>().ok())
            .is_some_and(|n| (1..=24).contains(&n));
    !modifiers.is_empty() && modifiers.iter().all(modifier) && key_ok
}

/// Plain http is allowed for a loopback update server only (local testing and mirrors).
fn is_loopback_http(endpoint: &str) -> bool {
    [
        "http://127.0.0.1:",
        "http://127.0.0.1/",
        "http://localhost:",
        "http://localhost/",
        "http://[::1]:",
    ]
    .iter()
    .any(|p| endpoint.starts_with(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_then_round_trip_and_validation() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = SettingsStore::new(dir.path());
        let mut s = store.load();
        assert_eq!(s.default_max_views, 1);
        assert_eq!(s.theme, Theme::System);
        s.theme = Theme::Dark;
        s.clipboard_clear_secs = 15;
        store.save(&s).expect("save");
        assert_eq!(store.load().theme, Theme::Dark);
        assert_eq!(store.load().clipboard_clear_secs, 15);
        assert!(!s.pause_notifications, "notifications are on by default");
        s.pause_notifications = true;
        store.save(&s).expect("save");
        assert!(store.load().pause_notifications);

        let mut bad = s.clone();
        bad.default_ttl_secs = 5;
        assert!(store.save(&bad).is_err());
        bad = s.clone();
        bad.language = "de".into();
        assert!(store.save(&bad).is_err());
        assert_eq!(
            store.load().clipboard_clear_secs,
            15,
            "a refused save changes nothing"
        );

        for shortcut in ["Ctrl+Alt+S", "Super+Shift+F12", "CmdOrCtrl+7", ""] {
            let mut ok = s.clone();
            ok.quick_share_shortcut = shortcut.into();
            assert!(store.save(&ok).is_ok(), "{shortcut}");
        }
        for shortcut in [
            "S",
            "Ctrl+",
            "Ctrl+Alt+Enter+S",
            "Ctrl+AB",
            "Hyper+S",
            "Ctrl+F25",
        ] {
            let mut bad = s.clone();
            bad.quick_share_shortcut = shortcut.into();
            assert!(store.save(&bad).is_err(), "{shortcut}");
        }
        let mut bad = s.clone();
        bad.update_endpoint = "http://updates.example.com/latest.json".into();
        assert!(store.save(&bad).is_err(), "updates never in the clear");
        bad.update_endpoint = "http://127.0.0.1:8000/latest.json".into();
        assert!(store.save(&bad).is_ok(), "except from this machine");

        std::fs::write(dir.path().join("settings.toml"), "theme = 42").expect("write");
        assert_eq!(
            store.load().theme,
            Theme::System,
            "damaged settings fall back to defaults"
        );
    }
}
