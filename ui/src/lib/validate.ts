// Owns the checks made before anything is sent: each returns an i18n key, or null when fine.

import type { TextKey } from "../i18n";
import { parseWhole } from "./format";

/** Split links: 2 ≤ needed ≤ total ≤ 10. */
export function checkSplit(neededText: string, totalText: string): { needed: number; total: number } | TextKey {
  const total = parseWhole(totalText, 2, 10);
  const needed = parseWhole(neededText, 2, 10);
  if (total === null || needed === null || needed > total) return "send.errSplit";
  return { needed, total };
}

/** 1…100 views, or unlimited (sent as 0). */
export function checkViews(unlimited: boolean, text: string): number | TextKey {
  if (unlimited) return 0;
  const n = parseWhole(text, 1, 100);
  return n === null ? "send.errViews" : n;
}

/** A deliberately loose shape check: the server is the judge, this only catches typos. */
export function looksLikeEmail(text: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text.trim());
}

export function looksLikeServerUrl(text: string): boolean {
  try {
    const url = new URL(text.trim());
    return (url.protocol === "https:" || url.protocol === "http:") && url.hostname !== "";
  } catch {
    return false;
  }
}
