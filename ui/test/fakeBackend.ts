// A stand-in for the Rust side, through Tauri's own IPC mock: every command of api.ts answered
// from in-memory state, every call recorded, any command overridable per test. Also drives the
// preview page (test/preview), so the UI can be looked at in a plain browser.

import { emit } from "@tauri-apps/api/event";
import { mockIPC, mockWindows } from "@tauri-apps/api/mocks";
import type { AccountInput } from "../src/bindings/AccountInput";
import type { AccountView } from "../src/bindings/AccountView";
import type { CommandError } from "../src/bindings/CommandError";
import type { DroppedFile } from "../src/bindings/DroppedFile";
import type { HistoryFilter } from "../src/bindings/HistoryFilter";
import type { HistoryItem } from "../src/bindings/HistoryItem";
import type { KindFeatures } from "../src/bindings/KindFeatures";
import type { LinkStatus } from "../src/bindings/LinkStatus";
import type { RevealOutcome } from "../src/bindings/RevealOutcome";
import type { SendRequest } from "../src/bindings/SendRequest";
import type { SentSecret } from "../src/bindings/SentSecret";
import type { ServerSecret } from "../src/bindings/ServerSecret";
import type { ServerKind } from "../src/bindings/ServerKind";
import type { Settings } from "../src/bindings/Settings";

export type Args = Record<string, unknown>;
export type Handler = (args: Args) => unknown;

export interface Call {
  cmd: string;
  args: Args;
}

export const HOUR = 3600 * 1000;

/** A QR-looking SVG (finder squares and a deterministic pattern), as the Rust side sends. */
export function fakeQr(seed: string): string {
  const n = 25;
  let h = 2166136261;
  for (const c of seed) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  const cells: string[] = [];
  const finder = (x: number, y: number) => {
    const dx = x < 7 ? x : x >= n - 7 ? x - (n - 7) : -1;
    const dy = y < 7 ? y : y >= n - 7 ? y - (n - 7) : -1;
    if (dx < 0 || dy < 0 || (x >= n - 7 && y >= n - 7)) return null;
    const ring = Math.max(Math.abs(dx - 3), Math.abs(dy - 3));
    return ring !== 2;
  };
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      const f = finder(x, y);
      h = Math.imul(h ^ (x * 31 + y), 2654435761) >>> 0;
      if (f === true || (f === null && h % 3 === 0)) cells.push(`M${x + 2} ${y + 2}h1v1h-1z`);
    }
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${n + 4} ${n + 4}"><rect width="100%" height="100%" fill="#fff"/><path d="${cells.join("")}" fill="#000"/></svg>`;
}

/** What each kind supports, as wisp-providers says (crates/wisp-providers/src/*.rs). */
export function featuresOf(kind: ServerKind): KindFeatures {
  const base: KindFeatures = {
    passphrase: true,
    max_views: true,
    max_views_limit: 1000,
    unlimited_views: true,
    split: true,
    files: true,
    recipient_email: true,
    note: true,
    list: true,
    receipts: true,
    push: true,
    burn: true,
    link_status: true,
    server_reads_content: false,
    min_ttl_secs: 60,
    max_ttl_secs: 30 * 86400,
    ttl_choices: [],
  };
  const text = { files: false, push: false, split: false };
  switch (kind) {
    case "wisp":
      return base;
    case "onetime_secret":
      return { ...base, ...text, max_views: false, max_views_limit: 1, unlimited_views: false, note: false, link_status: false, server_reads_content: true };
    case "burn_the_secret":
      return { ...base, ...text, max_views_limit: 999, recipient_email: false, note: false, list: false, server_reads_content: true, min_ttl_secs: 1800 };
    case "seclink":
      return { ...base, ...text, max_views: false, max_views_limit: 1, recipient_email: false, note: false, list: false, receipts: false, burn: false, link_status: false, min_ttl_secs: 3600, max_ttl_secs: 7 * 86400, ttl_choices: [3600, 86400, 7 * 86400] };
    case "seecretit":
      return { ...base, files: false, push: false, max_views_limit: 999, unlimited_views: false, server_reads_content: true, min_ttl_secs: 86400 };
  }
}

export function account(over: Partial<AccountView> = {}): AccountView {
  return {
    id: "acc-1",
    name: "Work",
    kind: "wisp",
    url: "https://wisp.example.com",
    is_default: true,
    has_token: true,
    default_ttl_secs: null,
    default_max_views: null,
    notifications: true,
    server_reads_content: false,
    ...over,
    features: over.features ?? featuresOf(over.kind ?? "wisp"),
  };
}

