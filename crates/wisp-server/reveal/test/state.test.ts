// Owns unit tests of the page's pure logic: routing, part collection, file names, wording, i18n completeness.

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

import { describe, expect, it } from "vitest";

import { parseLink, WispError, ERROR_CODES } from "../src/crypto";
import { DOWNLOAD_PREFIX } from "../src/ui/download";
import { formatRelative, formatSize } from "../src/ui/format";
import { chooseLanguage, LANGS, MESSAGES } from "../src/ui/i18n";
import { passphraseBlocked, passphraseProblemText } from "../src/ui/view";
import {
  ApiError,
  baseFromLocation,
  contentDisposition,
  describeError,
  parseStatus,
  PartsCollector,
  retryAfterSeconds,
  revealRefusal,
  sanitizeFileName,
  secretIdFromPath,
  statusFacts,
  viewsAfterText,
  viewsLeftFromHeader,
  type SecretStatus,
} from "../src/ui/state";

const VECTORS = fileURLToPath(new URL("../../../../tests/vectors/", import.meta.url));
interface V {
  name: string;
  links: string[];
}
const linkVectors = (JSON.parse(readFileSync(VECTORS + "link_v1.json", "utf8")) as { vectors: V[] }).vectors;
const payloadVectors = (JSON.parse(readFileSync(VECTORS + "payload_v1.json", "utf8")) as { vectors: V[] }).vectors;
const fiveParts = linkVectors.find((v) => v.name === "split_all_five")!.links;
const foreignPart = linkVectors.find((v) => v.name === "fail_parts_of_different_splits")!.links[2]!;
const keyLink = linkVectors.find((v) => v.name === "key_link")!.links[0]!;
const BASE = "https://wisp.example";
const ID = "v1TestVectorSecretId0A";

function collectorFor(link: string): PartsCollector {
  const own = parseLink(link);
  if (own.secret.kind !== "part") throw new Error("not a part");
  return new PartsCollector({ ...own, secret: own.secret });
}

describe("routing", () => {
  it("reads the secret id from /s/{id}, with or without a prefix or trailing slash", () => {
    expect(secretIdFromPath("/s/" + ID)).toBe(ID);
    expect(secretIdFromPath("/wisp/s/" + ID + "/")).toBe(ID);
    expect(secretIdFromPath("/")).toBeNull();
    expect(secretIdFromPath("/s/")).toBeNull();
  });
  it("derives the base a pasted link must share", () => {
    expect(baseFromLocation(BASE, "/s/" + ID)).toBe(BASE);
    expect(baseFromLocation("https://h.example", "/wisp/s/" + ID)).toBe("https://h.example/wisp");
  });
});

describe("PartsCollector (3-of-5 split)", () => {
  it("starts with the page's own part and counts what is missing", () => {
    const c = collectorFor(fiveParts[0]!);
    expect(c.current).toMatchObject({ needed: 3, total: 5, have: [1], missing: 2, ready: false, lines: [] });
  });

  it("accepts parts as they are pasted, line by line, and recombines the key", async () => {
    const c = collectorFor(fiveParts[0]!);
    let s = c.update(`${fiveParts[3]}\n`);
    expect(s.have).toEqual([1, 4]);
    expect(s.missing).toBe(1);
    s = c.update(`${fiveParts[3]}\n\n  ${fiveParts[1]}  \n`);
    expect(s.have).toEqual([1, 2, 4]);
    expect(s.ready).toBe(true);
    expect(s.lines).toEqual([
      { line: 1, kind: "added", ordinal: 4 },
      { line: 3, kind: "added", ordinal: 2 },
    ]);
    const key = await c.key();
    expect(Buffer.from(key).toString("hex")).toBe("234c5e379b73445a0a4b6b97de7bb79e3935047d9cde8e606ad581b0752f6a81");
  });

  it("also takes a bare fragment", () => {
    const c = collectorFor(fiveParts[0]!);
    const s = c.update(fiveParts[2]!.split("#")[1]!);
    expect(s.have).toEqual([1, 3]);
  });

  it("says which lines are duplicates, foreign, damaged or not links", () => {
    const c = collectorFor(fiveParts[0]!);
    const otherSecret = fiveParts[1]!.replace(ID, "ZZZZZZZZZZZZZZZZZZZZZZ");
    const s = c.update(
      [fiveParts[0], foreignPart, otherSecret, fiveParts[1]!.slice(0, -6), "hello there", fiveParts[1], fiveParts[1]].join("\n"),
    );
    expect(s.lines.map((l) => l.kind)).toEqual(["duplicate", "otherSplit", "otherSecret", "damaged", "notALink", "added", "duplicate"]);
    expect(s.have).toEqual([1, 2]);
    expect(s.missing).toBe(1);
    expect(s.ready).toBe(false);
  });

  it("refuses to combine too few parts with the core's code", async () => {
    const c = collectorFor(fiveParts[0]!);
    c.update(fiveParts[1]!);
    await expect(c.key()).rejects.toMatchObject({ code: "not_enough_parts" });
  });

  it("accepts the whole key link of the same secret", async () => {
    const c = collectorFor(fiveParts[0]!);
    const whole = keyLink; // same base and id as the parts in the vectors
    const s = c.update(whole);
    expect(s.ready).toBe(true);
    expect(s.lines[0]?.kind).toBe("wholeKey");
    expect(Buffer.from(await c.key()).toString("hex")).toBe(
      "8f158c2bb5c5d345977dfce597b656244ca464b4c278101b1d56f9cf868accb8",
    );
  });

  it("works for the 2-of-3 payload vector's parts", () => {
    const split = payloadVectors.find((v) => v.name === "text_split_2_of_3")!.links;
    const c = collectorFor(split[0]!);
    expect(c.current.missing).toBe(1);
    expect(c.update(split[1]!).ready).toBe(true);
  });
});

