//! Every IPC command, one module per domain. Commands are glue: they call the desk and
//! return its view types; errors cross as `{code, message}`.

mod accounts;
mod history;
#[cfg(test)]
mod names;
mod open;
mod send;
mod settings;
mod system;
#[cfg(test)]
mod tests;

use wisp_desk::DeskError;

/// What every command returns.
pub type CommandResult<T> = Result<T, DeskError>;

/// The invoke handler with every command.
pub fn handler<R: tauri::Runtime>() -> impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static
{
    tauri::generate_handler![
        accounts::list_accounts,
        accounts::add_account,
        accounts::update_account,
        accounts::remove_account,
        accounts::set_default_account,
        accounts::test_connection,
        accounts::list_server_secrets,
        send::generate_password,
        send::send_text,
        send::pick_files,
        send::send_file,
        send::cancel_transfer,
        #[cfg(feature = "e2e")]
        send::e2e_drop,
        history::list_history,
        history::refresh_history,
        history::burn_secret,
        history::forget_secret,
        open::inspect_links,
        open::reveal,
        settings::get_settings,
        settings::save_settings,
        settings::copy_text,
        system::pending_navigation,
        system::check_update,
        system::install_update,
        system::get_autostart,
        system::set_autostart,
    ]
}
