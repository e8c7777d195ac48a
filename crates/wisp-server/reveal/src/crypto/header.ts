// Owns the public payload header: parsing with the Rust bounds, re-encoding (the stream's AAD), padding buckets.
//
//   header = "WISP" ‖ version (0x02; 0x01 read only) ‖ flags ‖ log2(segment size)
//            [‖ argon2 m KiB (BE32) ‖ t (BE32) ‖ p (BE32) ‖ salt (16)]   if flags bit 0
//            ‖ key check (16)

import { base64urlDecode, readBE32, rustTrim, writeBE32 } from "./bytes";
import { WispError } from "./errors";

export const MAGIC = new Uint8Array([0x57, 0x49, 0x53, 0x50]); // "WISP"
/** The format new secrets are written in. The page reads both; the version byte selects the key schedule. */
export const VERSION = 2;
export type FormatVersion = 1 | 2;
export const KEY_CHECK_LEN = 16;
export const PASSPHRASE_SALT_LEN = 16;
export const FIXED_HEADER_LEN = 7;
export const PASSPHRASE_BLOCK_LEN = 12 + PASSPHRASE_SALT_LEN;
export const MAX_HEADER_LEN = FIXED_HEADER_LEN + PASSPHRASE_BLOCK_LEN + KEY_CHECK_LEN;
const FLAG_PASSPHRASE = 0b0000_0001;

/** Bounds a crafted header cannot exceed (keys.rs `KdfParams`): a link must not exhaust a phone. */
export const MAX_M_COST_KIB = 1024 * 1024;
export const MAX_T_COST = 10;
export const MAX_P_COST = 16;

export interface KdfParams {
  /** Memory in KiB. */
  readonly mCostKib: number;
  /** Passes. */
  readonly tCost: number;
  /** Lanes. */
  readonly pCost: number;
}

export interface PassphraseParams {
  readonly kdf: KdfParams;
  readonly salt: Uint8Array;
}

export interface PayloadHeader {
  /** Key schedule (keys.ts): v1 mixes the passphrase into everything, v2 keeps the link and passphrase proofs apart. */
  readonly version: FormatVersion;
  readonly passphrase: PassphraseParams | null;
  readonly segmentSize: number;
  readonly keyCheck: Uint8Array;
}

function absurd(why: string): WispError {
  return new WispError("absurd_parameters", `the payload header asks for unacceptable parameters: ${why}`);
}

function truncated(): WispError {
  return new WispError("truncated", "the payload is truncated: it ends before its final segment");
}

function notAPayload(): WispError {
  return new WispError("not_a_payload", "this is not a Wisp payload");
}

/** Same order of checks as `KdfParams::check`. */
export function checkKdfParams(kdf: KdfParams): void {
  if (kdf.pCost === 0 || kdf.pCost > MAX_P_COST) throw absurd("argon2 lanes must be 1..=16");
  if (kdf.tCost === 0 || kdf.tCost > MAX_T_COST) throw absurd("argon2 passes must be 1..=10");
  if (kdf.mCostKib < 8 * kdf.pCost || kdf.mCostKib > MAX_M_COST_KIB) {
    throw absurd("argon2 memory must be 8 KiB per lane up to 1 GiB");
  }
}

/** Parses a header from the start of `bytes`; returns it and its length. */
export function parseHeader(bytes: Uint8Array): { header: PayloadHeader; length: number } {
  if (bytes.length < MAGIC.length) {
    const prefixOfMagic = bytes.every((b, i) => b === MAGIC[i]);
    throw prefixOfMagic ? truncated() : notAPayload();
  }
  if (!MAGIC.every((b, i) => bytes[i] === b)) throw notAPayload();
  if (bytes.length < FIXED_HEADER_LEN) throw truncated();
  const version = bytes[4] ?? 0;
  if (version !== 1 && version !== 2) {
    throw new WispError("unsupported_version", `format version ${version} is not supported by this version of Wisp`, {
      version,
    });
  }
  const flags = bytes[5] ?? 0;
  if ((flags & ~FLAG_PASSPHRASE) !== 0) throw absurd("unknown header flags");
  const log2 = bytes[6] ?? 0;
  if (log2 < 12 || log2 > 24) throw absurd("segment size must be 4 KiB to 16 MiB");
  const segmentSize = 2 ** log2;
  let at = FIXED_HEADER_LEN;
  let passphrase: PassphraseParams | null = null;
  if ((flags & FLAG_PASSPHRASE) !== 0) {
    if (bytes.length < at + PASSPHRASE_BLOCK_LEN) throw truncated();
    const kdf: KdfParams = {
      mCostKib: readBE32(bytes, at),
      tCost: readBE32(bytes, at + 4),
      pCost: readBE32(bytes, at + 8),
    };
    checkKdfParams(kdf);
    passphrase = { kdf, salt: bytes.slice(at + 12, at + PASSPHRASE_BLOCK_LEN) };
    at += PASSPHRASE_BLOCK_LEN;
  }
  if (bytes.length < at + KEY_CHECK_LEN) throw truncated();
  const keyCheck = bytes.slice(at, at + KEY_CHECK_LEN);
  at += KEY_CHECK_LEN;
  return { header: { version, passphrase, segmentSize, keyCheck }, length: at };
}

/** Parses the status API's `header` field (base64url of exactly one header). */
export function headerFromBase64url(text: string): PayloadHeader {
  const bytes = base64urlDecode(rustTrim(text));
  if (bytes === null) throw notAPayload();
  const { header, length } = parseHeader(bytes);
  if (length !== bytes.length) {
    throw new WispError("trailing_data", "the payload has data after its final segment");
  }
  return header;
}

export function headerLength(header: PayloadHeader): number {
  return FIXED_HEADER_LEN + (header.passphrase ? PASSPHRASE_BLOCK_LEN : 0) + KEY_CHECK_LEN;
}

/** Serialises the header: these exact bytes are the stream's associated data. */
export function headerToBytes(header: PayloadHeader): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(new ArrayBuffer(headerLength(header)));
  out.set(MAGIC, 0);
  out[4] = header.version;
  out[5] = header.passphrase ? FLAG_PASSPHRASE : 0;
  out[6] = Math.log2(header.segmentSize);
  let at = FIXED_HEADER_LEN;
  if (header.passphrase) {
    writeBE32(out, at, header.passphrase.kdf.mCostKib);
    writeBE32(out, at + 4, header.passphrase.kdf.tCost);
    writeBE32(out, at + 8, header.passphrase.kdf.pCost);
    out.set(header.passphrase.salt, at + 12);
    at += PASSPHRASE_BLOCK_LEN;
  }
  out.set(header.keyCheck, at);
  return out;
}

export function headersEqual(a: PayloadHeader, b: PayloadHeader): boolean {
  const x = headerToBytes(a);
  const y = headerToBytes(b);
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

const SMALL_BUCKET = 1024;
const SMALL_LIMIT = 64 * 1024;
const LARGE_BUCKET = 64 * 1024;

/** Plaintext length after padding `len` bytes to their bucket (payload.rs `padded_len`). */
export function paddedLen(len: number): number {
  if (len <= SMALL_LIMIT) return Math.max(1, Math.ceil(len / SMALL_BUCKET)) * SMALL_BUCKET;
  return Math.ceil(len / LARGE_BUCKET) * LARGE_BUCKET;
}