describe("file names", () => {
  it("drops directories, control and bidi characters", () => {
    expect(sanitizeFileName("../../etc/passwd")).toBe("_.._etc_passwd");
    expect(sanitizeFileName("C:\\Users\\me\\report.pdf")).toBe("C__Users_me_report.pdf");
    expect(sanitizeFileName("a\u0000b\nc\u007f.txt")).toBe("abc.txt");
    expect(sanitizeFileName("invoice\u202Efdp.exe")).toBe("invoicefdp.exe");
    expect(sanitizeFileName('what?<>:"|*.txt')).toBe("what_______.txt");
  });
  it("never returns an empty, hidden-only or reserved name", () => {
    expect(sanitizeFileName(undefined)).toBe("wisp-download");
    expect(sanitizeFileName("   ")).toBe("wisp-download");
    expect(sanitizeFileName("...")).toBe("wisp-download");
    expect(sanitizeFileName(".bashrc")).toBe("bashrc");
    expect(sanitizeFileName("CON.txt")).toBe("_CON.txt");
  });
  it("shortens long names but keeps the extension", () => {
    const out = sanitizeFileName("x".repeat(500) + ".pdf");
    expect(out.length).toBe(180);
    expect(out.endsWith(".pdf")).toBe(true);
  });
  it("builds an RFC 6266 header with an ASCII fallback and the UTF-8 name", () => {
    expect(contentDisposition("report.pdf")).toBe(`attachment; filename="report.pdf"; filename*=UTF-8''report.pdf`);
    expect(contentDisposition("отчёт 1.pdf")).toBe(
      `attachment; filename="_____ 1.pdf"; filename*=UTF-8''%D0%BE%D1%82%D1%87%D1%91%D1%82%201.pdf`,
    );
  });
});

