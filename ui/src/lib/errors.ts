// Owns turning whatever a command threw into a sentence for a person (never a stack): the
// localised sentence when Rust named a dictionary key for it, else its English message.

import { WispError } from "../api";
import { DICTIONARIES, type I18n, type PluralKey, type TextKey } from "../i18n";

function isTextKey(key: string): key is TextKey {
  return Object.hasOwn(DICTIONARIES.en, key) && typeof (DICTIONARIES.en as Record<string, unknown>)[key] === "string";
}

/**
 * Counted errors: the dictionary has a plural entry for the key, and Rust names the count in
 * this var (crates/wisp-desk/src/error.rs).
 */
export const ERROR_COUNTS: Readonly<Partial<Record<PluralKey, string>>> = {
  "error.wrongPassphraseLeft": "left",
};

function isCountedKey(key: string): key is PluralKey {
  return Object.hasOwn(ERROR_COUNTS, key);
}

/**
 * What to show for `e`: `t(key, vars)` for a known error (`tn` with its count for a counted
 * one), its message otherwise, `fallback` for anything that is not a command error (or has
 * no message).
 */
export function errorMessage(e: unknown, fallback: string, t?: I18n["t"], tn?: I18n["tn"]): string {
  if (!(e instanceof WispError)) return fallback;
  if (t && e.key !== undefined && isTextKey(e.key)) return t(e.key, e.vars);
  if (tn && e.key !== undefined && isCountedKey(e.key)) {
    const count = Number(e.vars?.[ERROR_COUNTS[e.key] ?? ""]);
    if (Number.isInteger(count) && count >= 0) return tn(e.key, count, e.vars);
  }
  if (e.message.trim() !== "") return e.message;
  return fallback;
}

/** The dictionary key Rust named for `e`, if any. */
export function errorKey(e: unknown): string | null {
  return e instanceof WispError ? (e.key ?? null) : null;
}

export function errorCode(e: unknown): WispError["code"] | null {
  return e instanceof WispError ? e.code : null;
}

/**
 * A sentence the Rust side wrote in English with a dictionary key beside it (a connection
 * test's report): `t(key, vars)` when the key is known, the English message otherwise.
 */
export function keyedSentence(said: { message: string; key: string | null; vars: Partial<Record<string, string>> }, t: I18n["t"]): string {
  if (said.key !== null && isTextKey(said.key)) return t(said.key, said.vars as Record<string, string>);
  return said.message;
}
