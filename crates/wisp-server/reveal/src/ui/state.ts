// Owns the page's pure logic (no DOM, unit-tested): routing, split-part collection, file names, error wording, status facts.

import { combineLinks, parseFragment, parseLink, type ErrorCode, type Link, type LinkPart, WispError } from "../crypto";
import { formatDateTime, formatRelative, formatSize } from "./format";
import type { Lang, Messages, PageCode } from "./i18n";

/** The secret id from `/s/{id}` (the server may mount the page under a prefix). */
export function secretIdFromPath(pathname: string): string | null {
  const m = /\/s\/([^/]+)\/?$/.exec(pathname);
  if (!m?.[1]) return null;
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return null;
  }
}

/** `https://host[/prefix]`: the base the page's own link had, to compare pasted links with. */
export function baseFromLocation(origin: string, pathname: string): string {
  const at = pathname.lastIndexOf("/s/");
  return origin + (at > 0 ? pathname.slice(0, at) : "");
}

// ---------------------------------------------------------------------------------------
// Split links: collecting parts as they are pasted.

export type PartLine =
  | { line: number; kind: "added"; ordinal: number }
  | { line: number; kind: "duplicate"; ordinal: number }
  | { line: number; kind: "wholeKey" }
  | { line: number; kind: "notALink" }
  | { line: number; kind: "damaged" }
  | { line: number; kind: "otherSecret" }
  | { line: number; kind: "otherSplit" };

export interface PartsState {
  readonly needed: number;
  readonly total: number;
  /** Ordinals held, the page's own part included, ascending. */
  readonly have: readonly number[];
  readonly missing: number;
  /** Feedback for each non-empty pasted line. */
  readonly lines: readonly PartLine[];
  /** True when the key can be recombined (enough parts, or a whole-key link for this secret). */
  readonly ready: boolean;
}

/**
 * Validates pasted part links against the page's own part, line by line, so the user sees
 * at once which parts they have and why a line is refused. Recombining is left to the
 * crypto core (`combineLinks`), which re-checks everything.
 */
export class PartsCollector {
  private accepted: Link[] = [];
  private whole: Link | null = null;
  private state: PartsState;

  constructor(private readonly own: Link & { secret: { kind: "part"; part: LinkPart } }) {
    this.state = this.evaluate("");
  }

  get current(): PartsState {
    return this.state;
  }

  /** Re-reads the whole textarea (so deleting a line removes its part). */
  update(text: string): PartsState {
    this.state = this.evaluate(text);
    return this.state;
  }

  private evaluate(text: string): PartsState {
    const mine = this.own.secret.part;
    const accepted: Link[] = [this.own];
    const lines: PartLine[] = [];
    this.whole = null;
    text.split(/\r?\n/).forEach((raw, i) => {
      const line = i + 1;
      const token = raw.trim();
      if (token === "") return;
      let link: Link;
      try {
        link = token.includes("://") || token.includes("/s/")
          ? parseLink(token)
          : { base: this.own.base, secretId: this.own.secretId, secret: parseFragment(token) };
      } catch (e) {
        const notALink = e instanceof WispError && e.code === "invalid_link" && !token.includes("#") && !token.includes("/s/");
        lines.push({ line, kind: notALink ? "notALink" : "damaged" });
        return;
      }
      if (link.secretId !== this.own.secretId || link.base !== this.own.base) {
        lines.push({ line, kind: "otherSecret" });
        return;
      }
      if (link.secret.kind === "key") {
        this.whole = link;
        lines.push({ line, kind: "wholeKey" });
        return;
      }
      const part = link.secret.part;
      if (part.needed !== mine.needed || part.total !== mine.total || !sameBytes(part.splitId, mine.splitId)) {
        lines.push({ line, kind: "otherSplit" });
        return;
      }
      const seen = accepted.find((l) => l.secret.kind === "part" && (l.secret.part.ordinal === part.ordinal || l.secret.part.share[32] === part.share[32]));
      if (seen && seen.secret.kind === "part") {
        lines.push(sameBytes(seen.secret.part.share, part.share) ? { line, kind: "duplicate", ordinal: part.ordinal } : { line, kind: "otherSplit" });
        return;
      }
      accepted.push(link);
      lines.push({ line, kind: "added", ordinal: part.ordinal });
    });
    this.accepted = accepted;
    const have = accepted
      .map((l) => (l.secret.kind === "part" ? l.secret.part.ordinal : 0))
      .sort((a, b) => a - b);
    const missing = Math.max(0, mine.needed - have.length);
    return { needed: mine.needed, total: mine.total, have, missing, lines, ready: this.whole !== null || missing === 0 };
  }

