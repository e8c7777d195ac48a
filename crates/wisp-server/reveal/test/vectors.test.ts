// Owns the cross-implementation check: every JSON test vector the Rust core runs, run through the browser crypto core.

import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

import { describe, expect, it } from "vitest";

import {
  combineLinks,
  headerFromBase64url,
  openPayload,
  parseHeader,
  parseLink,
  readAll,
  revealProofBase64url,
  revealVerifier,
  unlock,
  WispError,
  base64urlEncode,
  type Metadata,
} from "../src/crypto";

// Relative to the package: ../../../tests/vectors (this file lives one level down, in test/).
const VECTORS = fileURLToPath(new URL("../../../../tests/vectors/", import.meta.url));

interface PayloadVector {
  name: string;
  description: string;
  links: string[];
  passphrase: string | null;
  payload: string;
  error?: string;
  derived?: { reveal_proof: string; reveal_verifier: string; header_len: number };
  expect?: { metadata: Metadata; content_len: number; content_sha256: string; content_utf8?: string };
}

interface LinkVector {
  name: string;
  links: string[];
  error?: string;
  expect?: { base: string; secret_id: string; key: string };
}

function load<T>(file: string): T[] {
  const doc = JSON.parse(readFileSync(VECTORS + file, "utf8")) as { vectors: T[] };
  return doc.vectors;
}

const payloadVectors = load<PayloadVector>("payload_v1.json");
const linkVectors = load<LinkVector>("link_v1.json");

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

/** The client's real sequence: header first (the status API has it), key check, then the stream. */
async function openVector(v: PayloadVector, chunk: number) {
  const links = v.links.map(parseLink);
  const key = await combineLinks(links);
  const payload = new Uint8Array(Buffer.from(v.payload, "base64"));
  const { header } = parseHeader(payload);
  const keys = await unlock(key, v.passphrase, header);
  const verifier = await revealVerifier(keys.revealProof);
  const opened = await openPayload(keys, header, streamOf(payload, chunk));
  const content = await readAll(opened);
  return { metadata: opened.metadata, content, verifier, proof: revealProofBase64url(keys) };
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

describe("payload_v1.json", () => {
  it("has the vectors the Rust suite has", () => {
    expect(payloadVectors.length).toBeGreaterThanOrEqual(20);
  });

  // Whole body in one chunk, odd small chunks, and chunks straddling segment boundaries.
  for (const chunk of [0, 97, 4096 + 7]) {
    describe(`delivered in ${chunk === 0 ? "one chunk" : `${chunk}-byte chunks`}`, () => {
      for (const v of payloadVectors) {
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
          expect(got.verifier).toBe(v.derived!.reveal_verifier);
          expect(got.proof).toBe(v.derived!.reveal_proof);
        });
      }
    });
  }

  it("the status API's base64url header round-trips for every successful vector", () => {
    for (const v of payloadVectors.filter((x) => x.error === undefined)) {
      const payload = new Uint8Array(Buffer.from(v.payload, "base64"));
      const { length } = parseHeader(payload);
      expect(length).toBe(v.derived!.header_len);
      const text = base64urlEncode(payload.subarray(0, length));
      expect(headerFromBase64url(text).segmentSize).toBe(parseHeader(payload).header.segmentSize);
      expect(() => headerFromBase64url(base64urlEncode(payload.subarray(0, length + 1)))).toThrowError(
        expect.objectContaining({ code: "trailing_data" }) as Error,
      );
    }
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
