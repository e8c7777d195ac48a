//! The tray icon and its menu: share the clipboard, recent secrets with their state, burn
//! all pending, open the window, pause notifications, check for updates, quit.

use chrono::{DateTime, Local};

use tauri::menu::{
    CheckMenuItem, CheckMenuItemBuilder, MenuBuilder, MenuItem, MenuItemBuilder, Submenu,
    SubmenuBuilder,
};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Emitter, Manager, Runtime};
use wisp_desk::locale::fill;
use wisp_desk::views::{HistoryItem, SecretState};
use wisp_desk::Words;

use crate::shell::{self, navigate, show_main, Navigation};
use crate::{notices, quick_share, DeskState};

/// How many secrets "Recent secrets" lists.
pub const RECENT: usize = 8;

/// What a menu item does, from its id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrayAction {
    /// Share the clipboard.
    Share,
    /// Show one secret in the history.
    Recent(String),
    /// Burn every pending secret.
    BurnAll,
    /// Show the window.
    Open,
    /// Pause or resume view notifications.
    Pause,
    /// Check for updates.
    Updates,
    /// Quit for real (not to the tray).
    Quit,
    /// A label without an action ("No secrets yet").
    Nothing,
}

impl TrayAction {
    /// The action of a menu item id.
    pub fn parse(id: &str) -> TrayAction {
        match id {
            "share" => TrayAction::Share,
            "burn-all" => TrayAction::BurnAll,
            "open" => TrayAction::Open,
            "pause" => TrayAction::Pause,
            "updates" => TrayAction::Updates,
            "quit" => TrayAction::Quit,
            other => match other.strip_prefix("recent:") {
                Some(id) if !id.is_empty() && id != "none" => TrayAction::Recent(id.to_owned()),
                _ => TrayAction::Nothing,
            },
        }
    }
}

/// One "Recent secrets" row: "Server password · 14:05 · viewed". The time tells apart
/// secrets without a note (every quick share is a "Text secret").
pub fn recent_label(words: &Words, item: &HistoryItem, now: DateTime<Local>) -> String {
    let name = [item.note.as_deref(), Some(item.label.as_str())]
        .into_iter()
        .flatten()
        .map(str::trim)
        .find(|s| !s.is_empty())
        .unwrap_or(match item.kind {
            wisp_desk::views::ContentKind::Text => words.text_secret,
            wisp_desk::views::ContentKind::File => words.file,
        });
    // Menu labels are one short line; GTK would render a long note as a very wide menu.
    let name: String = if name.chars().count() > 40 {
        name.chars().take(39).chain(['…']).collect()
    } else {
        name.to_owned()
    };
    let state = match item.state {
        SecretState::Pending if item.views > 0 => words.state_viewed_open,
        SecretState::Pending => words.state_not_viewed,
        SecretState::Viewed => words.state_viewed,
        SecretState::Burned => words.state_burned,
        SecretState::Expired => words.state_expired,
    };
    match DateTime::parse_from_rfc3339(&item.created_at) {
        Ok(created) => {
            let created = created.with_timezone(&Local);
            // Today: the clock time; before: the date, in the one format every locale reads.
            let when = if created.date_naive() == now.date_naive() {
                created.format("%H:%M")
            } else {
                created.format("%Y-%m-%d")
            };
            let when = when.to_string();
            fill(
                words.recent_row_dated,
                &[("name", &name), ("when", &when), ("state", state)],
            )
        }
        Err(_) => fill(words.recent_row, &[("name", &name), ("state", state)]),
    }
}

/// Handles kept to change the menu later: on Linux a tray's menu cannot be replaced, only
/// changed in place (new rows, another language, the pause check mark).
struct TrayMenu<R: Runtime> {
    share: MenuItem<R>,
    recent: Submenu<R>,
    burn_all: MenuItem<R>,
    open: MenuItem<R>,
    pause: CheckMenuItem<R>,
    updates: MenuItem<R>,
    quit: MenuItem<R>,
}

