//! The Tauri shell: builds the app, registers commands (one module per domain under
//! `commands/`), and turns window events (files dropped) into calls on the desk.

mod commands;

use std::sync::Arc;

use tauri::{DragDropEvent, Emitter, Manager, Runtime, WindowEvent};
use wisp_desk::Desk;

/// The desk shared by every command.
pub type DeskState = Arc<Desk>;

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
    let result = app(tauri::Builder::default(), desk.clone())
        .setup(move |app| {
            #[cfg(feature = "e2e")]
            app.add_capability(include_str!("../e2e/capability.json"))?;
            let _ = app;
            // Learn upload limits in the background: the window must not wait on the network.
            let desk = desk.clone();
            tauri::async_runtime::spawn(async move { desk.refresh_limits().await });
            Ok(())
        })
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("Wisp could not start: {e}");
        std::process::exit(1);
    }
}

/// The app's plugins, state, window events and commands on any runtime: the real one in
/// [`run`], Tauri's mock runtime in the command tests.
pub fn app<R: Runtime>(builder: tauri::Builder<R>, desk: DeskState) -> tauri::Builder<R> {
    builder
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_clipboard_manager::init())
        .manage(desk)
        .on_window_event(|window, event| {
            if let WindowEvent::DragDrop(DragDropEvent::Drop { paths, .. }) = event {
                let desk = window.state::<DeskState>();
                let files = desk.register_drops(paths);
                let _ = window.emit("files-dropped", files);
            }
        })
        .invoke_handler(commands::handler())
}
