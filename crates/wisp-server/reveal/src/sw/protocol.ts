// Owns the message protocol between the page and the download service worker (types only).
//
// Types only on purpose: a value imported by both the page and sw.ts would become a shared
// chunk, and sw.js would then need `import`, which classic service workers cannot do. The
// download path prefix is therefore written in both places; a unit test checks they agree.

/** Page → worker (to the registration's active worker, with one MessagePort transferred). */
export interface RegisterDownload {
  type: "wisp-download";
  id: string;
  headers: Record<string, string>;
}

/** Page → worker: keeps the worker alive while a long download streams. */
export interface Ping {
  type: "wisp-ping";
}

/** Worker → page, over the port. */
export type WorkerToPage = { type: "registered" } | { type: "pull" } | { type: "cancel" } | { type: "started" };

/** Page → worker, over the port. */
export type PageToWorker = { type: "chunk"; chunk: Uint8Array } | { type: "end" } | { type: "error"; message: string };
