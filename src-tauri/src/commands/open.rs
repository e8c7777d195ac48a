//! Received links: status first, then reveal (files go through a native save dialog).

use std::path::PathBuf;

use tauri::{AppHandle, Runtime, State};
use tauri_plugin_dialog::{DialogExt, MessageDialogButtons};
use wisp_desk::views::{LinkStatus, RevealOutcome};

use super::CommandResult;
use crate::DeskState;

#[tauri::command]
pub async fn inspect_links(
    desk: State<'_, DeskState>,
    links: Vec<String>,
) -> CommandResult<LinkStatus> {
    desk.inspect_links(&links).await
}

#[tauri::command]
pub async fn reveal<R: Runtime>(
    app: AppHandle<R>,
    desk: State<'_, DeskState>,
    links: Vec<String>,
    passphrase: Option<String>,
) -> CommandResult<RevealOutcome> {
    desk.reveal(&links, passphrase, |name| choose_path(app.clone(), name))
        .await
}

/// Asks where to save a revealed file; cancelling asks once more, because the view is spent
/// and the file cannot be fetched again.
async fn choose_path<R: Runtime>(app: AppHandle<R>, name: String) -> Option<PathBuf> {
    tauri::async_runtime::spawn_blocking(move || loop {
        let picked = app
            .dialog()
            .file()
            .set_file_name(&name)
            .blocking_save_file();
        if let Some(path) = picked.and_then(|p| p.into_path().ok()) {
            return Some(path);
        }
        let discard = app
            .dialog()
            .message(format!(
                "Discard “{name}”? The secret was opened and cannot be downloaded again."
            ))
            .title("Discard the file?")
            .buttons(MessageDialogButtons::OkCancelCustom(
                "Discard".into(),
                "Save…".into(),
            ))
            .blocking_show();
        if discard {
            return None;
        }
    })
    .await
    .ok()
    .flatten()
}
