// Owns turning whatever a command threw into a sentence for a person (never a stack): the
// localised sentence when Rust named a dictionary key for it, else its English message.

import { WispError } from "../api";
import { DICTIONARIES, type I18n, type TextKey } from "../i18n";

function isTextKey(key: string): key is TextKey {
  return Object.hasOwn(DICTIONARIES.en, key) && typeof (DICTIONARIES.en as Record<string, unknown>)[key] === "string";
}

/**
 * What to show for `e`: `t(key, vars)` for a known error, its message otherwise, `fallback`
 * for anything that is not a command error (or has no message).
 */
export function errorMessage(e: unknown, fallback: string, t?: I18n["t"]): string {
  if (!(e instanceof WispError)) return fallback;
  if (t && e.key !== undefined && isTextKey(e.key)) return t(e.key, e.vars);
  if (e.message.trim() !== "") return e.message;
  return fallback;
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
