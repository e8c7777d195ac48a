//! The main window's life: showing it from the tray or a second launch, keeping the app in
//! the tray when it closes, telling the UI where to go (a link to open, a secret to show),
//! the receipts watcher that runs beside it, and the language the native parts speak.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use tauri::{AppHandle, Emitter, Manager, Runtime};

pub use wisp_desk::views::Navigation;
use wisp_desk::{Lang, WatchConfig, Watcher, Words};

use crate::{notices, DeskState};

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

/// Everything that follows a change to the history made here (a send, a burn, a refresh):
/// the UI's list reloads, the tray's "Recent secrets" is rebuilt, and the watcher looks at
/// the open secrets again (a new one is watched at once).
pub fn history_changed<R: Runtime>(app: &AppHandle<R>) {
    history_updated(app);
    nudge_watcher(app);
}

/// The UI and the tray follow the history (the watcher's own changes come here).
fn history_updated<R: Runtime>(app: &AppHandle<R>) {
    let _ = app.emit("history-changed", ());
    crate::tray::refresh(app);
}

/// The receipts watcher, while it runs.
#[derive(Default)]
pub struct Watching(Mutex<Option<Watcher>>);

impl Watching {
    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Watcher>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Starts following every pending secret of every account: notifications for views, burns
/// and expiries; the history, UI and tray updated live.
pub fn start_watching<R: Runtime>(app: &AppHandle<R>) {
    let desk = app.state::<DeskState>().inner().clone();
    let notifier = Arc::new(notices::Desktop(app.clone()));
    let handle = app.clone();
    // The watcher's tasks live on the app's async runtime.
    let watcher = tauri::async_runtime::block_on(async move {
        Watcher::spawn(desk, WatchConfig::default(), notifier, move |_| {
            history_updated(&handle)
        })
    });
    *app.state::<Watching>().lock() = Some(watcher);
}

/// Tells the watcher to look again now (accounts, settings or the history changed).
pub fn nudge_watcher<R: Runtime>(app: &AppHandle<R>) {
    if let Some(watching) = app.try_state::<Watching>() {
        if let Some(watcher) = watching.lock().as_ref() {
            watcher.nudge();
        }
    }
}

/// Stops the watcher (its push connections close).
pub fn stop_watching<R: Runtime>(app: &AppHandle<R>) {
    if let Some(watching) = app.try_state::<Watching>() {
        drop(watching.lock().take());
    }
}

/// The native texts (tray, notifications) in the language the settings choose, or the OS's.
pub fn words<R: Runtime>(app: &AppHandle<R>) -> &'static Words {
    wisp_desk::words(Lang::resolve(&app.state::<DeskState>().settings().language))
}

/// Says, the first time the window closes in a run, that Wisp is still in the tray: a user
/// who expected it to quit would otherwise not know it keeps running.
pub fn closed_to_tray<R: Runtime>(app: &AppHandle<R>) {
    static TOLD: AtomicBool = AtomicBool::new(false);
    if !TOLD.swap(true, Ordering::Relaxed) {
        crate::notices::plain(app, crate::notices::Text::StillRunning);
    }
}