export function historyItem(over: Partial<HistoryItem> = {}): HistoryItem {
  const now = Date.now();
  return {
    id: "h-1",
    account_id: "acc-1",
    account_name: "Work",
    kind: "text",
    label: "Text secret",
    note: null,
    size: 24,
    created_at: new Date(now - 2 * HOUR).toISOString(),
    expires_at: new Date(now + 22 * HOUR).toISOString(),
    max_views: 1,
    views: 0,
    state: "pending",
    links: null,
    burn_reason: null,
    wrong_attempts: 0,
    ...over,
  };
}

export function serverSecret(over: Partial<ServerSecret> = {}): ServerSecret {
  const now = Date.now();
  return {
    id: "srv-1",
    state: "pending",
    views: 0,
    max_views: 1,
    created_at: new Date(now - 3 * HOUR).toISOString(),
    expires_at: new Date(now + 21 * HOUR).toISOString(),
    note: null,
    in_history: false,
    ...over,
  };
}

/** What a server lists for an account with nothing set by the test: the account's history
 *  items (marked as on this computer) and two secrets sent from elsewhere. */
function serverListOf(account: AccountView, history: HistoryItem[]): ServerSecret[] {
  const now = Date.now();
  const mine = history
    .filter((i) => i.account_id === account.id)
    .map((i) => serverSecret({ id: i.id, state: i.state, views: i.views, max_views: i.max_views, created_at: i.created_at, expires_at: i.expires_at, note: i.note, in_history: true }));
  return [
    ...mine,
    serverSecret({ id: `${account.id}-k7Qp2`, note: account.features.note ? "VPN key for the laptop" : null, max_views: 3, views: 1, created_at: new Date(now - 26 * HOUR).toISOString(), expires_at: new Date(now + 46 * HOUR).toISOString() }),
    serverSecret({ id: `${account.id}-Zx81m`, state: "viewed", views: 1, created_at: new Date(now - 50 * HOUR).toISOString(), expires_at: null }),
  ];
}

export const SETTINGS: Settings = {
  default_ttl_secs: 86400,
  default_max_views: 1,
  clipboard_clear_secs: 30,
  theme: "light",
  language: "en",
  keep_links: false,
  close_to_tray: true,
  quick_share_shortcut: "Ctrl+Alt+S",
  check_updates: false,
  update_endpoint: "https://updates.example/latest.json",
  pause_notifications: false,
  max_upload_bytes: 100 * 1000 * 1000,
};

export function sentSecret(parts: number, id = "sent-1"): SentSecret {
  const links = Array.from({ length: parts }, (_, i) => {
    const url = `https://wisp.example.com/s/${id}#k${parts > 1 ? `.p${i + 1}` : ""}.Zm9vYmFyYmF6cXV4`;
    return { url, qr_svg: fakeQr(url), label: parts > 1 ? `Part ${i + 1} of ${parts}` : "Link" };
  });
  return { history_id: id, links, expires_at: new Date(Date.now() + 24 * HOUR).toISOString(), max_views: 1 };
}

export function commandError(code: CommandError["code"], message: string, key?: string, vars?: Record<string, string>): CommandError {
  if (key === undefined) return { code, message };
  return vars === undefined ? { code, message, key } : { code, message, key, vars };
}

/** How a failed command reaches the webview: a rejection carrying `{code, message, key?, vars?}`, not an Error. */
export function rejectWith(code: CommandError["code"], message: string, key?: string, vars?: Record<string, string>): Promise<never> {
  // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
  return Promise.reject(commandError(code, message, key, vars));
}

export interface BackendOptions {
  accounts?: AccountView[];
  history?: HistoryItem[];
  settings?: Partial<Settings>;
  status?: LinkStatus;
  /** What `list_server_secrets` answers, by account id (else see serverListOf). */
  serverSecrets?: Record<string, ServerSecret[]>;
  handlers?: Record<string, Handler>;
}

export interface Backend {
  calls: Call[];
  callsOf: (cmd: string) => Args[];
  state: { accounts: AccountView[]; history: HistoryItem[]; settings: Settings };
  /** Replaces (or adds) a command's answer from now on. */
  on: (cmd: string, handler: Handler) => void;
  emitEvent: (event: string, payload: unknown) => Promise<void>;
}

