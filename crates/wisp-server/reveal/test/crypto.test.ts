// Owns unit tests of the crypto core's edges that the JSON vectors do not reach: strict decoding, bounds, diagnostics.

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

import { describe, expect, it } from "vitest";

import { base64urlDecode, base64urlEncode, headerFromBase64url, openPayload, paddedLen, parseFragment, parseHeader, parseLink, parseMetadata, readAll, unlock, combineLinks } from "../src/crypto";

const enc = (s: string) => new TextEncoder().encode(s);
const codeOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return (e as { code?: string }).code ?? "not a WispError";
  }
  return "(no error)";
};

describe("base64url is as strict as Rust's URL_SAFE_NO_PAD", () => {
  it("round-trips", () => {
    for (let n = 0; n < 40; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 0xff);
      expect(base64urlDecode(base64urlEncode(bytes))).toEqual(bytes);
    }
  });
  it("refuses padding, other alphabets, impossible lengths and non-zero trailing bits", () => {
    expect(base64urlDecode("AQ==")).toBeNull();
    expect(base64urlDecode("A+/B")).toBeNull();
    expect(base64urlDecode("AQA A")).toBeNull();
    expect(base64urlDecode("AQAAA")).toBeNull();
    expect(base64urlDecode("AR")).toBeNull(); // 'R' leaves non-zero trailing bits
    expect(base64urlDecode("AQ")).toEqual(new Uint8Array([1]));
  });
});

describe("links", () => {
  it("says what is wrong like link.rs", () => {
    const id = "AbCdEfGhIjKlMnOpQrStUv";
    expect(codeOf(() => parseLink(`https://h.example/s/${id}`))).toBe("invalid_link");
    expect(codeOf(() => parseLink(`https://h.example/s/${id}#`))).toBe("invalid_link");
    expect(codeOf(() => parseLink(`ftp://h.example/s/${id}#AQAA`))).toBe("invalid_link");
    expect(codeOf(() => parseLink(`https://u@h.example/s/${id}#AQAA`))).toBe("invalid_link");
    expect(codeOf(() => parseFragment("AgA"))).toBe("unsupported_version");
    expect(codeOf(() => parseFragment("#".repeat(3) + "A".repeat(129)))).toBe("invalid_link");
  });
  it("an empty set of links needs parts", async () => {
    await expect(combineLinks([])).rejects.toMatchObject({ code: "not_enough_parts" });
  });
});

describe("payload header bounds", () => {
  const base = (flags: number, log2: number) => new Uint8Array([0x57, 0x49, 0x53, 0x50, 1, flags, log2]);
  it("refuses unknown flags and segment sizes outside 4 KiB..16 MiB", () => {
    expect(codeOf(() => parseHeader(base(2, 16)))).toBe("absurd_parameters");
    expect(codeOf(() => parseHeader(base(0, 11)))).toBe("absurd_parameters");
    expect(codeOf(() => parseHeader(base(0, 25)))).toBe("absurd_parameters");
    expect(codeOf(() => parseHeader(base(0, 16)))).toBe("truncated");
    expect(codeOf(() => parseHeader(new Uint8Array([0x57, 0x49])))).toBe("truncated");
    expect(codeOf(() => parseHeader(new Uint8Array([0x50])))).toBe("not_a_payload");
    expect(codeOf(() => parseHeader(new Uint8Array()))).toBe("truncated");
  });
  it("bounds Argon2 (m ≤ 1 GiB, t ≤ 10, 1 ≤ p ≤ 16, m ≥ 8p)", () => {
    const withKdf = (m: number, t: number, p: number) => {
      const b = new Uint8Array(7 + 28 + 16);
      b.set(base(1, 16));
      const v = new DataView(b.buffer);
      v.setUint32(7, m);
      v.setUint32(11, t);
      v.setUint32(15, p);
      return b;
    };
    expect(codeOf(() => parseHeader(withKdf(1024 * 1024, 10, 16)))).toBe("(no error)");
    expect(codeOf(() => parseHeader(withKdf(1024 * 1024 + 1, 1, 1)))).toBe("absurd_parameters");
    expect(codeOf(() => parseHeader(withKdf(1024, 11, 1)))).toBe("absurd_parameters");
    expect(codeOf(() => parseHeader(withKdf(1024, 1, 0)))).toBe("absurd_parameters");
    expect(codeOf(() => parseHeader(withKdf(1024, 1, 17)))).toBe("absurd_parameters");
    expect(codeOf(() => parseHeader(withKdf(15, 1, 2)))).toBe("absurd_parameters");
  });
  it("status header: not base64url is not a payload", () => {
    expect(codeOf(() => headerFromBase64url("!!"))).toBe("not_a_payload");
  });
});

