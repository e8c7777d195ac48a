// Owns saving a decrypted file: streamed through the service worker when possible, else a Blob + object URL.

import { WispError } from "../crypto";
import type { PageToWorker, RegisterDownload, WorkerToPage } from "../sw/protocol";
import { contentDisposition } from "./state";

/** Same prefix as in sw.ts (see protocol.ts for why it is written twice). */
export const DOWNLOAD_PREFIX = "/s/_wisp-download/";
const SW_URL = "/sw.js";
/** Narrow scope: the worker sees reveal pages and downloads, never API calls of other pages. */
const SW_SCOPE = "/s/";

export interface SaveJob {
  /** Already sanitised. */
  name: string;
  size: number | undefined;
  chunks: AsyncGenerator<Uint8Array, void, void>;
  onProgress(bytes: number): void;
}

/** Raised when the worker never asked for data: nothing was consumed, the Blob path can take over. */
class NotIntercepted extends Error {}

/** The user cancelled the download in the browser's download manager. */
export class SaveCancelled extends Error {}

let workerPromise: Promise<ServiceWorker | null> | null = null;

/**
 * Registers /sw.js (once) and resolves to its active worker, or null where service workers
 * are unavailable (private windows, insecure origins, disabled by policy).
 */
export function prepareServiceWorker(): Promise<ServiceWorker | null> {
  workerPromise ??= (async () => {
    if (!("serviceWorker" in navigator) || !window.isSecureContext) return null;
    try {
      const reg = await navigator.serviceWorker.register(SW_URL, { scope: SW_SCOPE });
      if (reg.active) return reg.active;
      const sw = reg.installing ?? reg.waiting;
      if (!sw) return null;
      return await new Promise<ServiceWorker | null>((resolve) => {
        const timer = setTimeout(() => resolve(null), 5000);
        sw.addEventListener("statechange", () => {
          if (sw.state === "activated") {
            clearTimeout(timer);
            resolve(sw);
          } else if (sw.state === "redundant") {
            clearTimeout(timer);
            resolve(null);
          }
        });
      });
    } catch {
      return null;
    }
  })();
  return workerPromise;
}

function headersFor(job: SaveJob): Record<string, string> {
  const headers: Record<string, string> = {
    // Never the sender's media type: an attachment of opaque bytes cannot render as a page.
    "Content-Type": "application/octet-stream",
    "Content-Disposition": contentDisposition(job.name),
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'none'; sandbox",
  };
  // Lets the browser show real progress; exact, because it is the authenticated content size.
  if (job.size !== undefined) headers["Content-Length"] = String(job.size);
  return headers;
}

function navigateTo(url: string): void {
  // A top-level navigation (not an iframe: the CSP forbids frames). The response is an
  // attachment, so the browser downloads it and this page stays where it is.
  const a = document.createElement("a");
  a.href = url;
  a.rel = "noopener";
  document.body.append(a);
  a.click();
  a.remove();
}

async function viaServiceWorker(sw: ServiceWorker, job: SaveJob): Promise<void> {
  const channel = new MessageChannel();
  const port = channel.port1;
  const id = crypto.randomUUID();
  const registered = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new NotIntercepted()), 3000);
    port.onmessage = (ev: MessageEvent<WorkerToPage>) => {
      if (ev.data.type === "registered") {
        clearTimeout(timer);
        resolve();
      }
    };
  });
  const message: RegisterDownload = { type: "wisp-download", id, headers: headersFor(job) };
  sw.postMessage(message, [channel.port2]);
  await registered;

  return new Promise<void>((resolve, reject) => {
    let consumed = false;
    let written = 0;
    const post = (m: PageToWorker, transfer: Transferable[] = []) => port.postMessage(m, transfer);
    // The worker may be stopped when idle; a message now and then keeps it alive while the
    // user sits in a save dialog or a large file streams.
    const keepAlive = setInterval(() => sw.postMessage({ type: "wisp-ping" }), 10_000);
    const watchdog = setTimeout(() => {
      if (!consumed) finish(new NotIntercepted());
    }, 15_000);
    const finish = (err?: unknown) => {
      clearInterval(keepAlive);
      clearTimeout(watchdog);
      port.onmessage = null;
      port.close();
      if (err === undefined) resolve();
      else reject(err instanceof Error ? err : new WispError("io", "the download failed"));
    };
    port.onmessage = (ev: MessageEvent<WorkerToPage>) => {
      const type = ev.data.type;
      if (type === "started") {
        clearTimeout(watchdog);
      } else if (type === "cancel") {
        // The user cancelled the download in the browser.
        void job.chunks.return();
        finish(new SaveCancelled("the download was cancelled"));
      } else if (type === "pull") {
        consumed = true;
        job.chunks.next().then(
          (r) => {
            if (r.done) {
              post({ type: "end" });
              finish();
              return;
            }
            written += r.value.length;
            job.onProgress(written);
            // Each chunk is a copy with its own buffer: transfer it rather than copy again.
            post({ type: "chunk", chunk: r.value }, [r.value.buffer]);
          },
          (e: unknown) => {
            // Failing the stream makes the browser mark the download as failed, so a
            // partial file is never mistaken for the whole one.
            post({ type: "error", message: "decryption failed" });
            finish(e);
          },
        );
      }
    };
    navigateTo(DOWNLOAD_PREFIX + id);
  });
}

async function viaBlob(job: SaveJob): Promise<void> {
  const parts: Uint8Array[] = [];
  let written = 0;
  for await (const chunk of job.chunks) {
    parts.push(chunk);
    written += chunk.length;
    job.onProgress(written);
  }
  // Only now, with everything authenticated, does the file exist at all.
  const blob = new Blob(parts as BlobPart[], { type: "application/octet-stream" });
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = job.name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Saves the file; resolves once every byte (and the padding after it) authenticated. */
export async function saveFile(job: SaveJob): Promise<"stream" | "blob"> {
  const sw = await prepareServiceWorker();
  if (sw) {
    try {
      await viaServiceWorker(sw, job);
      return "stream";
    } catch (e) {
      if (!(e instanceof NotIntercepted)) throw e;
    }
  }
  await viaBlob(job);
  return "blob";
}
