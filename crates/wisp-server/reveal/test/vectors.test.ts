// Owns the cross-implementation check: every JSON test vector the Rust core runs, run through the browser crypto core.

import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

import { describe, expect, it } from "vitest";

import {
  checkLinkKey,
  combineLinks,
  headerFromBase64url,
  linkProofBase64url,
  openPayload,
  parseHeader,
  parseLink,
  passphraseProofBase64url,
  readAll,
  revealVerifier,
  stretchPassphrase,
  unlock,
  WispError,
  base64urlEncode,
  type Argon2Fn,
  type Metadata,
} from "../src/crypto";

// Relative to the package: ../../../tests/vectors (this file lives one level down, in test/).
const VECTORS = fileURLToPath(new URL("../../../../tests/vectors/", import.meta.url));

/** v1's `derived` (debugging aids) and v2's (every value of the key schedule, docs/crypto.md). */
interface Derived {
  header_len: number;
  payload_key: string;
  // v1
  reveal_proof?: string;
  reveal_verifier?: string;
  // v2
  argon2id?: string;
  key_check?: string;
  link_proof?: string;
  link_verifier?: string;
  passphrase_proof?: string;
  passphrase_verifier?: string;
}

interface PayloadVector {
  name: string;
  description: string;
  links: string[];
  passphrase: string | null;
  payload: string;
  error?: string;
  derived?: Derived;
  expect?: { metadata: Metadata; content_len: number; content_sha256: string; content_utf8?: string };
}

interface LinkVector {
  name: string;
  links: string[];
  error?: string;
  expect?: { base: string; secret_id: string; key: string };
}

function load<T>(file: string): { format: string; vectors: T[] } {
  return JSON.parse(readFileSync(VECTORS + file, "utf8")) as { format: string; vectors: T[] };
}

const payloadFiles = [
  { file: "payload_v1.json", version: 1, doc: load<PayloadVector>("payload_v1.json") },
  { file: "payload_v2.json", version: 2, doc: load<PayloadVector>("payload_v2.json") },
] as const;
const linkVectors = load<LinkVector>("link_v1.json").vectors;

/** Feeds bytes as a fetch body would: in chunks of the given size (0 = one chunk). */
function streamOf(bytes: Uint8Array, chunk: number): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= bytes.length) {
        controller.close();
        return;
      }
      const n = chunk === 0 ? bytes.length : chunk;
      controller.enqueue(bytes.slice(at, at + n));
      at += n;
    },
  });
}

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
const payloadOf = (v: PayloadVector) => new Uint8Array(Buffer.from(v.payload, "base64"));

/** The client's real sequence: header first (the status API has it), key check, then the stream. */
async function openVector(v: PayloadVector, chunk: number) {
  const key = await combineLinks(v.links.map(parseLink));
  const payload = payloadOf(v);
  const { header } = parseHeader(payload);
  const keys = await unlock(key, v.passphrase, header);
  const opened = await openPayload(keys, header, streamOf(payload, chunk));
  const content = await readAll(opened);
  return { metadata: opened.metadata, content };
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof WispError) return e.code;
    throw e;
  }
  return "(no error)";
}

for (const { file, version, doc } of payloadFiles) {
  const vectors = doc.vectors;
  describe(file, () => {
    it("has the vectors the Rust suite has, in the format it names", () => {
      expect(doc.format).toBe(`wisp payload v${version}`);
      expect(vectors.length).toBeGreaterThanOrEqual(20);
      for (const v of vectors.filter((x) => x.error === undefined)) {
        expect(payloadOf(v)[4], v.name).toBe(version);
      }
    });

    // Whole body in one chunk, odd small chunks, and chunks straddling segment boundaries.
    for (const chunk of [0, 97, 4096 + 7]) {
      describe(`delivered in ${chunk === 0 ? "one chunk" : `${chunk}-byte chunks`}`, () => {
        for (const v of vectors) {
          if (v.error !== undefined) {
            const code = v.error;
            it(`${v.name} fails with ${code}`, async () => {
              expect(v.name.startsWith("fail_")).toBe(true);
              expect(await codeOf(openVector(v, chunk))).toBe(code);
            });
            continue;
          }
          it(`${v.name} opens`, async () => {
            const want = v.expect!;
            const got = await openVector(v, chunk);
            expect(got.metadata).toEqual(want.metadata);
            expect(got.content.length).toBe(want.content_len);
            expect(sha256(got.content)).toBe(want.content_sha256);
            if (want.content_utf8 !== undefined) {
              expect(new TextDecoder("utf-8", { fatal: true }).decode(got.content)).toBe(want.content_utf8);
            }
          });
        }
      });
    }

    // Every derived value the page computes, as the page computes it (unlock), against the vector.
    describe("derived values", () => {
      for (const v of vectors.filter((x) => x.error === undefined)) {
        it(`${v.name}`, async () => {
          const d = v.derived!;
          const key = await combineLinks(v.links.map(parseLink));
          const { header, length } = parseHeader(payloadOf(v));
          expect(length).toBe(d.header_len);
          expect(header.version).toBe(version);
          expect(header.passphrase !== null).toBe(v.passphrase !== null);
          const keys = await unlock(key, v.passphrase, header);
          expect(hex(keys.payloadKey)).toBe(d.payload_key);
          if (version === 1) {
            // v1: one proof of link and passphrase together, no separate passphrase proof.
            expect(linkProofBase64url(keys)).toBe(d.reveal_proof);
            expect(await revealVerifier(keys.linkProof)).toBe(d.reveal_verifier);
            expect(passphraseProofBase64url(keys)).toBeNull();
            return;
          }
          expect(hex(keys.keyCheck)).toBe(d.key_check);
          expect(hex(header.keyCheck)).toBe(d.key_check);
          expect(linkProofBase64url(keys)).toBe(d.link_proof);
          expect(await revealVerifier(keys.linkProof)).toBe(d.link_verifier);
          if (v.passphrase === null) {
            expect(d.passphrase_proof).toBeUndefined();
            expect(passphraseProofBase64url(keys)).toBeNull();
          } else {
            expect(passphraseProofBase64url(keys)).toBe(d.passphrase_proof);
            expect(await revealVerifier(keys.passphraseProof!)).toBe(d.passphrase_verifier);
            const stretched = await stretchPassphrase(v.passphrase, header.passphrase!);
            expect(hex(stretched)).toBe(d.argon2id);
          }
        });
      }
    });

    it("the status API's base64url header round-trips for every successful vector", () => {
      for (const v of vectors.filter((x) => x.error === undefined)) {
        const payload = payloadOf(v);
        const { length } = parseHeader(payload);
        expect(length).toBe(v.derived!.header_len);
        const text = base64urlEncode(payload.subarray(0, length));
        expect(headerFromBase64url(text)).toEqual(parseHeader(payload).header);
        expect(() => headerFromBase64url(base64urlEncode(payload.subarray(0, length + 1)))).toThrowError(
          expect.objectContaining({ code: "trailing_data" }) as Error,
        );
      }
    });
  });
}

