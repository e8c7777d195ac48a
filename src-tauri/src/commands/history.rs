//! History commands: list with filters, refresh from the servers, burn, forget.

use tauri::{AppHandle, Runtime, State};
use wisp_desk::views::{HistoryFilter, HistoryItem};

use super::CommandResult;
use crate::{shell, DeskState};

#[tauri::command]
pub fn list_history(
    desk: State<'_, DeskState>,
    filter: HistoryFilter,
) -> CommandResult<Vec<HistoryItem>> {
    desk.list_history(&filter)
}

#[tauri::command]
pub async fn refresh_history<R: Runtime>(
    app: AppHandle<R>,
    desk: State<'_, DeskState>,
) -> CommandResult<Vec<HistoryItem>> {
    let changed = desk.refresh_history().await?;
    if !changed.is_empty() {
        shell::history_changed(&app);
    }
    Ok(changed)
}

#[tauri::command]
pub async fn burn_secret<R: Runtime>(
    app: AppHandle<R>,
    desk: State<'_, DeskState>,
    id: String,
) -> CommandResult<HistoryItem> {
    let item = desk.burn(&id).await?;
    shell::history_changed(&app);
    Ok(item)
}

#[tauri::command]
pub fn forget_secret(desk: State<'_, DeskState>, id: String) -> CommandResult<()> {
    desk.forget(&id)
}
