// The names of every IPC command, included by build.rs (per-command permissions) and by
// src/commands/names.rs (a test against the capability).

/// Every command the UI may call, as the invoke handler names them.
pub const COMMANDS: &[&str] = &[
    "list_accounts",
    "add_account",
    "update_account",
    "remove_account",
    "set_default_account",
    "test_connection",
    "list_server_secrets",
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
    "pending_navigation",
    "check_update",
    "install_update",
    "get_autostart",
    "set_autostart",
    "e2e_drop",
];
