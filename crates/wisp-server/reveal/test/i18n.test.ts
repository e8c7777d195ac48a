// Owns the checks of the page's words beyond completeness (state.test.ts): no English left in
// the translations, French typography, and the lint rule that keeps words out of the code.

import { Linter, type Rule } from "eslint";
import { describe, expect, it } from "vitest";
import local from "../../../../tools/eslint-local/index.js";
import { LANGS, MESSAGES, type Lang } from "../src/ui/i18n";

type Value = string | ((...args: never[]) => string) | Record<string, unknown>;

/** Every sentence of a dictionary: strings as they are, functions called with sample values. */
function sentences(dict: object, prefix = ""): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const [key, value] of Object.entries(dict) as Array<[string, Value]>) {
    const name = prefix + key;
    if (typeof value === "string") out.push([name, value]);
    else if (typeof value === "function") {
      for (const sample of [1, 3, 5]) {
        const args = Array.from({ length: value.length }, (_, i) => (i === 0 ? sample : 2));
        try {
          out.push([`${name}(${sample})`, (value as (...a: unknown[]) => string)(...args)]);
        } catch {
          out.push([`${name}(${sample})`, (value as (...a: unknown[]) => string)(...args.map(String))]);
        }
      }
    } else if (value && typeof value === "object") out.push(...sentences(value, `${name}.`));
  }
  return out;
}

describe("dictionaries", () => {
  const english = new Map(sentences(MESSAGES.en));

  it.each(LANGS)("%s has no empty sentence and no unfilled placeholder", (lang: Lang) => {
    for (const [key, text] of sentences(MESSAGES[lang])) {
      expect(text.trim(), `${lang} ${key}`).not.toBe("");
      expect(text, `${lang} ${key}`).not.toMatch(/\{\w+\}|undefined|NaN/);
    }
  });

  it.each(["fr", "es", "ru"] as const)("%s is translated (no English sentence left)", (lang) => {
    // Words that are the same in English and this language ("Type" is French too).
    const sameOnPurpose: Record<string, readonly string[]> = { fr: ["fileType"], es: [], ru: [] };
    const same = new Set(sameOnPurpose[lang]);
    const copies = sentences(MESSAGES[lang]).filter(([key, text]) => !same.has(key) && english.get(key) === text && /\p{L}{3}/u.test(text.replace(/\bWisp\b/g, "")));
    expect(copies).toEqual([]);
  });

  it("writes French with no-break spaces before : ; ! ? and inside « »", () => {
    for (const [key, text] of sentences(MESSAGES.fr)) {
      expect(text, key).not.toMatch(/(?<![\u00a0\u202f])[:;!?»](?=\s|$)/);
      expect(text, key).not.toMatch(/«(?![\u00a0\u202f])/);
    }
  });
});

describe("lint rule local/no-literal-ui-string (DOM builder mode)", () => {
  const linter = new Linter({ configType: "flat" });
  const lint = (code: string) =>
    linter
      .verify(code, {
        plugins: { local: local as unknown as { rules: Record<string, Rule.RuleModule> } },
        rules: { "local/no-literal-ui-string": ["error", { allow: ["Wisp"], callees: ["h"] }] },
      })
      .map((m) => m.message);

  it("flags literal words in h() children, text and visible attrs", () => {
    expect(lint(`h("p", {}, "Hello there");`)).toHaveLength(1);
    expect(lint(`h("p", { text: "Hello" });`)).toHaveLength(1);
    expect(lint(`h("button", { attrs: { "aria-label": "Close" } });`)).toHaveLength(1);
    expect(lint(`h("img", { attrs: { alt: \`Logo \${x}\` } });`)).toHaveLength(1);
    expect(lint(`h("p", {}, ok ? "Yes" : m.no);`)).toHaveLength(1);
    expect(lint(`el.textContent = "Loading";`)).toHaveLength(1);
    expect(lint(`document.title = \`\${t} · Secret\`;`)).toHaveLength(1);
    expect(lint(`el.setAttribute("title", "Copy");`)).toHaveLength(1);
  });

  it("lets dictionary words, symbols, brand names and non-visible attributes through", () => {
    expect(lint(`h("p", { text: m.loading }, m.hello, " · ", 42);`)).toEqual([]);
    expect(lint(`h("a", { class: "button primary", attrs: { href: "/s/x", rel: "noopener", "data-testid": "reveal" } });`)).toEqual([]);
    expect(lint(`document.title = \`\${t} · Wisp\`;`)).toEqual([]);
    expect(lint(`el.setAttribute("aria-live", "polite"); el.className = "card";`)).toEqual([]);
    expect(lint(`other("p", {}, "Not a builder");`)).toEqual([]);
  });
});
