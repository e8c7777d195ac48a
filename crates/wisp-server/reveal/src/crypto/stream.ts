// Owns the streaming AEAD reader (mirrors stream.rs): Tink's AES-GCM-HKDF streaming format, one segment in memory at a time.
//
//   stream = 0x28 ‖ salt (32) ‖ nonce prefix (7) ‖ C_0 ‖ … ‖ C_{n-1}
//   key    = HKDF-SHA256(ikm = payload key, salt = salt, info = payload header), 32 bytes
//   C_i    = AES-256-GCM(key, nonce = prefix ‖ BE32(i) ‖ last?1:0, segment_i)    (no GCM AAD)
//
// Ciphertext segments are `segmentSize` bytes (the first one 40 shorter: the stream header
// shares its budget) except the last, the only one with the last flag. A segment is known
// to be last when the source ends right after it, which needs a look ahead of one read.
// When a segment fails, a little extra work says why (truncated, trailing data, reordered
// or corrupted), exactly as the Rust reader does, so both report the same code.

import { asWispError, WispError } from "./errors";
import { exactCopy, writeBE32 } from "./bytes";

export const STREAM_HEADER_LEN = 40;
export const TAG_LEN = 16;
const SALT_LEN = 32;
const NONCE_PREFIX_LEN = 7;
/** How far around a failing segment's position to look for a reordered segment. */
const REORDER_SEARCH_WINDOW = 64;
const MAX_INDEX = 0xffff_ffff;

/**
 * Pulls bytes from a ReadableStream (a fetch body) without ever buffering more than the
 * chunk the network handed us, and can tell whether the stream has ended.
 */
export class ByteSource {
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private chunk: Uint8Array | null = null;
  private pos = 0;
  private ended = false;
  /** Bytes consumed so far (for progress). */
  bytesRead = 0;

  constructor(stream: ReadableStream<Uint8Array>) {
    this.reader = stream.getReader();
  }

  /** Makes sure `chunk` has unread bytes; false at end of stream. */
  private async ensure(): Promise<boolean> {
    while (this.chunk === null || this.pos >= this.chunk.length) {
      if (this.ended) return false;
      let result: ReadableStreamReadResult<Uint8Array>;
      try {
        result = await this.reader.read();
      } catch (e) {
        throw asWispError(e);
      }
      if (result.done) {
        this.ended = true;
        this.chunk = null;
        return false;
      }
      this.chunk = result.value;
      this.pos = 0;
    }
    return true;
  }

  /** Fills `buf[from..]` as far as the stream allows; returns the total filled length. */
  async fill(buf: Uint8Array, from = 0): Promise<number> {
    let filled = from;
    while (filled < buf.length && (await this.ensure())) {
      const chunk = this.chunk!;
      const n = Math.min(buf.length - filled, chunk.length - this.pos);
      buf.set(chunk.subarray(this.pos, this.pos + n), filled);
      this.pos += n;
      filled += n;
      this.bytesRead += n;
    }
    return filled;
  }

  /** Reads up to `n` bytes (fewer only at end of stream). */
  async readUpTo(n: number): Promise<Uint8Array> {
    const buf = new Uint8Array(n);
    const got = await this.fill(buf);
    return got === n ? buf : buf.slice(0, got);
  }

  /** True when no byte follows: the look ahead that tells the last segment apart. */
  async atEnd(): Promise<boolean> {
    return !(await this.ensure());
  }

  async cancel(): Promise<void> {
    this.ended = true;
    this.chunk = null;
    try {
      await this.reader.cancel();
    } catch {
      // Already errored or closed: nothing left to release.
    }
  }
}

function segmentCount(plaintextLen: number, segmentSize: number): number {
  const first = segmentSize - STREAM_HEADER_LEN - TAG_LEN;
  const rest = segmentSize - TAG_LEN;
  return plaintextLen <= first ? 1 : 1 + Math.ceil((plaintextLen - first) / rest);
}

/** Ciphertext length of a stream holding `plaintextLen` bytes. */
export function ciphertextLen(plaintextLen: number, segmentSize: number): number {
  return STREAM_HEADER_LEN + plaintextLen + segmentCount(plaintextLen, segmentSize) * TAG_LEN;
}

/**
 * Decrypts a Tink-compatible stream segment by segment, releasing only authenticated
 * plaintext and reporting the end only after the final segment authenticated.
 */
export class SegmentDecryptor {
  private index = 0;
  private finished = false;
  /** Segments the stream should have, once the plaintext length is known. */
  private expectedSegments: number | null = null;
  /** Index and ciphertext length of the final segment, once the plaintext length is known. */
  private expectedFinal: { index: number; len: number } | null = null;

  private constructor(
    private readonly source: ByteSource,
    private readonly key: CryptoKey,
    private readonly prefix: Uint8Array,
    private readonly segmentSize: number,
  ) {}

