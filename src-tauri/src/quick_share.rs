//! Quick share, from the tray or the global shortcut: the clipboard's text is encrypted and
//! sent with the default account's defaults, and its link replaces it in the clipboard.

use tauri::{AppHandle, Manager, Runtime};
use wisp_desk::{DeskError, ErrorCode};
use zeroize::Zeroizing;

use crate::{clipboard, notices, shell, DeskState};

/// Shares the clipboard and says how it went in a notification (there may be no window).
pub fn run<R: Runtime>(app: &AppHandle<R>) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        match share(&app).await {
            Ok(()) => {}
            Err(e) if e.code == ErrorCode::InvalidInput && e.message.is_empty() => {
                notices::plain(&app, notices::Text::ClipboardEmpty)
            }
            Err(e) => notices::plain(&app, notices::Text::ShareFailed(e.message)),
        }
    });
}

async fn share<R: Runtime>(app: &AppHandle<R>) -> Result<(), DeskError> {
    let text = clipboard::read(app);
    if text.trim().is_empty() {
        // Empty message: the notification says it in the user's words.
        return Err(DeskError::invalid(""));
    }
    let desk = app.state::<DeskState>().inner().clone();
    let sent = desk.quick_share(text).await?;
    shell::history_changed(app);
    let links: Vec<String> = sent.links.into_iter().map(|l| l.url).collect();
    // A split link's parts go on separate lines: whoever pastes them sends them apart.
    clipboard::copy(app, Zeroizing::new(links.join("\n")), true)?;
    let delay = desk.settings().clipboard_clear_secs;
    notices::plain(app, notices::Text::LinkCopied { clear_secs: delay });
    Ok(())
}
