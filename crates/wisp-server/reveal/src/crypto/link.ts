// Owns share links: URL and fragment parsing, secret ids, and recombining split-link parts (mirrors link.rs).
//
//   https://HOST[/prefix]/s/SECRET_ID#FRAGMENT
//   FRAGMENT = base64url(0x01 ‖ 0x00 ‖ link key (32))                                     whole key
//            = base64url(0x01 ‖ 0x01 ‖ K ‖ N ‖ ordinal ‖ split id (4) ‖ share (32 ‖ x))   one part

import { combine } from "shamir-secret-sharing";

import { base64urlDecode, rustTrim } from "./bytes";
import { WispError } from "./errors";

export const FRAGMENT_VERSION = 1;
export const MIN_PARTS = 2;
export const MAX_PARTS = 10;
export const LINK_KEY_LEN = 32;

const KIND_KEY = 0;
const KIND_PART = 1;
const SHARE_LEN = LINK_KEY_LEN + 1;
const SPLIT_ID_LEN = 4;
const KEY_FRAGMENT_LEN = 2 + LINK_KEY_LEN;
const PART_FRAGMENT_LEN = 5 + SPLIT_ID_LEN + SHARE_LEN;

export interface LinkPart {
  /** Parts needed to open (K). */
  readonly needed: number;
  /** Parts made (N). */
  readonly total: number;
  /** 1-based number of this part, for display ("part 2 of 3"). */
  readonly ordinal: number;
  /** Random id common to the parts of one split. */
  readonly splitId: Uint8Array;
  /** `y-bytes (32) ‖ x`, the shamir-secret-sharing layout. */
  readonly share: Uint8Array;
}

export type LinkSecret =
  | { readonly kind: "key"; readonly key: Uint8Array }
  | { readonly kind: "part"; readonly part: LinkPart };

export interface Link {
  /** Server base URL, e.g. `https://wisp.example` or `https://h.example/prefix`. */
  readonly base: string;
  readonly secretId: string;
  readonly secret: LinkSecret;
}

const NO_KEY = "the link has no key: copy the whole link, including the part after #";

function invalidLink(why: string): WispError {
  return new WispError("invalid_link", `invalid link: ${why}`);
}

function invalidPart(why: string): WispError {
  return new WispError("invalid_part", `invalid link part: ${why}`);
}

function checkSplit(needed: number, total: number): void {
  if (needed < MIN_PARTS || total < needed || total > MAX_PARTS) {
    throw new WispError(
      "invalid_split",
      `cannot split into ${total} parts with ${needed} needed: use 2 ≤ needed ≤ parts ≤ 10`,
    );
  }
}

/** Validates a secret id: 16 to 64 base64url characters (servers issue ≥128 random bits). */
export function parseSecretId(text: string): string {
  const okLen = text.length >= 16 && text.length <= 64;
  if (!okLen || !/^[A-Za-z0-9_-]*$/.test(text)) {
    throw invalidLink("the secret id in the link is malformed");
  }
  return text;
}

