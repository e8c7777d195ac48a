//! The tray icon and its menu: share the clipboard, recent secrets with their state, burn
//! all pending, open the window, pause notifications, check for updates, quit.

use std::sync::atomic::{AtomicBool, Ordering};

use chrono::{DateTime, Local};

use tauri::menu::{
    CheckMenuItem, CheckMenuItemBuilder, MenuBuilder, MenuItemBuilder, Submenu, SubmenuBuilder,
};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager, Runtime};
use wisp_desk::views::{HistoryItem, SecretState};

use crate::shell::{navigate, show_main, Navigation};
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
pub fn recent_label(item: &HistoryItem, now: DateTime<Local>) -> String {
    let name = [item.note.as_deref(), Some(item.label.as_str())]
        .into_iter()
        .flatten()
        .map(str::trim)
        .find(|s| !s.is_empty())
        .unwrap_or(match item.kind {
            wisp_desk::views::ContentKind::Text => "Text secret",
            wisp_desk::views::ContentKind::File => "File",
        });
    // Menu labels are one short line; GTK would render a long note as a very wide menu.
    let name: String = if name.chars().count() > 40 {
        name.chars().take(39).chain(['…']).collect()
    } else {
        name.to_owned()
    };
    let state = match item.state {
        SecretState::Pending if item.views > 0 => "viewed, still open",
        SecretState::Pending => "not viewed yet",
        SecretState::Viewed => "viewed",
        SecretState::Burned => "burned",
        SecretState::Expired => "expired",
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
            format!("{name} · {when} · {state}")
        }
        Err(_) => format!("{name} · {state}"),
    }
}

/// Whether view notifications are paused from the tray.
#[derive(Debug, Default)]
pub struct Paused(pub AtomicBool);

/// Handles kept to change the menu later: on Linux a tray's menu cannot be replaced, only
/// changed in place.
struct TrayMenu<R: Runtime> {
    recent: Submenu<R>,
    pause: CheckMenuItem<R>,
}

/// Builds the tray icon and its menu.
pub fn create<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<()> {
    let recent = SubmenuBuilder::with_id(app, "recent", "Recent secrets").build()?;
    let pause = CheckMenuItemBuilder::with_id("pause", "Pause notifications")
        .checked(false)
        .build(app)?;
    let menu = MenuBuilder::new(app)
        .text("share", "Share clipboard")
        .item(&recent)
        .text("burn-all", "Burn all pending")
        .separator()
        .text("open", "Open Wisp")
        .item(&pause)
        .text("updates", "Check for updates…")
        .separator()
        .text("quit", "Quit Wisp")
        .build()?;
    let mut tray = TrayIconBuilder::with_id("wisp")
        .tooltip("Wisp")
        .menu(&menu)
        .on_menu_event(|app, event| dispatch(app, TrayAction::parse(event.id().as_ref())));
    if let Some(icon) = app.default_window_icon() {
        tray = tray.icon(icon.clone());
    }
    tray.build(app)?;
    app.manage(TrayMenu { recent, pause });
    refresh(app);
    Ok(())
}

/// Rebuilds "Recent secrets" from the history (call after every change).
pub fn refresh<R: Runtime>(app: &AppHandle<R>) {
    let Some(menu) = app.try_state::<TrayMenu<R>>() else {
        return;
    };
    let items = app.state::<DeskState>().recent(RECENT).unwrap_or_default();
    let result = (|| -> tauri::Result<()> {
        // Remove by handle: remove_at(0) on an empty submenu panics in muda.
        for old in menu.recent.items()? {
            menu.recent.remove(&old)?;
        }
        if items.is_empty() {
            let none = MenuItemBuilder::with_id("recent:none", "No secrets yet")
                .enabled(false)
                .build(app)?;
            menu.recent.append(&none)?;
        }
        let now = Local::now();
        for item in &items {
            let row =
                MenuItemBuilder::with_id(format!("recent:{}", item.id), recent_label(item, now))
                    .build(app)?;
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
                    Err(e) => notices::plain(&app, notices::Text::ShareFailed(e.message)),
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
            app.state::<Paused>().0.store(paused, Ordering::Relaxed);
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
                &item(Some("db password"), "", SecretState::Viewed, 1),
                same_day
            ),
            format!("db password · {clock} · viewed")
        );
        assert_eq!(
            recent_label(&item(None, "report.pdf", SecretState::Pending, 0), same_day),
            format!("report.pdf · {clock} · not viewed yet")
        );
        let days_later = created + chrono::Duration::days(3);
        let day = created.format("%Y-%m-%d").to_string();
        assert_eq!(
            recent_label(&item(Some("  "), "", SecretState::Pending, 2), days_later),
            format!("Text secret · {day} · viewed, still open")
        );
        let long = recent_label(
            &item(Some(&"x".repeat(80)), "", SecretState::Expired, 0),
            same_day,
        );
        assert!(
            long.starts_with(&"x".repeat(39)) && long.ends_with("· expired") && long.contains('…'),
            "{long}"
        );
        let mut undated = item(None, "", SecretState::Burned, 0);
        undated.created_at = "garbage".into();
        assert_eq!(recent_label(&undated, same_day), "Text secret · burned");
    }
}