export function installBackend(options: BackendOptions = {}): Backend {
  const seen = new Map<string, string>();
  const state = {
    accounts: options.accounts ?? [account()],
    history: options.history ?? [],
    settings: { ...SETTINGS, ...options.settings },
  };
  const calls: Call[] = [];
  let nextId = 1;

  const toView = (input: AccountInput, id: string, old?: AccountView): AccountView => ({
    id,
    name: input.name,
    kind: input.kind,
    url: input.url,
    is_default: old?.is_default ?? state.accounts.length === 0,
    has_token: input.token === null ? (old?.has_token ?? false) : input.token !== "",
    default_ttl_secs: input.default_ttl_secs,
    default_max_views: input.default_max_views,
    notifications: input.notifications,
    server_reads_content: input.kind !== "wisp" && input.kind !== "seclink",
    features: featuresOf(input.kind),
  });

  const handlers: Record<string, Handler> = {
    get_settings: () => state.settings,
    save_settings: (a) => (state.settings = a.settings as Settings),
    list_accounts: () => state.accounts,
    add_account: (a) => {
      const view = toView(a.input as AccountInput, `acc-new-${nextId++}`);
      state.accounts = [...state.accounts, view];
      return view;
    },
    update_account: (a) => {
      const old = state.accounts.find((x) => x.id === a.id);
      const view = toView(a.input as AccountInput, a.id as string, old);
      state.accounts = state.accounts.map((x) => (x.id === a.id ? view : x));
      return view;
    },
    remove_account: (a) => {
      state.accounts = state.accounts.filter((x) => x.id !== a.id);
      return null;
    },
    set_default_account: (a) => {
      state.accounts = state.accounts.map((x) => ({ ...x, is_default: x.id === a.id }));
      return null;
    },
    test_connection: () => ({
      reachable: true,
      authenticated: true,
      server_version: "0.1.0",
      message: 'Connected as "Team". Uploads up to 1 GiB.',
      key: "connection.asUser",
      vars: { name: "Team", size: "1 GiB" },
    }),
    // Like the Rust side: a kind that cannot list says so; a server that needs a token refuses
    // an account without one (the error carries its dictionary key).
    list_server_secrets: (a) => {
      const found = state.accounts.find((x) => x.id === a.accountId);
      if (!found) return rejectWith("not_found", "That account no longer exists.", "error.accountGone");
      if (!found.features.list) return rejectWith("unsupported", `${found.name}'s server cannot list its secrets.`);
      const given = options.serverSecrets?.[found.id];
      if (given) return given;
      if (!found.has_token) return rejectWith("unauthorized", "The server did not accept this account's API token.", "error.unauthorized");
      return serverListOf(found, state.history);
    },
    generate_password: (a) => "x".repeat(a.length as number),
    send_text: (a) => {
      const request = a.request as SendRequest;
      return sentSecret(request.split?.total ?? 1, `text-${nextId++}`);
    },
    pick_files: (): DroppedFile[] => [],
    send_file: (a) => sentSecret((a.request as SendRequest).split?.total ?? 1, `file-${nextId++}`),
    cancel_transfer: () => null,
    list_history: (a) => {
      const f = a.filter as HistoryFilter;
      const listed = state.history.filter((i) => (f.account_id === null || i.account_id === f.account_id) && (f.state === null || i.state === f.state));
      for (const i of listed) seen.set(i.id, JSON.stringify(i));
      return listed;
    },
    // Like the Rust side: only the items whose state changed since they were last seen.
    refresh_history: () => {
      const changed = state.history.filter((i) => seen.get(i.id) !== JSON.stringify(i));
      for (const i of changed) seen.set(i.id, JSON.stringify(i));
      return changed;
    },
    burn_secret: (a) => {
      state.history = state.history.map((i) => (i.id === a.id ? { ...i, state: "burned" as const, burn_reason: "sender" as const } : i));
      return state.history.find((i) => i.id === a.id);
    },
    forget_secret: (a) => {
      state.history = state.history.filter((i) => i.id !== a.id);
      return null;
    },
    inspect_links: (): LinkStatus =>
      options.status ?? {
        id: "abc",
        available: true,
        kind: "text",
        size: 42,
        needs_passphrase: false,
        parts_needed: 1,
        parts_given: 1,
        views_left: 1,
        expires_at: new Date(Date.now() + 5 * HOUR).toISOString(),
      },
    reveal: (): RevealOutcome => ({ kind: "text", text: "correct horse battery staple", views_left: 0 }),
    copy_text: () => null,
    ...options.handlers,
  };

  mockWindows("main");
  mockIPC(
    (cmd, args) => {
      const a = (args ?? {}) as Args;
      calls.push({ cmd, args: a });
      const handler = handlers[cmd];
      if (!handler) return rejectWith("internal", `The fake backend has no command ${cmd}.`);
      return handler(a);
    },
    { shouldMockEvents: true },
  );

  return {
    calls,
    callsOf: (cmd) => calls.filter((c) => c.cmd === cmd).map((c) => c.args),
    state,
    on: (cmd, handler) => {
      handlers[cmd] = handler;
    },
    emitEvent: (event, payload) => emit(event, payload),
  };
}
