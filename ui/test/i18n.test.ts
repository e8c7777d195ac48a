import { describe, expect, it } from "vitest";
import { createI18n, DICTIONARIES, LANGS, resolveLang } from "../src/i18n";
import { en } from "../src/i18n/en";
import type { Plural } from "../src/i18n/types";

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const forms = (value: string | Plural): string[] =>
  typeof value === "string" ? [value] : [value.one, value.few, value.many, value.other].filter((f): f is string => f !== undefined);

describe("dictionaries", () => {
  const keys = Object.keys(en).sort();

  it.each(LANGS)("%s has exactly the keys of English, each non-empty, with the same placeholders", (lang) => {
    const dict = DICTIONARIES[lang] as Record<string, string | Plural>;
    expect(Object.keys(dict).sort()).toEqual(keys);
    for (const key of keys) {
      const source = (en as Record<string, string | Plural>)[key]!;
      const value = dict[key]!;
      expect(typeof value, key).toBe(typeof source);
      const wanted = placeholders(forms(source)[0]!).filter((p) => p !== "n");
      for (const form of forms(value)) {
        expect(form.trim(), `${lang} ${key}`).not.toBe("");
        expect(
          placeholders(form).filter((p) => p !== "n"),
          `${lang} ${key}`,
        ).toEqual(wanted);
      }
    }
  });

  it.each(["fr", "es", "ru"] as const)("%s is a translation, not a copy of English", (lang) => {
    const dict = DICTIONARIES[lang] as Record<string, string | Plural>;
    const same = Object.keys(en).filter((k) => JSON.stringify(dict[k]) === JSON.stringify((en as Record<string, string | Plural>)[k]));
    // A few words are the same in both languages (Options, Version {version}, 5 min…), no more.
    expect(same.length).toBeLessThan(8);
  });

  it("gives Russian every plural form", () => {
    for (const [key, value] of Object.entries(DICTIONARIES.ru)) {
      if (typeof value !== "string") expect([key, value.few !== undefined && value.many !== undefined]).toEqual([key, true]);
    }
  });
});

describe("t and tn", () => {
  it("fills placeholders and picks the plural form of the language", () => {
    const ru = createI18n("ru");
    expect(ru.tn("open.viewsLeft", 1)).toBe("Остался 1 просмотр");
    expect(ru.tn("open.viewsLeft", 3)).toBe("Осталось 3 просмотра");
    expect(ru.tn("open.viewsLeft", 5)).toBe("Осталось 5 просмотров");
    expect(ru.tn("open.viewsLeft", 21)).toBe("Остался 21 просмотр");
    const en = createI18n("en");
    expect(en.tn("history.viewsOf", 3, { used: 1 })).toBe("1 of 3 views");
    expect(en.tn("history.viewsOf", 1, { used: 0 })).toBe("0 of 1 view");
    expect(en.t("send.tooLarge", { limit: "100 MB" })).toBe("Too large: the limit is 100 MB.");
    expect(createI18n("fr").tn("send.folderBadge", 1200)).toBe("Dossier · 1\u202f200 fichiers");
  });

  it("resolves the language setting against the system's preferences", () => {
    expect(resolveLang("fr", ["ru-RU"])).toBe("fr");
    expect(resolveLang("system", ["de-DE", "es-MX", "en"])).toBe("es");
    expect(resolveLang("system", ["de-DE"])).toBe("en");
    expect(resolveLang("", [])).toBe("en");
  });
});
