//! Account commands: list, add, edit, remove, default, test, and what a server lists.

use tauri::{AppHandle, Runtime, State};
use wisp_desk::views::{AccountInput, AccountView, ConnectionReport, ServerSecret};

use super::CommandResult;
use crate::{shell, DeskState};

#[tauri::command]
pub fn list_accounts(desk: State<'_, DeskState>) -> CommandResult<Vec<AccountView>> {
    desk.list_accounts()
}

#[tauri::command]
pub fn add_account<R: Runtime>(
    app: AppHandle<R>,
    desk: State<'_, DeskState>,
    input: AccountInput,
) -> CommandResult<AccountView> {
    let added = desk.add_account(input)?;
    shell::nudge_watcher(&app);
    Ok(added)
}

#[tauri::command]
pub fn update_account<R: Runtime>(
    app: AppHandle<R>,
    desk: State<'_, DeskState>,
    id: String,
    input: AccountInput,
) -> CommandResult<AccountView> {
    // A new URL or token, or notifications switched on or off: the watcher looks again.
    let updated = desk.update_account(&id, input)?;
    shell::nudge_watcher(&app);
    Ok(updated)
}

#[tauri::command]
pub fn remove_account<R: Runtime>(
    app: AppHandle<R>,
    desk: State<'_, DeskState>,
    id: String,
) -> CommandResult<()> {
    desk.remove_account(&id)?;
    shell::nudge_watcher(&app);
    Ok(())
}

#[tauri::command]
pub fn set_default_account(desk: State<'_, DeskState>, id: String) -> CommandResult<()> {
    desk.set_default_account(&id)
}

#[tauri::command]
pub async fn test_connection(
    desk: State<'_, DeskState>,
    input: AccountInput,
    id: Option<String>,
) -> CommandResult<ConnectionReport> {
    desk.test_connection(&input, id.as_deref()).await
}

/// The account's secrets as its server lists them (for kinds whose API can list).
#[tauri::command]
pub async fn list_server_secrets(
    desk: State<'_, DeskState>,
    account_id: String,
) -> CommandResult<Vec<ServerSecret>> {
    desk.list_server(&account_id).await
}
