// Owns the build: one HTML entry plus the service worker at a fixed top-level name (dist/sw.js).

import { defineConfig } from "vitest/config";

export default defineConfig({
  base: "/",
  build: {
    outDir: "dist",
    assetsDir: "assets",
    target: "es2022",
    // Emit every asset as a file under /assets/: nothing inline, nothing for the CSP to object to.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    rollupOptions: {
      input: {
        index: "index.html",
        sw: "src/sw/sw.ts",
      },
      output: {
        // The service worker must live at the top level with a stable name: its URL is its
        // identity and its scope. Everything else is content-hashed under /assets/.
        entryFileNames: (chunk) => (chunk.name === "sw" ? "sw.js" : "assets/[name]-[hash].js"),
      },
    },
  },
  worker: {
    format: "es",
  },
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    testTimeout: 20_000,
  },
});
