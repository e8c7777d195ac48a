//! The global quick-share shortcut (default Ctrl+Alt+S): registered at start and whenever the
//! setting changes, with the old one kept if the new one cannot be had.

use std::str::FromStr;

use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_global_shortcut::{GlobalShortcutExt, Shortcut, ShortcutState};
use wisp_desk::DeskError;

use crate::quick_share;

/// Parses a shortcut as the settings store it ("Ctrl+Alt+S").
pub fn parse(text: &str) -> Result<Shortcut, DeskError> {
    Shortcut::from_str(text).map_err(|e| {
        DeskError::invalid(format!(
            "\"{text}\" is not a shortcut Wisp can use ({e}). Try modifiers and one key, like Ctrl+Alt+S."
        ))
    })
}

/// Makes `new` the quick-share shortcut instead of `old` ("" = none). When `new` is taken
/// (another app holds it), `old` stays registered and the error says so.
pub fn replace<R: Runtime>(app: &AppHandle<R>, old: &str, new: &str) -> Result<(), DeskError> {
    if app
        .try_state::<tauri_plugin_global_shortcut::GlobalShortcut<R>>()
        .is_none()
    {
        return Ok(()); // the command tests' mock app runs without the plugin
    }
    if old == new && (new.is_empty() || is_registered(app, new)) {
        return Ok(());
    }
    let next = if new.is_empty() {
        None
    } else {
        Some(parse(new)?)
    };
    let shortcuts = app.global_shortcut();
    if !old.is_empty() {
        if let Ok(previous) = parse(old) {
            let _ = shortcuts.unregister(previous);
        }
    }
    let Some(next) = next else {
        return Ok(());
    };
    let registered = shortcuts.on_shortcut(next, |app, _shortcut, event| {
        // The handler sees both the press and the release.
        if event.state() == ShortcutState::Pressed {
            quick_share::run(app);
        }
    });
    if let Err(e) = registered {
        if !old.is_empty() && old != new {
            let _ = replace(app, "", old);
        }
        return Err(DeskError::invalid(format!(
            "{new} is not available: another application may use it ({e}). Choose another shortcut."
        )));
    }
    if std::env::var_os("DISPLAY").is_none() && std::env::var_os("WAYLAND_DISPLAY").is_none() {
        tracing::warn!("no display: the quick-share shortcut cannot fire");
    }
    Ok(())
}

fn is_registered<R: Runtime>(app: &AppHandle<R>, text: &str) -> bool {
    parse(text).is_ok_and(|s| app.global_shortcut().is_registered(s))
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn settings_spellings_parse() {
        for ok in ["Ctrl+Alt+S", "ctrl+alt+s", "Super+Shift+F12", "CmdOrCtrl+7"] {
            assert!(parse(ok).is_ok(), "{ok}");
        }
        assert_eq!(parse("Ctrl+Alt+S").ok(), parse("control+alt+KeyS").ok());
        for bad in ["", "Ctrl+", "Ctrl+Alt+Nope"] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}
