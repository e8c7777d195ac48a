// Owns tests of the page's HTTP calls: which headers carry the proofs, and how refusals are read (docs/crypto.md).

import { afterEach, describe, expect, it, vi } from "vitest";

import { burn, reveal } from "../src/ui/api";
import { ApiError } from "../src/ui/state";

const LINK = "aA1DvSrO1AgM4kKX40JU2_W4lVHIUjtiA3fSXJIQwy0";
const PASS = "wAS_HdNduz-L7tCkV0f2KuowokUOpFuy9xxmN0s2U3E";

interface Seen {
  url: string;
  init: RequestInit;
}

function stubFetch(answer: () => Response): Seen[] {
  const seen: Seen[] = [];
  vi.stubGlobal("fetch", (url: string, init: RequestInit) => {
    seen.push({ url, init });
    return Promise.resolve(answer());
  });
  return seen;
}

const headersOf = (s: Seen) => new Headers(s.init.headers);

async function refusal(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error("no refusal");
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("reveal request", () => {
  it("sends the link proof and the passphrase proof in headers, never in the address", async () => {
    const seen = stubFetch(() => new Response(new Uint8Array([1, 2, 3]), { status: 200, headers: { "Wisp-Views-Left": "0" } }));
    const res = await reveal("AbCdEfGhIjKlMnOpQrStUv", { link: LINK, passphrase: PASS });
    expect(res.viewsLeft).toBe("0");
    expect(seen).toHaveLength(1);
    const [req] = seen;
    expect(req!.url).toBe("/api/v1/secrets/AbCdEfGhIjKlMnOpQrStUv/reveal");
    expect(req!.init.method).toBe("POST");
    expect(headersOf(req!).get("Wisp-Reveal-Proof")).toBe(LINK);
    expect(headersOf(req!).get("Wisp-Passphrase-Proof")).toBe(PASS);
    expect(req!.init.referrerPolicy).toBe("no-referrer");
    expect(req!.init.cache).toBe("no-store");
  });

  it("sends no passphrase proof for a secret without one (and v1's single proof alone)", async () => {
    const seen = stubFetch(() => new Response(new Uint8Array([1]), { status: 200 }));
    await reveal("AbCdEfGhIjKlMnOpQrStUv", { link: LINK, passphrase: null });
    expect(headersOf(seen[0]!).get("Wisp-Reveal-Proof")).toBe(LINK);
    expect(headersOf(seen[0]!).has("Wisp-Passphrase-Proof")).toBe(false);
  });

  it("a recipient's burn carries the same two headers", async () => {
    const seen = stubFetch(() => new Response(null, { status: 204 }));
    await burn("AbCdEfGhIjKlMnOpQrStUv", { link: LINK, passphrase: PASS });
    expect(seen[0]!.url).toBe("/api/v1/secrets/AbCdEfGhIjKlMnOpQrStUv/burn");
    expect(headersOf(seen[0]!).get("Wisp-Reveal-Proof")).toBe(LINK);
    expect(headersOf(seen[0]!).get("Wisp-Passphrase-Proof")).toBe(PASS);
  });

  const json = (status: number, body: object, headers: Record<string, string> = {}) => () =>
    new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json", ...headers } });

  it("reads 403 wrong_passphrase with attempts_left", async () => {
    stubFetch(json(403, { error: "Wrong passphrase.", code: "wrong_passphrase", hint: "", request_id: "r1", attempts_left: 9 }));
    const e = await refusal(reveal("id", { link: LINK, passphrase: PASS }));
    expect([e.status, e.code, e.attemptsLeft, e.requestId]).toEqual([403, "wrong_passphrase", 9, "r1"]);
  });

  it("reads 429 too_many_attempts with Retry-After", async () => {
    stubFetch(json(429, { error: "Too many attempts.", code: "too_many_attempts", hint: "", request_id: "r2" }, { "Retry-After": "37" }));
    const e = await refusal(reveal("id", { link: LINK, passphrase: PASS }));
    expect([e.status, e.code, e.retryAfter]).toEqual([429, "too_many_attempts", 37]);
  });

  it("reads the server's 408, 507 and 503 bodies, and names a bare 408 request_timeout", async () => {
    stubFetch(json(408, { error: "The request body arrived too slowly and was cut.", code: "request_timeout", hint: "", request_id: "r3" }));
    expect((await refusal(reveal("id", { link: LINK, passphrase: null }))).code).toBe("request_timeout");
    stubFetch(json(507, { error: "Out of space.", code: "insufficient_storage", hint: "", request_id: "r4" }));
    expect((await refusal(burn("id", { link: LINK, passphrase: null }))).code).toBe("insufficient_storage");
    // A proxy's own answers, without Wisp's body.
    stubFetch(() => new Response("<html>Request Timeout</html>", { status: 408 }));
    expect((await refusal(reveal("id", { link: LINK, passphrase: null }))).code).toBe("request_timeout");
    stubFetch(() => new Response("<html>Bad Gateway</html>", { status: 502 }));
    expect((await refusal(reveal("id", { link: LINK, passphrase: null }))).code).toBe("server");
  });

  it("reads 401 passphrase_required, 404 secret_unavailable and v1's 403 wrong_proof", async () => {
    stubFetch(json(401, { error: "", code: "passphrase_required", hint: "", request_id: "", attempts_left: 10 }));
    expect((await refusal(reveal("id", { link: LINK, passphrase: null }))).code).toBe("passphrase_required");
    stubFetch(json(404, { error: "", code: "secret_unavailable", hint: "", request_id: "" }));
    expect((await refusal(reveal("id", { link: LINK, passphrase: PASS }))).status).toBe(404);
    stubFetch(json(403, { error: "", code: "wrong_proof", hint: "", request_id: "", attempts_left: 2 }));
    const v1 = await refusal(reveal("id", { link: LINK, passphrase: null }));
    expect([v1.code, v1.attemptsLeft]).toEqual(["wrong_proof", 2]);
  });
});
