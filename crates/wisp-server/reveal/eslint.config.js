// Owns lint rules: ESLint 9 flat config with typescript-eslint's type-aware recommended set.

import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";
import local from "../../../tools/eslint-local/index.js";

export default tseslint.config(
  { ignores: ["dist/", "node_modules/"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.browser },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // The CSP forbids these at run time; forbid them at lint time too.
      "no-eval": "error",
      "no-implied-eval": "error",
      "no-new-func": "error",
      "no-restricted-properties": [
        "error",
        { property: "innerHTML", message: "Secrets are text: use textContent." },
        { property: "outerHTML", message: "Secrets are text: use textContent." },
        { property: "insertAdjacentHTML", message: "Secrets are text: use textContent." },
      ],
      "@typescript-eslint/no-non-null-assertion": "off",
    },
  },
  {
    // Every word on the page comes from src/ui/i18n.ts: no literal text in h() children,
    // text/attrs props, textContent or visible attributes.
    files: ["src/**/*.ts"],
    ignores: ["src/ui/i18n.ts"],
    plugins: { local },
    rules: { "local/no-literal-ui-string": ["error", { allow: ["Wisp"], callees: ["h"] }] },
  },
  {
    // French puts no-break spaces before : ; ! ? — in template literals too.
    files: ["src/ui/i18n.ts"],
    rules: { "no-irregular-whitespace": ["error", { skipStrings: true, skipTemplates: true }] },
  },
  {
    // Node scripts outside the TypeScript project (the browser end-to-end test): plain JS rules.
    files: ["eslint.config.js", "e2e/**/*.mjs"],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { ...globals.node }, parserOptions: { projectService: false, project: null } },
  },
);
