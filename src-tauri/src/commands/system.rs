//! The app itself: where the UI should go on start, updates, start at login.

use tauri::{AppHandle, Runtime, State};
use tauri_plugin_autostart::ManagerExt;
use wisp_desk::{DeskError, ErrorCode};

use super::CommandResult;
use crate::shell::PendingNavigation;
use crate::updates;
use wisp_desk::views::{Installed, Navigation, UpdateOffer};

/// A navigation requested before the UI listened (a link Wisp was started with).
#[tauri::command]
pub fn pending_navigation(pending: State<'_, PendingNavigation>) -> Option<Navigation> {
    pending.take()
}

#[tauri::command]
pub async fn check_update<R: Runtime>(app: AppHandle<R>) -> CommandResult<Option<UpdateOffer>> {
    updates::check(&app).await
}

#[tauri::command]
pub async fn install_update<R: Runtime>(app: AppHandle<R>) -> CommandResult<Installed> {
    updates::install(&app).await
}

#[tauri::command]
pub fn get_autostart<R: Runtime>(app: AppHandle<R>) -> CommandResult<bool> {
    app.autolaunch().is_enabled().map_err(autostart_failed)
}

#[tauri::command]
pub fn set_autostart<R: Runtime>(app: AppHandle<R>, enabled: bool) -> CommandResult<bool> {
    let launcher = app.autolaunch();
    let changed = if enabled {
        launcher.enable()
    } else {
        launcher.disable()
    };
    changed.map_err(autostart_failed)?;
    launcher.is_enabled().map_err(autostart_failed)
}

fn autostart_failed(e: impl std::fmt::Display) -> DeskError {
    DeskError::new(
        ErrorCode::Io,
        format!("Starting at login could not be changed ({e})."),
    )
}
