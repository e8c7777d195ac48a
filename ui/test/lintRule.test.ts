// Owns the tests of local/no-literal-ui-string (tools/eslint-local) on JSX: what it flags and
// what it lets through. The reveal page's tests cover its DOM-builder mode.

import { Linter, type Rule } from "eslint";
import { describe, expect, it } from "vitest";
import local from "../../tools/eslint-local/index.js";

const linter = new Linter({ configType: "flat" });

function lint(code: string): string[] {
  return linter
    .verify(code, {
      languageOptions: { parserOptions: { ecmaFeatures: { jsx: true } } },
      plugins: { local: local as unknown as { rules: Record<string, Rule.RuleModule> } },
      rules: { "local/no-literal-ui-string": ["error", { allow: ["Wisp"] }] },
    })
    .map((m) => m.message);
}

describe("local/no-literal-ui-string in JSX", () => {
  it("flags JSX text with words", () => {
    expect(lint(`<p>Hello there</p>;`)).toEqual(['User-visible text "Hello there": put it in the dictionaries and use t().']);
    expect(lint(`<button>{t("a")} now</button>;`)).toHaveLength(1);
    expect(lint(`<p>Привет</p>;`)).toHaveLength(1);
  });

  it("flags string and template literals rendered as children", () => {
    expect(lint(`<p>{"Hello"}</p>;`)).toHaveLength(1);
    expect(lint(`<p>{ok ? "Yes" : t("no")}</p>;`)).toHaveLength(1);
    expect(lint(`<p>{\`Sent \${n}\`}</p>;`)).toHaveLength(1);
    expect(lint(`<p>{name || "Unnamed"}</p>;`)).toHaveLength(1);
  });

  it("flags literals in user-visible attributes", () => {
    for (const attr of ["title", "aria-label", "placeholder", "alt", "label"]) {
      expect(lint(`<X ${attr}="Close it" />;`), attr).toHaveLength(1);
      expect(lint(`<X ${attr}={"Close it"} />;`), attr).toHaveLength(1);
    }
    expect(lint(`<X title={\`\${t("a")} (Ctrl+\${i})\`} />;`)).toHaveLength(1);
  });

  it("lets dictionary words, symbols, numbers, brand names and other attributes through", () => {
    expect(lint(`<p title={t("a")} aria-label={label}>{t("b")} · {n} — {"…"} 42 %</p>;`)).toEqual([]);
    expect(lint(`<p>Wisp</p>; <img alt="" src="logo.svg" />; <span>{"·"}</span>;`)).toEqual([]);
    expect(lint(`<div className="card big" data-testid="send-button" id="x" type="button" role="status" />;`)).toEqual([]);
    expect(lint(`<p>{ok && t("yes")}</p>;`)).toEqual([]);
    expect(lint(`const s = "Not in JSX";`)).toEqual([]);
  });
});