  /** The recombined link key; throws the crypto core's error when it cannot be made. */
  async key(): Promise<Uint8Array> {
    return combineLinks(this.whole ? [this.whole] : this.accepted);
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

export function partLineText(l: PartLine, m: Messages): string {
  const reason = (() => {
    switch (l.kind) {
      case "added":
        return m.partChip(l.ordinal) + " ✓";
      case "duplicate":
        return m.partDuplicate(l.ordinal);
      case "wholeKey":
        return m.partWholeKey;
      case "notALink":
        return m.partNotALink;
      case "damaged":
        return m.partDamaged;
      case "otherSecret":
        return m.partOtherSecret;
      case "otherSplit":
        return m.partOtherSplit;
    }
  })();
  return m.partLine(l.line, reason);
}

export function partLineIsProblem(l: PartLine): boolean {
  return l.kind !== "added" && l.kind !== "wholeKey" && l.kind !== "duplicate";
}

// ---------------------------------------------------------------------------------------
// Files.

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

/**
 * A file name safe to hand to the browser's save dialog: no directories, no control or
 * bidirectional-override characters (which can disguise `exe.pdf` as `fdp.exe`), none of
 * the characters Windows refuses, not empty, not a reserved device name, bounded length.
 */
export function sanitizeFileName(name: string | undefined, fallback = "wisp-download"): string {
  let out = (name ?? "")
    .normalize("NFC")
    // eslint-disable-next-line no-control-regex -- removing control characters is the point
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, "")
    .replace(/[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, "")
    .replace(/[/\\]/g, "_")
    .replace(/[<>:"|?*]/g, "_")
    .trim()
    .replace(/^[.\s]+/, "")
    .replace(/[.\s]+$/, "");
  if (WINDOWS_RESERVED.test(out)) out = "_" + out;
  // Keep the extension when shortening: it decides how the file opens.
  if (out.length > 180) {
    const dot = out.lastIndexOf(".");
    const ext = dot > 0 && out.length - dot <= 16 ? out.slice(dot) : "";
    out = Array.from(out.slice(0, out.length - ext.length)).slice(0, 180 - ext.length).join("") + ext;
  }
  return out === "" ? fallback : out;
}

/** RFC 6266 / 8187 header: an ASCII fallback name plus the exact UTF-8 name. */
export function contentDisposition(safeName: string): string {
  const ascii = safeName.replace(/[^\x20-\x7e]/g, "_").replace(/["\\%]/g, "_");
  const encoded = encodeURIComponent(safeName).replace(/['()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

// ---------------------------------------------------------------------------------------
// Server status and errors.

export interface SecretStatus {
  id: string;
  header: string;
  needs_passphrase: boolean;
  split: { needed: number; total: number } | null;
  views_left: number | null;
  expires_at: string;
  size: number;
  recipient_can_burn: boolean;
}

export function parseStatus(json: unknown): SecretStatus | null {
  if (typeof json !== "object" || json === null) return null;
  const o = json as Record<string, unknown>;
  if (typeof o.id !== "string" || typeof o.header !== "string" || typeof o.expires_at !== "string") return null;
  const split = o.split as { needed?: unknown; total?: unknown } | null | undefined;
  return {
    id: o.id,
    header: o.header,
    needs_passphrase: o.needs_passphrase === true,
    split:
      split && typeof split.needed === "number" && typeof split.total === "number"
        ? { needed: split.needed, total: split.total }
        : null,
    views_left: typeof o.views_left === "number" ? o.views_left : null,
    expires_at: o.expires_at,
    size: typeof o.size === "number" ? o.size : 0,
    recipient_can_burn: o.recipient_can_burn === true,
  };
}

/** The lines of the status card, in reading order. */
export function statusFacts(s: SecretStatus, hasPassphrase: boolean, now: Date, lang: Lang, m: Messages): string[] {
  const facts: string[] = [];
  if (s.views_left === null) facts.push(m.viewsUnlimited);
  else if (s.views_left <= 1) facts.push(m.viewsOnce);
  else facts.push(m.viewsLeft(s.views_left));
  const expires = new Date(s.expires_at);
  if (!Number.isNaN(expires.getTime())) {
    facts.push(m.expires(formatRelative(expires, now, lang), formatDateTime(expires, lang)));
  }
  if (hasPassphrase) facts.push(m.needsPassphrase);
  if (s.split) facts.push(m.splitInfo(s.split.needed, s.split.total));
  if (s.size > 0) facts.push(m.sizeInfo(formatSize(s.size, lang)));
  return facts;
}

/** `Wisp-Views-Left` after a reveal: a count, or null when unlimited (header absent). */
export function viewsLeftFromHeader(value: string | null): number | null {
  if (value === null) return null;
  const n = Number.parseInt(value, 10);
  return Number.isFinite(n) && n >= 0 ? n : null;
}

export function viewsAfterText(viewsLeft: number | null, kind: "text" | "file", m: Messages): string {
  if (viewsLeft === null) return m.viewsUntilExpiry;
  if (viewsLeft === 0) return kind === "text" ? m.lastViewText : m.lastViewFile;
  return m.moreViews(viewsLeft);
}

/** An API failure as the server described it (`{error, code, hint, request_id}`), or a network failure. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly serverMessage: string,
    readonly hint: string | null,
    readonly requestId: string | null,
    readonly attemptsLeft: number | null = null,
    /** `Retry-After` in seconds (with 429 answers), when the server sent one. */
    readonly retryAfter: number | null = null,
  ) {
    super(serverMessage);
    this.name = "ApiError";
  }
}

/**
 * `Retry-After` in whole seconds: delta-seconds, or an HTTP date relative to `now` (RFC 9110
 * allows both). Null when absent or unreadable.
 */
export function retryAfterSeconds(value: string | null, now: Date): number | null {
  if (value === null) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number.parseInt(text, 10);
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.max(0, Math.ceil((at - now.getTime()) / 1000));
}

/**
 * What the page does when the server refuses a reveal (docs/crypto.md, "Revealing: what the
 * server checks"): a wrong v2 passphrase goes back to the prompt with the attempts left, the
 * last one allowed destroyed the secret, too many attempts means waiting, an unknown id or a
 * wrong link proof reads as unavailable. Anything else (v1's `wrong_proof` included) is an
 * error screen.
 */
export type RevealRefusal =
  | { kind: "wrongPassphrase"; attemptsLeft: number | null }
  | { kind: "destroyed" }
  | { kind: "wait"; seconds: number | null }
  | { kind: "unavailable" }
  | { kind: "error" };

export function revealRefusal(e: unknown): RevealRefusal {
  if (!(e instanceof ApiError)) return { kind: "error" };
  if (e.code === "wrong_passphrase") {
    return e.attemptsLeft === 0 ? { kind: "destroyed" } : { kind: "wrongPassphrase", attemptsLeft: e.attemptsLeft };
  }
  if (e.code === "too_many_attempts") return { kind: "wait", seconds: e.retryAfter };
  if (e.status === 404) return { kind: "unavailable" };
  return { kind: "error" };
}

export type ErrorTitle = "linkErrorTitle" | "damagedTitle" | "errorTitle";

export interface ErrorView {
  title: ErrorTitle;
  /** The human sentence. */
  text: string;
  /** A second sentence (the server's hint, or a note that a view may be spent). */
  hint: string | null;
  requestId: string | null;
  /** Whether "Try again" makes sense (network trouble, interrupted download). */
  retry: boolean;
}

const LINK_CODES: ReadonlySet<string> = new Set(["invalid_link", "invalid_part", "invalid_split", "not_enough_parts", "duplicate_part", "parts_mismatch", "wrong_key", "no_fragment"]);
const TRANSIENT: ReadonlySet<string> = new Set(["truncated", "io", "network", "request_timeout", "server", "rate_limited", "too_many_attempts"]);

/**
 * Words for any failure: crypto codes map to their sentence; API errors to ours when we
 * know the code (so they are translated); a server failure (5xx: `unavailable`,
 * `insufficient_storage`, codes newer than this page) to the generic server sentence;
 * any other refusal to the server's own sentence and hint. Never a code or a stack trace.
 */
export function describeError(e: unknown, m: Messages, afterReveal = false): ErrorView {
  if (e instanceof ApiError) {
    const known = e.code in m.errors ? (e.code as keyof Messages["errors"]) : null;
    let text: string;
    if (e.code === "wrong_proof") text = m.wrongProof(e.attemptsLeft);
    else if (e.code === "too_many_attempts" && e.retryAfter !== null) text = m.passWait(e.retryAfter);
    else if (e.code === "wrong_passphrase" && e.attemptsLeft !== null) text = e.attemptsLeft === 0 ? m.destroyedText : m.passWrongCounted(e.attemptsLeft);
    else if (known) text = m.errors[known];
    else if (e.status === 0) text = m.errors.network;
    else if (e.status >= 500) text = m.errors.server;
    else text = e.serverMessage || m.errors.server;
    const ours = known || e.code === "wrong_proof" || e.code === "too_many_attempts" || e.status === 0 || e.status >= 500;
    return {
      title: "errorTitle",
      text,
      hint: ours ? null : e.hint,
      requestId: e.requestId,
      retry: TRANSIENT.has(e.code) || e.status === 0 || e.status >= 500,
    };
  }
  const code: ErrorCode | PageCode = e instanceof WispError ? e.code : "io";
  const text = code in m.errors ? m.errors[code as keyof Messages["errors"]] : m.errors.io;
  const transient = TRANSIENT.has(code);
  return {
    title: LINK_CODES.has(code) ? "linkErrorTitle" : afterReveal ? "damagedTitle" : "errorTitle",
    text,
    hint: afterReveal && transient ? m.viewMayBeUsed : null,
    requestId: null,
    retry: transient,
  };
}

export function describeCode(code: ErrorCode | PageCode, m: Messages): string {
  return code in m.errors ? m.errors[code as keyof Messages["errors"]] : m.errors.io;
}
