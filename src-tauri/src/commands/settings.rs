//! Settings and the clipboard (copied secrets are cleared after the configured delay).

use tauri::{AppHandle, Runtime, State};
use wisp_desk::views::Settings;
use zeroize::Zeroizing;

use super::CommandResult;
use crate::{clipboard, shell, shortcut, tray, DeskState};

#[tauri::command]
pub fn get_settings(desk: State<'_, DeskState>) -> CommandResult<Settings> {
    Ok(desk.settings())
}

/// Saves settings; a new quick-share shortcut is registered first, so one that another app
/// holds is refused before anything is saved.
#[tauri::command]
pub fn save_settings<R: Runtime>(
    app: AppHandle<R>,
    desk: State<'_, DeskState>,
    settings: Settings,
) -> CommandResult<Settings> {
    let old = desk.settings().quick_share_shortcut;
    shortcut::replace(&app, &old, settings.quick_share_shortcut.trim())?;
    let saved = desk.save_settings(&settings)?;
    // The tray follows the language and the pause; the watcher, the pause.
    tray::follow_settings(&app);
    shell::nudge_watcher(&app);
    Ok(saved)
}

/// Copies text; `sensitive` text is cleared from the clipboard after the configured delay,
/// unless something else was copied meanwhile.
#[tauri::command]
pub fn copy_text<R: Runtime>(
    app: AppHandle<R>,
    text: String,
    sensitive: bool,
) -> CommandResult<()> {
    clipboard::copy(&app, Zeroizing::new(text), sensitive)
}
