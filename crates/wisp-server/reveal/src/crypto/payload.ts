// Owns opening a payload (mirrors payload.rs): header re-check, BE32 metadata length, metadata, exact content, zero padding.
//
//   plaintext = BE32(len(meta)) ‖ meta (UTF-8 JSON, ≤ 16 KiB) ‖ content ‖ zero padding
//
// Content is handed out as soon as its segment authenticated, but the iterator returns
// (ends) only after the final segment and the padding authenticated: a consumer treats the
// secret as complete only when iteration ends without throwing.

import { readBE32, wipe } from "./bytes";
import { WispError } from "./errors";
import {
  FIXED_HEADER_LEN,
  KEY_CHECK_LEN,
  PASSPHRASE_BLOCK_LEN,
  headerToBytes,
  headersEqual,
  paddedLen,
  parseHeader,
  type PayloadHeader,
} from "./header";
import type { DerivedKeys } from "./keys";
import { parseMetadata, type Metadata } from "./metadata";
import { ByteSource, SegmentDecryptor } from "./stream";

export const MAX_METADATA_LEN = 16 * 1024;

/** Plaintext view over the segment decryptor: whole segments in, any-size reads out. */
class PlaintextReader {
  private current: Uint8Array = new Uint8Array(0);
  private pos = 0;

  constructor(private readonly segments: SegmentDecryptor) {}