describe("payload_v2.json: what a passphrase does and does not change (docs/crypto.md, Keys (format v2))", () => {
  const vectors = payloadFiles[1].doc.vectors;
  const byName = (name: string) => vectors.find((v) => v.name === name)!;
  const locked = byName("text_passphrase");
  const refuseArgon2: Argon2Fn = () => Promise.reject(new Error("Argon2 must not run for this"));

  it("a wrong passphrase gets the same link proof and key check, another passphrase proof and payload key", async () => {
    const key = await combineLinks(locked.links.map(parseLink));
    const { header } = parseHeader(payloadOf(locked));
    const wrong = byName("fail_wrong_passphrase");
    expect(wrong.passphrase).not.toBe(locked.passphrase);
    // Nothing public can tell a wrong v2 passphrase: unlock succeeds, the server decides.
    const keys = await unlock(key, wrong.passphrase, header);
    expect(linkProofBase64url(keys)).toBe(locked.derived!.link_proof);
    expect(hex(keys.keyCheck)).toBe(locked.derived!.key_check);
    expect(passphraseProofBase64url(keys)).not.toBe(locked.derived!.passphrase_proof);
    expect(hex(keys.payloadKey)).not.toBe(locked.derived!.payload_key);
  });

  it("the link proof is the same with or without a passphrase (it comes from the link key alone)", async () => {
    const key = await combineLinks(locked.links.map(parseLink));
    const { header } = parseHeader(payloadOf(locked));
    const keys = await unlock(key, locked.passphrase, header);
    const linkOnly = await unlock(key, null, { ...header, passphrase: null });
    expect(linkProofBase64url(linkOnly)).toBe(linkProofBase64url(keys));
    expect(hex(linkOnly.keyCheck)).toBe(locked.derived!.key_check);
  });

  it("a wrong link is told from the header before Argon2 runs (and before any passphrase is asked for)", async () => {
    const v = byName("fail_wrong_link_right_passphrase");
    const key = await combineLinks(v.links.map(parseLink));
    const { header } = parseHeader(payloadOf(v));
    expect(await codeOf(unlock(key, v.passphrase, header, refuseArgon2))).toBe("wrong_key");
    expect(await codeOf(checkLinkKey(key, header))).toBe("wrong_key");
    const right = await combineLinks(locked.links.map(parseLink));
    expect(await codeOf(checkLinkKey(right, header))).toBe("(no error)");
  });

  it("v1 with a passphrase cannot check the link alone; v1 without one can", async () => {
    const v1 = payloadFiles[0].doc.vectors;
    const lockedV1 = v1.find((v) => v.name === "text_passphrase")!;
    const { header } = parseHeader(payloadOf(lockedV1));
    const otherKey = await combineLinks(v1.find((v) => v.name === "fail_wrong_key")!.links.map(parseLink));
    // The header of a v1 passphrase secret says nothing about the link alone.
    expect(await codeOf(checkLinkKey(otherKey, header))).toBe("(no error)");
    const plain = v1.find((v) => v.name === "file_multi_segment")!;
    expect(await codeOf(checkLinkKey(otherKey, parseHeader(payloadOf(plain)).header))).toBe("wrong_key");
  });
});

describe("link_v1.json", () => {
  for (const v of linkVectors) {
    if (v.error !== undefined) {
      const code = v.error;
      it(`${v.name} fails with ${code}`, async () => {
        expect(await codeOf((async () => combineLinks(v.links.map(parseLink)))())).toBe(code);
      });
      continue;
    }
    it(`${v.name} gives the key`, async () => {
      const links = v.links.map(parseLink);
      const key = await combineLinks(links);
      expect(hex(key)).toBe(v.expect!.key);
      expect(links[0]!.base).toBe(v.expect!.base);
      expect(links[0]!.secretId).toBe(v.expect!.secret_id);
    });
  }
});
