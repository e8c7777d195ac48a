//! The language of what Wisp shows outside its window (tray menu, notifications, update
//! prompts): the same four as the UI, chosen by the settings' `language` or, for "system",
//! by the OS locale. The webview localises itself; this is for the native shell.
//!
//! Templates hold `{name}` placeholders, filled by [`fill`]; counted texts are [`Counted`],
//! picked by the language's plural rules (CLDR one/few/many/other for these four).

/// A language Wisp speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    /// English (the fallback).
    #[default]
    En,
    /// French.
    Fr,
    /// Spanish.
    Es,
    /// Russian.
    Ru,
}

impl Lang {
    /// Every language, in the order the settings list them.
    pub const ALL: [Lang; 4] = [Lang::En, Lang::Fr, Lang::Es, Lang::Ru];

    /// The code the settings store: "en", "fr", "es", "ru".
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
            Lang::Es => "es",
            Lang::Ru => "ru",
        }
    }

    /// The language of a code or locale name: "fr", "ru_RU.UTF-8", "es-MX", "en_GB@euro".
    /// `None` for others ("de_DE", "C", "POSIX", "").
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let base = tag
            .trim()
            .split(['_', '-', '.', '@'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        match base.as_str() {
            "en" => Some(Lang::En),
            "fr" => Some(Lang::Fr),
            "es" => Some(Lang::Es),
            "ru" => Some(Lang::Ru),
            _ => None,
        }
    }

    /// The OS locale's language, from the environment as POSIX reads it: `LC_ALL`, then
    /// `LC_MESSAGES`, then `LANG` (the first one set and non-empty decides); GNU `LANGUAGE`
    /// (a `:`-separated preference list) comes first when the locale is not "C"/"POSIX".
    pub fn from_env() -> Option<Lang> {
        Lang::from_env_with(|name| std::env::var(name).ok())
    }

    /// [`Lang::from_env`] over any source of variables (for tests).
    pub fn from_env_with(var: impl Fn(&str) -> Option<String>) -> Option<Lang> {
        let set = |name: &str| var(name).filter(|v| !v.trim().is_empty());
        let locale = set("LC_ALL")
            .or_else(|| set("LC_MESSAGES"))
            .or_else(|| set("LANG"));
        let is_c = locale
            .as_deref()
            .is_some_and(|l| l == "C" || l == "POSIX" || l.starts_with("C."));
        if !is_c {
            if let Some(list) = set("LANGUAGE") {
                if let Some(lang) = list.split(':').find_map(Lang::from_tag) {
                    return Some(lang);
                }
            }
        }
        locale.as_deref().and_then(Lang::from_tag)
    }

    /// The language to use for the settings' `language` ("system", "" or a code): the code
    /// if it is one of ours, else the OS locale's language, else English.
    pub fn resolve(setting: &str) -> Lang {
        Lang::resolve_with(setting, |name| std::env::var(name).ok())
    }

    /// [`Lang::resolve`] over any source of environment variables (for tests).
    pub fn resolve_with(setting: &str, var: impl Fn(&str) -> Option<String>) -> Lang {
        match setting.trim() {
            "" | "system" => Lang::from_env_with(var).unwrap_or_default(),
            code => Lang::from_tag(code)
                .filter(|l| l.code() == code)
                .or_else(|| Lang::from_env_with(var))
                .unwrap_or_default(),
        }
    }

    /// The CLDR plural category of `n` in this language.
    pub fn plural(self, n: u64) -> PluralCategory {
        match self {
            Lang::En | Lang::Es => {
                if n == 1 {
                    PluralCategory::One
                } else {
                    PluralCategory::Other
                }
            }
            // French: 0 and 1 are singular.
            Lang::Fr => {
                if n <= 1 {
                    PluralCategory::One
                } else {
                    PluralCategory::Other
                }
            }
            Lang::Ru => {
                let (d, h) = (n % 10, n % 100);
                if d == 1 && h != 11 {
                    PluralCategory::One
                } else if (2..=4).contains(&d) && !(12..=14).contains(&h) {
                    PluralCategory::Few
                } else {
                    PluralCategory::Many
                }
            }
        }
    }
}

/// A CLDR plural category (for whole numbers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PluralCategory {
    /// 1 (and 21, 31… in Russian; 0 and 1 in French).
    One,
    /// Russian 2–4, 22–24…
    Few,
    /// Russian 0, 5–20, 25–30…
    Many,
    /// Everything else.
    Other,
}

/// A text that depends on a count `{n}`, one form per plural category (`few`/`many` fall
/// back to `other` where a language has no such form).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counted {
    /// Singular.
    pub one: &'static str,
    /// Russian "few" form.
    pub few: Option<&'static str>,
    /// Russian "many" form.
    pub many: Option<&'static str>,
    /// Plural.
    pub other: &'static str,
}