/** Decodes a fragment, with or without its leading `#`. */
export function parseFragment(fragment: string): LinkSecret {
  const text = rustTrim(fragment).replace(/^#+/, "");
  if (text === "") throw invalidLink(NO_KEY);
  // Rust measures bytes; a non-ASCII fragment is refused either way (not base64url).
  if (new TextEncoder().encode(text).length > 128) throw invalidLink("the part after # is too long");
  const bytes = base64urlDecode(text);
  if (bytes === null) throw invalidLink("the part after # is damaged (not base64url)");
  const version = bytes[0];
  if (version === undefined) throw invalidLink("the link has no key");
  if (version !== FRAGMENT_VERSION) {
    throw new WispError(
      "unsupported_version",
      `format version ${version} is not supported by this version of Wisp`,
      { version },
    );
  }
  const kind = bytes[1];
  if (kind === KIND_KEY && bytes.length === KEY_FRAGMENT_LEN) {
    return { kind: "key", key: bytes.slice(2) };
  }
  if (kind === KIND_PART && bytes.length === PART_FRAGMENT_LEN) {
    const part = partFromShare(
      bytes[2] ?? 0,
      bytes[3] ?? 0,
      bytes[4] ?? 0,
      bytes.slice(5, 5 + SPLIT_ID_LEN),
      bytes.slice(5 + SPLIT_ID_LEN),
    );
    bytes.fill(0);
    return { kind: "part", part };
  }
  if (kind === KIND_KEY || kind === KIND_PART) {
    throw invalidLink("the part after # has the wrong length: was the link cut?");
  }
  throw invalidLink("unknown link kind");
}

function partFromShare(
  needed: number,
  total: number,
  ordinal: number,
  splitId: Uint8Array,
  share: Uint8Array,
): LinkPart {
  checkSplit(needed, total);
  if (ordinal === 0 || ordinal > total) throw invalidPart("part number out of range");
  if (share.length !== SHARE_LEN) throw invalidPart("share must be 33 bytes");
  if (share[LINK_KEY_LEN] === 0) throw invalidPart("share has x-coordinate 0");
  return { needed, total, ordinal, splitId, share };
}

function checkBase(base: string): void {
  let rest: string;
  if (base.startsWith("https://")) rest = base.slice("https://".length);
  else if (base.startsWith("http://")) rest = base.slice("http://".length);
  else throw invalidLink("a Wisp link starts with https://");
  const host = rest.split("/")[0] ?? "";
  if (host === "" || /[@ \\]/.test(host)) throw invalidLink("the link has no valid host");
}

/** Parses `https://HOST[/prefix]/s/SECRET_ID#FRAGMENT` (also `http://`), in Rust's order of checks. */
export function parseLink(url: string): Link {
  const trimmed = rustTrim(url);
  const hash = trimmed.indexOf("#");
  if (hash < 0) throw invalidLink(NO_KEY);
  let location = trimmed.slice(0, hash);
  const fragment = trimmed.slice(hash + 1);
  const query = location.indexOf("?");
  if (query >= 0) location = location.slice(0, query);
  location = location.replace(/\/+$/, "");
  const at = location.lastIndexOf("/s/");
  if (at < 0) throw invalidLink("this is not a Wisp link (no /s/ in it)");
  const base = location.slice(0, at);
  checkBase(base);
  const secretId = parseSecretId(location.slice(at + 3));
  return { base, secretId, secret: parseFragment(fragment) };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/**
 * Recombines parts into the link key: at least K distinct parts of one split. The checks
 * run in link.rs's order so the same set of parts fails with the same code.
 */
export async function combineParts(parts: readonly LinkPart[]): Promise<Uint8Array> {
  const first = parts[0];
  if (first === undefined) {
    throw new WispError("not_enough_parts", `${MIN_PARTS} parts of this link are needed to open it, 0 given`, {
      needed: MIN_PARTS,
      have: 0,
    });
  }
  const distinct: LinkPart[] = [];
  for (const part of parts) {
    if (part.needed !== first.needed || part.total !== first.total || !sameBytes(part.splitId, first.splitId)) {
      throw new WispError("parts_mismatch", "these parts do not belong to the same split link");
    }
    const seen = distinct.find(
      (p) => p.share[LINK_KEY_LEN] === part.share[LINK_KEY_LEN] || p.ordinal === part.ordinal,
    );
    if (seen !== undefined) {
      // The same part twice is a harmless slip; a different part with the same number or
      // x-coordinate means parts of different splits were mixed.
      if (!sameBytes(seen.share, part.share)) {
        throw new WispError("parts_mismatch", "these parts do not belong to the same split link");
      }
      throw new WispError("duplicate_part", `part ${part.ordinal} was given more than once`, {
        ordinal: part.ordinal,
      });
    }
    distinct.push(part);
  }
  if (distinct.length < first.needed) {
    throw new WispError(
      "not_enough_parts",
      `${first.needed} parts of this link are needed to open it, ${distinct.length} given`,
      { needed: first.needed, have: distinct.length },
    );
  }
  // The audited package does the interpolation; copies so it never holds our buffers.
  const key = await combine(distinct.map((p) => p.share.slice()));
  if (key.length !== LINK_KEY_LEN) throw new WispError("parts_mismatch", "these parts do not belong to the same split link");
  return key;
}

/** Recombines the key from links; they must point at the same secret on the same server. */
export async function combineLinks(links: readonly Link[]): Promise<Uint8Array> {
  const first = links[0];
  if (first === undefined) {
    throw new WispError("not_enough_parts", `${MIN_PARTS} parts of this link are needed to open it, 0 given`, {
      needed: MIN_PARTS,
      have: 0,
    });
  }
  const parts: LinkPart[] = [];
  for (const link of links) {
    if (link.secretId !== first.secretId || link.base !== first.base) {
      throw new WispError("parts_mismatch", "these parts do not belong to the same split link");
    }
    if (link.secret.kind === "key") return link.secret.key.slice();
    parts.push(link.secret.part);
  }
  return combineParts(parts);
}