describe("status and wording", () => {
  const status: SecretStatus = {
    id: ID,
    header: "x",
    needs_passphrase: true,
    split: { needed: 2, total: 3 },
    views_left: 1,
    expires_at: "2026-11-24T10:00:00Z",
    size: 1103,
    recipient_can_burn: true,
  };
  const now = new Date("2026-11-23T11:00:00Z");

  it("parses the status API and tolerates missing optional fields", () => {
    expect(parseStatus({ ...status })).toEqual(status);
    expect(parseStatus({ id: ID, header: "h", expires_at: "2026-01-01T00:00:00Z" })).toMatchObject({
      views_left: null,
      split: null,
      size: 0,
    });
    expect(parseStatus({ error: "x" })).toBeNull();
  });

  it("lists the facts a recipient needs, in every language", () => {
    const facts = statusFacts(status, true, now, "en", MESSAGES.en);
    expect(facts).toEqual([
      "It can be viewed only once. After that it is gone for good.",
      expect.stringMatching(/^It expires in 23 hours \(.+\)\.$/) as string,
      "You will need the passphrase the sender gave you.",
      "The link was split into 3 parts: 2 of them are needed to open it.",
      "Size: about 1.1 kB.",
    ]);
    expect(statusFacts({ ...status, views_left: 5 }, false, now, "ru", MESSAGES.ru)[0]).toBe("Его можно просмотреть ещё 5 раз.");
    expect(statusFacts({ ...status, views_left: 3 }, false, now, "ru", MESSAGES.ru)[0]).toBe("Его можно просмотреть ещё 3 раза.");
    expect(statusFacts({ ...status, views_left: null }, false, now, "fr", MESSAGES.fr)[1]).toMatch(/^Il expire dans 23 heures/);
    expect(statusFacts(status, false, now, "es", MESSAGES.es)[1]).toMatch(/^Caduca dentro de 23 horas/);
  });

  it("formats durations and sizes through Intl", () => {
    expect(formatRelative(new Date(now.getTime() + 3 * 86400_000), now, "en")).toBe("in 3 days");
    expect(formatRelative(new Date(now.getTime() + 30 * 60_000), now, "en")).toBe("in 30 minutes");
    expect(formatRelative(new Date(now.getTime() + 20_000), now, "en")).toBe("in 20 seconds");
    expect(formatSize(500, "en")).toBe("500 bytes");
    expect(formatSize(13_000, "en")).toBe("13 kB");
    expect(formatSize(5_000_000, "fr")).toMatch(/^5\s?Mo$/);
    // Decimal steps, as the unit names mean and file managers show: 3,500,000 bytes is 3.5 MB.
    expect(formatSize(3_500_000, "en")).toBe("3.5 MB");
  });

  it("reads Wisp-Views-Left", () => {
    expect(viewsLeftFromHeader(null)).toBeNull();
    expect(viewsLeftFromHeader("0")).toBe(0);
    expect(viewsLeftFromHeader("4")).toBe(4);
    expect(viewsAfterText(0, "text", MESSAGES.en)).toMatch(/will not be shown again/);
    expect(viewsAfterText(2, "file", MESSAGES.en)).toBe("It can still be viewed 2 more times.");
  });
});

describe("errors in words", () => {
  const m = MESSAGES.en;
  it("maps crypto codes to friendly sentences, never to a stack", () => {
    const v = describeError(new WispError("truncated", "the payload is truncated"), m, true);
    expect(v.text).toMatch(/^The download was interrupted/);
    expect(v.retry).toBe(true);
    expect(v.title).toBe("damagedTitle");
    expect(describeError(new WispError("wrong_key", "x"), m).title).toBe("linkErrorTitle");
    expect(describeError(new TypeError("boom at line 3"), m).text).not.toMatch(/boom/);
  });
  it("uses our words for known API codes and the server's sentence otherwise", () => {
    const limited = describeError(new ApiError(429, "rate_limited", "Too many requests", "Wait", "req_1"), m);
    expect(limited.text).toBe(m.errors.rate_limited);
    expect(limited.requestId).toBe("req_1");
    expect(limited.retry).toBe(true);
    const other = describeError(new ApiError(403, "anonymous_disabled", "Anonymous use is disabled.", "Sign in.", "req_2"), m);
    expect(other.text).toBe("Anonymous use is disabled.");
    expect(other.hint).toBe("Sign in.");
    expect(describeError(new ApiError(403, "wrong_proof", "", null, null, 3), m).text).toMatch(/3 more attempts/);
    expect(describeError(new ApiError(0, "network", "", null, null), m).text).toBe(m.errors.network);
  });
  it("reads a body cut for slowness as a transient connection problem, in our words", () => {
    const slow = describeError(new ApiError(408, "request_timeout", "The request body arrived too slowly and was cut.", "Check the connection and send it again.", "req_3"), m);
    expect(slow.text).toBe(m.errors.request_timeout);
    expect(slow.hint).toBeNull();
    expect(slow.retry).toBe(true);
    expect(slow.requestId).toBe("req_3");
    for (const lang of LANGS) {
      expect(describeError(new ApiError(408, "request_timeout", "x", "y", null), MESSAGES[lang]).text).toBe(MESSAGES[lang].errors.request_timeout);
    }
  });
  it("gives any server failure the generic server sentence, whatever its code, and lets it be retried", () => {
    for (const [status, code, said, hint] of [
      [507, "insufficient_storage", "The server is out of storage space for new secrets.", "Try again later; the operator has been warned in the server's log."],
      [503, "unavailable", "The server has too many open connections.", "Try again in a few seconds."],
      [500, "internal", "Internal error.", "Quote the request id."],
      [502, "a_code_from_the_future", "", null],
    ] as const) {
      for (const lang of LANGS) {
        const v = describeError(new ApiError(status, code, said, hint, "req_4"), MESSAGES[lang]);
        expect(v.text, `${lang} ${code}`).toBe(MESSAGES[lang].errors.server);
        expect(v.hint, `${lang} ${code}`).toBeNull();
        expect(v.retry, `${lang} ${code}`).toBe(true);
        expect(v.requestId).toBe("req_4");
        expect(`${v.text} ${v.hint ?? ""}`).not.toContain(code);
      }
    }
  });
});

