// Drives the reveal page in Debian's headless chromium (playwright-core, no bundled browser).
//
//   node e2e/reveal.e2e.mjs SPEC.json
//
// SPEC (written by crates/wisp-server/tests/reveal_page.rs, which also starts the server and
// checks the receipts afterwards):
//   { base, screenshots: DIR,
//     cases: [{ name, links: [URL#fragment, ...], base?, open?, id?, format? (1 or 2, default 2),
//               passphrase?, wrong_passphrase?, wrong_passphrase_attempts_left? (v2),
//               expect: {kind: "text", text} | {kind: "file", name, size, sha256} | {kind: "unavailable"} }] }
//
// `open` is the address to load instead of the first link (a compatibility layer's own link
// shape, which redirects to `/s/ID`), with `id` the secret id it leads to.
//
// Each case runs in a fresh browser context and checks, besides the result itself, what the
// page promises: the key leaves the address bar at once, nothing is revealed before the
// click (no reveal request, and the server's free status still shows the view unspent), a
// wrong passphrase spends no view, split parts are accepted line by line, and no key, proof
// or passphrase ever appears in a URL or in the page's storage. Screenshots of every state
// go to DIR/{case}-{state}.png. One line per case; exit 1 on any failure.
//
// A wrong passphrase is told one of two ways (docs/crypto.md):
//   - format v2: only the server can tell. The reveal
//     request carries Wisp-Reveal-Proof and Wisp-Passphrase-Proof; the server answers 403
//     wrong_passphrase with attempts_left (counted, no view spent); the page goes back to an
//     emptied prompt that says how many attempts are left.
//   - format v1 (read only): the header's key check tells it locally; no request at all.

import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, unlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";

const CHROMIUM = process.env.WISP_E2E_CHROMIUM ?? "/usr/bin/chromium";
const CASE_TIMEOUT_MS = 60_000;
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
/**
 * The file case runs on a slowed-down network (Chromium's own throttling, via CDP) so that
 * the progress screens last long enough to be seen and photographed, and the payload
 * arrives in many pieces as it would over a real connection.
 */
const SLOW_NETWORK = { offline: false, latency: 250, downloadThroughput: 2 * 1024 * 1024, uploadThroughput: -1 };
/** Every screen the app renders is a `section.card.card-{name}` inside `#main`. */
const SCREEN = (name) => `#main > section.card-${name}`;
const ANY_SCREEN = "#main > section.card:not(.card-loading)";

// The English strings the checks look for (src/ui/i18n.ts); the contexts use locale en-US.
const EN = {
  unavailableTitle: "This secret is no longer available",
  passWrong: "This passphrase is not right. No view was used: you can try again.",
  passWrongCounted: (n) => `Wrong passphrase. ${n} ${n === 1 ? "attempt" : "attempts"} left before the secret is destroyed.`,
  passCounted: "Wrong passphrases are counted: after too many, the secret is destroyed.",
  partsReady: "You have enough parts to open the secret.",
  copied: "Copied",
  copyFailed: "Copying failed: select the text and copy it by hand.",
  saved: "Saved. You will find it in your downloads.",
};

class Failure extends Error {}

