// Owns the check that every screen speaks the chosen language end to end: rendered in each of
// the four languages, no key is missing (no "undefined", no unfilled {placeholder}), no English
// sentence shows through in the other three, and dates and sizes follow the locale.

import { screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { DICTIONARIES, LANGS, type Lang } from "../src/i18n";
import type { Plural } from "../src/i18n/types";
import { account, historyItem, HOUR, serverSecret } from "./fakeBackend";
import { goTo, renderApp } from "./helpers";

const SCREENS = ["send", "history", "open", "accounts", "settings"] as const;

const texts = (dict: object): string[] =>
  Object.values(dict as Record<string, string | Plural>).flatMap((v) => (typeof v === "string" ? [v] : [v.one, v.few, v.many, v.other].filter((f): f is string => f !== undefined)));

/** English sentences (static parts of 16+ characters) that the other language says differently. */
function englishOnly(lang: Lang): string[] {
  const own = new Set(texts(DICTIONARIES[lang]));
  return texts(DICTIONARIES.en)
    .filter((s) => !own.has(s))
    .flatMap((s) => s.split(/\{\w+\}/))
    .map((s) => s.trim())
    .filter((s) => s.length >= 16);
}

/** All a person can read or hear: text plus the visible attributes. */
function visibleText(): string {
  const attrs = [...document.querySelectorAll("[title],[aria-label],[placeholder],[alt]")].flatMap((el) =>
    ["title", "aria-label", "placeholder", "alt"].map((a) => el.getAttribute(a) ?? ""),
  );
  return [document.body.textContent ?? "", ...attrs].join("\n");
}

describe.each(LANGS)("in %s", (lang) => {
  it("renders every main screen with no missing key and no English left", async () => {
    const now = Date.now();
    const { user } = await renderApp({
      settings: { language: lang },
      accounts: [account(), account({ id: "acc-2", name: "Personal", is_default: false })],
      history: [
        historyItem(),
        historyItem({ id: "h-2", kind: "file", label: "report.pdf", size: 3_500_000, state: "viewed", views: 1, created_at: new Date(now - 30 * HOUR).toISOString() }),
        historyItem({ id: "h-3", state: "expired", max_views: 5, views: 2, expires_at: new Date(now - 3 * HOUR).toISOString() }),
      ],
    });
    await waitFor(() => expect(document.documentElement.lang).toBe(lang));
    const leaks = englishOnly(lang);
    for (const name of SCREENS) {
      const root = await goTo(user, name);
      if (name === "history") await screen.findAllByTestId("history-row");
      const shown = visibleText();
      expect(shown, `${lang} ${name}`).not.toMatch(/undefined|\[object Object\]|NaN/);
      expect(shown, `${lang} ${name}`).not.toMatch(/\{[a-z]\w*\}/);
      if (lang !== "en") {
        const english = leaks.filter((s) => shown.includes(s));
        expect(english, `${lang} ${name}`).toEqual([]);
      }
      expect(root).toBeVisible();
    }
  });

  it("shows what a server lists in the language, with its dates and numbers", async () => {
    const now = Date.now();
    const created = new Date(now - 2 * HOUR);
    const { user } = await renderApp({
      settings: { language: lang },
      serverSecrets: {
        "acc-1": [
          serverSecret({ id: "a", note: "VPN", views: 1, max_views: 1000, in_history: true, created_at: created.toISOString(), expires_at: new Date(now + 22 * HOUR).toISOString() }),
          serverSecret({ id: "b", state: "expired", views: null, max_views: null, created_at: null, expires_at: null }),
        ],
      },
    });
    await goTo(user, "accounts");
    await user.click(screen.getByTestId("account-on-server"));
    const [row] = await screen.findAllByTestId("server-secret-row");
    const shown = visibleText();
    expect(shown, lang).not.toMatch(/undefined|\[object Object\]|NaN|null/);
    expect(shown, lang).not.toMatch(/\{[a-z]\w*\}/);
    if (lang !== "en") expect(englishOnly(lang).filter((s) => shown.includes(s)), lang).toEqual([]);
    const number = new Intl.NumberFormat(lang);
    expect(screen.getAllByTestId("server-secret-views")[0]!.textContent).toContain(`1 / ${number.format(1000)}`);
    expect(row!.textContent).toContain(new Intl.RelativeTimeFormat(lang, { numeric: "auto" }).format(22, "hour"));
    const full = new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short" }).format(created);
    expect(row!.querySelector(`[title="${full}"]`), `${lang} ${full}`).not.toBeNull();
  });

  it("formats dates, relative times and sizes in the language", async () => {
    const now = Date.now();
    const created = new Date(now - 2 * HOUR);
    const { user } = await renderApp({
      settings: { language: lang },
      history: [historyItem({ size: 3_500_000, created_at: created.toISOString(), expires_at: new Date(now + 22 * HOUR).toISOString() })],
    });
    await goTo(user, "history");
    const row = (await screen.findAllByTestId("history-row"))[0]!;
    const relative = new Intl.RelativeTimeFormat(lang, { numeric: "auto" }).format(22, "hour");
    expect(row.textContent).toContain(relative);
    const full = new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short" }).format(created);
    expect(row.querySelector(`[title="${full}"]`), `${lang} ${full}`).not.toBeNull();
    await goTo(user, "settings");
    const max = new Intl.NumberFormat(lang, { style: "unit", unit: "megabyte", unitDisplay: "short", maximumFractionDigits: 0 }).format(100);
    expect(screen.getByTestId("settings-max-upload").textContent).toBe(max);
  });
});

describe("errors from Rust in the chosen language", () => {
  it("shows a keyed error in Russian and an unkeyed one as Rust wrote it", async () => {
    const { backend, user } = await renderApp({
      settings: { language: "ru" },
      handlers: {
        // As Rust sends it: {code, message, key?, vars?}.
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
        inspect_links: () => Promise.reject({ code: "missing_parts", message: "This split link needs 3 parts; 1 were given.", key: "error.missingParts", vars: { needed: "3", have: "1" } }),
      },
    });
    await goTo(user, "open");
    await user.type(screen.getByTestId("open-input"), "https://wisp.example.com/s/abc#k.p1");
    await user.click(screen.getByTestId("open-check"));
    expect(await screen.findAllByText("Для этой разделённой ссылки нужно частей: 3, получено: 1. Вставьте и остальные части.")).not.toHaveLength(0);

    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
    backend.on("inspect_links", () => Promise.reject({ code: "server", message: "The server refused: odd." }));
    await user.click(screen.getByTestId("open-check"));
    expect(await screen.findAllByText("The server refused: odd.")).not.toHaveLength(0);
  });

  it("says a connection test's outcome in Russian, and an unkeyed one as Rust wrote it", async () => {
    const { backend, user } = await renderApp({ settings: { language: "ru" } });
    await goTo(user, "accounts");
    await user.click(screen.getByTestId("account-edit"));
    await user.click(screen.getByTestId("account-test"));
    expect(await screen.findByTestId("account-test-message")).toHaveTextContent("Подключено как «Team». Загрузка до 1 GiB.");

    backend.on("test_connection", () => ({ reachable: false, authenticated: false, server_version: null, message: "Odd reply.", key: null, vars: {} }));
    await user.click(screen.getByTestId("account-test"));
    await waitFor(() => expect(screen.getByTestId("account-test-message")).toHaveTextContent("Odd reply."));
  });

  it("words the lifetime's unit for the number beside it", async () => {
    const { user } = await renderApp({ settings: { language: "ru", default_ttl_secs: 86400 } });
    await goTo(user, "settings");
    const unit = screen.getByTestId("settings-ttl-unit");
    const selected = () => (unit as HTMLSelectElement).selectedOptions[0]!.textContent;
    expect(selected()).toBe("день");
    await user.clear(screen.getByTestId("settings-ttl"));
    await user.type(screen.getByTestId("settings-ttl"), "5");
    expect(selected()).toBe("дней");
    await user.clear(screen.getByTestId("settings-ttl"));
    await user.type(screen.getByTestId("settings-ttl"), "3");
    expect(selected()).toBe("дня");
  });

  it("names a removed account in the language (Rust leaves its name empty)", async () => {
    const { user } = await renderApp({ settings: { language: "fr" }, history: [historyItem({ account_id: "gone", account_name: "" })] });
    await goTo(user, "history");
    expect(await screen.findByText("Compte supprimé")).toBeInTheDocument();
  });
});
