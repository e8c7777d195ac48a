//! The main window's life: showing it from the tray or a second launch, keeping the app in
//! the tray when it closes, and telling the UI where to go (a link to open, a secret to show).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use tauri::{AppHandle, Emitter, Manager, Runtime};

pub use wisp_desk::views::Navigation;

use crate::DeskState;

/// Label of the one window.
pub const MAIN: &str = "main";

/// The navigation the UI has not picked up yet: kept until the UI asks, because an event
/// sent before the page has loaded (a cold start from a link) would be lost.
#[derive(Debug, Default)]
pub struct PendingNavigation(Mutex<Option<Navigation>>);

impl PendingNavigation {
    /// Takes it (once).
    pub fn take(&self) -> Option<Navigation> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).take()
    }

    fn set(&self, navigation: Navigation) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = Some(navigation);
    }
}

/// Shows, unminimises and focuses the window.
pub fn show_main<R: Runtime>(app: &AppHandle<R>) {
    if let Some(window) = app.get_webview_window(MAIN) {
        let _ = window.show();
        let _ = window.unminimize();
        let _ = window.set_focus();
    }
}

/// Shows the window on `navigation`.
pub fn navigate<R: Runtime>(app: &AppHandle<R>, navigation: Navigation) {
    app.state::<PendingNavigation>().set(navigation.clone());
    show_main(app);
    let _ = app.emit("navigate", navigation);
}

/// Whether closing the window keeps the app running in the tray.
pub fn keeps_running<R: Runtime>(app: &AppHandle<R>) -> bool {
    app.state::<DeskState>().settings().close_to_tray
}

/// Everything that follows a change to the history (a send, a burn, a refresh): the UI's
/// list reloads and the tray's "Recent secrets" is rebuilt.
pub fn history_changed<R: Runtime>(app: &AppHandle<R>) {
    let _ = app.emit("history-changed", ());
    crate::tray::refresh(app);
}

/// Says, the first time the window closes in a run, that Wisp is still in the tray: a user
/// who expected it to quit would otherwise not know it keeps running.
pub fn closed_to_tray<R: Runtime>(app: &AppHandle<R>) {
    static TOLD: AtomicBool = AtomicBool::new(false);
    if !TOLD.swap(true, Ordering::Relaxed) {
        crate::notices::plain(app, crate::notices::Text::StillRunning);
    }
}