function check(cond, message) {
  if (!cond) throw new Failure(message);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function secretId(link) {
  const m = /\/s\/([^/?#]+)\/?$/.exec(new URL(link).pathname);
  if (!m) throw new Failure(`no secret id in ${link}`);
  return decodeURIComponent(m[1]);
}

/** The free public status, read from outside the browser: {code, views_left}. */
async function serverStatus(base, id) {
  const res = await fetch(`${base}/api/v1/secrets/${encodeURIComponent(id)}`, {
    headers: { Accept: "application/json" },
    signal: AbortSignal.timeout(10_000),
  });
  const body = await res.json().catch(() => null);
  return { code: res.status, viewsLeft: body?.views_left ?? null };
}

async function fileDigest(file) {
  const hash = createHash("sha256");
  let size = 0;
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { size, sha256: hash.digest("hex") };
}

/** The screen showing now ("status", "text", …); an error screen fails with its text. */
async function currentScreen(page) {
  const card = page.locator("#main > section.card");
  const cls = (await card.getAttribute("class", { timeout: 5000 })) ?? "";
  const name = /card-([a-z]+)/.exec(cls)?.[1] ?? cls;
  if (name === "error") {
    throw new Failure(`error screen: ${(await card.innerText()).replace(/\s+/g, " ").trim()}`);
  }
  return name;
}

/** Waits for `locator`; on timeout, fails saying what was awaited and what the page shows instead. */
async function waitFor(page, locator, what, timeout) {
  try {
    await locator.waitFor({ state: "visible", timeout });
  } catch {
    const card = page.locator("#main > section.card");
    const text = (await card.innerText({ timeout: 2000 }).catch(() => "")).replace(/\s+/g, " ").trim();
    throw new Failure(`${what} did not appear within ${timeout / 1000} s; the page shows: ${JSON.stringify(text.slice(0, 300))}`);
  }
}

/** The first screen after loading. */
async function settled(page, timeout = 20_000) {
  await waitFor(page, page.locator(ANY_SCREEN), "a screen other than loading", timeout);
  return currentScreen(page);
}

/** Waits for the screen `want` (or an error, which fails with its text). */
async function expectScreen(page, want, timeout = 20_000) {
  const target = page.locator(`${SCREEN(want)}, ${SCREEN("error")}`);
  try {
    await target.waitFor({ state: "visible", timeout });
  } catch {
    throw new Failure(`expected the ${want} screen, still on ${await currentScreen(page)} after ${timeout / 1000} s`);
  }
  const got = await currentScreen(page);
  check(got === want, `expected the ${want} screen, got ${got}`);
}

async function runCase(browser, spec, c, log) {
  // A case may be served by another server than the spec's (say, one holding old records).
  const base = String(c.base ?? spec.base).replace(/\/+$/, "");
  const shots = [];
  const shot = async (page, state, opts = {}) => {
    const file = path.join(spec.screenshots, `${c.name}-${state}.png`);
    await page.screenshot({ path: file, fullPage: true, animations: "disabled", ...opts });
    shots.push(state);
  };
  /**
   * A screen that may already be gone (progress): photographed only if it is showing, and
   * kept only if it is still showing afterwards (screens only move forward, so the picture
   * is of it).
   */
  const transientShot = async (page, selector, state) => {
    const target = page.locator(selector);
    try {
      await target.waitFor({ state: "visible", timeout: 1000 });
      await shot(page, state, { timeout: 2000 });
    } catch {
      return;
    }
    if (!(await target.isVisible())) {
      shots.pop();
      await unlink(path.join(spec.screenshots, `${c.name}-${state}.png`)).catch(() => {});
    }
  };
  const context = await browser.newContext({
    acceptDownloads: true,
    viewport: DESKTOP,
    locale: "en-US",
    colorScheme: "light",
  });
  // Every request that can spend a view, wherever it comes from in this context, with the
  // proofs it carried; and every address requested, to check no secret ever lands in one.
  const reveals = [];
  const urls = [];
  context.on("request", (r) => {
    urls.push(r.url());
    if (r.method() === "POST" && /\/api\/v1\/secrets\/[^/]+\/reveal$/.test(new URL(r.url()).pathname)) {
      const headers = r.headers();
      reveals.push({ url: r.url(), link: headers["wisp-reveal-proof"] ?? null, passphrase: headers["wisp-passphrase-proof"] ?? null });
    }
  });
  /** Nothing secret in any address the context requested (fragments, proofs, passphrases). */
  const checkNoSecretInUrls = () => {
    const secrets = [
      ...c.links.map((l) => new URL(l).hash.slice(1)),
      ...reveals.flatMap((r) => [r.link, r.passphrase]),
      c.passphrase,
      c.wrong_passphrase,
    ].filter((x) => typeof x === "string" && x.length > 0);
    for (const u of urls) {
      const decoded = decodeURIComponent(u);
      for (const secret of secrets) check(!u.includes(secret) && !decoded.includes(secret), `a secret value appears in the requested address ${u}`);
    }
  };
  const B64URL_32 = /^[A-Za-z0-9_-]{43}$/;
  const pageErrors = [];
  let page;
  const work = async () => {
    page = await context.newPage();
    page.on("pageerror", (e) => pageErrors.push(String(e?.message ?? e)));
    page.on("console", (m) => {
      // A 404 status read logs "Failed to load resource" on the unavailable case, and the
      // server's 403 to a wrong v2 passphrase does too: expected.
      const expected = (c.expect.kind === "unavailable" && /404/.test(m.text())) || (c.wrong_passphrase !== undefined && c.format !== 1 && /403/.test(m.text()));
      if (m.type() === "error" && !expected) {
        log(`  [${c.name}] console error: ${m.text()}`);
      }
    });
    const id = c.id ?? secretId(c.links[0]);
    const pageUrl = `${base}/s/${id}`;

    // ----- open the link: the key must leave the address bar, nothing must be revealed.
    await page.goto(c.open ?? c.links[0], { waitUntil: "load" });
    const first = await settled(page);
    check(!page.url().includes("#"), `the fragment is still in the address bar: ${page.url()}`);
    check(page.url() === pageUrl, `unexpected address after load: ${page.url()}`);
    check((await page.evaluate(() => location.hash)) === "", "location.hash is not empty");

    if (c.expect.kind === "unavailable") {
      check(first === "unavailable", `expected the unavailable screen, got ${first}`);
      const h1 = (await page.locator(`${SCREEN("unavailable")} h1`).innerText()).trim();
      check(h1 === EN.unavailableTitle, `unavailable heading: ${JSON.stringify(h1)}`);
      check((await page.locator("#reveal").count()) === 0, "a Reveal button on the unavailable screen");
      check(reveals.length === 0, "a reveal request was sent for an unavailable secret");
      const st = await serverStatus(base, id);
      check(st.code === 404, `the server says ${st.code} for the unavailable secret`);
      await shot(page, "unavailable");
      await page.setViewportSize(PHONE);
      await shot(page, "unavailable-phone");
      return "unavailable screen, no reveal request";
    }

    check(first === "status", `expected the status screen first, got ${first}`);
    const before = await serverStatus(base, id);
    check(before.code === 200, `status before reveal: HTTP ${before.code}`);
    await shot(page, "status");
    // Link previews and scanners open the page without clicking: give an auto-reveal time to show.
    await sleep(1000);
    check(reveals.length === 0, `the page sent ${reveals.length} reveal request(s) before any click`);
    check((await currentScreen(page)) === "status", "the page left the status screen without a click");
    const idle = await serverStatus(base, id);
    check(idle.code === 200 && idle.viewsLeft === before.viewsLeft, `opening the page spent a view (HTTP ${idle.code}, views_left ${idle.viewsLeft} vs ${before.viewsLeft})`);
    // View-once, so the phone-width look at the page is taken here, before revealing.
    await page.setViewportSize(PHONE);
    await shot(page, "status-phone");
    await page.setViewportSize(DESKTOP);

    const revealButton = page.locator("#reveal");
    // v2 passphrases are checked by the server: one refused reveal request per wrong one,
    // then the one that reveals. v1 tells a wrong passphrase locally.
    const v1 = c.format === 1;
    const serverChecked = !v1 && c.passphrase !== undefined;
    if (serverChecked && c.wrong_passphrase !== undefined) {
      check(Number.isInteger(c.wrong_passphrase_attempts_left), "the spec gives no wrong_passphrase_attempts_left for a v2 wrong passphrase");
    }
    const expectedReveals = serverChecked && c.wrong_passphrase !== undefined ? 2 : 1;

    // ----- split links: paste the other parts.
    if (c.links.length > 1) {
      const parts = page.locator("#parts");
      check(await parts.isVisible(), "no parts box on a split link");
      check(await revealButton.isDisabled(), "Reveal is enabled before enough parts were given");
      for (const l of c.links.slice(1)) check(secretId(l) === id, `part link for another secret: ${l}`);
      // A line that is not a link is refused, and Reveal stays disabled.
      await parts.fill("not a link at all");
      await waitFor(page, page.locator("#parts-feedback .line-bad"), "a refused line in the parts feedback", 5000);
      check(await revealButton.isDisabled(), "Reveal is enabled with a refused line only");
      await shot(page, "parts-refused");
      await parts.fill(c.links.slice(1).join("\n"));
      await waitFor(page, page.locator("#parts-feedback .count-ready"), `"${EN.partsReady}"`, 5000);
      const ready = (await page.locator("#parts-feedback .count-ready").innerText()).trim();
      check(ready === EN.partsReady, `parts feedback: ${JSON.stringify(ready)}`);
      const ok = await page.locator("#parts-feedback .line-ok").count();
      const bad = await page.locator("#parts-feedback .line-bad").count();
      check(ok === c.links.length - 1 && bad === 0, `parts feedback: ${ok} accepted, ${bad} refused lines`);
      const have = await page.locator(".chips .chip-have").count();
      check(have === c.links.length, `${have} parts shown as held, expected ${c.links.length}`);
      check(await revealButton.isEnabled(), "Reveal stays disabled with enough parts");
      check(reveals.length === 0, "pasting parts sent a reveal request");
      await shot(page, "parts");
    }

    if (c.expect.kind === "file") {
      const cdp = await context.newCDPSession(page);
      await cdp.send("Network.enable");
      await cdp.send("Network.emulateNetworkConditions", SLOW_NETWORK);
    }

    // ----- reveal (one click), with the passphrase when there is one.
    await revealButton.click();
    if (c.passphrase !== undefined) {
      await expectScreen(page, "passphrase");
      check(reveals.length === 0, "a reveal request before the passphrase was given");
      const counted = page.locator(`${SCREEN("passphrase")} #pass-counted`);
      if (serverChecked) {
        const note = (await counted.innerText()).trim();
        check(note === EN.passCounted, `the v2 prompt's note: ${JSON.stringify(note)}`);
      } else {
        check((await counted.count()) === 0, "a v1 prompt says wrong passphrases are counted");
      }
      await shot(page, "passphrase");
      const input = page.locator("#passphrase");
      const submit = page.locator(`${SCREEN("passphrase")} button[type=submit]`);
      if (c.wrong_passphrase !== undefined) {
        await input.fill(c.wrong_passphrase);
        await submit.click();
        const problem = page.locator(`${SCREEN("passphrase")} #pass-problem`);
        await waitFor(page, problem, "the wrong-passphrase message", 20_000);
        const said = (await problem.innerText()).trim();
        const after = await serverStatus(base, id);
        check(after.code === 200 && after.viewsLeft === before.viewsLeft, `a wrong passphrase spent a view (HTTP ${after.code}, views_left ${after.viewsLeft})`);
        if (serverChecked) {
          const n = c.wrong_passphrase_attempts_left;
          check(said === EN.passWrongCounted(n), `wrong passphrase message: ${JSON.stringify(said)}, expected ${JSON.stringify(EN.passWrongCounted(n))}`);
          check((await input.inputValue()) === "", "the refused passphrase is still in the field");
          check(reveals.length === 1, `${reveals.length} reveal requests for one wrong passphrase (the server must be asked once)`);
          const [refused] = reveals;
          check(B64URL_32.test(refused.link ?? ""), `Wisp-Reveal-Proof is not base64url of 32 bytes: ${refused.link}`);
          check(B64URL_32.test(refused.passphrase ?? ""), `Wisp-Passphrase-Proof is not base64url of 32 bytes: ${refused.passphrase}`);
        } else {
          check(said === EN.passWrong, `wrong passphrase message: ${JSON.stringify(said)}`);
          check((await input.inputValue()) === c.wrong_passphrase, "the wrong passphrase was not kept for correction");
          check(reveals.length === 0, "a wrong v1 passphrase sent a reveal request (the header tells it locally)");
        }
        check((await input.getAttribute("aria-invalid")) === "true", "the passphrase field is not marked invalid");
        check(await page.locator(`${SCREEN("passphrase")} button[type=submit]`).isEnabled(), "the passphrase can not be submitted again");
        await shot(page, "passphrase-wrong");
        await page.setViewportSize(PHONE);
        await shot(page, "passphrase-wrong-phone");
        await page.setViewportSize(DESKTOP);
      }
      await input.fill(c.passphrase);
      await submit.click();
    }

    // The progress screen is often too quick to catch; photographed when it is there.
    await transientShot(page, SCREEN("revealing"), "revealing");

    const want = c.expect.kind;
    await expectScreen(page, want, 30_000);
    check(reveals.length === expectedReveals, `${reveals.length} reveal requests, expected ${expectedReveals}`);
    const last = reveals.at(-1);
    check(B64URL_32.test(last.link ?? ""), `Wisp-Reveal-Proof is not base64url of 32 bytes: ${last.link}`);
    if (serverChecked) {
      check(B64URL_32.test(last.passphrase ?? ""), `Wisp-Passphrase-Proof is not base64url of 32 bytes: ${last.passphrase}`);
      if (reveals.length > 1) {
        // docs/crypto.md: the link proof comes from the link key alone, the passphrase proof does not.
        check(last.link === reveals[0].link, "the link proof changed with the passphrase");
        check(last.passphrase !== reveals[0].passphrase, "the right and the wrong passphrase gave the same passphrase proof");
      }
    } else {
      // No passphrase, or v1 (one proof of link and passphrase together).
      check(last.passphrase === null, `a passphrase proof was sent (${v1 ? "v1 has a single proof" : "the secret has no passphrase"})`);
    }
    checkNoSecretInUrls();
    const stored = await page.evaluate(() => localStorage.length + sessionStorage.length);
    check(stored === 0, `the page left ${stored} item(s) in web storage`);
    const after = await serverStatus(base, id);
    if (before.viewsLeft === 1) check(after.code === 404, `the secret is still there after its one view (HTTP ${after.code})`);
    else if (before.viewsLeft !== null) check(after.viewsLeft === before.viewsLeft - 1, `views_left ${before.viewsLeft} → ${after.viewsLeft}`);

    if (want === "text") {
      const shown = await page.locator("#secret").inputValue();
      check(shown === c.expect.text, `the text differs: ${JSON.stringify(shown)} vs ${JSON.stringify(c.expect.text)}`);
      await shot(page, "text");
      // Clipboard access may be refused headless: either outcome is fine, silence is not.
      await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: base }).catch(() => {});
      await page.locator("#copy").click();
      const copied = page.locator("#copy", { hasText: `✓ ${EN.copied}` });
      const failed = page.locator(`${SCREEN("text")} .copy-state`);
      await waitFor(page, copied.or(failed).first(), "feedback after Copy", 5000);
      let copyNote;
      if (await copied.isVisible()) {
        const clip = await page.evaluate(() => navigator.clipboard.readText()).catch(() => null);
        if (clip !== null) check(clip === c.expect.text, `the clipboard holds ${JSON.stringify(clip)}`);
        copyNote = clip === null ? "copied (clipboard not readable)" : "copied, clipboard verified";
      } else {
        const said = (await failed.innerText()).trim();
        check(said === EN.copyFailed, `copy failure message: ${JSON.stringify(said)}`);
        copyNote = "copy refused, fallback message shown";
      }
      await shot(page, "copied");
      return `text matches (${[...c.expect.text].length} chars); ${copyNote}`;
    }

    // want === "file"
    const name = (await page.locator(`${SCREEN("file")} .file-name`).innerText()).trim();
    check(name === c.expect.name, `file name shown: ${JSON.stringify(name)}`);
    await shot(page, "file");
    const downloadStarted = page.waitForEvent("download", { timeout: 30_000 });
    downloadStarted.catch(() => {});
    // Every value the save progress bar takes, read in the page until the bar goes away.
    const progress = page.evaluate((selector) => new Promise((resolve) => {
      const seen = [];
      const t0 = performance.now();
      const timer = setInterval(() => {
        const bar = document.querySelector(selector);
        const waited = performance.now() - t0;
        if ((!bar && (seen.length > 0 || waited > 5000)) || waited > 40_000) {
          clearInterval(timer);
          resolve(seen);
        } else if (bar && seen.at(-1) !== bar.value) {
          seen.push(bar.value);
        }
      }, 20);
    }), `${SCREEN("file")} progress`);
    progress.catch(() => {});
    await page.locator("#save").click();
    const download = await downloadStarted;
    // Through the service worker the download is a navigation to /s/_wisp-download/…, the
    // way the README describes; the Blob fallback (a blob: URL) keeps the whole file in
    // memory and is meant only for browsers without service workers, which Chromium is not.
    const url = new URL(download.url());
    check(url.origin === base && url.pathname.startsWith("/s/_wisp-download/"), `the file was not streamed through the service worker: download from ${url.protocol === "blob:" ? "a blob: URL (Blob fallback)" : download.url()}`);
    await transientShot(page, `${SCREEN("file")} progress`, "saving");
    const dir = await mkdtemp(path.join(tmpdir(), "wisp-e2e-"));
    try {
      const saved = path.join(dir, "download");
      await download.saveAs(saved);
      const failure = await download.failure();
      check(failure === null, `the download failed: ${failure}`);
      check(download.suggestedFilename() === c.expect.name, `download named ${JSON.stringify(download.suggestedFilename())}`);
      const got = await fileDigest(saved);
      check(got.size === c.expect.size, `downloaded ${got.size} bytes, expected ${c.expect.size}`);
      check(got.sha256 === c.expect.sha256, `downloaded SHA-256 ${got.sha256}, expected ${c.expect.sha256}`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const done = page.locator(`${SCREEN("file")} .alert-ok`);
    await waitFor(page, done, "the saved message", 15_000);
    const said = (await done.innerText()).trim();
    check(said === EN.saved, `after saving the page says ${JSON.stringify(said)}`);
    check(reveals.length === expectedReveals, `${reveals.length} reveal requests after saving`);
    checkNoSecretInUrls();
    await shot(page, "saved");
    const steps = await progress;
    check(steps.length > 0, "no progress bar while saving");
    check(steps.every((v, i) => i === 0 || v > steps[i - 1]), `the save progress went backwards: ${steps.join(", ")}`);
    check(steps.at(-1) <= c.expect.size, `the save progress overshot: ${steps.at(-1)} > ${c.expect.size}`);
    return `file matches (${c.expect.size} bytes, sha256 ok, streamed through the service worker, progress bar took ${steps.length} values)`;
  };

  let timer;
  try {
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Failure(`timed out after ${CASE_TIMEOUT_MS / 1000} s`)), CASE_TIMEOUT_MS);
    });
    const running = work();
    // On a timeout the steps still running fail when the context closes: nobody waits for them.
    running.catch(() => {});
    const detail = await Promise.race([running, timeout]);
    check(pageErrors.length === 0, `uncaught page error: ${pageErrors.join("; ")}`);
    return { ok: true, detail, shots };
  } catch (e) {
    if (page) await shot(page, "fail", { timeout: 5000 }).catch(() => {});
    // eslint-disable-next-line no-control-regex -- Playwright colours its messages
    const plain = (t) => t.replace(/\u001b\[[0-9;]*m/g, "");
    const reason = e instanceof Failure ? e.message : plain(String(e?.message ?? e)).split("\n")[0];
    return { ok: false, detail: pageErrors.length ? `${reason} (page errors: ${pageErrors.join("; ")})` : reason, shots };
  } finally {
    clearTimeout(timer);
    await context.close().catch(() => {});
  }
}

