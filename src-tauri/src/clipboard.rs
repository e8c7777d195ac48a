//! The clipboard, with hygiene: secrets and links Wisp copies are cleared after the
//! configured delay, unless something else was copied meanwhile.

use std::time::Duration;

use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_clipboard_manager::ClipboardExt;
use wisp_desk::{DeskError, ErrorCode};
use zeroize::Zeroizing;

use crate::DeskState;

/// Copies `text`; when `sensitive`, clears it after the settings' delay if it is still there.
pub fn copy<R: Runtime>(
    app: &AppHandle<R>,
    text: Zeroizing<String>,
    sensitive: bool,
) -> Result<(), DeskError> {
    app.clipboard()
        .write_text(text.as_str())
        .map_err(|e| unavailable(&e))?;
    let delay = app.state::<DeskState>().settings().clipboard_clear_secs;
    if sensitive && delay > 0 {
        let app = app.clone();
        tauri::async_runtime::spawn(async move {
            tokio::time::sleep(Duration::from_secs(delay.into())).await;
            let now = app.clipboard().read_text().map(Zeroizing::new);
            if now.is_ok_and(|now| *now == *text) {
                let _ = app.clipboard().write_text("");
            }
        });
    }
    Ok(())
}

/// The clipboard's text ("" when it holds none).
pub fn read<R: Runtime>(app: &AppHandle<R>) -> Zeroizing<String> {
    Zeroizing::new(app.clipboard().read_text().unwrap_or_default())
}

fn unavailable(e: &dyn std::fmt::Display) -> DeskError {
    DeskError::new(
        ErrorCode::Io,
        format!("The clipboard is not available ({e})."),
    )
}
