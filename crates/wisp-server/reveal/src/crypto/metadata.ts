// Owns the encrypted metadata block: a strict JSON reader that accepts exactly what serde_json + payload.rs's `Metadata` accept.
//
// JSON.parse alone would be laxer than the Rust reader (duplicate keys, `28.0` as a size,
// lone surrogates, a BOM), and a hostile sender could then show different metadata to
// browser and desktop recipients. So the few top-level fields are read by a small parser
// that follows serde's rules; everything it refuses is `invalid_metadata`.

import { WispError } from "./errors";

export type ContentKind = "text" | "file";

export interface Metadata {
  kind: ContentKind;
  /** File name as the sender had it. Sanitise before saving. */
  name?: string;
  /** Media type, e.g. `text/plain; charset=utf-8`. */
  type?: string;
  /** Exact content size; absent for a source of unknown length (no padding then). */
  size?: number;
}

function invalid(why: string): WispError {
  return new WispError("invalid_metadata", `the payload's metadata is invalid: ${why}`);
}

type Json = { t: "null" } | { t: "bool" } | { t: "num"; raw: string } | { t: "str"; v: string } | { t: "arr" } | { t: "obj" };

/** serde_json's default recursion limit. */
const MAX_DEPTH = 128;

class Parser {
  private at = 0;
  constructor(private readonly s: string) {}

  parseTop(): Map<string, Json[]> {
    this.ws();
    if (this.s[this.at] !== "{") throw invalid("expected a JSON object");
    const fields = this.object(1, true);
    this.ws();
    if (this.at !== this.s.length) throw invalid("trailing characters");
    return fields ?? new Map<string, Json[]>();
  }

  private ws(): void {
    while (this.at < this.s.length && " \t\n\r".includes(this.s[this.at]!)) this.at++;
  }

  private value(depth: number): Json {
    this.ws();
    const c = this.s[this.at];
    if (c === "{") {
      this.object(depth + 1, false);
      return { t: "obj" };
    }
    if (c === "[") {
      this.array(depth + 1);
      return { t: "arr" };
    }
    if (c === '"') return { t: "str", v: this.string() };
    if (c === "t" || c === "f" || c === "n") {
      for (const word of ["true", "false", "null"]) {
        if (this.s.startsWith(word, this.at)) {
          this.at += word.length;
          return word === "null" ? { t: "null" } : { t: "bool" };
        }
      }
      throw invalid("unexpected token");
    }
    return { t: "num", raw: this.number() };
  }

  private object(depth: number, top: boolean): Map<string, Json[]> | null {
    if (depth > MAX_DEPTH) throw invalid("recursion limit exceeded");
    const fields = top ? new Map<string, Json[]>() : null;
    this.at++; // {
    this.ws();
    if (this.s[this.at] === "}") {
      this.at++;
      return fields;
    }
    for (;;) {
      this.ws();
      if (this.s[this.at] !== '"') throw invalid("expected a key");
      const key = this.string();
      this.ws();
      if (this.s[this.at] !== ":") throw invalid("expected ':'");
      this.at++;
      const v = this.value(depth);
      if (fields) fields.set(key, [...(fields.get(key) ?? []), v]);
      this.ws();
      const c = this.s[this.at++];
      if (c === "}") return fields;
      if (c !== ",") throw invalid("expected ',' or '}'");
    }
  }

  private array(depth: number): void {
    if (depth > MAX_DEPTH) throw invalid("recursion limit exceeded");
    this.at++; // [
    this.ws();
    if (this.s[this.at] === "]") {
      this.at++;
      return;
    }
    for (;;) {
      this.value(depth);
      this.ws();
      const c = this.s[this.at++];
      if (c === "]") return;
      if (c !== ",") throw invalid("expected ',' or ']'");
    }
  }

  private number(): string {
    const re = /-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/y;
    re.lastIndex = this.at;
    const m = re.exec(this.s);
    if (!m) throw invalid("unexpected token");
    this.at += m[0].length;
    return m[0];
  }

  private string(): string {
    this.at++; // "
    let out = "";
    for (;;) {
      const c = this.s[this.at++];
      if (c === undefined) throw invalid("unterminated string");
      if (c === '"') return out;
      if (c < " ") throw invalid("control character in string");
      if (c !== "\\") {
        out += c;
        continue;
      }
      const e = this.s[this.at++];
      const simple: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
      if (e !== undefined && e in simple) {
        out += simple[e];
        continue;
      }
      if (e !== "u") throw invalid("invalid escape");
      const hi = this.hex4();
      if (hi >= 0xdc00 && hi <= 0xdfff) throw invalid("lone trailing surrogate");
      if (hi >= 0xd800 && hi <= 0xdbff) {
        // serde_json refuses lone surrogates in strings it deserialises.
        if (this.s[this.at] !== "\\" || this.s[this.at + 1] !== "u") throw invalid("lone leading surrogate");
        this.at += 2;
        const lo = this.hex4();
        if (lo < 0xdc00 || lo > 0xdfff) throw invalid("lone leading surrogate");
        out += String.fromCharCode(hi, lo);
      } else {
        out += String.fromCharCode(hi);
      }
    }
  }

  private hex4(): number {
    const h = this.s.slice(this.at, this.at + 4);
    if (!/^[0-9a-fA-F]{4}$/.test(h)) throw invalid("invalid \\u escape");
    this.at += 4;
    return parseInt(h, 16);
  }
}

function optionalString(field: string, v: Json | undefined): string | undefined {
  if (v === undefined || v.t === "null") return undefined;
  if (v.t !== "str") throw invalid(`${field} must be a string`);
  return v.v;
}

/**
 * Parses the metadata bytes. `size` follows serde's u64 rules: an integer token (no
 * fraction or exponent), not negative (`-0` is 0). Sizes beyond 2^53 cannot be real
 * (8 PiB) and are refused here; Rust refuses them too, only later.
 */
export function parseMetadata(bytes: Uint8Array): Metadata {
  let text: string;
  try {
    // ignoreBOM keeps a BOM in the text, so it is refused like serde_json refuses it.
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw invalid("not UTF-8");
  }
  const fields = new Parser(text).parseTop();
  for (const known of ["kind", "name", "type", "size"]) {
    if ((fields.get(known)?.length ?? 0) > 1) throw invalid(`duplicate field \`${known}\``);
  }
  const kind = fields.get("kind")?.[0];
  if (kind === undefined) throw invalid("missing field `kind`");
  if (kind.t !== "str" || (kind.v !== "text" && kind.v !== "file")) {
    throw invalid("kind must be \"text\" or \"file\"");
  }
  const meta: Metadata = { kind: kind.v };
  const name = optionalString("name", fields.get("name")?.[0]);
  if (name !== undefined) meta.name = name;
  const type = optionalString("type", fields.get("type")?.[0]);
  if (type !== undefined) meta.type = type;
  const size = fields.get("size")?.[0];
  if (size !== undefined && size.t !== "null") {
    if (size.t !== "num" || !/^-?[0-9]+$/.test(size.raw)) throw invalid("size must be an unsigned integer");
    if (size.raw.startsWith("-") && size.raw !== "-0") throw invalid("size must not be negative");
    const n = Number(size.raw);
    if (!Number.isSafeInteger(n)) throw invalid("size is out of range");
    meta.size = Math.abs(n);
  }
  return meta;
}
