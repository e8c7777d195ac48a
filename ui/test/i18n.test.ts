import { describe, expect, it } from "vitest";
import { createI18n, DICTIONARIES, LANGS, resolveLang } from "../src/i18n";
import { en } from "../src/i18n/en";
import type { Plural, PluralKey } from "../src/i18n/types";
import { WispError } from "../src/api";
import { ERROR_COUNTS, errorMessage } from "../src/lib/errors";

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

  // Keys whose text is rightly the same as English: words both languages share, and strings
  // with no words (shortcuts, URL shapes, templates). Anything else left in English fails.
  const SAME_ON_PURPOSE: Readonly<Record<"fr" | "es" | "ru", readonly string[]>> = {
    fr: ["unit.minutes", "send.secret", "send.options", "history.colSecret", "history.colActions", "account.version"],
    es: ["common.no"],
    ru: [],
  };
  const hasWords = (text: string) => /\p{L}{2}/u.test(text.replace(/\{\w+\}/g, "").replace(/\b(Wisp|Ctrl|Alt|https?|API)\b/g, ""));

  it.each(["fr", "es", "ru"] as const)("%s is a translation: no English left but brand words", (lang) => {
    const dict = DICTIONARIES[lang] as Record<string, string | Plural>;
    const copies = Object.keys(en).filter((k) => {
      const source = (en as Record<string, string | Plural>)[k]!;
      return JSON.stringify(dict[k]) === JSON.stringify(source) && forms(source).some(hasWords) && !SAME_ON_PURPOSE[lang].includes(k);
    });
    expect(copies).toEqual([]);
  });

  it("writes French with a no-break space before : ; ! ? and inside « »", () => {
    for (const [key, value] of Object.entries(DICTIONARIES.fr)) {
      for (const form of forms(value)) {
        expect(form, key).not.toMatch(/(?<![\u00a0\u202f])[:;!?»](?=\s|$)/);
        expect(form, key).not.toMatch(/«(?![\u00a0\u202f])/);
      }
    }
  });

  it("gives Russian every plural form", () => {
    for (const [key, value] of Object.entries(DICTIONARIES.ru)) {
      if (typeof value !== "string") expect([key, value.few !== undefined && value.many !== undefined]).toEqual([key, true]);
    }
  });
});

describe("plurals follow Intl.PluralRules", () => {
  const samples = [0, 1, 2, 3, 4, 5, 11, 12, 14, 21, 22, 25, 101, 111, 1000];
  const pluralKeys = (Object.keys(en) as Array<keyof typeof en>).filter((k) => typeof en[k] !== "string") as PluralKey[];

  it("has counted strings to check", () => expect(pluralKeys.length).toBeGreaterThan(3));

  it.each(LANGS)("%s: tn picks the form of the count's category", (lang) => {
    const i18n = createI18n(lang);
    const rules = new Intl.PluralRules(lang);
    for (const key of pluralKeys) {
      const value = DICTIONARIES[lang][key];
      for (const n of samples) {
        const category = rules.select(n);
        const form = category === "one" ? value.one : category === "few" ? value.few : category === "many" ? value.many : value.other;
        // Only Russian needs few/many for whole numbers; elsewhere "other" stands in.
        if (lang === "ru") expect(form, `${key} ${n}`).toBeDefined();
        const expected = (form ?? value.other).replace(/\{n\}/g, new Intl.NumberFormat(lang).format(n));
        expect(i18n.tn(key, n, { used: 1, given: 1, needed: 2, total: 3, size: "1 MB" }).startsWith(expected.split("{")[0]!), `${lang} ${key} ${n}`).toBe(true);
      }
    }
  });

  it("Russian uses one, few and many", () => {
    const ru = new Intl.PluralRules("ru");
    expect([1, 21, 101].map((n) => ru.select(n))).toEqual(["one", "one", "one"]);
    expect([2, 3, 4, 22].map((n) => ru.select(n))).toEqual(["few", "few", "few", "few"]);
    expect([0, 5, 11, 12, 14, 25, 111].map((n) => ru.select(n))).toEqual(Array(7).fill("many"));
    const t = createI18n("ru");
    expect(t.tn("open.viewsLeft", 22)).toBe("Осталось 22 просмотра");
    expect(t.tn("open.viewsLeft", 111)).toBe("Осталось 111 просмотров");
    // "Очищать буфер обмена через [n] …": the unit agrees with the number.
    expect([1, 3, 30, 21].map((n) => t.tn("settings.seconds", n))).toEqual(["секунду", "секунды", "секунд", "секунду"]);
  });
});

