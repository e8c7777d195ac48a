// Owns the download service worker (served as /sw.js): turns decrypted chunks posted by the page into a streamed file download.
//
// How it works (as Firefox Send did): the page registers a download over a MessageChannel,
// then navigates to DOWNLOAD_PREFIX + id. This worker answers that navigation with a
// Response whose body is a ReadableStream and whose Content-Disposition is `attachment`,
// so the browser saves it as a file and the page stays. Each time the stream wants data it
// asks the page for one chunk ("pull"); the page decrypts the next segment and sends it.
// Memory stays at about one segment whatever the file size, and nothing touches the network:
// the decrypted bytes exist only between this worker and the browser's download manager.

import type { PageToWorker, RegisterDownload, WorkerToPage } from "./protocol";

/** Navigations under this path are answered here, never by the server (same as download.ts). */
const DOWNLOAD_PREFIX = "/s/_wisp-download/";

// Minimal service-worker typings: the project compiles against the DOM library, which
// lacks them, and this file must not import anything at run time.
interface ExtendableEventLike extends Event {
  waitUntil(p: Promise<unknown>): void;
}
interface FetchEventLike extends ExtendableEventLike {
  readonly request: Request;
  respondWith(r: Response | Promise<Response>): void;
}
interface MessageEventLike extends ExtendableEventLike {
  readonly data: unknown;
  readonly ports: readonly MessagePort[];
}
interface ServiceWorkerScopeLike {
  readonly location: Location;
  skipWaiting(): Promise<void>;
  readonly clients: { claim(): Promise<void> };
  addEventListener(type: "install" | "activate", cb: (e: ExtendableEventLike) => void): void;
  addEventListener(type: "fetch", cb: (e: FetchEventLike) => void): void;
  addEventListener(type: "message", cb: (e: MessageEventLike) => void): void;
}
declare const self: ServiceWorkerScopeLike;

interface Pending {
  port: MessagePort;
  headers: Record<string, string>;
  expires: number;
}

/** Downloads registered and not yet fetched. One use each; forgotten after a minute. */
const pending = new Map<string, Pending>();

self.addEventListener("install", (e) => e.waitUntil(self.skipWaiting()));
self.addEventListener("activate", (e) => e.waitUntil(self.clients.claim()));

self.addEventListener("message", (e) => {
  const data = e.data as Partial<RegisterDownload> | null;
  if (data?.type !== "wisp-download" || typeof data.id !== "string" || !data.headers) return;
  const port = e.ports[0];
  if (!port) return;
  const now = Date.now();
  for (const [id, p] of pending) if (p.expires < now) pending.delete(id);
  pending.set(data.id, { port, headers: data.headers, expires: now + 60_000 });
  send(port, { type: "registered" });
});

function send(port: MessagePort, message: WorkerToPage): void {
  port.postMessage(message);
}

self.addEventListener("fetch", (e) => {
  const url = new URL(e.request.url);
  if (url.origin !== self.location.origin || !url.pathname.startsWith(DOWNLOAD_PREFIX)) return;
  const id = url.pathname.slice(DOWNLOAD_PREFIX.length).split("/")[0] ?? "";
  const entry = pending.get(id);
  pending.delete(id);
  if (!entry) {
    // Unknown or already used (say the worker was restarted in between): 204 makes the
    // browser abandon the navigation, so the page with the secret stays where it is and
    // its watchdog falls back to the Blob download.
    e.respondWith(new Response(null, { status: 204, headers: { "Cache-Control": "no-store" } }));
    return;
  }
  const { port } = entry;
  let waiting: ((m: PageToWorker) => void) | null = null;
  port.onmessage = (m: MessageEvent<PageToWorker>) => {
    const resolve = waiting;
    waiting = null;
    resolve?.(m.data);
  };
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        // One request in flight: the page decrypts a segment only when the browser wants it.
        return new Promise<void>((resolve) => {
          waiting = (m) => {
            if (m.type === "chunk") controller.enqueue(m.chunk);
            else if (m.type === "end") controller.close();
            else controller.error(new Error(m.message));
            resolve();
          };
          send(port, { type: "pull" });
        });
      },
      cancel() {
        send(port, { type: "cancel" });
      },
    },
    { highWaterMark: 1 },
  );
  send(port, { type: "started" });
  e.respondWith(new Response(body, { headers: entry.headers }));
});
