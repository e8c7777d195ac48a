//! Generates Tauri's context and the per-command permissions the capabilities refer to.
fn main() {
    let commands: &[&str] = &[
        "list_accounts",
        "add_account",
        "update_account",
        "remove_account",
        "set_default_account",
        "test_connection",
        "generate_password",
        "send_text",
        "pick_files",
        "send_file",
        "cancel_transfer",
        "list_history",
        "refresh_history",
        "burn_secret",
        "forget_secret",
        "inspect_links",
        "reveal",
        "get_settings",
        "save_settings",
        "copy_text",
        "e2e_drop",
    ];
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(commands)),
    )
    .expect("tauri build");
}
