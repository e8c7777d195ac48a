//! The Tauri shell: builds the app (plugins, tray, shortcut, deep links, updates), registers
//! commands (one module per domain under `commands/`), and turns window events (files
//! dropped, the window closed) into calls on the desk.

mod clipboard;
mod commands;
mod links;
mod notices;
mod quick_share;
mod shell;
mod shortcut;
mod tray;
mod updates;

use std::sync::Arc;

use tauri::{DragDropEvent, Emitter, Manager, RunEvent, Runtime, WindowEvent};
use tauri_plugin_deep_link::DeepLinkExt;
use wisp_desk::Desk;

/// The desk shared by every command.
pub type DeskState = Arc<Desk>;

/// Started at login with this flag, Wisp stays in the tray.
const HIDDEN: &str = "--hidden";

/// Starts the app.
pub fn run() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("WISP_LOG")
                .unwrap_or_else(|_| "warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let desk: DeskState = Arc::new(Desk::for_user());
    let builder = tauri::Builder::default()
        // First, so a second launch exits at once after handing over its arguments.
        .plugin(tauri_plugin_single_instance::init(|app, args, _cwd| {
            if !links::open(app, &args) {
                shell::show_main(app);
            }
        }))
        .plugin(tauri_plugin_deep_link::init())
        .plugin(tauri_plugin_global_shortcut::Builder::new().build())
        .plugin(tauri_plugin_updater::Builder::new().build())
        .plugin(tauri_plugin_autostart::init(
            tauri_plugin_autostart::MacosLauncher::LaunchAgent,
            Some(vec![HIDDEN]),
        ));
    let built = app(builder, desk.clone())
        .setup(move |app| {
            #[cfg(feature = "e2e")]
            app.add_capability(include_str!("../e2e/capability.json"))?;
            setup(app.handle(), &desk);
            Ok(())
        })
        .build(tauri::generate_context!());
    let app = match built {
        Ok(app) => app,
        Err(e) => {
            eprintln!("Wisp could not start: {e}");
            std::process::exit(1);
        }
    };
    app.run(|app, event| match event {
        // `code: None` is the last window closing; Quit in the tray exits with a code.
        RunEvent::ExitRequested {
            code: None, api, ..
        } if shell::keeps_running(app) => api.prevent_exit(),
        RunEvent::Exit => shell::stop_watching(app),
        _ => {}
    });
}

/// Everything that needs the running app: tray, shortcut, links, background work.
fn setup(app: &tauri::AppHandle, desk: &DeskState) {
    if let Err(e) = tray::create(app) {
        // A desktop without a tray still has the window and the shortcut.
        tracing::warn!(error = %e, "no tray icon");
    }
    let settings = desk.settings();
    if let Err(e) = shortcut::replace(app, "", &settings.quick_share_shortcut) {
        tracing::warn!(error = %e.message, "quick-share shortcut not registered");
    }
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == HIDDEN) {
        if let Some(window) = app.get_webview_window(shell::MAIN) {
            let _ = window.hide();
        }
    }
    // wisp:// links arrive through the deep-link plugin: the one Wisp was started with
    // (read here, as its event fired before setup) and later ones. https links come as
    // plain arguments.
    let handle = app.clone();
    app.deep_link().on_open_url(move |event| {
        let urls: Vec<String> = event.urls().iter().map(|u| u.to_string()).collect();
        links::open(&handle, &urls);
    });
    let started_with: Vec<String> = match app.deep_link().get_current() {
        Ok(Some(urls)) => urls.iter().map(|u| u.to_string()).collect(),
        _ => args,
    };
    links::open(app, &started_with);
    shell::start_watching(app);
    // Learn upload limits in the background: the window must not wait on the network.
    let background = desk.clone();
    tauri::async_runtime::spawn(async move { background.refresh_limits().await });
    if settings.check_updates {
        let app = app.clone();
        tauri::async_runtime::spawn(async move {
            match updates::check(&app).await {
                Ok(Some(offer)) => {
                    let _ = app.emit("update-available", offer);
                }
                Ok(None) => {}
                Err(e) => tracing::info!(error = %e.message, "update check failed"),
            }
        });
    }
}

/// The app's plugins, state, window events and commands on any runtime: the real one in
/// [`run`], Tauri's mock runtime in the command tests.
pub fn app<R: Runtime>(builder: tauri::Builder<R>, desk: DeskState) -> tauri::Builder<R> {
    builder
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_clipboard_manager::init())
        .manage(desk)
        .manage(shell::PendingNavigation::default())
        .manage(shell::Watching::default())
        .manage(updates::Offered::default())
        .on_window_event(|window, event| match event {
            WindowEvent::DragDrop(DragDropEvent::Drop { paths, .. }) => {
                let desk = window.state::<DeskState>();
                let files = desk.register_drops(paths);
                let _ = window.emit("files-dropped", files);
            }
            WindowEvent::CloseRequested { api, .. }
                if window.label() == shell::MAIN && shell::keeps_running(window.app_handle()) =>
            {
                api.prevent_close();
                let _ = window.hide();
                shell::closed_to_tray(window.app_handle());
            }
            _ => {}
        })
        .invoke_handler(commands::handler())
}
