// Owns turning whatever a command threw into a sentence for a person (never a stack).

import { WispError } from "../api";

export function errorMessage(e: unknown, fallback: string): string {
  if (e instanceof WispError && e.message.trim() !== "") return e.message;
  return fallback;
}

export function errorCode(e: unknown): WispError["code"] | null {
  return e instanceof WispError ? e.code : null;
}
