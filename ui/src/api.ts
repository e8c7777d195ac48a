// The one place the UI talks to the Rust side: every Tauri command, typed with the
// bindings generated from the Rust DTOs (src/bindings, checked for drift in CI).
import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import type { AccountInput } from "./bindings/AccountInput";
import type { AccountView } from "./bindings/AccountView";
import type { CommandError } from "./bindings/CommandError";
import type { ConnectionReport } from "./bindings/ConnectionReport";
import type { DroppedFile } from "./bindings/DroppedFile";
import type { HistoryFilter } from "./bindings/HistoryFilter";
import type { HistoryItem } from "./bindings/HistoryItem";
import type { Installed } from "./bindings/Installed";
import type { LinkStatus } from "./bindings/LinkStatus";
import type { Navigation } from "./bindings/Navigation";
import type { RevealOutcome } from "./bindings/RevealOutcome";
import type { SendRequest } from "./bindings/SendRequest";
import type { SentSecret } from "./bindings/SentSecret";
import type { ServerSecret } from "./bindings/ServerSecret";
import type { Settings } from "./bindings/Settings";
import type { TransferProgress } from "./bindings/TransferProgress";
import type { UpdateOffer } from "./bindings/UpdateOffer";

/** A command failed: `code` is stable, `message` is a sentence for a person. */
export class WispError extends Error {
  readonly code: CommandError["code"];
  /** A dictionary key for a localised sentence (see lib/errors.ts), when Rust gave one. */
  readonly key: string | undefined;
  readonly vars: Readonly<Record<string, string>> | undefined;
  constructor(e: CommandError) {
    super(e.message);
    this.code = e.code;
    this.key = e.key;
    this.vars = e.vars ? (Object.fromEntries(Object.entries(e.vars).filter(([, v]) => v !== undefined)) as Record<string, string>) : undefined;
  }
}

function isCommandError(e: unknown): e is CommandError {
  return typeof e === "object" && e !== null && "code" in e && "message" in e;
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    if (isCommandError(e)) throw new WispError(e);
    throw new WispError({ code: "internal", message: "Something went wrong inside Wisp. Please try again.", key: "error.generic" });
  }
}

export const api = {
  // Accounts
  listAccounts: () => call<AccountView[]>("list_accounts"),
  addAccount: (input: AccountInput) => call<AccountView>("add_account", { input }),
  updateAccount: (id: string, input: AccountInput) => call<AccountView>("update_account", { id, input }),
  removeAccount: (id: string) => call<void>("remove_account", { id }),
  setDefaultAccount: (id: string) => call<void>("set_default_account", { id }),
  /** `id`: the account being edited (its stored token is used when `input.token` is null). */
  testConnection: (input: AccountInput, id: string | null) =>
    call<ConnectionReport>("test_connection", { input, id }),
  /** The account's secrets as its server lists them (only for kinds with `features.list`). */
  listServerSecrets: (accountId: string) => call<ServerSecret[]>("list_server_secrets", { accountId }),

  // Sending
  generatePassword: (length: number, symbols: boolean) => call<string>("generate_password", { length, symbols }),
  sendText: (text: string, request: SendRequest) => call<SentSecret>("send_text", { text, request }),
  pickFiles: () => call<DroppedFile[]>("pick_files"),
  sendFile: (token: string, transferId: string, request: SendRequest) =>
    call<SentSecret>("send_file", { token, transferId, request }),
  cancelTransfer: (transferId: string) => call<void>("cancel_transfer", { transferId }),

  // History
  listHistory: (filter: HistoryFilter) => call<HistoryItem[]>("list_history", { filter }),
  refreshHistory: () => call<HistoryItem[]>("refresh_history"),
  burnSecret: (id: string) => call<HistoryItem>("burn_secret", { id }),
  forgetSecret: (id: string) => call<void>("forget_secret", { id }),

  // Received links
  inspectLinks: (links: string[]) => call<LinkStatus>("inspect_links", { links }),
  /** Spends one view. Text comes back to show; a file is streamed to where the user
   *  chooses in a native save dialog (opened by the Rust side). */
  reveal: (links: string[], passphrase: string | null) => call<RevealOutcome>("reveal", { links, passphrase }),

  // Settings and clipboard
  getSettings: () => call<Settings>("get_settings"),
  saveSettings: (settings: Settings) => call<Settings>("save_settings", { settings }),
  copyText: (text: string, sensitive: boolean) => call<void>("copy_text", { text, sensitive }),

  // The app: where to go on start, updates, start at login
  pendingNavigation: () => call<Navigation | null>("pending_navigation"),
  checkUpdate: () => call<UpdateOffer | null>("check_update"),
  /** Downloads, verifies the signature, installs and restarts (or says it only verified). */
  installUpdate: () => call<Installed>("install_update"),
  getAutostart: () => call<boolean>("get_autostart"),
  setAutostart: (enabled: boolean) => call<boolean>("set_autostart", { enabled }),
};

/** Files dropped on the window (the Rust side checked and registered them). */
export const onFilesDropped = (handler: (files: DroppedFile[]) => void): Promise<UnlistenFn> =>
  listen<DroppedFile[]>("files-dropped", (e) => handler(e.payload));

/** Upload progress for `sendFile` / `sendText`. */
export const onTransferProgress = (handler: (p: TransferProgress) => void): Promise<UnlistenFn> =>
  listen<TransferProgress>("transfer-progress", (e) => handler(e.payload));

/** The history changed (a refresh, a burn, a new secret). */
export const onHistoryChanged = (handler: () => void): Promise<UnlistenFn> =>
  listen<null>("history-changed", () => handler());

/** The settings changed outside the window (the tray's "Pause notifications"). */
export const onSettingsChanged = (handler: (payload: null) => void): Promise<UnlistenFn> =>
  listen<null>("settings-changed", (e) => handler(e.payload));

/** Asked from outside the window: a link opened in another app, a tray item, a notification. */
export const onNavigate = (handler: (to: Navigation) => void): Promise<UnlistenFn> =>
  listen<Navigation>("navigate", (e) => handler(e.payload));

/** The start-up check found an update. */
export const onUpdateAvailable = (handler: (offer: UpdateOffer) => void): Promise<UnlistenFn> =>
  listen<UpdateOffer>("update-available", (e) => handler(e.payload));
