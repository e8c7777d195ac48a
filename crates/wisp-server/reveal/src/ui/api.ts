// Owns the page's HTTP calls to the Wisp API (status, reveal, resume, burn), turning every failure into an ApiError.

import { ApiError, parseStatus, retryAfterSeconds, type SecretStatus } from "./state";

const API = "/api/v1/secrets/";

/** Same-origin, never cached, never a referrer: nothing about the secret lingers in caches or logs. */
const BASE_INIT: RequestInit = { cache: "no-store", credentials: "same-origin", referrerPolicy: "no-referrer" };

/** A code for an answer without Wisp's error body (a proxy's page, a cut connection). */
function fallbackCode(status: number): string {
  if (status === 408) return "request_timeout";
  if (status === 429) return "rate_limited";
  return status >= 500 ? "server" : `http_${status}`;
}

async function errorFrom(res: Response): Promise<ApiError> {
  let body: Record<string, unknown> = {};
  try {
    body = (await res.json()) as Record<string, unknown>;
  } catch {
    // Not JSON (a proxy's error page): fall back on the status code alone.
  }
  const str = (k: string): string | null => {
    const v = body[k];
    return typeof v === "string" ? v : null;
  };
  return new ApiError(
    res.status,
    str("code") ?? fallbackCode(res.status),
    str("error") ?? "",
    str("hint"),
    str("request_id") ?? res.headers.get("X-Request-Id"),
    typeof body.attempts_left === "number" ? body.attempts_left : null,
    retryAfterSeconds(res.headers.get("Retry-After"), new Date()),
  );
}

async function call(url: string, init: RequestInit): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url, { ...BASE_INIT, ...init });
  } catch {
    throw new ApiError(0, "network", "", null, null);
  }
  if (!res.ok) throw await errorFrom(res);
  return res;
}

/** The public status: free, never counts as a view. */
export async function getStatus(id: string): Promise<SecretStatus> {
  const res = await call(API + encodeURIComponent(id), { method: "GET", headers: { Accept: "application/json" } });
  let json: unknown;
  try {
    json = await res.json();
  } catch {
    throw new ApiError(res.status, "server", "", null, res.headers.get("X-Request-Id"));
  }
  const status = parseStatus(json);
  if (!status) throw new ApiError(res.status, "server", "", null, res.headers.get("X-Request-Id"));
  return status;
}

export interface RevealResponse {
  body: ReadableStream<Uint8Array>;
  viewsLeft: string | null;
  downloadToken: string | null;
  length: number | null;
}

function asReveal(res: Response): RevealResponse {
  if (!res.body) throw new ApiError(res.status, "server", "", null, res.headers.get("X-Request-Id"));
  const len = Number.parseInt(res.headers.get("Content-Length") ?? "", 10);
  return {
    body: res.body,
    viewsLeft: res.headers.get("Wisp-Views-Left"),
    downloadToken: res.headers.get("Wisp-Download-Token"),
    length: Number.isFinite(len) ? len : null,
  };
}

/**
 * What the server checks before a reveal or a recipient's burn (docs/crypto.md), base64url:
 * the link proof (v1: the one reveal proof), and for v2 passphrase secrets the passphrase
 * proof. Sent only in request headers: never in a URL, a log or storage.
 */
export interface Proofs {
  link: string;
  passphrase: string | null;
}

function proofHeaders(proofs: Proofs): Record<string, string> {
  const headers: Record<string, string> = { "Wisp-Reveal-Proof": proofs.link };
  if (proofs.passphrase !== null) headers["Wisp-Passphrase-Proof"] = proofs.passphrase;
  return headers;
}

/**
 * Consumes a view and streams the payload. The server checks the link proof first (wrong:
 * 404 as for an unknown id), then the passphrase proof (wrong: 403 `wrong_passphrase` with
 * `attempts_left`, counted; too many from here: 429 `too_many_attempts` with `Retry-After`).
 */
export async function reveal(id: string, proofs: Proofs): Promise<RevealResponse> {
  const res = await call(`${API}${encodeURIComponent(id)}/reveal`, { method: "POST", headers: proofHeaders(proofs) });
  return asReveal(res);
}

/**
 * Fetches the payload again with the resume token (valid 10 minutes, no view spent). We
 * restart from byte 0 rather than resuming mid-stream: decryption restarts cleanly and
 * nothing half-verified is kept.
 */
export async function refetch(id: string, token: string): Promise<RevealResponse> {
  const res = await call(`${API}${encodeURIComponent(id)}/payload`, {
    method: "GET",
    headers: { "Wisp-Download-Token": token, Range: "bytes=0-" },
  });
  return asReveal(res);
}

export async function burn(id: string, proofs: Proofs): Promise<void> {
  await call(`${API}${encodeURIComponent(id)}/burn`, { method: "POST", headers: proofHeaders(proofs) });
}
