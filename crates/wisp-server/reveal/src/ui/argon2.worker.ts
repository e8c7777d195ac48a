// Owns the Argon2id Web Worker: runs the passphrase stretch off the main thread so the page stays responsive.

import { argon2Inline } from "../crypto/keys";
import type { KdfParams } from "../crypto/header";
import { WispError } from "../crypto/errors";

interface Request {
  password: Uint8Array;
  salt: Uint8Array;
  kdf: KdfParams;
}

// `self` here is the worker scope; typed loosely because the page's tsconfig uses DOM types.
const scope = self as unknown as {
  onmessage: ((ev: MessageEvent<Request>) => void) | null;
  postMessage(message: unknown, transfer?: Transferable[]): void;
};

scope.onmessage = (ev) => {
  const { password, salt, kdf } = ev.data;
  argon2Inline(password, salt, kdf).then(
    (out) => {
      password.fill(0);
      scope.postMessage({ ok: true, out }, [out.buffer]);
    },
    (e: unknown) => {
      password.fill(0);
      const code = e instanceof WispError ? e.code : "kdf";
      scope.postMessage({ ok: false, code, message: e instanceof Error ? e.message : String(e) });
    },
  );
};
