// Owns locale-aware formatting through Intl: relative expiry, absolute dates, byte sizes.

import type { Lang } from "./i18n";

const UNITS: ReadonlyArray<[Intl.RelativeTimeFormatUnit, number]> = [
  ["second", 1],
  ["minute", 60],
  ["hour", 3600],
  ["day", 86400],
];

/**
 * "in 23 hours", "dans 3 jours", "через 5 минут". Picks the largest unit that keeps the
 * number meaningful: minutes below 90 minutes, hours below 48 hours, then days.
 */
export function formatRelative(target: Date, now: Date, lang: Lang): string {
  const seconds = Math.round((target.getTime() - now.getTime()) / 1000);
  const abs = Math.abs(seconds);
  let unit: Intl.RelativeTimeFormatUnit;
  let size: number;
  if (abs < 60) [unit, size] = UNITS[0]!;
  else if (abs < 90 * 60) [unit, size] = UNITS[1]!;
  else if (abs < 48 * 3600) [unit, size] = UNITS[2]!;
  else [unit, size] = UNITS[3]!;
  return new Intl.RelativeTimeFormat(lang, { numeric: "auto" }).format(Math.round(seconds / size), unit);
}

export function formatDateTime(date: Date, lang: Lang): string {
  return new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short" }).format(date);
}

/** Sizes in decimal steps, as the locale's unit names mean (Intl's "megabyte" is 10^6 bytes) and as file managers show them: "3.5 MB", "3,5 Mo", "3,5 МБ". */
export function formatSize(bytes: number, lang: Lang): string {
  const steps: ReadonlyArray<[string, number]> = [
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
