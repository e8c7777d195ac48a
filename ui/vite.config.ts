// Owns the build of the desktop UI: relative paths for Tauri's asset protocol, nothing inline
// (the window runs under a strict CSP: script-src 'self', style-src 'self').

import { defineConfig } from "vitest/config";

export default defineConfig({
  base: "./",
  // Tauri's CLI prints its own errors: don't clear them away.
  clearScreen: false,
  server: {
    port: 1420,
    strictPort: true,
    // The i18n test reads the Rust core's error keys (test/i18n.test.ts); nothing else outside ui/.
    fs: { allow: [".", "../crates/wisp-desk/src"] },
  },
  esbuild: { jsx: "automatic" },
  build: {
    outDir: "dist",
    assetsDir: "assets",
    target: "es2022",
    // Every asset is a file: no data: URLs the CSP would have to allow for scripts or styles.
    assetsInlineLimit: 0,
    cssCodeSplit: false,
    modulePreload: { polyfill: false },
    sourcemap: false,
    chunkSizeWarningLimit: 600,
  },
  test: {
    include: ["test/**/*.test.{ts,tsx}"],
    environment: "jsdom",
    setupFiles: ["test/setup.ts"],
    testTimeout: 15_000,
    css: false,
  },
});
