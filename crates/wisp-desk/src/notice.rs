//! Notices: one desktop notification per secret that was viewed, burned (by someone else)
//! or expired — exactly once, also across restarts, because the history entry carries a
//! persisted `notified` marker that is set in the same write that produces the notice.
//! Their words come from [`crate::locale`], in the app's language.

use serde::Serialize;
use wisp_history::{BurnReason, SecretState};

use crate::locale::{fill, Words};
use crate::views::ContentKind;
use crate::{Desk, DeskError};

/// What happened to a secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum NoticeEvent {
    /// Someone viewed it (`views` so far, of `max_views`; `None` = unlimited).
    Viewed {
        /// Views so far.
        views: u32,
        /// The view limit.
        max_views: Option<u32>,
    },
    /// Someone else burned it (the recipient, or the server after too many wrong
    /// passphrases, …), as far as its server said why.
    Burned {
        /// Why, when the server said.
        reason: Option<BurnReason>,
        /// Wrong passphrase attempts the server counted (how many burned it, for reason
        /// `wrong_passphrase`).
        wrong_attempts: u32,
    },
    /// Its time ran out (or its server no longer knows it), after `views` views.
    Expired {
        /// Views it had (0: never opened).
        views: u32,
    },
}

/// One thing to tell the user about one secret.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Notice {
    /// The history entry (and secret) id: clicking the notification shows it.
    pub history_id: String,
    /// The account it was sent through.
    pub account_id: String,
    /// That account's name ("Removed account", in the app's language, when it is gone).
    pub account_name: String,
    /// Text or file.
    pub kind: ContentKind,
    /// File name, or empty for text.
    pub label: String,
    /// The creator note, if any.
    pub note: Option<String>,
    /// What happened.
    #[serde(flatten)]
    pub event: NoticeEvent,
}

/// Shows notices to the user (the desktop shell implements it with the OS notifications).
/// Called from the watcher's tasks: must not block for long.
pub trait Notifier: Send + Sync {
    /// Shows one notice.
    fn notify(&self, notice: &Notice);

    /// Shows notices that arrived together (one watcher round). By default one by one; a
    /// desktop shows more than [`MOST_SEPARATE`] as one summary ([`summary_text`]).
    fn notify_all(&self, notices: &[Notice]) {
        for notice in notices {
            self.notify(notice);
        }
    }
}

/// Most notices from one round shown one by one. More at once (Wisp was off while many
/// secrets were opened or expired) make one summary rather than a flood.
pub const MOST_SEPARATE: usize = 3;

/// A notifier that shows nothing (tests, the CLI, a shell without notifications).
#[derive(Debug, Clone, Copy, Default)]
pub struct Silent;

impl Notifier for Silent {
    fn notify(&self, _notice: &Notice) {}
}

/// What names the secret in a notification: the note, else the file name, else its kind.
fn what(words: &Words, notice: &Notice) -> String {
    let name = notice
        .note
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .or_else(|| Some(notice.label.as_str()).filter(|l| !l.is_empty()));
    match (name, &notice.kind) {
        (Some(name), _) => shorten(name, 60),
        (None, ContentKind::Text) => words.text_secret.into(),
        (None, ContentKind::File) => words.file.into(),
    }
}

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let mut short: String = text.chars().take(max - 1).collect();
        short.push('…');
        short
    }
}

/// The notification's title and body in `words`' language. Views of a many-view secret go
/// in the title as digits ("Secret viewed · 2/3"), which every language reads alike.
pub fn notification_text(words: &Words, notice: &Notice) -> (String, String) {
    let what = what(words, notice);
    let vars = [
        ("label", what.as_str()),
        ("account", notice.account_name.as_str()),
    ];
    match notice.event {
        NoticeEvent::Viewed { views, max_views } => {
            let title = match max_views {
                Some(1) => words.secret_viewed.to_owned(),
                Some(max) => format!("{} · {views}/{max}", words.secret_viewed),
                None if views > 1 => format!("{} · {views}", words.secret_viewed),
                None => words.secret_viewed.to_owned(),
            };
            (title, fill(words.secret_viewed_body, &vars))
        }
        // The server burned it after too many wrong passphrases: say so, and how many.
        NoticeEvent::Burned {
            reason: Some(BurnReason::WrongPassphrase),
            wrong_attempts,
        } if wrong_attempts > 0 => (
            words.count(&words.secret_burned_passphrases, wrong_attempts.into(), &[]),
            words.count(
                &words.secret_burned_passphrases_body,
                wrong_attempts.into(),
                &vars,
            ),
        ),
        NoticeEvent::Burned { .. } => (
            words.secret_burned.into(),
            fill(words.secret_burned_body, &vars),
        ),
        NoticeEvent::Expired { views: 0 } => (
            words.secret_expired.into(),
            fill(words.secret_expired_body, &vars),
        ),
        NoticeEvent::Expired { .. } => (
            words.secret_expired.into(),
            fill(words.secret_expired_opened_body, &vars),
        ),
    }
}