describe("errors from Rust", () => {
  // Every dictionary key the Rust core attaches to an error (`.keyed("error.…")`).
  const sources = import.meta.glob<string>("../../crates/wisp-desk/src/*.rs", { query: "?raw", import: "default", eager: true });
  const rustKeys = [...new Set(Object.values(sources).flatMap((src) => [...src.matchAll(/\.keyed\("([\w.]+)"\)/g)].map((m) => m[1]!)))];

  it("names only keys the dictionaries have, with the placeholders Rust fills", () => {
    expect(rustKeys.length).toBeGreaterThan(20);
    for (const key of rustKeys) expect(Object.keys(en), key).toContain(key);
    expect(placeholders(en["error.missingParts"])).toEqual(["have", "needed"]);
    expect(placeholders(en["error.duplicatePart"])).toEqual(["part"]);
    expect(placeholders(en["error.networkAt"])).toEqual(["origin"]);
    expect(placeholders(en["error.accountNotFound"])).toEqual(["name"]);
  });

  it("has every connection report's key, with the placeholders Rust fills", () => {
    // desk.rs: report(.., "connection.…", &[("name", ..), ..]).
    const reports = [...sources["../../crates/wisp-desk/src/desk.rs"]!.matchAll(/"(connection\.\w+)",\s*&\[([^\]]*)\]/g)];
    expect(reports.length).toBe(9);
    for (const [, key, vars] of reports) {
      expect(Object.keys(en), key).toContain(key);
      const given = [...vars!.matchAll(/\("(\w+)"/g)].map((m) => m[1]!).sort();
      const wanted = given.concat(vars!.includes("service()") ? ["service"] : []).sort();
      expect(placeholders((en as unknown as Record<string, string>)[key!]!), key).toEqual(wanted);
    }
  });

  it("counts a counted error in the language's plural forms, with the count Rust names", () => {
    // error.rs: .keyed("error.wrongPassphraseLeft").var("left", left)
    const errorRs = sources["../../crates/wisp-desk/src/error.rs"]!;
    for (const [key, countVar] of Object.entries(ERROR_COUNTS)) {
      expect(typeof (en as Record<string, unknown>)[key], key).toBe("object");
      expect(errorRs).toMatch(new RegExp(`\\.keyed\\("${key.replace(".", "\\.")}"\\)\\s*\\.var\\("${countVar}"`));
    }
    const left = (n: number) =>
      new WispError({ code: "wrong_passphrase", message: `Wrong passphrase. ${n} attempt(s) left.`, key: "error.wrongPassphraseLeft", vars: { left: String(n) } });
    const inLang = (lang: "en" | "fr" | "es" | "ru", n: number) => {
      const i18n = createI18n(lang);
      return errorMessage(left(n), "fallback", i18n.t, i18n.tn);
    };
    expect(inLang("en", 9)).toBe("Wrong passphrase. 9 attempts left before the secret is destroyed.");
    expect(inLang("en", 1)).toBe("Wrong passphrase. 1 attempt left before the secret is destroyed.");
    expect(inLang("fr", 1)).toBe("Phrase secrète incorrecte. Il reste 1 tentative avant que le secret soit détruit.");
    expect(inLang("es", 9)).toBe("Frase de contraseña incorrecta. Quedan 9 intentos antes de que el secreto se destruya.");
    expect(inLang("ru", 1)).toBe("Неверная парольная фраза. Осталась 1 попытка, после чего секрет будет уничтожен.");
    expect(inLang("ru", 3)).toBe("Неверная парольная фраза. Осталось 3 попытки, после чего секрет будет уничтожен.");
    expect(inLang("ru", 9)).toBe("Неверная парольная фраза. Осталось 9 попыток, после чего секрет будет уничтожен.");
    // Without tn, or without a count, Rust's English sentence is shown.
    expect(errorMessage(left(9), "fallback", createI18n("ru").t)).toBe("Wrong passphrase. 9 attempt(s) left.");
    const noCount = new WispError({ code: "wrong_passphrase", message: "Wrong passphrase.", key: "error.wrongPassphraseLeft" });
    expect(errorMessage(noCount, "fallback", createI18n("ru").t, createI18n("ru").tn)).toBe("Wrong passphrase.");
  });

  it("shows the localised sentence for a known key, the message otherwise", () => {
    const ru = createI18n("ru");
    const known = new WispError({ code: "missing_parts", message: "This split link needs 3 parts; 1 were given.", key: "error.missingParts", vars: { needed: "3", have: "1" } });
    expect(errorMessage(known, "fallback", ru.t)).toBe("Для этой разделённой ссылки нужно частей: 3, получено: 1. Вставьте и остальные части.");
    expect(errorMessage(known, "fallback")).toBe("This split link needs 3 parts; 1 were given.");
    const unknownKey = new WispError({ code: "server", message: "The server refused: odd.", key: "error.fromTheFuture" });
    expect(errorMessage(unknownKey, "fallback", ru.t)).toBe("The server refused: odd.");
    expect(errorMessage(new WispError({ code: "server", message: " " }), "fallback", ru.t)).toBe("fallback");
    expect(errorMessage(new Error("stack at line 3"), "fallback", ru.t)).toBe("fallback");
  });

  it("says a server's quota, full disk and slow-upload refusals in the user's language", () => {
    // error.rs: what the desk sends for quota_exceeded, insufficient_storage, request_timeout,
    // too_many_subscriptions, and for e-mail without a token.
    const refusals = [
      ["rate_limited", "error.quotaExceeded"],
      ["server", "error.serverFull"],
      ["network", "error.uploadTooSlow"],
      ["rate_limited", "error.tooManySubscriptions"],
      ["invalid_input", "error.emailNeedsToken"],
    ] as const;
    for (const [code, key] of refusals) {
      expect(rustKeys, key).toContain(key);
      const english = errorMessage(new WispError({ code, message: "Rust's English.", key }), "fallback", createI18n("en").t);
      expect(english, key).toBe(en[key]);
      for (const lang of ["fr", "es", "ru"] as const) {
        const said = errorMessage(new WispError({ code, message: "Rust's English.", key }), "fallback", createI18n(lang).t);
        expect(said, `${lang} ${key}`).toBe(DICTIONARIES[lang][key]);
        expect(said, `${lang} ${key}`).not.toBe(english);
        expect(said, `${lang} ${key}`).not.toMatch(/quota_exceeded|insufficient_storage|request_timeout|send_to|error\./);
      }
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
