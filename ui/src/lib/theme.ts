// Owns the theme: the setting (system / light / dark) becomes data-theme="light|dark" on <html>,
// and "system" follows prefers-color-scheme as it changes.

import type { Theme } from "../bindings/Theme";

const QUERY = "(prefers-color-scheme: dark)";

function systemPrefersDark(): boolean {
  return typeof window.matchMedia === "function" && window.matchMedia(QUERY).matches;
}

export function resolveTheme(theme: Theme): "light" | "dark" {
  if (theme === "system") return systemPrefersDark() ? "dark" : "light";
  return theme;
}

/** Applies the theme now and, for "system", on every OS change; returns the stop function. */
export function applyTheme(theme: Theme, root: HTMLElement = document.documentElement): () => void {
  const set = () => {
    root.dataset.theme = resolveTheme(theme);
    root.dataset.themeSetting = theme;
  };
  set();
  if (theme !== "system" || typeof window.matchMedia !== "function") return () => undefined;
  const media = window.matchMedia(QUERY);
  media.addEventListener("change", set);
  return () => media.removeEventListener("change", set);
}