describe("the server's answers to a reveal (docs/crypto.md, Revealing: what the server checks)", () => {
  const m = MESSAGES.en;
  it("a wrong v2 passphrase goes back to the prompt with the attempts the server sent", () => {
    expect(revealRefusal(new ApiError(403, "wrong_passphrase", "", null, null, 9))).toEqual({ kind: "wrongPassphrase", attemptsLeft: 9 });
    expect(revealRefusal(new ApiError(403, "wrong_passphrase", "", null, null, 1))).toEqual({ kind: "wrongPassphrase", attemptsLeft: 1 });
    // attempts_left 0: the secret burned now.
    expect(revealRefusal(new ApiError(403, "wrong_passphrase", "", null, null, 0))).toEqual({ kind: "destroyed" });
  });
  it("too many attempts waits for Retry-After; a wrong link proof reads like an unknown id", () => {
    expect(revealRefusal(new ApiError(429, "too_many_attempts", "", null, null, null, 42))).toEqual({ kind: "wait", seconds: 42 });
    expect(revealRefusal(new ApiError(429, "too_many_attempts", "", null, null))).toEqual({ kind: "wait", seconds: null });
    expect(revealRefusal(new ApiError(404, "secret_unavailable", "", null, null))).toEqual({ kind: "unavailable" });
  });
  it("v1's wrong_proof, a missing passphrase proof and anything else are errors, in our words", () => {
    expect(revealRefusal(new ApiError(403, "wrong_proof", "", null, null, 4))).toEqual({ kind: "error" });
    expect(describeError(new ApiError(403, "wrong_proof", "", null, null, 4), m).text).toMatch(/4 more attempts/);
    expect(revealRefusal(new ApiError(401, "passphrase_required", "", null, null, 10))).toEqual({ kind: "error" });
    expect(describeError(new ApiError(401, "passphrase_required", "x", "y", null, 10), m).text).toBe(m.errors.passphrase_required);
    expect(revealRefusal(new ApiError(0, "network", "", null, null))).toEqual({ kind: "error" });
    expect(revealRefusal(new WispError("io", "x"))).toEqual({ kind: "error" });
    expect(describeError(new ApiError(429, "too_many_attempts", "", null, null, null, 30), m).text).toBe("Too many attempts. Wait 30 seconds, then try again.");
    expect(describeError(new ApiError(403, "wrong_passphrase", "", null, null, 0), m).text).toBe(m.destroyedText);
  });
  it("reads Retry-After as seconds or as an HTTP date", () => {
    const now = new Date("2026-12-07T18:00:00Z");
    expect(retryAfterSeconds(null, now)).toBeNull();
    expect(retryAfterSeconds("30", now)).toBe(30);
    expect(retryAfterSeconds(" 0 ", now)).toBe(0);
    expect(retryAfterSeconds("Mon, 07 Dec 2026 18:01:00 GMT", now)).toBe(60);
    expect(retryAfterSeconds("Mon, 07 Dec 2026 17:00:00 GMT", now)).toBe(0);
    expect(retryAfterSeconds("soon", now)).toBeNull();
  });
  it("says plainly how many attempts are left, and to wait", () => {
    expect(passphraseProblemText({ kind: "wrongCounted", attemptsLeft: 9 }, m, 0)).toBe("Wrong passphrase. 9 attempts left before the secret is destroyed.");
    expect(passphraseProblemText({ kind: "wrongCounted", attemptsLeft: 1 }, m, 0)).toBe("Wrong passphrase. 1 attempt left before the secret is destroyed.");
    expect(passphraseProblemText({ kind: "wrongCounted", attemptsLeft: null }, m, 0)).toBe(m.errors.wrong_passphrase);
    expect(passphraseProblemText({ kind: "wait", until: 30_000 }, m, 0)).toBe("Too many attempts. Wait 30 seconds, then try again.");
    expect(passphraseProblemText({ kind: "wait", until: 1_500 }, m, 1_000)).toBe("Too many attempts. Wait 1 second, then try again.");
    expect(passphraseProblemText({ kind: "wait", until: null }, m, 0)).toBe(m.errors.too_many_attempts);
    expect(passphraseProblemText({ kind: "wrong" }, m, 0)).toBe(m.passWrong);
    expect(m.destroyedText).toBe("Wrong passphrase. The secret was destroyed after too many wrong passphrases, so it can no longer be opened.");
    expect(MESSAGES.ru.passWrongCounted(9)).toBe("Неверная кодовая фраза. Осталось 9 попыток, после чего секрет будет уничтожен.");
    expect(MESSAGES.ru.passWrongCounted(2)).toBe("Неверная кодовая фраза. Осталось 2 попытки, после чего секрет будет уничтожен.");
    expect(MESSAGES.ru.passWrongCounted(1)).toBe("Неверная кодовая фраза. Осталась 1 попытка, после чего секрет будет уничтожен.");
    expect(MESSAGES.es.passWrongCounted(1)).toBe("Frase de contraseña incorrecta. Queda 1 intento antes de que el secreto se destruya.");
    expect(MESSAGES.fr.passWait(5)).toBe("Trop de tentatives. Patientez 5 secondes, puis réessayez.");
  });
  it("blocks submitting only while a known wait lasts", () => {
    expect(passphraseBlocked({ kind: "wait", until: 10_000 }, 9_999)).toBe(true);
    expect(passphraseBlocked({ kind: "wait", until: 10_000 }, 10_000)).toBe(false);
    expect(passphraseBlocked({ kind: "wait", until: null }, 0)).toBe(false);
    expect(passphraseBlocked({ kind: "wrongCounted", attemptsLeft: 3 }, 0)).toBe(false);
    expect(passphraseBlocked(null, 0)).toBe(false);
  });
});

