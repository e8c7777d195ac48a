// Owns locale-aware formatting through Intl: relative times, dates, byte sizes, durations.

import type { Lang } from "../i18n";

/**
 * "in 23 hours", "dans 3 jours", "через 5 минут", "2 days ago". Picks the largest unit that
 * keeps the number meaningful: minutes below 90 minutes, hours below 48 hours, then days.
 */
export function formatRelative(target: Date, now: Date, lang: Lang): string {
  const seconds = Math.round((target.getTime() - now.getTime()) / 1000);
  const abs = Math.abs(seconds);
  let unit: Intl.RelativeTimeFormatUnit = "day";
  let size = 86400;
  if (abs < 60) [unit, size] = ["second", 1];
  else if (abs < 90 * 60) [unit, size] = ["minute", 60];
  else if (abs < 48 * 3600) [unit, size] = ["hour", 3600];
  return new Intl.RelativeTimeFormat(lang, { numeric: "auto" }).format(Math.round(seconds / size), unit);
}

export function formatDateTime(date: Date, lang: Lang): string {
  return new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short" }).format(date);
}

/** Decimal steps, as file managers show them: "3.5 MB", "3,5 Mo", "3,5 МБ". */
export function formatSize(bytes: number, lang: Lang): string {
  const steps: ReadonlyArray<[string, number]> = [
    ["terabyte", 1000 ** 4],
    ["gigabyte", 1000 ** 3],
    ["megabyte", 1000 ** 2],
    ["kilobyte", 1000],
  ];
  for (const [unit, size] of steps) {
    if (bytes >= size) {
      const value = bytes / size;
      return new Intl.NumberFormat(lang, {
        style: "unit",
        unit,
        unitDisplay: "short",
        maximumFractionDigits: value < 10 ? 1 : 0,
      }).format(value);
    }
  }
  return new Intl.NumberFormat(lang, { style: "unit", unit: "byte", unitDisplay: "long" }).format(bytes);
}

/**
 * A duration as its largest whole unit, in words: "5 min", "1 hour", "7 days"; "1 heure",
 * "7 jours"; "1 час", "7 дней". Minutes are short (they stand next to longer words).
 */
export function formatDuration(secs: number, lang: Lang): string {
  const { value, unit } = splitDuration(secs);
  const intlUnit = unit === "minutes" ? "minute" : unit === "hours" ? "hour" : "day";
  return new Intl.NumberFormat(lang, { style: "unit", unit: intlUnit, unitDisplay: unit === "minutes" ? "short" : "long" }).format(value);
}

export type TtlUnit = "minutes" | "hours" | "days";
export const UNIT_SECONDS: Readonly<Record<TtlUnit, number>> = { minutes: 60, hours: 3600, days: 86400 };

/** A duration in seconds as the largest whole unit: 7200 → 2 hours, 5400 → 90 minutes. */
export function splitDuration(secs: number): { value: number; unit: TtlUnit } {
  if (secs > 0 && secs % 86400 === 0) return { value: secs / 86400, unit: "days" };
  if (secs > 0 && secs % 3600 === 0) return { value: secs / 3600, unit: "hours" };
  return { value: Math.max(1, Math.round(secs / 60)), unit: "minutes" };
}

/** A whole number within bounds, or null: "12" → 12, "1.5", "", "abc", "200" (max 100) → null. */
export function parseWhole(text: string, min: number, max: number): number | null {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return null;
  const n = Number(trimmed);
  return n >= min && n <= max ? n : null;
}

/** Links pasted one per line (or separated by spaces), trimmed, blanks dropped. */
export function splitLinks(text: string): string[] {
  return text
    .split(/\s+/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
}
