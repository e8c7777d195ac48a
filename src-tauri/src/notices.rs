//! Desktop notifications (notify-rust): feedback for what happens without the window
//! (quick share, burn all), with a click that brings the window back.

use tauri::{AppHandle, Runtime};

use crate::shell;

/// What to say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Text {
    /// Quick share put the link in the clipboard.
    LinkCopied {
        /// Seconds until the clipboard is cleared (0 = never).
        clear_secs: u32,
    },
    /// Quick share found no text.
    ClipboardEmpty,
    /// Quick share failed; the desk's sentence says why.
    ShareFailed(String),
    /// "Burn all pending" is done.
    BurnedAll {
        /// How many burned.
        burned: usize,
        /// How many could not be.
        failed: usize,
    },
    /// The window was closed for the first time; Wisp stays in the tray.
    StillRunning,
}

impl Text {
    /// Title and body.
    pub fn words(&self) -> (String, String) {
        match self {
            Text::LinkCopied { clear_secs: 0 } => (
                "Link copied".into(),
                "The link to your clipboard's text is in the clipboard.".into(),
            ),
            Text::LinkCopied { clear_secs } => (
                "Link copied".into(),
                format!("The link is in your clipboard; it is cleared in {clear_secs} s."),
            ),
            Text::ClipboardEmpty => (
                "Clipboard is empty".into(),
                "Copy some text first, then share it.".into(),
            ),
            Text::ShareFailed(why) => ("Sharing failed".into(), why.clone()),
            Text::BurnedAll { burned, failed: 0 } => (
                "Pending secrets burned".into(),
                format!("{burned} burned: their links no longer open anything."),
            ),
            Text::BurnedAll { burned, failed } => (
                "Some secrets were not burned".into(),
                format!("{burned} burned, {failed} could not be reached: try again from History."),
            ),
            Text::StillRunning => (
                "Wisp is still running".into(),
                "It keeps watching your secrets from the tray. Quit from the tray menu, or \
                 change this in Settings."
                    .into(),
            ),
        }
    }
}

/// Shows `text`; clicking it opens the window.
pub fn plain<R: Runtime>(app: &AppHandle<R>, text: Text) {
    let (title, body) = text.words();
    let app = app.clone();
    show(&title, &body, move || shell::show_main(&app));
}

/// Shows a notification; `on_click` runs if the user clicks it. Without a notification
/// service (a bare session) this only logs: the work it reports is done either way.
pub fn show(title: &str, body: &str, on_click: impl FnOnce() + Send + 'static) {
    let shown = notify_rust::Notification::new()
        .appname("Wisp")
        .summary(title)
        .body(body)
        .icon("wisp-desktop")
        .action("default", "Open")
        .timeout(notify_rust::Timeout::Milliseconds(10_000))
        .show();
    match shown {
        #[cfg(all(unix, not(target_os = "macos")))]
        Ok(handle) => {
            // The click arrives on the connection that sent the notification: wait on it
            // (until clicked or closed) off the async runtime.
            std::thread::spawn(move || {
                handle.wait_for_action(|action| {
                    if action == "default" {
                        on_click();
                    }
                });
            });
        }
        #[cfg(not(all(unix, not(target_os = "macos"))))]
        Ok(_) => drop(on_click),
        Err(e) => tracing::info!(error = %e, "no notification service"),
    }
}

#[cfg(test)]
mod tests {
    use super::Text;

    #[test]
    fn every_text_has_a_title_and_a_sentence() {
        for text in [
            Text::LinkCopied { clear_secs: 60 },
            Text::LinkCopied { clear_secs: 0 },
            Text::ClipboardEmpty,
            Text::ShareFailed("The server cannot be reached.".into()),
            Text::BurnedAll {
                burned: 3,
                failed: 0,
            },
            Text::BurnedAll {
                burned: 2,
                failed: 1,
            },
        ] {
            let (title, body) = text.words();
            assert!(!title.is_empty() && body.ends_with('.'), "{text:?}");
        }
        assert!(Text::LinkCopied { clear_secs: 45 }
            .words()
            .1
            .contains("45 s"));
    }
}
