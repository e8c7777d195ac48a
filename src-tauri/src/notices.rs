//! Desktop notifications (notify-rust): a secret was viewed, burned or expired (from the
//! receipts watcher), and feedback for what happens without the window (quick share, burn
//! all), with a click that brings the window back, in the app's language.

use tauri::{AppHandle, Runtime};
use wisp_desk::locale::fill;
use wisp_desk::{notification_text, summary_text, Notice, Notifier, Words, MOST_SEPARATE};

use crate::shell::{self, Navigation};

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
    /// "Burn all pending" failed before burning anything (the error's sentence).
    BurnFailed(String),
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
    /// Title and body in `words`' language.
    pub fn words(&self, words: &Words) -> (String, String) {
        match self {
            Text::LinkCopied { clear_secs: 0 } => {
                (words.link_copied.into(), words.link_copied_body.into())
            }
            Text::LinkCopied { clear_secs } => (
                words.link_copied.into(),
                fill(
                    words.link_copied_body_clear,
                    &[("secs", &clear_secs.to_string())],
                ),
            ),
            Text::ClipboardEmpty => (
                words.clipboard_empty.into(),
                words.clipboard_empty_body.into(),
            ),
            Text::ShareFailed(why) => (words.share_failed.into(), why.clone()),
            Text::BurnFailed(why) => (words.burn_failed.into(), why.clone()),
            Text::BurnedAll { burned, failed: 0 } => (
                words.burned_all.into(),
                words.count(&words.burned_all_body, *burned as u64, &[]),
            ),
            Text::BurnedAll { burned, failed } => (
                words.burned_some.into(),
                words.count(
                    &words.burned_some_body,
                    *burned as u64,
                    &[("failed", &failed.to_string())],
                ),
            ),
            Text::StillRunning => (words.still_running.into(), words.still_running_body.into()),
        }
    }
}

/// Shows `text`; clicking it opens the window.
pub fn plain<R: Runtime>(app: &AppHandle<R>, text: Text) {
    let words = shell::words(app);
    let (title, body) = text.words(words);
    let app = app.clone();
    show(&title, &body, words.open, move || shell::show_main(&app));
}

/// The watcher's notices as desktop notifications; clicking one shows its secret in the
/// history.
pub struct Desktop<R: Runtime>(pub AppHandle<R>);

impl<R: Runtime> Desktop<R> {
    /// Shows a notification whose click shows the secret `id` in History.
    fn show_secret(&self, words: &Words, title: String, body: String, id: &str) {
        let app = self.0.clone();
        let id = id.to_owned();
        show(&title, &body, words.open, move || {
            shell::navigate(&app, Navigation::Secret { id })
        });
    }
}

impl<R: Runtime> Notifier for Desktop<R> {
    fn notify(&self, notice: &Notice) {
        let words = shell::words(&self.0);
        let (title, body) = notification_text(words, notice);
        self.show_secret(words, title, body, &notice.history_id);
    }

    fn notify_all(&self, notices: &[Notice]) {
        let [first, ..] = notices else { return };
        if notices.len() <= MOST_SEPARATE {
            return notices.iter().for_each(|n| self.notify(n));
        }
        let words = shell::words(&self.0);
        let (title, body) = summary_text(words, notices);
        self.show_secret(words, title, body, &first.history_id);
    }
}

/// Shows a notification; `on_click` runs if the user clicks it. Without a notification
/// service (a bare session) this only logs: the work it reports is done either way.
pub fn show(title: &str, body: &str, open: &str, on_click: impl FnOnce() + Send + 'static) {
    let shown = notify_rust::Notification::new()
        .appname("Wisp")
        .summary(title)
        .body(body)
        .icon("wisp-desktop")
        .action("default", open)
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
    use wisp_desk::{words, Lang};

    #[test]
    fn every_text_has_a_title_and_a_sentence() {
        for text in [
            Text::LinkCopied { clear_secs: 60 },
            Text::LinkCopied { clear_secs: 0 },
            Text::ClipboardEmpty,
            Text::ShareFailed("The server cannot be reached.".into()),
            Text::BurnFailed("The keyring is locked.".into()),
            Text::BurnedAll {
                burned: 3,
                failed: 0,
            },
            Text::BurnedAll {
                burned: 2,
                failed: 1,
            },
        ] {
            for lang in [Lang::En, Lang::Fr, Lang::Es, Lang::Ru] {
                let (title, body) = text.words(words(lang));
                assert!(
                    !title.is_empty() && body.ends_with('.'),
                    "{lang:?} {text:?}"
                );
            }
        }
        assert!(Text::LinkCopied { clear_secs: 45 }
            .words(words(Lang::En))
            .1
            .contains("45 s"));
        assert_eq!(
            Text::BurnedAll {
                burned: 1,
                failed: 0
            }
            .words(words(Lang::En))
            .1,
            "1 secret burned: its link no longer opens anything."
        );
    }
}