  /** Reads the 40-byte stream header and derives the segment key (HKDF, info = payload header). */
  static async create(
    payloadKey: Uint8Array,
    aad: Uint8Array,
    segmentSize: number,
    source: ByteSource,
  ): Promise<SegmentDecryptor> {
    if (segmentSize < STREAM_HEADER_LEN + TAG_LEN + 1 || segmentSize > 1 << 24) {
      throw new WispError("absurd_parameters", "the payload header asks for unacceptable parameters: segment size must be 57 bytes to 16 MiB");
    }
    const header = await source.readUpTo(STREAM_HEADER_LEN);
    if (header.length < STREAM_HEADER_LEN) {
      throw new WispError("truncated", "the payload is truncated: it ends before its final segment");
    }
    if (header[0] !== STREAM_HEADER_LEN) {
      throw new WispError("absurd_parameters", "the payload header asks for unacceptable parameters: stream header length byte must be 40");
    }
    const salt = exactCopy(header.subarray(1, 1 + SALT_LEN));
    const prefix = header.slice(1 + SALT_LEN, 1 + SALT_LEN + NONCE_PREFIX_LEN);
    const ikm = await crypto.subtle.importKey("raw", exactCopy(payloadKey), "HKDF", false, ["deriveKey"]);
    const key = await crypto.subtle.deriveKey(
      { name: "HKDF", hash: "SHA-256", salt, info: exactCopy(aad) },
      ikm,
      { name: "AES-GCM", length: 256 },
      false,
      ["decrypt"],
    );
    return new SegmentDecryptor(source, key, prefix, segmentSize);
  }

  /**
   * Tells the reader the plaintext length (known from the metadata), so a stream cut inside
   * a segment reads as `truncated` rather than a corrupted last segment, and bytes after
   * the final segment as `trailing_data`.
   */
  expectPlaintextLen(plaintextLen: number): void {
    const count = segmentCount(plaintextLen, this.segmentSize);
    const firstPt = this.segmentSize - STREAM_HEADER_LEN - TAG_LEN;
    const restPt = this.segmentSize - TAG_LEN;
    const finalPt = count === 1 ? plaintextLen : plaintextLen - firstPt - (count - 2) * restPt;
    this.expectedSegments = count;
    this.expectedFinal = { index: count - 1, len: finalPt + TAG_LEN };
  }

  get isFinished(): boolean {
    return this.finished;
  }

  private nonce(index: number, last: boolean): Uint8Array<ArrayBuffer> {
    const n = new Uint8Array(new ArrayBuffer(12));
    n.set(this.prefix, 0);
    writeBE32(n, NONCE_PREFIX_LEN, index);
    n[11] = last ? 1 : 0;
    return n;
  }

  private ciphertextSegmentLen(index: number): number {
    return index === 0 ? this.segmentSize - STREAM_HEADER_LEN : this.segmentSize;
  }

  private async decrypt(ct: Uint8Array<ArrayBuffer>, index: number, last: boolean): Promise<Uint8Array | null> {
    if (ct.length < TAG_LEN) return null;
    try {
      const pt = await crypto.subtle.decrypt({ name: "AES-GCM", iv: this.nonce(index, last), tagLength: 128 }, this.key, ct);
      return new Uint8Array(pt);
    } catch {
      return null;
    }
  }

  private async authenticates(ct: Uint8Array<ArrayBuffer>, index: number, last: boolean): Promise<boolean> {
    const pt = await this.decrypt(ct, index, last);
    pt?.fill(0);
    return pt !== null;
  }

  /** Decrypts the next segment; null once the final segment has been returned. */
  async next(): Promise<Uint8Array | null> {
    if (this.finished) return null;
    const want = this.ciphertextSegmentLen(this.index);
    const buf = new Uint8Array(new ArrayBuffer(want));
    const filled = await this.source.fill(buf);
    const last = await this.source.atEnd();
    if (filled < TAG_LEN) {
      throw new WispError("truncated", "the payload is truncated: it ends before its final segment");
    }
    const ct = filled === want ? buf : buf.slice(0, filled);
    if (this.expectedFinal !== null && this.index === this.expectedFinal.index) {
      const finalLen = this.expectedFinal.len;
      if (filled > finalLen && (await this.authenticates(ct.slice(0, finalLen), this.index, true))) {
        throw new WispError("trailing_data", "the payload has data after its final segment");
      }
      if (filled < finalLen) {
        throw new WispError("truncated", "the payload is truncated: it ends before its final segment");
      }
    }
    const pt = await this.decrypt(ct, this.index, last);
    if (pt === null) throw await this.diagnose(ct, last);
    if (last) {
      this.finished = true;
    } else {
      if (this.index >= MAX_INDEX) throw new WispError("too_large", "the payload is too large for format version 1");
      this.index += 1;
    }
    return pt;
  }

  /** Explains why segment `index` (ciphertext `ct`) failed, in stream.rs's order. */
  private async diagnose(ct: Uint8Array<ArrayBuffer>, last: boolean): Promise<WispError> {
    const i = this.index;
    const truncated = new WispError("truncated", "the payload is truncated: it ends before its final segment");
    if (last && this.expectedSegments !== null && i + 1 < this.expectedSegments) return truncated;
    if (await this.authenticates(ct, i, !last)) {
      return last ? truncated : new WispError("trailing_data", "the payload has data after its final segment");
    }
    const lo = Math.max(0, i - REORDER_SEARCH_WINDOW);
    const hi = Math.min(MAX_INDEX, i + REORDER_SEARCH_WINDOW);
    for (let j = lo; j <= hi; j++) {
      if (j === i) continue;
      if ((await this.authenticates(ct, j, false)) || (await this.authenticates(ct, j, true))) {
        return new WispError(
          "segment_out_of_order",
          `segment ${j} of the payload was found at position ${i}: segments were reordered`,
          { position: i, found: j },
        );
      }
    }
    return new WispError("segment_corrupted", `segment ${i} of the payload is corrupted (authentication failed)`, {
      index: i,
    });
  }
}