impl Counted {
    /// The form for `n` in `lang`, with `{n}` and `vars` filled in.
    pub fn format(&self, lang: Lang, n: u64, vars: &[(&str, &str)]) -> String {
        let form = match lang.plural(n) {
            PluralCategory::One => self.one,
            PluralCategory::Few => self.few.unwrap_or(self.other),
            PluralCategory::Many => self.many.unwrap_or(self.other),
            PluralCategory::Other => self.other,
        };
        let n = n.to_string();
        let mut all: Vec<(&str, &str)> = vec![("n", n.as_str())];
        all.extend_from_slice(vars);
        fill(form, &all)
    }

    /// Every form it has (for checks).
    pub fn forms(&self) -> impl Iterator<Item = &'static str> {
        [Some(self.one), self.few, self.many, Some(self.other)]
            .into_iter()
            .flatten()
    }
}

/// Replaces each `{name}` in `template` with its value in `vars`; unknown names stay as they
/// are. Values are inserted verbatim (a label containing "{x}" is not expanded again).
pub fn fill(template: &str, vars: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end) => {
                let name = &after[..end];
                match vars.iter().find(|(k, _)| *k == name) {
                    Some((_, value)) => out.push_str(value),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[end + 1..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// The native shell's texts in one language. Placeholders: `{label}` (a secret's label or
/// file name), `{account}` (an account's name), `{secs}`, `{version}`, `{current}`, `{why}`,
/// `{name}`, `{state}`, `{n}` (counts).
#[derive(Debug)]
pub struct Words {
    /// The language these are in.
    pub lang: Lang,

    // Tray menu.
    /// The tray icon's tooltip.
    pub tray_tooltip: &'static str,
    /// "Share clipboard".
    pub share_clipboard: &'static str,
    /// "Recent secrets" (submenu).
    pub recent_secrets: &'static str,
    /// The empty "Recent secrets" submenu's only row.
    pub no_secrets_yet: &'static str,
    /// "Burn all pending".
    pub burn_all_pending: &'static str,
    /// "Open Wisp".
    pub open_wisp: &'static str,
    /// "Pause notifications" (shown while they are on).
    pub pause_notifications: &'static str,
    /// "Resume notifications" (shown while they are paused).
    pub resume_notifications: &'static str,
    /// "Check for updates…".
    pub check_updates: &'static str,
    /// "Quit Wisp" (the app, tray and all).
    pub quit: &'static str,
    /// A recent secret's row: `{name} · {state}`.
    pub recent_row: &'static str,
    /// A recent secret's row with when it was sent (a time or a date): `{name} · {when} · {state}`.
    pub recent_row_dated: &'static str,
    /// A text secret without a label.
    pub text_secret: &'static str,
    /// A file without a name.
    pub file: &'static str,
    /// The account of a secret whose account was removed since.
    pub removed_account: &'static str,
    /// State: pending, viewed at least once, views left.
    pub state_viewed_open: &'static str,
    /// State: pending, not viewed yet.
    pub state_not_viewed: &'static str,
    /// State: viewed (no views left).
    pub state_viewed: &'static str,
    /// State: burned.
    pub state_burned: &'static str,
    /// State: expired.
    pub state_expired: &'static str,

    // Notifications.
    /// A notification's action that opens the window.
    pub open: &'static str,
    /// Title: a secret was viewed.
    pub secret_viewed: &'static str,
    /// Body: `{label}`, `{account}`.
    pub secret_viewed_body: &'static str,
    /// Title: a secret was burned.
    pub secret_burned: &'static str,
    /// Body: `{label}`, `{account}`.
    pub secret_burned_body: &'static str,
    /// Title: the server burned a secret after `{n}` wrong passphrases.
    pub secret_burned_passphrases: Counted,
    /// Body: `{label}`, `{account}`, `{n}` wrong passphrases.
    pub secret_burned_passphrases_body: Counted,
    /// Title: a secret expired unopened.
    pub secret_expired: &'static str,
    /// Body: `{label}`, `{account}`.
    pub secret_expired_body: &'static str,
    /// Body, for a secret that had been opened before it expired: `{label}`, `{account}`.
    pub secret_expired_opened_body: &'static str,
    /// Title: many secrets changed at once (one notification instead of a flood): `{n}`.
    pub many_changed: Counted,
    /// Body: how many were viewed, burned, expired.
    pub many_changed_body: &'static str,
    /// Title: the window closed but Wisp keeps running in the tray (said once).
    pub still_running: &'static str,
    /// Body: where it is and how to quit.
    pub still_running_body: &'static str,
    /// Title: quick share put the link in the clipboard.
    pub link_copied: &'static str,
    /// Body when the clipboard is never cleared.
    pub link_copied_body: &'static str,
    /// Body when the clipboard is cleared after `{secs}` seconds.
    pub link_copied_body_clear: &'static str,
    /// Title: quick share found no text.
    pub clipboard_empty: &'static str,
    /// Body: what to do.
    pub clipboard_empty_body: &'static str,
    /// Title: quick share failed (the body is the error's sentence).
    pub share_failed: &'static str,
    /// Title: "burn all pending" burned everything.
    pub burned_all: &'static str,
    /// Body: `{n}` burned.
    pub burned_all_body: Counted,
    /// Title: some could not be burned.
    pub burned_some: &'static str,
    /// Body: `{n}` burned, `{failed}` not reached.
    pub burned_some_body: Counted,
    /// Title: "burn all pending" could not run at all (the body is the error's sentence).
    pub burn_failed: &'static str,

    // Updates.
    /// Title: an update is available.
    pub update_available: &'static str,
    /// Body: `{version}`, `{current}`.
    pub update_available_body: &'static str,
    /// Button or action: install it.
    pub update_install: &'static str,
    /// Button or action: not now.
    pub update_later: &'static str,
    /// Title: no update.
    pub up_to_date: &'static str,
    /// Body: `{version}` is the newest.
    pub up_to_date_body: &'static str,
    /// Title: the check or install failed (the body is the error's sentence).
    pub update_failed: &'static str,
    /// Body: the update's signature did not match.
    pub update_bad_signature: &'static str,
}

impl Words {
    /// Every plain text, with its field name (for checks and tests).
    pub fn texts(&self) -> Vec<(&'static str, &'static str)> {
        vec![
            ("tray_tooltip", self.tray_tooltip),
            ("share_clipboard", self.share_clipboard),
            ("recent_secrets", self.recent_secrets),
            ("no_secrets_yet", self.no_secrets_yet),
            ("burn_all_pending", self.burn_all_pending),
            ("open_wisp", self.open_wisp),
            ("pause_notifications", self.pause_notifications),
            ("resume_notifications", self.resume_notifications),
            ("check_updates", self.check_updates),
            ("quit", self.quit),
            ("recent_row", self.recent_row),
            ("recent_row_dated", self.recent_row_dated),
            ("text_secret", self.text_secret),
            ("file", self.file),
            ("removed_account", self.removed_account),
            ("state_viewed_open", self.state_viewed_open),
            ("state_not_viewed", self.state_not_viewed),
            ("state_viewed", self.state_viewed),
            ("state_burned", self.state_burned),
            ("state_expired", self.state_expired),
            ("open", self.open),
            ("secret_viewed", self.secret_viewed),
            ("secret_viewed_body", self.secret_viewed_body),
            ("secret_burned", self.secret_burned),
            ("secret_burned_body", self.secret_burned_body),
            ("secret_expired", self.secret_expired),
            ("secret_expired_body", self.secret_expired_body),
            (
                "secret_expired_opened_body",
                self.secret_expired_opened_body,
            ),
            ("many_changed_body", self.many_changed_body),
            ("still_running", self.still_running),
            ("still_running_body", self.still_running_body),
            ("link_copied", self.link_copied),
            ("link_copied_body", self.link_copied_body),
            ("link_copied_body_clear", self.link_copied_body_clear),
            ("clipboard_empty", self.clipboard_empty),
            ("clipboard_empty_body", self.clipboard_empty_body),
            ("share_failed", self.share_failed),
            ("burned_all", self.burned_all),
            ("burned_some", self.burned_some),
            ("burn_failed", self.burn_failed),
            ("update_available", self.update_available),
            ("update_available_body", self.update_available_body),
            ("update_install", self.update_install),
            ("update_later", self.update_later),
            ("up_to_date", self.up_to_date),
            ("up_to_date_body", self.up_to_date_body),
            ("update_failed", self.update_failed),
            ("update_bad_signature", self.update_bad_signature),
        ]
    }

    /// Every counted text, with its field name.
    pub fn counted(&self) -> Vec<(&'static str, Counted)> {
        vec![
            ("burned_all_body", self.burned_all_body),
            ("burned_some_body", self.burned_some_body),
            ("many_changed", self.many_changed),
            ("secret_burned_passphrases", self.secret_burned_passphrases),
            (
                "secret_burned_passphrases_body",
                self.secret_burned_passphrases_body,
            ),
        ]
    }

    /// The form of `text` for `n` in this language, filled.
    pub fn count(&self, text: &Counted, n: u64, vars: &[(&str, &str)]) -> String {
        text.format(self.lang, n, vars)
    }
}

/// The native texts in `lang`.
pub fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::En => &EN,
        Lang::Fr => &FR,
        Lang::Es => &ES,
        Lang::Ru => &RU,
    }
}

static EN: Words = Words {
    lang: Lang::En,
    tray_tooltip: "Wisp",
    share_clipboard: "Share clipboard",
    recent_secrets: "Recent secrets",
    no_secrets_yet: "No secrets yet",
    burn_all_pending: "Burn all pending",
    open_wisp: "Open Wisp",
    pause_notifications: "Pause notifications",
    resume_notifications: "Resume notifications",
    check_updates: "Check for updates…",
    quit: "Quit Wisp",
    recent_row: "{name} · {state}",
    recent_row_dated: "{name} · {when} · {state}",
    text_secret: "Text secret",
    file: "File",
    removed_account: "Removed account",
    state_viewed_open: "viewed, still open",
    state_not_viewed: "not viewed yet",
    state_viewed: "viewed",
    state_burned: "burned",
    state_expired: "expired",
    open: "Open",
    secret_viewed: "Secret viewed",
    secret_viewed_body: "“{label}” was opened ({account}).",
    secret_burned: "Secret burned",
    secret_burned_body: "“{label}” was burned: its link no longer opens anything ({account}).",
    secret_burned_passphrases: Counted {
        one: "Secret destroyed · after {n} wrong passphrase",
        few: None,
        many: None,
        other: "Secret destroyed · after {n} wrong passphrases",
    },
    secret_burned_passphrases_body: Counted {
        one: "“{label}” was destroyed: someone with its link tried {n} wrong passphrase ({account}).",
        few: None,
        many: None,
        other: "“{label}” was destroyed: someone with its link tried {n} wrong passphrases ({account}).",
    },
    secret_expired: "Secret expired",
    secret_expired_body: "“{label}” expired without being opened ({account}).",
    many_changed: Counted {
        one: "{n} secret changed",
        few: None,
        many: None,
        other: "{n} secrets changed",
    },
    many_changed_body: "Viewed: {viewed} · burned: {burned} · expired: {expired}. History shows which.",
    secret_expired_opened_body: "“{label}” expired after it was opened ({account}).",
    still_running: "Wisp is still running",
    still_running_body: "It keeps watching your secrets from the tray. Quit from the tray menu, or change this in Settings.",
    link_copied: "Link copied",
    link_copied_body: "The link to your clipboard's text is in the clipboard.",
    link_copied_body_clear: "The link is in your clipboard; it is cleared in {secs} s.",
    clipboard_empty: "Clipboard is empty",
    clipboard_empty_body: "Copy some text first, then share it.",
    share_failed: "Sharing failed",
    burned_all: "Pending secrets burned",
    burned_all_body: Counted {
        one: "{n} secret burned: its link no longer opens anything.",
        few: None,
        many: None,
        other: "{n} secrets burned: their links no longer open anything.",
    },
    burned_some: "Some secrets were not burned",
    burned_some_body: Counted {
        one: "{n} burned, {failed} could not be reached: try again from History.",
        few: None,
        many: None,
        other: "{n} burned, {failed} could not be reached: try again from History.",
    },
    burn_failed: "Burning failed",
    update_available: "Update available",
    update_available_body: "Wisp {version} is available (you have {current}).",
    update_install: "Install",
    update_later: "Later",
    up_to_date: "Wisp is up to date",
    up_to_date_body: "{version} is the latest version.",
    update_failed: "Update failed",
    update_bad_signature: "The update was refused: its signature does not match Wisp's key.",
};

// French: a no-break space (U+00A0) before ":" and a narrow one (U+202F) before ";", "!", "?",
// as French typography wants; « » quotes with narrow no-break spaces inside.
static FR: Words = Words {
    lang: Lang::Fr,
    tray_tooltip: "Wisp",
    share_clipboard: "Partager le presse-papiers",
    recent_secrets: "Secrets récents",
    no_secrets_yet: "Aucun secret pour l'instant",
    burn_all_pending: "Détruire tous les secrets en attente",
    open_wisp: "Ouvrir Wisp",
    pause_notifications: "Suspendre les notifications",
    resume_notifications: "Reprendre les notifications",
    check_updates: "Rechercher des mises à jour…",
    quit: "Quitter Wisp",
    recent_row: "{name} · {state}",
    recent_row_dated: "{name} · {when} · {state}",
    text_secret: "Secret texte",
    file: "Fichier",
    removed_account: "Compte supprimé",
    state_viewed_open: "consulté, encore ouvert",
    state_not_viewed: "pas encore consulté",
    state_viewed: "consulté",
    state_burned: "détruit",
    state_expired: "expiré",
    open: "Ouvrir",
    secret_viewed: "Secret consulté",
    secret_viewed_body: "«\u{202F}{label}\u{202F}» a été ouvert ({account}).",
    secret_burned: "Secret détruit",
    secret_burned_body:
        "«\u{202F}{label}\u{202F}» a été détruit\u{00A0}: son lien n'ouvre plus rien ({account}).",
    secret_burned_passphrases: Counted {
        one: "Secret détruit · après {n} phrase secrète incorrecte",
        few: None,
        many: None,
        other: "Secret détruit · après {n} phrases secrètes incorrectes",
    },
    secret_burned_passphrases_body: Counted {
        one: "«\u{202F}{label}\u{202F}» a été détruit\u{00A0}: quelqu'un qui avait son lien a essayé {n} phrase secrète incorrecte ({account}).",
        few: None,
        many: None,
        other: "«\u{202F}{label}\u{202F}» a été détruit\u{00A0}: quelqu'un qui avait son lien a essayé {n} phrases secrètes incorrectes ({account}).",
    },
    secret_expired: "Secret expiré",
    secret_expired_body: "«\u{202F}{label}\u{202F}» a expiré sans avoir été ouvert ({account}).",
    many_changed: Counted {
        one: "{n} secret a changé",
        few: None,
        many: None,
        other: "{n} secrets ont changé",
    },
    many_changed_body: "Consultés\u{00A0}: {viewed} · détruits\u{00A0}: {burned} · expirés\u{00A0}: {expired}. L'historique dit lesquels.",
    secret_expired_opened_body: "«\u{202F}{label}\u{202F}» a expiré après avoir été ouvert ({account}).",
    still_running: "Wisp est toujours en cours d'exécution",
    still_running_body: "Il continue de surveiller vos secrets depuis la zone de notification. Quittez-le depuis le menu de l'icône, ou changez cela dans les Réglages.",
    link_copied: "Lien copié",
    link_copied_body: "Le lien vers le texte de votre presse-papiers est dans le presse-papiers.",
    link_copied_body_clear:
        "Le lien est dans votre presse-papiers\u{202F}; il sera effacé dans {secs}\u{00A0}s.",
    clipboard_empty: "Le presse-papiers est vide",
    clipboard_empty_body: "Copiez d'abord du texte, puis partagez-le.",
    share_failed: "Échec du partage",
    burned_all: "Secrets en attente détruits",
    burned_all_body: Counted {
        one: "{n} secret détruit\u{00A0}: son lien n'ouvre plus rien.",
        few: None,
        many: None,
        other: "{n} secrets détruits\u{00A0}: leurs liens n'ouvrent plus rien.",
    },
    burned_some: "Certains secrets n'ont pas été détruits",
    burned_some_body: Counted {
        one: "{n} détruit, {failed} injoignable(s)\u{00A0}: réessayez depuis l'historique.",
        few: None,
        many: None,
        other: "{n} détruits, {failed} injoignable(s)\u{00A0}: réessayez depuis l'historique.",
    },
    burn_failed: "Échec de la destruction",
    update_available: "Mise à jour disponible",
    update_available_body: "Wisp {version} est disponible (vous avez la {current}).",
    update_install: "Installer",
    update_later: "Plus tard",
    up_to_date: "Wisp est à jour",
    up_to_date_body: "La {version} est la dernière version.",
    update_failed: "Échec de la mise à jour",
    update_bad_signature:
        "La mise à jour a été refusée\u{00A0}: sa signature ne correspond pas à la clé de Wisp.",
};

static ES: Words = Words {
    lang: Lang::Es,
    tray_tooltip: "Wisp",
    share_clipboard: "Compartir el portapapeles",
    recent_secrets: "Secretos recientes",
    no_secrets_yet: "Aún no hay secretos",
    burn_all_pending: "Destruir todos los pendientes",
    open_wisp: "Abrir Wisp",
    pause_notifications: "Pausar las notificaciones",
    resume_notifications: "Reanudar las notificaciones",
    check_updates: "Buscar actualizaciones…",
    quit: "Salir de Wisp",
    recent_row: "{name} · {state}",
    recent_row_dated: "{name} · {when} · {state}",
    text_secret: "Secreto de texto",
    file: "Archivo",
    removed_account: "Cuenta eliminada",
    state_viewed_open: "visto, aún abierto",
    state_not_viewed: "aún no visto",
    state_viewed: "visto",
    state_burned: "destruido",
    state_expired: "caducado",
    open: "Abrir",
    secret_viewed: "Secreto visto",
    secret_viewed_body: "«{label}» se ha abierto ({account}).",
    secret_burned: "Secreto destruido",
    secret_burned_body: "«{label}» se ha destruido: su enlace ya no abre nada ({account}).",
    secret_burned_passphrases: Counted {
        one: "Secreto destruido · tras {n} frase de contraseña incorrecta",
        few: None,
        many: None,
        other: "Secreto destruido · tras {n} frases de contraseña incorrectas",
    },
    secret_burned_passphrases_body: Counted {
        one: "«{label}» se ha destruido: alguien con su enlace probó {n} frase de contraseña incorrecta ({account}).",
        few: None,
        many: None,
        other: "«{label}» se ha destruido: alguien con su enlace probó {n} frases de contraseña incorrectas ({account}).",
    },
    secret_expired: "Secreto caducado",
    secret_expired_body: "«{label}» caducó sin abrirse ({account}).",
    many_changed: Counted {
        one: "{n} secreto cambió",
        few: None,
        many: None,
        other: "{n} secretos cambiaron",
    },
    many_changed_body: "Vistos: {viewed} · destruidos: {burned} · caducados: {expired}. El historial muestra cuáles.",
    secret_expired_opened_body: "«{label}» caducó después de abrirse ({account}).",
    still_running: "Wisp sigue en marcha",
    still_running_body: "Sigue vigilando tus secretos desde la bandeja del sistema. Sal desde el menú de la bandeja o cámbialo en Ajustes.",
    link_copied: "Enlace copiado",
    link_copied_body: "El enlace al texto de tu portapapeles está en el portapapeles.",
    link_copied_body_clear: "El enlace está en tu portapapeles; se borrará en {secs} s.",
    clipboard_empty: "El portapapeles está vacío",
    clipboard_empty_body: "Copia primero algún texto y luego compártelo.",
    share_failed: "No se pudo compartir",
    burned_all: "Secretos pendientes destruidos",
    burned_all_body: Counted {
        one: "{n} secreto destruido: su enlace ya no abre nada.",
        few: None,
        many: None,
        other: "{n} secretos destruidos: sus enlaces ya no abren nada.",
    },
    burned_some: "Algunos secretos no se destruyeron",
    burned_some_body: Counted {
        one: "{n} destruido, {failed} sin conexión: inténtalo de nuevo desde el historial.",
        few: None,
        many: None,
        other: "{n} destruidos, {failed} sin conexión: inténtalo de nuevo desde el historial.",
    },
    burn_failed: "No se pudo destruir",
    update_available: "Actualización disponible",
    update_available_body: "Wisp {version} está disponible (tienes la {current}).",
    update_install: "Instalar",
    update_later: "Más tarde",
    up_to_date: "Wisp está actualizado",
    up_to_date_body: "La {version} es la última versión.",
    update_failed: "La actualización falló",
    update_bad_signature: "Se rechazó la actualización: su firma no coincide con la clave de Wisp.",
};

static RU: Words = Words {
    lang: Lang::Ru,
    tray_tooltip: "Wisp",
    share_clipboard: "Поделиться буфером обмена",
    recent_secrets: "Недавние секреты",
    no_secrets_yet: "Секретов пока нет",
    burn_all_pending: "Уничтожить все ожидающие",
    open_wisp: "Открыть Wisp",
    pause_notifications: "Приостановить уведомления",
    resume_notifications: "Возобновить уведомления",
    check_updates: "Проверить обновления…",
    quit: "Выйти из Wisp",
    recent_row: "{name} · {state}",
    recent_row_dated: "{name} · {when} · {state}",
    text_secret: "Текстовый секрет",
    file: "Файл",
    removed_account: "Удалённый аккаунт",
    state_viewed_open: "просмотрен, ещё открыт",
    state_not_viewed: "ещё не просмотрен",
    state_viewed: "просмотрен",
    state_burned: "уничтожен",
    state_expired: "истёк",
    open: "Открыть",
    secret_viewed: "Секрет просмотрен",
    secret_viewed_body: "«{label}» открыли ({account}).",
    secret_burned: "Секрет уничтожен",
    secret_burned_body: "«{label}» уничтожен: ссылка больше ничего не открывает ({account}).",
    secret_burned_passphrases: Counted {
        one: "Секрет уничтожен · после {n} неверной парольной фразы",
        few: Some("Секрет уничтожен · после {n} неверных парольных фраз"),
        many: Some("Секрет уничтожен · после {n} неверных парольных фраз"),
        other: "Секрет уничтожен · после {n} неверных парольных фраз",
    },
    secret_burned_passphrases_body: Counted {
        one: "«{label}» уничтожен: кто-то со ссылкой ввёл {n} неверную парольную фразу ({account}).",
        few: Some("«{label}» уничтожен: кто-то со ссылкой ввёл {n} неверные парольные фразы ({account})."),
        many: Some("«{label}» уничтожен: кто-то со ссылкой ввёл {n} неверных парольных фраз ({account})."),
        other: "«{label}» уничтожен: кто-то со ссылкой ввёл {n} неверной парольной фразы ({account}).",
    },
    secret_expired: "Срок секрета истёк",
    secret_expired_body: "Срок «{label}» истёк, его так и не открыли ({account}).",
    many_changed: Counted {
        one: "{n} секрет изменился",
        few: Some("{n} секрета изменились"),
        many: Some("{n} секретов изменились"),
        other: "{n} секрета изменились",
    },
    many_changed_body: "Просмотрено: {viewed} · уничтожено: {burned} · истекло: {expired}. Какие именно — в истории.",
    secret_expired_opened_body: "Срок «{label}» истёк, его уже открывали ({account}).",
    still_running: "Wisp продолжает работать",
    still_running_body: "Он следит за вашими секретами из системного трея. Выйти можно через меню в трее, а изменить это — в настройках.",
    link_copied: "Ссылка скопирована",
    link_copied_body: "Ссылка на текст из буфера обмена — в буфере обмена.",
    link_copied_body_clear: "Ссылка в буфере обмена; он будет очищен через {secs} с.",
    clipboard_empty: "Буфер обмена пуст",
    clipboard_empty_body: "Сначала скопируйте текст, затем поделитесь им.",
    share_failed: "Не удалось поделиться",
    burned_all: "Ожидающие секреты уничтожены",
    burned_all_body: Counted {
        one: "Уничтожен {n} секрет: его ссылка больше ничего не открывает.",
        few: Some("Уничтожено {n} секрета: их ссылки больше ничего не открывают."),
        many: Some("Уничтожено {n} секретов: их ссылки больше ничего не открывают."),
        other: "Уничтожено {n} секрета: их ссылки больше ничего не открывают.",
    },
    burned_some: "Не все секреты уничтожены",
    burned_some_body: Counted {
        one: "Уничтожен {n}, недоступно {failed}: попробуйте ещё раз из истории.",
        few: Some("Уничтожено {n}, недоступно {failed}: попробуйте ещё раз из истории."),
        many: Some("Уничтожено {n}, недоступно {failed}: попробуйте ещё раз из истории."),
        other: "Уничтожено {n}, недоступно {failed}: попробуйте ещё раз из истории.",
    },
    burn_failed: "Не удалось уничтожить",
    update_available: "Доступно обновление",
    update_available_body: "Доступна версия Wisp {version} (у вас {current}).",
    update_install: "Установить",
    update_later: "Позже",
    up_to_date: "Wisp обновлён",
    up_to_date_body: "{version} — последняя версия.",
    update_failed: "Не удалось обновить",
    update_bad_signature: "Обновление отклонено: его подпись не совпадает с ключом Wisp.",
};

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    fn placeholders(text: &str) -> Vec<String> {
        let mut out: Vec<String> = text
            .split('{')
            .skip(1)
            .filter_map(|s| s.split_once('}').map(|(name, _)| name.to_owned()))
            .collect();
        out.sort();
        out
    }

    #[test]
    fn reads_locale_names() {
        assert_eq!(Lang::from_tag("ru_RU.UTF-8"), Some(Lang::Ru));
        assert_eq!(Lang::from_tag("fr_CA"), Some(Lang::Fr));
        assert_eq!(Lang::from_tag("es-MX"), Some(Lang::Es));
        assert_eq!(Lang::from_tag("en_GB@euro"), Some(Lang::En));
        assert_eq!(Lang::from_tag("FR"), Some(Lang::Fr));
        assert_eq!(Lang::from_tag("de_DE.UTF-8"), None);
        assert_eq!(Lang::from_tag("C"), None);
        assert_eq!(Lang::from_tag(""), None);
    }

    #[test]
    fn follows_the_environment_in_posix_order() {
        assert_eq!(
            Lang::from_env_with(env(&[("LANG", "ru_RU.UTF-8")])),
            Some(Lang::Ru)
        );
        assert_eq!(
            Lang::from_env_with(env(&[
                ("LANG", "en_US.UTF-8"),
                ("LC_MESSAGES", "es_ES.UTF-8")
            ])),
            Some(Lang::Es)
        );
        assert_eq!(
            Lang::from_env_with(env(&[
                ("LANG", "en_US.UTF-8"),
                ("LC_MESSAGES", "es_ES.UTF-8"),
                ("LC_ALL", "fr_FR.UTF-8")
            ])),
            Some(Lang::Fr)
        );
        // An empty variable does not decide.
        assert_eq!(
            Lang::from_env_with(env(&[("LC_ALL", ""), ("LANG", "ru_RU.UTF-8")])),
            Some(Lang::Ru)
        );
        // LANGUAGE's list wins, first language we speak…
        assert_eq!(
            Lang::from_env_with(env(&[("LANGUAGE", "de:fr:en"), ("LANG", "ru_RU.UTF-8")])),
            Some(Lang::Fr)
        );
        // …unless the locale is C.
        assert_eq!(
            Lang::from_env_with(env(&[("LANGUAGE", "fr"), ("LANG", "C.UTF-8")])),
            None
        );
        assert_eq!(Lang::from_env_with(env(&[("LANG", "de_DE.UTF-8")])), None);
        assert_eq!(Lang::from_env_with(env(&[])), None);
    }

    #[test]
    fn resolves_the_setting_then_the_os_then_english() {
        let russian_os = env(&[("LANG", "ru_RU.UTF-8")]);
        assert_eq!(Lang::resolve_with("fr", &russian_os), Lang::Fr);
        assert_eq!(Lang::resolve_with("system", &russian_os), Lang::Ru);
        assert_eq!(Lang::resolve_with("", &russian_os), Lang::Ru);
        // Something the settings would not store: as if "system".
        assert_eq!(Lang::resolve_with("de", &russian_os), Lang::Ru);
        assert_eq!(Lang::resolve_with("fr_FR", &russian_os), Lang::Ru);
        assert_eq!(
            Lang::resolve_with("system", env(&[("LANG", "de_DE.UTF-8")])),
            Lang::En
        );
        assert_eq!(Lang::resolve_with("system", env(&[])), Lang::En);
        for lang in Lang::ALL {
            assert_eq!(Lang::resolve_with(lang.code(), env(&[])), lang);
            assert_eq!(words(lang).lang, lang);
        }
    }

    #[test]
    fn plural_rules_match_cldr() {
        use PluralCategory::*;
        let ru: Vec<_> = [0, 1, 2, 4, 5, 11, 12, 14, 21, 22, 25, 101, 111, 1000]
            .iter()
            .map(|&n| Lang::Ru.plural(n))
            .collect();
        assert_eq!(
            ru,
            [Many, One, Few, Few, Many, Many, Many, Many, One, Few, Many, One, Many, Many]
        );
        assert_eq!(Lang::Fr.plural(0), One);
        assert_eq!(Lang::Fr.plural(1), One);
        assert_eq!(Lang::Fr.plural(2), Other);
        assert_eq!(Lang::En.plural(0), Other);
        assert_eq!(Lang::En.plural(1), One);
        assert_eq!(Lang::Es.plural(1), One);
        assert_eq!(Lang::Es.plural(2), Other);
    }

    #[test]
    fn counts_read_right() {
        let ru = words(Lang::Ru);
        assert_eq!(
            ru.count(&ru.burned_all_body, 1, &[]),
            "Уничтожен 1 секрет: его ссылка больше ничего не открывает."
        );
        assert!(ru
            .count(&ru.burned_all_body, 3, &[])
            .starts_with("Уничтожено 3 секрета"));
        assert!(ru
            .count(&ru.burned_all_body, 5, &[])
            .starts_with("Уничтожено 5 секретов"));
        let en = words(Lang::En);
        assert_eq!(
            en.count(&en.burned_some_body, 2, &[("failed", "1")]),
            "2 burned, 1 could not be reached: try again from History."
        );
        assert!(words(Lang::Fr)
            .count(&words(Lang::Fr).burned_all_body, 0, &[])
            .starts_with("0 secret détruit"));
    }

    #[test]
    fn fills_placeholders_once() {
        let en = words(Lang::En);
        assert_eq!(
            fill(
                en.secret_viewed_body,
                &[("label", "Server {account}"), ("account", "Work")]
            ),
            "“Server {account}” was opened (Work)."
        );
        assert_eq!(fill("{missing} and {", &[]), "{missing} and {");
        assert_eq!(
            fill(en.link_copied_body_clear, &[("secs", "45")]),
            "The link is in your clipboard; it is cleared in 45 s."
        );
    }

    #[test]
    fn every_language_has_every_text_with_the_same_placeholders() {
        let en = words(Lang::En);
        for lang in Lang::ALL {
            let w = words(lang);
            for ((name, text), (_, source)) in w.texts().into_iter().zip(en.texts()) {
                assert!(!text.trim().is_empty(), "{lang:?} {name}");
                assert_eq!(placeholders(text), placeholders(source), "{lang:?} {name}");
            }
            for ((name, counted), (_, source)) in w.counted().into_iter().zip(en.counted()) {
                for form in counted.forms() {
                    assert!(!form.trim().is_empty(), "{lang:?} {name}");
                    assert_eq!(
                        placeholders(form),
                        placeholders(source.other),
                        "{lang:?} {name}"
                    );
                }
                if lang == Lang::Ru {
                    assert!(counted.few.is_some() && counted.many.is_some(), "ru {name}");
                }
            }
        }
    }

    #[test]
    fn translations_are_translations() {
        let en = words(Lang::En);
        // Brand names and pure templates may stay the same.
        let same_allowed = ["tray_tooltip", "recent_row", "recent_row_dated"];
        for lang in [Lang::Fr, Lang::Es, Lang::Ru] {
            for ((name, text), (_, source)) in words(lang).texts().into_iter().zip(en.texts()) {
                if !same_allowed.contains(&name) {
                    assert_ne!(text, source, "{lang:?} {name} is still English");
                }
            }
        }
        // The tray items the shell needs, in Russian.
        let ru = words(Lang::Ru);
        assert_eq!(ru.share_clipboard, "Поделиться буфером обмена");
        assert_eq!(ru.quit, "Выйти из Wisp");
    }

    #[test]
    fn french_typography_keeps_spaces_before_double_punctuation() {
        for (name, text) in words(Lang::Fr).texts().into_iter().chain(
            words(Lang::Fr)
                .counted()
                .into_iter()
                .flat_map(|(name, c)| c.forms().map(move |f| (name, f))),
        ) {
            let chars: Vec<char> = text.chars().collect();
            for (i, &c) in chars.iter().enumerate() {
                if matches!(c, ':' | ';' | '!' | '?' | '»') && i > 0 {
                    assert!(
                        matches!(chars[i - 1], '\u{00A0}' | '\u{202F}'),
                        "fr {name}: {text:?}"
                    );
                }
                if c == '«' {
                    assert_eq!(chars.get(i + 1), Some(&'\u{202F}'), "fr {name}");
                }
            }
        }
    }
}
