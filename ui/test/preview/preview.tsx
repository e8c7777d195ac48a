// The desktop UI in a plain browser, against the fake backend: for looking at screens while
// developing (npm run dev, then /test/preview/?screen=history&theme=dark). Not part of the build.

import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "../../src/App";
import "../../src/styles.css";
import { account, fakeQr, historyItem, HOUR, installBackend } from "../fakeBackend";

const params = new URLSearchParams(location.search);
const now = Date.now();
const backend = installBackend({
  accounts: params.has("empty")
    ? []
    : [
        account(),
        account({ id: "acc-2", name: "Team OTS", kind: "onetime_secret", url: "https://us.onetimesecret.com", is_default: false, has_token: false, server_reads_content: true, notifications: false }),
      ],
  settings: { theme: params.get("theme") === "dark" ? "dark" : "light", language: params.get("lang") ?? "en", keep_links: true },
  history: [
    historyItem({ id: "h1", label: "Text secret", note: "DB password for Anna", links: ["https://wisp.example.com/s/h1#key"] }),
    historyItem({ id: "h2", kind: "file", label: "backup-2026-12-01.tar.gz", size: 48_000_000, state: "viewed", views: 1, created_at: new Date(now - 30 * HOUR).toISOString(), expires_at: new Date(now + 20 * HOUR).toISOString() }),
    historyItem({ id: "h3", label: "Text secret", state: "burned", max_views: 3, views: 1, account_id: "acc-2", account_name: "Team OTS" }),
    historyItem({ id: "h6", label: "Text secret", note: "vault key for Omar", state: "burned", burn_reason: "wrong_passphrase", wrong_attempts: 10, created_at: new Date(now - 5 * HOUR).toISOString() }),
    historyItem({ id: "h4", label: "Wi-Fi key", state: "expired", max_views: null, views: 4, expires_at: new Date(now - 50 * HOUR).toISOString(), created_at: new Date(now - 220 * HOUR).toISOString() }),
    historyItem({ id: "h5", label: "Text secret", note: "split for the board", max_views: 3, views: 2, links: ["https://wisp.example.com/s/h5#a", "https://wisp.example.com/s/h5#b", "https://wisp.example.com/s/h5#c"] }),
  ],
  status:
    params.get("status") === "gone"
      ? { id: "x", available: false, kind: null, size: null, needs_passphrase: false, parts_needed: 1, parts_given: 1, views_left: null, expires_at: null }
      : { id: "x", available: true, kind: "text", size: 812, needs_passphrase: true, parts_needed: 2, parts_given: 2, views_left: 1, expires_at: new Date(now + 5 * HOUR).toISOString() },
});
backend.on("send_file", (a) => new Promise((resolve) => {
  const total = 48_000_000;
  let done = 0;
  const timer = setInterval(() => {
    done = Math.min(total, done + 3_000_000);
    void backend.emitEvent("transfer-progress", { transfer_id: a.transferId, done, total });
    if (done >= total) {
      clearInterval(timer);
      resolve({ history_id: "f", links: [{ url: "https://wisp.example.com/s/f#k", qr_svg: fakeQr("f"), label: "Link" }], expires_at: new Date(Date.now() + 24 * HOUR).toISOString(), max_views: 1 });
    }
  }, 400);
}));
backend.on("pick_files", () => [
  { token: "t1", name: "quarterly-report.pdf", size: 2_400_000, is_dir: false, file_count: 1, too_large: false },
  { token: "t2", name: "design-assets", size: 48_000_000, is_dir: true, file_count: 37, too_large: false },
  { token: "t3", name: "disk-image.iso", size: 4_700_000_000, is_dir: false, file_count: 1, too_large: true },
]);
(window as unknown as { wisp: typeof backend }).wisp = backend;

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

// ?screen=history|open|accounts|settings opens that screen once the app is up (for screenshots).
const wanted = params.get("screen");
if (wanted) {
  const open = () => {
    const button = document.querySelector<HTMLButtonElement>(`[data-testid="nav-${wanted}"]`);
    if (button) button.click();
    else setTimeout(open, 50);
  };
  open();
}
