//! Generates Tauri's context and the per-command permissions the capabilities refer to.

// The one list of command names, shared with the crate (and checked against the capability
// and the isolation allow-list by its tests).
include!("commands.rs");

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build");
}