/// Builds the tray icon and its menu.
pub fn create<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<()> {
    let words = shell::words(app);
    let menu = TrayMenu {
        share: MenuItemBuilder::with_id("share", words.share_clipboard).build(app)?,
        recent: SubmenuBuilder::with_id(app, "recent", words.recent_secrets).build()?,
        burn_all: MenuItemBuilder::with_id("burn-all", words.burn_all_pending).build(app)?,
        open: MenuItemBuilder::with_id("open", words.open_wisp).build(app)?,
        pause: CheckMenuItemBuilder::with_id("pause", words.pause_notifications)
            .checked(app.state::<DeskState>().settings().pause_notifications)
            .build(app)?,
        updates: MenuItemBuilder::with_id("updates", words.check_updates).build(app)?,
        quit: MenuItemBuilder::with_id("quit", words.quit).build(app)?,
    };
    let built = MenuBuilder::new(app)
        .item(&menu.share)
        .item(&menu.recent)
        .item(&menu.burn_all)
        .separator()
        .item(&menu.open)
        .item(&menu.pause)
        .item(&menu.updates)
        .separator()
        .item(&menu.quit)
        .build()?;
    let mut tray = TrayIconBuilder::with_id("wisp")
        .tooltip(words.tray_tooltip)
        .menu(&built)
        .on_menu_event(|app, event| dispatch(app, TrayAction::parse(event.id().as_ref())));
    if let Some(icon) = app.default_window_icon() {
        tray = tray.icon(icon.clone());
    }
    tray.build(app)?;
    app.manage(menu);
    refresh(app);
    Ok(())
}

/// Follows the settings: the menu's language and the pause check mark.
pub fn follow_settings<R: Runtime>(app: &AppHandle<R>) {
    let Some(menu) = app.try_state::<TrayMenu<R>>() else {
        return;
    };
    let words = shell::words(app);
    let paused = app.state::<DeskState>().settings().pause_notifications;
    let result = (|| -> tauri::Result<()> {
        menu.share.set_text(words.share_clipboard)?;
        menu.recent.set_text(words.recent_secrets)?;
        menu.burn_all.set_text(words.burn_all_pending)?;
        menu.open.set_text(words.open_wisp)?;
        menu.pause.set_text(words.pause_notifications)?;
        menu.pause.set_checked(paused)?;
        menu.updates.set_text(words.check_updates)?;
        menu.quit.set_text(words.quit)
    })();
    if let Err(e) = result {
        tracing::warn!(error = %e, "tray menu not updated");
    }
    refresh(app);
}

/// Rebuilds "Recent secrets" from the history (call after every change, from any thread).
pub fn refresh<R: Runtime>(app: &AppHandle<R>) {
    // On the main thread, one whole rebuild after another: menu calls made from several
    // threads at once (the watcher's tasks, a send) would interleave their removes and
    // appends. Each rebuild reads the history when it runs, so the last one is current.
    let handle = app.clone();
    if let Err(e) = app.run_on_main_thread(move || rebuild(&handle)) {
        tracing::warn!(error = %e, "tray menu not updated");
    }
}

fn rebuild<R: Runtime>(app: &AppHandle<R>) {
    let Some(menu) = app.try_state::<TrayMenu<R>>() else {
        return;
    };
    let words = shell::words(app);
    let items = app.state::<DeskState>().recent(RECENT).unwrap_or_default();
    let result = (|| -> tauri::Result<()> {
        // Remove by handle: remove_at(0) on an empty submenu panics in muda.
        for old in menu.recent.items()? {
            menu.recent.remove(&old)?;
        }
        if items.is_empty() {
            let none = MenuItemBuilder::with_id("recent:none", words.no_secrets_yet)
                .enabled(false)
                .build(app)?;
            menu.recent.append(&none)?;
        }
        let now = Local::now();
        for item in &items {
            let label = recent_label(words, item, now);
            let row = MenuItemBuilder::with_id(format!("recent:{}", item.id), label).build(app)?;
            menu.recent.append(&row)?;
        }
        Ok(())
    })();
    if let Err(e) = result {
        tracing::warn!(error = %e, "tray menu not updated");
    }
}

