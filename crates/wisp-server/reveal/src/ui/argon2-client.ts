// Owns running Argon2id in a throwaway worker (memory freed when it ends), falling back to the main thread if workers are unavailable.

import { argon2Inline, type Argon2Fn, WispError, type ErrorCode } from "../crypto";

interface Reply {
  ok: boolean;
  out?: Uint8Array;
  code?: ErrorCode;
  message?: string;
}

export const argon2InWorker: Argon2Fn = (password, salt, kdf) =>
  new Promise<Uint8Array>((resolve, reject) => {
    let worker: Worker;
    try {
      worker = new Worker(new URL("./argon2.worker.ts", import.meta.url), { type: "module" });
    } catch {
      argon2Inline(password, salt, kdf).then(resolve, reject);
      return;
    }
    let settled = false;
    const done = () => {
      settled = true;
      // A fresh worker per derivation: terminating it returns Argon2's 64 MiB at once.
      worker.terminate();
    };
    worker.onmessage = (ev: MessageEvent<Reply>) => {
      done();
      const r = ev.data;
      if (r.ok && r.out) resolve(r.out);
      else reject(new WispError(r.code ?? "kdf", r.message ?? "passphrase key derivation failed"));
    };
    worker.onerror = (ev) => {
      // The worker could not start (blocked, unsupported): do the work here instead.
      ev.preventDefault();
      if (settled) return;
      done();
      argon2Inline(password, salt, kdf).then(resolve, reject);
    };
    // A copy of the passphrase bytes goes to the worker, which wipes it after use.
    worker.postMessage({ password: password.slice(), salt: salt.slice(), kdf });
  });
