//! Sending: text, dropped or picked files with progress and cancel, password generation.

use std::sync::Arc;

use tauri::{AppHandle, Emitter, Runtime, State};
use tauri_plugin_dialog::DialogExt;
use wisp_desk::views::{DroppedFile, SendRequest, SentSecret, TransferProgress};
use zeroize::Zeroizing;

use super::CommandResult;
use crate::{shell, DeskState};

#[tauri::command]
pub fn generate_password(length: usize, symbols: bool) -> CommandResult<String> {
    // The UI puts it in the secret field anyway; the copy it gets is its own.
    wisp_desk::generate_password(length, symbols).map(|p| p.to_string())
}

#[tauri::command]
pub async fn send_text<R: Runtime>(
    app: AppHandle<R>,
    desk: State<'_, DeskState>,
    text: String,
    request: SendRequest,
) -> CommandResult<SentSecret> {
    let sent = desk.send_text(Zeroizing::new(text), &request).await?;
    shell::history_changed(&app);
    Ok(sent)
}

/// Native multi-file picker; what the user picks is registered like a drop.
#[tauri::command]
pub async fn pick_files<R: Runtime>(
    app: AppHandle<R>,
    desk: State<'_, DeskState>,
) -> CommandResult<Vec<DroppedFile>> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    app.dialog().file().pick_files(move |picked| {
        let _ = tx.send(picked);
    });
    let picked = rx.await.ok().flatten().unwrap_or_default();
    let paths: Vec<_> = picked
        .into_iter()
        .filter_map(|p| p.into_path().ok())
        .collect();
    Ok(desk.register_drops(&paths))
}

#[tauri::command]
pub async fn send_file<R: Runtime>(
    app: AppHandle<R>,
    desk: State<'_, DeskState>,
    token: String,
    transfer_id: String,
    request: SendRequest,
) -> CommandResult<SentSecret> {
    let id = transfer_id.clone();
    let events = app.clone();
    let progress = Arc::new(move |done, total| {
        let event = TransferProgress {
            transfer_id: id.clone(),
            done,
            total,
        };
        let _ = events.emit("transfer-progress", event);
    });
    let sent = desk
        .send_file(&token, &transfer_id, &request, progress)
        .await?;
    shell::history_changed(&app);
    Ok(sent)
}

#[tauri::command]
pub fn cancel_transfer(desk: State<'_, DeskState>, transfer_id: String) -> CommandResult<()> {
    desk.cancel_transfer(&transfer_id);
    Ok(())
}

/// Test builds only: registers paths exactly as a window drop does.
#[cfg(feature = "e2e")]
#[tauri::command]
pub fn e2e_drop<R: Runtime>(
    app: AppHandle<R>,
    desk: State<'_, DeskState>,
    paths: Vec<std::path::PathBuf>,
) -> CommandResult<()> {
    let files = desk.register_drops(&paths);
    let _ = app.emit("files-dropped", files);
    Ok(())
}