describe("padding buckets (payload.rs padded_len)", () => {
  it("rounds to 1 KiB up to 64 KiB, then to 64 KiB", () => {
    expect(paddedLen(0)).toBe(1024);
    expect(paddedLen(1)).toBe(1024);
    expect(paddedLen(1024)).toBe(1024);
    expect(paddedLen(1025)).toBe(2048);
    expect(paddedLen(65536)).toBe(65536);
    expect(paddedLen(65537)).toBe(131072);
  });
});

describe("metadata is read with serde's rules", () => {
  const ok = (s: string) => parseMetadata(enc(s));
  const bad = (s: string) => codeOf(() => parseMetadata(enc(s)));
  it("accepts what serde accepts", () => {
    expect(ok('{"kind":"text","type":"text/plain","size":28}')).toEqual({ kind: "text", type: "text/plain", size: 28 });
    expect(ok(' {"kind":"file","name":null,"size":-0,"extra":[1,{"a":2.5e3}]} ')).toEqual({ kind: "file", size: 0 });
    expect(ok('{"kind":"file","name":"\\ud83d\\udd11.txt"}')).toEqual({ kind: "file", name: "🔑.txt" });
  });
  it("refuses what serde refuses", () => {
    expect(bad('{"kind":"text","kind":"file"}')).toBe("invalid_metadata");
    expect(bad('{"kind":"text","size":28.0}')).toBe("invalid_metadata");
    expect(bad('{"kind":"text","size":1e3}')).toBe("invalid_metadata");
    expect(bad('{"kind":"text","size":-1}')).toBe("invalid_metadata");
    expect(bad('{"kind":"text","size":"28"}')).toBe("invalid_metadata");
    expect(bad('{"kind":"image"}')).toBe("invalid_metadata");
    expect(bad('{"size":1}')).toBe("invalid_metadata");
    expect(bad('\ufeff{"kind":"text"}')).toBe("invalid_metadata");
    expect(bad('{"kind":"file","name":"\\ud83d"}')).toBe("invalid_metadata");
    expect(bad('{"kind":"text"} x')).toBe("invalid_metadata");
    expect(bad('{"kind":"text",}')).toBe("invalid_metadata");
    expect(bad("[" .repeat(200) + "]".repeat(200))).toBe("invalid_metadata");
    expect(codeOf(() => parseMetadata(new Uint8Array([0x7b, 0xff, 0x7d])))).toBe("invalid_metadata");
  });
});

describe("stream diagnostics beyond the vectors", () => {
  const VECTORS = fileURLToPath(new URL("../../../../tests/vectors/", import.meta.url));
  const doc = JSON.parse(readFileSync(VECTORS + "payload_v1.json", "utf8")) as { vectors: { name: string; links: string[]; payload: string }[] };
  const file = doc.vectors.find((v) => v.name === "file_multi_segment")!;
  const good = new Uint8Array(Buffer.from(file.payload, "base64"));

  async function open(bytes: Uint8Array): Promise<string> {
    const key = await combineLinks(file.links.map(parseLink));
    const { header } = parseHeader(bytes);
    const keys = await unlock(key, null, header);
    try {
      await readAll(await openPayload(keys, header, new Blob([bytes as Uint8Array<ArrayBuffer>]).stream()));
    } catch (e) {
      return (e as { code: string }).code;
    }
    return "(no error)";
  }

  it("opens the good payload from a Blob stream", async () => {
    expect(await open(good)).toBe("(no error)");
  });
  it("a cut exactly at a segment boundary is truncated, a cut inside the header too", async () => {
    expect(await open(good.slice(0, 23 + 4096 + 4096))).toBe("truncated");
    expect(await open(good.slice(0, 23 + 20))).toBe("truncated");
    expect(await open(good.slice(0, 23))).toBe("truncated");
  });
  it("a body whose header differs from the status header is a header mismatch", async () => {
    const key = await combineLinks(file.links.map(parseLink));
    const { header } = parseHeader(good);
    const keys = await unlock(key, null, header);
    const other = good.slice();
    other[6] = 13;
    await expect(openPayload(keys, header, new Blob([other]).stream())).rejects.toMatchObject({ code: "header_mismatch" });
  });
  it("a flipped bit in the last segment is corrupted, dropping the last segment is truncated", async () => {
    const flipped = good.slice();
    flipped[flipped.length - 5]! ^= 1;
    expect(await open(flipped)).toBe("segment_corrupted");
    const last = 23 + 4096 + 2 * 4096;
    expect(await open(good.slice(0, last))).toBe("truncated");
  });
});