/// One notification for many notices: how many changed, and how many were viewed, burned
/// and expired.
pub fn summary_text(words: &Words, notices: &[Notice]) -> (String, String) {
    let count = |want: fn(&NoticeEvent) -> bool| {
        notices
            .iter()
            .filter(|n| want(&n.event))
            .count()
            .to_string()
    };
    let viewed = count(|e| matches!(e, NoticeEvent::Viewed { .. }));
    let burned = count(|e| matches!(e, NoticeEvent::Burned { .. }));
    let expired = count(|e| matches!(e, NoticeEvent::Expired { .. }));
    (
        words.count(&words.many_changed, notices.len() as u64, &[]),
        fill(
            words.many_changed_body,
            &[
                ("viewed", &viewed),
                ("burned", &burned),
                ("expired", &expired),
            ],
        ),
    )
}

impl Desk {
    /// Marks every entry whose news was not told yet as told, and returns the notices to
    /// show: none for a paused app or an account with notifications off (the marker is set
    /// all the same: a notice never arrives late). Entries the user is burning right now are
    /// left for [`Desk::burn`] to mark. The marker is written before anything is shown, so a
    /// crash in between loses a notice rather than repeating one.
    pub fn take_notices(&self) -> Result<Vec<Notice>, DeskError> {
        let (accounts, paused, words) = self.notification_switches();
        let mut notices = Vec::new();
        self.history().update(|entries| {
            let mut changed = false;
            for e in entries.iter_mut() {
                // A view of a secret that stays open (views left) is news too.
                let news = e.state != SecretState::Pending || e.views > 0;
                if e.notified || !news || self.is_burning(&e.id) {
                    continue;
                }
                e.notified = true;
                changed = true;
                let (account_name, on) = accounts
                    .get(&e.account_id)
                    .cloned()
                    .unwrap_or_else(|| (words.removed_account.to_owned(), true));
                if paused || !on {
                    continue;
                }
                let event = match e.state {
                    SecretState::Viewed | SecretState::Pending => NoticeEvent::Viewed {
                        views: e.views,
                        max_views: e.max_views,
                    },
                    SecretState::Burned => NoticeEvent::Burned {
                        reason: e.burn_reason,
                        wrong_attempts: e.wrong_attempts,
                    },
                    SecretState::Expired => NoticeEvent::Expired { views: e.views },
                };
                notices.push(Notice {
                    history_id: e.id.clone(),
                    account_id: e.account_id.clone(),
                    account_name,
                    kind: e.kind.into(),
                    label: e.label.clone(),
                    note: e.note.clone(),
                    event,
                });
            }
            changed
        })?;
        Ok(notices)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notice(event: NoticeEvent, note: Option<&str>, label: &str) -> Notice {
        Notice {
            history_id: "id".into(),
            account_id: "a".into(),
            account_name: "Work".into(),
            kind: if label.is_empty() {
                ContentKind::Text
            } else {
                ContentKind::File
            },
            label: label.into(),
            note: note.map(Into::into),
            event,
        }
    }

    #[test]
    fn texts_name_the_secret_and_the_account() {
        let en = crate::words(crate::Lang::En);
        let viewed = NoticeEvent::Viewed {
            views: 1,
            max_views: Some(1),
        };
        let (title, body) = notification_text(en, &notice(viewed, Some("db password"), ""));
        assert_eq!(title, "Secret viewed");
        assert_eq!(body, "“db password” was opened (Work).");
        let (title, body) = notification_text(
            en,
            &notice(
                NoticeEvent::Viewed {
                    views: 2,
                    max_views: Some(3),
                },
                None,
                "report.pdf",
            ),
        );
        assert_eq!(title, "Secret viewed · 2/3");
        assert_eq!(body, "“report.pdf” was opened (Work).");
        let burned = |reason, wrong_attempts| NoticeEvent::Burned {
            reason,
            wrong_attempts,
        };
        let (title, body) = notification_text(en, &notice(burned(None, 0), None, ""));
        assert_eq!(title, "Secret burned");
        assert!(body.starts_with("“Text secret” was burned"), "{body}");
        // Other reasons keep the plain wording (a v1 secret's wrong proofs may be wrong links).
        for reason in [
            BurnReason::Recipient,
            BurnReason::WrongProof,
            BurnReason::Reports,
        ] {
            let (title, _) = notification_text(en, &notice(burned(Some(reason), 10), None, ""));
            assert_eq!(title, "Secret burned", "{reason:?}");
        }
        let (title, body) = notification_text(
            en,
            &notice(NoticeEvent::Expired { views: 0 }, None, "a.txt"),
        );
        assert_eq!(title, "Secret expired");
        assert!(body.contains("without being opened"), "{body}");
        let (_, body) = notification_text(
            en,
            &notice(NoticeEvent::Expired { views: 2 }, None, "a.txt"),
        );
        assert_eq!(body, "“a.txt” expired after it was opened (Work).");
        let long = "x".repeat(200);
        let (_, body) = notification_text(
            en,
            &notice(NoticeEvent::Expired { views: 0 }, Some(&long), ""),
        );
        assert!(body.chars().count() < 120, "{body}");
    }

    #[test]
    fn a_burn_by_wrong_passphrases_says_why_in_every_language() {
        let destroyed = |n| NoticeEvent::Burned {
            reason: Some(BurnReason::WrongPassphrase),
            wrong_attempts: n,
        };
        let text = |lang, n| {
            notification_text(crate::words(lang), &notice(destroyed(n), Some("wifi"), ""))
        };
        let (title, body) = text(crate::Lang::En, 10);
        assert_eq!(title, "Secret destroyed · after 10 wrong passphrases");
        assert_eq!(
            body,
            "“wifi” was destroyed: someone with its link tried 10 wrong passphrases (Work)."
        );
        assert_eq!(
            text(crate::Lang::En, 1).0,
            "Secret destroyed · after 1 wrong passphrase"
        );
        assert_eq!(
            text(crate::Lang::Fr, 10).0,
            "Secret détruit · après 10 phrases secrètes incorrectes"
        );
        assert_eq!(
            text(crate::Lang::Es, 10).0,
            "Secreto destruido · tras 10 frases de contraseña incorrectas"
        );
        assert_eq!(
            text(crate::Lang::Ru, 10).0,
            "Секрет уничтожен · после 10 неверных парольных фраз"
        );
        assert_eq!(
            text(crate::Lang::Ru, 21).0,
            "Секрет уничтожен · после 21 неверной парольной фразы"
        );
        let (_, body) = text(crate::Lang::Ru, 3);
        assert!(
            body.contains("ввёл 3 неверные парольные фразы") && body.contains("«wifi»"),
            "{body}"
        );
        for lang in crate::Lang::ALL {
            let (title, body) = text(lang, 10);
            assert!(
                title.contains("10") && body.contains("10") && body.contains("Work"),
                "{lang:?}: {title} / {body}"
            );
            assert!(
                !title.contains('{') && !body.contains('{'),
                "{lang:?}: {title} / {body}"
            );
        }
        // A server that counted nothing gives no number to tell.
        assert_eq!(text(crate::Lang::En, 0).0, "Secret burned");
    }

    #[test]
    fn many_notices_make_one_summary() {
        let viewed = NoticeEvent::Viewed {
            views: 1,
            max_views: Some(1),
        };
        let notices: Vec<Notice> = [
            viewed,
            viewed,
            NoticeEvent::Expired { views: 0 },
            viewed,
            viewed,
        ]
        .into_iter()
        .map(|e| notice(e, None, ""))
        .collect();
        let (title, body) = summary_text(crate::words(crate::Lang::En), &notices);
        assert_eq!(title, "5 secrets changed");
        assert_eq!(
            body,
            "Viewed: 4 · burned: 0 · expired: 1. History shows which."
        );
        let (title, _) = summary_text(crate::words(crate::Lang::Ru), &notices);
        assert_eq!(title, "5 секретов изменились");
    }

    #[test]
    fn texts_follow_the_language() {
        let viewed = notice(
            NoticeEvent::Viewed {
                views: 1,
                max_views: Some(1),
            },
            Some("wifi"),
            "",
        );
        let (title, body) = notification_text(crate::words(crate::Lang::Ru), &viewed);
        assert_eq!(title, "Секрет просмотрен");
        assert!(body.contains("«wifi»") && body.contains("Work"), "{body}");
        let (_, body) = notification_text(crate::words(crate::Lang::Fr), &viewed);
        assert!(body.contains("a été ouvert"), "{body}");
    }
}
