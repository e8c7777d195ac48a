import { describe, expect, it } from "vitest";
import { formatRelative, formatSize, parseWhole, splitDuration, splitLinks } from "../src/lib/format";
import { checkSplit, checkViews, looksLikeEmail, looksLikeServerUrl } from "../src/lib/validate";

describe("format", () => {
  it("prints sizes in decimal units of the locale", () => {
    expect(formatSize(812, "en")).toBe("812 bytes");
    expect(formatSize(2_400_000, "en")).toBe("2.4 MB");
    expect(formatSize(100_000_000, "en")).toBe("100 MB");
    expect(formatSize(2_400_000, "fr")).toBe("2,4\u202fMo");
  });

  it("prints relative times in the largest meaningful unit", () => {
    const now = new Date("2026-01-01T12:00:00Z");
    expect(formatRelative(new Date("2026-01-01T12:30:00Z"), now, "en")).toBe("in 30 minutes");
    expect(formatRelative(new Date("2026-01-02T10:00:00Z"), now, "en")).toBe("in 22 hours");
    expect(formatRelative(new Date("2025-12-29T12:00:00Z"), now, "en")).toBe("3 days ago");
    expect(formatRelative(new Date("2026-01-01T17:00:00Z"), now, "es")).toBe("dentro de 5 horas");
  });

  it("splits durations into whole units and parses whole numbers in range", () => {
    expect(splitDuration(604800)).toEqual({ value: 7, unit: "days" });
    expect(splitDuration(7200)).toEqual({ value: 2, unit: "hours" });
    expect(splitDuration(5400)).toEqual({ value: 90, unit: "minutes" });
    expect(parseWhole(" 12 ", 1, 100)).toBe(12);
    expect(parseWhole("1.5", 1, 100)).toBeNull();
    expect(parseWhole("101", 1, 100)).toBeNull();
    expect(parseWhole("", 0, 100)).toBeNull();
  });

  it("splits pasted links on lines and spaces", () => {
    expect(splitLinks(" a\n\nb  c \n")).toEqual(["a", "b", "c"]);
    expect(splitLinks("   ")).toEqual([]);
  });
});

describe("validate", () => {
  it("accepts only 2 ≤ needed ≤ total ≤ 10 for split links", () => {
    expect(checkSplit("2", "3")).toEqual({ needed: 2, total: 3 });
    expect(checkSplit("10", "10")).toEqual({ needed: 10, total: 10 });
    expect(checkSplit("4", "3")).toBe("send.errSplit");
    expect(checkSplit("1", "3")).toBe("send.errSplit");
    expect(checkSplit("2", "11")).toBe("send.errSplit");
    expect(checkSplit("", "3")).toBe("send.errSplit");
  });

  it("accepts 1…100 views or unlimited (0)", () => {
    expect(checkViews(true, "")).toBe(0);
    expect(checkViews(false, "100")).toBe(100);
    expect(checkViews(false, "0")).toBe("send.errViews");
    expect(checkViews(false, "101")).toBe("send.errViews");
  });

  it("catches obvious typos in addresses", () => {
    expect(looksLikeEmail("ann@example.com")).toBe(true);
    expect(looksLikeEmail("ann@example")).toBe(false);
    expect(looksLikeServerUrl("https://wisp.example.com")).toBe(true);
    expect(looksLikeServerUrl("http://127.0.0.1:8787")).toBe(true);
    expect(looksLikeServerUrl("wisp.example.com")).toBe(false);
    expect(looksLikeServerUrl("ftp://wisp.example.com")).toBe(false);
  });
});
