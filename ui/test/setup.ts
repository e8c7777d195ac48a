// Runs before every test file: jest-dom matchers, and a clean slate after each test (the DOM,
// Tauri's IPC mocks, the theme attribute).

import "@testing-library/jest-dom/vitest";
import { clearMocks } from "@tauri-apps/api/mocks";
import { cleanup } from "@testing-library/react";
import { afterEach } from "vitest";

afterEach(() => {
  cleanup();
  clearMocks();
  delete document.documentElement.dataset.theme;
  delete document.documentElement.dataset.themeSetting;
});
