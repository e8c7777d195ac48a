// Owns what every screen shares: the settings, the accounts, and which screen is shown.

import { createContext, useContext } from "react";
import type { AccountView } from "./bindings/AccountView";
import type { Settings } from "./bindings/Settings";

export type Screen = "send" | "history" | "open" | "accounts" | "settings";
export const SCREENS: readonly Screen[] = ["send", "history", "open", "accounts", "settings"];

/** Used until the Rust side answers (and if it cannot). */
export const DEFAULT_SETTINGS: Settings = {
  default_ttl_secs: 86400,
  default_max_views: 1,
  clipboard_clear_secs: 30,
  theme: "system",
  language: "system",
  keep_links: false,
  close_to_tray: true,
  quick_share_shortcut: "Ctrl+Alt+S",
  check_updates: true,
  update_endpoint: "",
  pause_notifications: false,
  max_upload_bytes: 1024 * 1024 * 1024,
};

/** What a screen should do on arrival. */
export type Intent =
  | "add-account"
  | "check-updates"
  | { readonly links: readonly string[] }
  | { readonly secret: string };

export interface AppState {
  settings: Settings;
  /** Saves and applies; resolves to the settings the Rust side kept, throws a WispError. */
  saveSettings: (next: Settings) => Promise<Settings>;
  accounts: AccountView[];
  accountsLoaded: boolean;
  reloadAccounts: () => Promise<void>;
  screen: Screen;
  /** Shows a screen; `intent` asks it to do something on arrival (e.g. open the add-account dialog). */
  go: (screen: Screen, intent?: Intent) => void;
  intent: Intent | null;
  clearIntent: () => void;
}

export const AppContext = createContext<AppState | null>(null);

export function useApp(): AppState {
  const value = useContext(AppContext);
  if (!value) throw new Error("useApp outside <App>");
  return value;
}
