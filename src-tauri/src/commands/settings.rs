//! Settings and the clipboard (copied secrets are cleared after the configured delay).

use std::time::Duration;

use tauri::{AppHandle, Runtime, State};
use tauri_plugin_clipboard_manager::ClipboardExt;
use wisp_desk::views::Settings;
use zeroize::Zeroizing;

use super::CommandResult;
use crate::DeskState;

#[tauri::command]
pub fn get_settings(desk: State<'_, DeskState>) -> CommandResult<Settings> {
    Ok(desk.settings())
}

#[tauri::command]
pub fn save_settings(desk: State<'_, DeskState>, settings: Settings) -> CommandResult<Settings> {
    desk.save_settings(&settings)
}

/// Copies text; `sensitive` text is cleared from the clipboard after the configured delay,
/// unless something else was copied meanwhile.
#[tauri::command]
pub fn copy_text<R: Runtime>(
    app: AppHandle<R>,
    desk: State<'_, DeskState>,
    text: String,
    sensitive: bool,
) -> CommandResult<()> {
    let text = Zeroizing::new(text);
    app.clipboard().write_text(text.as_str()).map_err(|e| {
        wisp_desk::DeskError::new(
            wisp_desk::ErrorCode::Io,
            format!("The clipboard is not available ({e})."),
        )
    })?;
    let delay = desk.settings().clipboard_clear_secs;
    if sensitive && delay > 0 {
        tauri::async_runtime::spawn(async move {
            tokio::time::sleep(Duration::from_secs(delay.into())).await;
            if app.clipboard().read_text().is_ok_and(|now| *now == *text) {
                let _ = app.clipboard().write_text("");
            }
        });
    }
    Ok(())
}