fn dispatch<R: Runtime>(app: &AppHandle<R>, action: TrayAction) {
    match action {
        TrayAction::Share => quick_share::run(app),
        TrayAction::Recent(id) => navigate(app, Navigation::Secret { id }),
        TrayAction::BurnAll => {
            let app = app.clone();
            tauri::async_runtime::spawn(async move {
                let desk = app.state::<DeskState>().inner().clone();
                match desk.burn_all_pending().await {
                    Ok(outcome) => {
                        crate::shell::history_changed(&app);
                        notices::plain(
                            &app,
                            notices::Text::BurnedAll {
                                burned: outcome.burned,
                                failed: outcome.failed,
                            },
                        );
                    }
                    Err(e) => notices::plain(&app, notices::Text::BurnFailed(e.message)),
                }
            });
        }
        TrayAction::Open => show_main(app),
        TrayAction::Pause => {
            // GTK flips the check mark itself: read it rather than toggling a copy.
            let paused = app
                .try_state::<TrayMenu<R>>()
                .and_then(|m| m.pause.is_checked().ok())
                .unwrap_or(false);
            let desk = app.state::<DeskState>();
            let mut settings = desk.settings();
            settings.pause_notifications = paused;
            if let Err(e) = desk.save_settings(&settings) {
                // The check mark says what is saved.
                tracing::warn!(error = %e.message, "pause not saved");
                follow_settings(app);
            }
            let _ = app.emit("settings-changed", ());
        }
        TrayAction::Updates => navigate(app, Navigation::Updates),
        TrayAction::Quit => app.exit(0),
        TrayAction::Nothing => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wisp_desk::views::ContentKind;

    fn en() -> &'static Words {
        wisp_desk::words(wisp_desk::Lang::En)
    }

    #[test]
    fn menu_ids_map_to_actions() {
        assert_eq!(TrayAction::parse("share"), TrayAction::Share);
        assert_eq!(TrayAction::parse("burn-all"), TrayAction::BurnAll);
        assert_eq!(TrayAction::parse("quit"), TrayAction::Quit);
        assert_eq!(
            TrayAction::parse("recent:01HXYZ"),
            TrayAction::Recent("01HXYZ".into())
        );
        assert_eq!(TrayAction::parse("recent:none"), TrayAction::Nothing);
        assert_eq!(TrayAction::parse("recent:"), TrayAction::Nothing);
        assert_eq!(TrayAction::parse("separator"), TrayAction::Nothing);
    }

    fn item(note: Option<&str>, label: &str, state: SecretState, views: u32) -> HistoryItem {
        HistoryItem {
            id: "id".into(),
            account_id: "a".into(),
            account_name: "Work".into(),
            kind: ContentKind::Text,
            label: label.into(),
            note: note.map(Into::into),
            size: 10,
            created_at: "2026-12-05T09:30:00Z".into(),
            expires_at: String::new(),
            max_views: Some(3),
            views,
            state,
            links: None,
            burn_reason: None,
            wrong_attempts: 0,
        }
    }

    #[test]
    fn recent_rows_name_the_secret_its_time_and_its_state() {
        let created = DateTime::parse_from_rfc3339("2026-12-05T09:30:00Z")
            .expect("a date")
            .with_timezone(&Local);
        let clock = created.format("%H:%M").to_string();
        let same_day = created + chrono::Duration::minutes(1);
        assert_eq!(
            recent_label(
                en(),
                &item(Some("db password"), "", SecretState::Viewed, 1),
                same_day
            ),
            format!("db password · {clock} · viewed")
        );
        assert_eq!(
            recent_label(
                en(),
                &item(None, "report.pdf", SecretState::Pending, 0),
                same_day
            ),
            format!("report.pdf · {clock} · not viewed yet")
        );
        let days_later = created + chrono::Duration::days(3);
        let day = created.format("%Y-%m-%d").to_string();
        assert_eq!(
            recent_label(
                en(),
                &item(Some("  "), "", SecretState::Pending, 2),
                days_later
            ),
            format!("Text secret · {day} · viewed, still open")
        );
        let long = recent_label(
            en(),
            &item(Some(&"x".repeat(80)), "", SecretState::Expired, 0),
            same_day,
        );
        assert!(
            long.starts_with(&"x".repeat(39)) && long.ends_with("· expired") && long.contains('…'),
            "{long}"
        );
        let mut undated = item(None, "", SecretState::Burned, 0);
        undated.created_at = "garbage".into();
        assert_eq!(
            recent_label(en(), &undated, same_day),
            "Text secret · burned"
        );
        let ru = wisp_desk::words(wisp_desk::Lang::Ru);
        assert_eq!(
            recent_label(ru, &item(None, "", SecretState::Pending, 0), days_later),
            format!("{} · {day} · {}", ru.text_secret, ru.state_not_viewed)
        );
    }
}