  /** Up to `max` bytes (at least one), or null at the authenticated end of the stream. */
  async readSome(max: number): Promise<Uint8Array | null> {
    while (this.pos >= this.current.length) {
      wipe(this.current);
      const next = await this.segments.next();
      if (next === null) return null;
      // An empty non-final segment is legal (only a hostile stream has one): read on.
      this.current = next;
      this.pos = 0;
    }
    const n = Math.min(max, this.current.length - this.pos);
    const out = this.current.slice(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** Exactly `n` bytes of an authenticated block; a clean end inside it is a malformed payload. */
  async readExact(n: number): Promise<Uint8Array> {
    const out = new Uint8Array(n);
    let at = 0;
    while (at < n) {
      const got = await this.readSome(n - at);
      if (got === null) throw new WispError("invalid_metadata", "the payload's metadata is invalid: payload ends inside its metadata");
      out.set(got, at);
      at += got.length;
    }
    return out;
  }

  wipe(): void {
    wipe(this.current);
  }
}

/** Reads exactly the header's bytes from the start of the payload (`PayloadHeader::read_from`). */
async function readHeader(source: ByteSource): Promise<PayloadHeader> {
  const fixed = await source.readUpTo(FIXED_HEADER_LEN);
  try {
    parseHeader(fixed);
  } catch (e) {
    // With only the fixed part present, "truncated" is the expected answer.
    if (!(e instanceof WispError && e.code === "truncated" && fixed.length === FIXED_HEADER_LEN)) throw e;
  }
  const more = ((fixed[5] ?? 0) & 1) !== 0 ? PASSPHRASE_BLOCK_LEN : 0;
  const rest = await source.readUpTo(more + KEY_CHECK_LEN);
  const all = new Uint8Array(fixed.length + rest.length);
  all.set(fixed, 0);
  all.set(rest, fixed.length);
  return parseHeader(all).header;
}

/**
 * The first plaintext bytes (the metadata length). v2's key check cannot tell a wrong
 * passphrase, so for a v2 passphrase payload the first segment's tag is where a wrong
 * passphrase shows when the payload is opened locally (payload.rs `open_after_header`). From a
 * server this does not happen: it refuses a wrong passphrase proof before releasing anything.
 */
async function firstRead(reader: PlaintextReader, header: PayloadHeader): Promise<Uint8Array> {
  try {
    return await reader.readExact(4);
  } catch (e) {
    if (e instanceof WispError && e.code === "segment_corrupted" && e.detail.index === 0 && header.version === 2 && header.passphrase) {
      throw new WispError("wrong_passphrase", "the passphrase is wrong");
    }
    throw e;
  }
}

export interface OpenedPayload {
  readonly metadata: Metadata;
  /**
   * Authenticated content chunks (each the caller's own copy). Ends normally only after the
   * final segment and the padding authenticated; throws a WispError otherwise.
   */
  content(): AsyncGenerator<Uint8Array, void, void>;
  /** Ciphertext bytes consumed so far, header included (for progress). */
  bytesRead(): number;
  /** Stops reading (the user went away): releases the network stream. */
  cancel(): Promise<void>;
}

/**
 * Opens a payload stream (the reveal response body) with keys from `unlock`, checking that
 * the payload's header is the one the keys were checked against. Reads the metadata before
 * returning, so the caller can tell text from file (and show a name) before the content.
 */
export async function openPayload(
  keys: DerivedKeys,
  header: PayloadHeader,
  body: ReadableStream<Uint8Array>,
): Promise<OpenedPayload> {
  const source = new ByteSource(body);
  try {
    const found = await readHeader(source);
    if (!headersEqual(found, header)) {
      throw new WispError("header_mismatch", "the payload does not match the header it was opened with");
    }
    const segments = await SegmentDecryptor.create(keys.payloadKey, headerToBytes(header), header.segmentSize, source);
    const reader = new PlaintextReader(segments);
    const metaLen = readBE32(await firstRead(reader, header), 0);
    if (metaLen > MAX_METADATA_LEN) {
      throw new WispError("invalid_metadata", "the payload's metadata is invalid: metadata longer than 16 KiB");
    }
    const metaBytes = await reader.readExact(metaLen);
    const metadata = parseMetadata(metaBytes);
    wipe(metaBytes);
    let padding = 0;
    if (metadata.size !== undefined) {
      const total = 4 + metaLen + metadata.size;
      segments.expectPlaintextLen(paddedLen(total));
      padding = paddedLen(total) - total;
    }
    return {
      metadata,
      content: () => content(reader, metadata.size, padding, source),
      bytesRead: () => source.bytesRead,
      cancel: () => source.cancel(),
    };
  } catch (e) {
    await source.cancel();
    throw e;
  }
}

const CHUNK = 1 << 20;

async function* content(
  reader: PlaintextReader,
  size: number | undefined,
  padding: number,
  source: ByteSource,
): AsyncGenerator<Uint8Array, void, void> {
  try {
    if (size === undefined) {
      // A source of unknown length: no padding, the content runs to the end of the stream.
      for (let chunk = await reader.readSome(CHUNK); chunk !== null; chunk = await reader.readSome(CHUNK)) {
        yield chunk;
      }
      return;
    }
    let remaining = size;
    while (remaining > 0) {
      const chunk = await reader.readSome(Math.min(remaining, CHUNK));
      if (chunk === null) {
        // Authenticated end before the declared size: a malformed payload.
        throw new WispError("invalid_metadata", "the payload's metadata is invalid: content shorter than declared");
      }
      remaining -= chunk.length;
      yield chunk;
    }
    // Exactly `padding` zero bytes must follow; any other byte or count is a buggy or
    // hostile sender. Reads to the end so truncation is still told apart.
    let seen = 0;
    for (let chunk = await reader.readSome(CHUNK); chunk !== null; chunk = await reader.readSome(CHUNK)) {
      if (chunk.some((b) => b !== 0)) throw new WispError("invalid_padding", "the payload's padding is invalid");
      seen += chunk.length;
    }
    if (seen !== padding) throw new WispError("invalid_padding", "the payload's padding is invalid");
  } catch (e) {
    await source.cancel();
    throw e;
  } finally {
    reader.wipe();
  }
}

/** Convenience for small secrets: the whole content in one buffer, after everything authenticated. */
export async function readAll(opened: OpenedPayload): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of opened.content()) {
    parts.push(chunk);
    total += chunk.length;
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
    wipe(p);
  }
  return out;
}

/** Decodes a text secret's content (payload.rs `open_text`): kind must be text, bytes UTF-8. */
export function decodeText(metadata: Metadata, bytes: Uint8Array): string {
  if (metadata.kind !== "text") {
    throw new WispError("invalid_metadata", "the payload's metadata is invalid: this secret is a file, not text");
  }
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new WispError("invalid_metadata", "the payload's metadata is invalid: text is not UTF-8");
  }
}
