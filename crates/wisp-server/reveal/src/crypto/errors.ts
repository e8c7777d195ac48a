// Owns WispError: the one error type of the browser crypto core, with the same stable codes as the Rust `Error::code()`.

/**
 * Stable, snake_case failure codes. They are part of Wisp's public contract (test vectors,
 * CLI JSON, IPC) and are identical to `wisp_crypto::Error::code()`, so a failure means the
 * same thing whichever implementation reports it.
 */
export const ERROR_CODES = [
  "not_a_payload",
  "unsupported_version",
  "absurd_parameters",
  "truncated",
  "trailing_data",
  "segment_out_of_order",
  "segment_corrupted",
  "too_large",
  "wrong_key",
  "passphrase_required",
  "wrong_passphrase",
  "invalid_metadata",
  "invalid_padding",
  "content_length",
  "header_mismatch",
  "invalid_link",
  "invalid_part",
  "invalid_split",
  "not_enough_parts",
  "duplicate_part",
  "parts_mismatch",
  "kdf",
  "io",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** Extra facts some failures carry, for friendlier messages ("2 parts needed, 1 given"). */
export interface ErrorDetail {
  needed?: number;
  have?: number;
  ordinal?: number;
  index?: number;
  position?: number;
  found?: number;
  version?: number;
}

export class WispError extends Error {
  readonly code: ErrorCode;
  readonly detail: ErrorDetail;

  constructor(code: ErrorCode, message: string, detail: ErrorDetail = {}) {
    super(message);
    this.name = "WispError";
    this.code = code;
    this.detail = detail;
  }
}

export function isWispError(e: unknown): e is WispError {
  return e instanceof WispError;
}

/**
 * Turns anything thrown below us (a network failure while streaming, a WebCrypto
 * OperationError) into a WispError, as Rust's `Error::from_io` does: a broken connection
 * reads as `io`, never as a crash.
 */
export function asWispError(e: unknown): WispError {
  if (e instanceof WispError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new WispError("io", `I/O error: ${message}`);
}
