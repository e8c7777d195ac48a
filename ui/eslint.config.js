// Owns lint rules: ESLint 9 flat config, typescript-eslint's type-aware set, React hooks rules.

import js from "@eslint/js";
import globals from "globals";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";
import local from "../tools/eslint-local/index.js";

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "src-tauri/"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  reactHooks.configs.flat.recommended,
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
      "no-restricted-syntax": [
        "error",
        {
          selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']",
          message: "Render SVG through <img src=data:…>, never as HTML.",
        },
      ],
      "@typescript-eslint/no-non-null-assertion": "off",
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { attributes: false } }],
    },
  },
  {
    // Every word on screen comes from src/i18n: no literal text in JSX or visible attributes.
    files: ["src/**/*.{ts,tsx}"],
    ignores: ["src/i18n/**"],
    plugins: { local },
    rules: { "local/no-literal-ui-string": ["error", { allow: ["Wisp"] }] },
  },
  {
    files: ["eslint.config.js"],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { ...globals.node } },
  },
);