describe("i18n", () => {
  it("picks the first supported language", () => {
    expect(chooseLanguage(["de-DE", "fr-CA", "en"])).toBe("fr");
    expect(chooseLanguage(["ru"])).toBe("ru");
    expect(chooseLanguage(["ja"])).toBe("en");
  });
  it("has every string and every error code in every language", () => {
    const keys = Object.keys(MESSAGES.en).sort();
    for (const lang of LANGS) {
      expect(Object.keys(MESSAGES[lang]).sort()).toEqual(keys);
      for (const code of ERROR_CODES) expect(MESSAGES[lang].errors[code], `${lang}.${code}`).toBeTruthy();
      expect(Object.keys(MESSAGES[lang].errors).sort()).toEqual(Object.keys(MESSAGES.en.errors).sort());
    }
  });
  it("plural forms follow each language's rules", () => {
    expect(MESSAGES.ru.partsMissing(1)).toBe("Нужна ещё 1 часть.");
    expect(MESSAGES.ru.partsMissing(2)).toBe("Нужны ещё 2 части.");
    expect(MESSAGES.ru.partsMissing(5)).toBe("Нужно ещё 5 частей.");
    expect(MESSAGES.en.partsMissing(1)).toBe("1 more part is needed.");
    expect(MESSAGES.es.partsMissing(2)).toBe("Faltan 2 partes más.");
  });
});

describe("service worker", () => {
  it("uses the same download path as the page", () => {
    const sw = readFileSync(fileURLToPath(new URL("../src/sw/sw.ts", import.meta.url)), "utf8");
    expect(sw).toContain(`const DOWNLOAD_PREFIX = "${DOWNLOAD_PREFIX}";`);
  });
});