async function main() {
  const specPath = process.argv[2];
  if (!specPath) {
    console.error("usage: node e2e/reveal.e2e.mjs SPEC.json");
    process.exit(2);
  }
  const spec = JSON.parse(await readFile(specPath, "utf8"));
  spec.base = String(spec.base).replace(/\/+$/, "");
  await mkdir(spec.screenshots, { recursive: true });

  const started = Date.now();
  let browser;
  let passed = 0;
  try {
    // launch() gives the browser a fresh temporary user data dir, removed on close.
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      chromiumSandbox: false,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
      timeout: 30_000,
    });
    for (const c of spec.cases) {
      const t0 = Date.now();
      const r = await runCase(browser, spec, c, (line) => console.log(line));
      const secs = ((Date.now() - t0) / 1000).toFixed(1);
      if (r.ok) {
        passed++;
        console.log(`ok   ${c.name} (${secs} s): ${r.detail} [${r.shots.join(", ")}]`);
      } else {
        console.log(`FAIL ${c.name} (${secs} s): ${r.detail} [${r.shots.join(", ")}]`);
      }
    }
  } catch (e) {
    console.log(`FAIL browser: ${String(e?.message ?? e).split("\n")[0]}`);
  } finally {
    await browser?.close().catch(() => {});
  }
  const failed = spec.cases.length - passed;
  console.log(`reveal page e2e: ${passed} passed, ${failed} failed in ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots in ${spec.screenshots}`);
  process.exit(failed ? 1 : 0);
}

await main();
