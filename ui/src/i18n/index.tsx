// Owns the choice of language and the typed t()/tn() every component uses.

import { createContext, useContext, useMemo, type ReactNode } from "react";
import { en } from "./en";
import { es } from "./es";
import { fr } from "./fr";
import { ru } from "./ru";
import type { Messages, PluralKey, TextKey, Vars } from "./types";

export type { Messages, PluralKey, TextKey, Vars } from "./types";

export const LANGS = ["en", "fr", "es", "ru"] as const;
export type Lang = (typeof LANGS)[number];

export const DICTIONARIES: Readonly<Record<Lang, Messages>> = { en, fr, es, ru };

/** Each language by its own name: never translated. */
export const LANGUAGE_NAMES: Readonly<Record<Lang, string>> = {
  en: "English",
  fr: "Français",
  es: "Español",
  ru: "Русский",
};

export function isLang(value: string): value is Lang {
  return (LANGS as readonly string[]).includes(value);
}

/** The setting's language ("system" or a code), resolved against the OS preference list. */
export function resolveLang(setting: string, preferred: readonly string[]): Lang {
  if (isLang(setting)) return setting;
  for (const tag of preferred) {
    const base = tag.toLowerCase().split("-")[0] ?? "";
    if (isLang(base)) return base;
  }
  return "en";
}

function fill(template: string, vars: Vars | undefined, lang: Lang): string {
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = vars[name];
    if (value === undefined) return whole;
    return typeof value === "number" ? new Intl.NumberFormat(lang).format(value) : value;
  });
}

export interface I18n {
  readonly lang: Lang;
  t: (key: TextKey, vars?: Vars) => string;
  tn: (key: PluralKey, n: number, vars?: Vars) => string;
}

export function createI18n(lang: Lang): I18n {
  const messages = DICTIONARIES[lang];
  const rules = new Intl.PluralRules(lang);
  return {
    lang,
    t: (key, vars) => fill(messages[key], vars, lang),
    tn: (key, n, vars) => {
      const forms = messages[key];
      const category = rules.select(n);
      const form =
        category === "one" ? forms.one : category === "few" ? (forms.few ?? forms.other) : category === "many" ? (forms.many ?? forms.other) : forms.other;
      return fill(form, { ...vars, n }, lang);
    },
  };
}

const I18nContext = createContext<I18n>(createI18n("en"));

export function I18nProvider({ lang, children }: { lang: Lang; children: ReactNode }) {
  const value = useMemo(() => createI18n(lang), [lang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  return useContext(I18nContext);
}
