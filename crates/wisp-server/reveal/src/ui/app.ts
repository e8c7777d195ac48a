// Owns the page's flow: status first, explicit Reveal, parts and passphrase, then streamed decryption to text or file.

import {
  checkLinkKey,
  decodeText,
  headerFromBase64url,
  linkProofBase64url,
  openPayload,
  parseFragment,
  parseSecretId,
  passphraseProofBase64url,
  readAll,
  unlock,
  wipeKeys,
  WispError,
  type DerivedKeys,
  type LinkSecret,
  type OpenedPayload,
  type PayloadHeader,
} from "../crypto";
import { burn, getStatus, refetch, reveal, type Proofs, type RevealResponse } from "./api";
import { argon2InWorker } from "./argon2-client";
import { prepareServiceWorker, SaveCancelled, saveFile } from "./download";
import { chooseLanguage, LANGS, MESSAGES, type Lang, type Messages } from "./i18n";
import type { Actions, PassphraseProblem, Screen } from "./screens";
import {
  ApiError,
  baseFromLocation,
  describeError,
  PartsCollector,
  revealRefusal,
  sanitizeFileName,
  secretIdFromPath,
  viewsLeftFromHeader,
  type SecretStatus,
} from "./state";
import { passphraseBlocked, patchParts, patchPassphraseWaitOver, patchProgress, render } from "./view";

export interface AppOptions {
  main: HTMLElement;
  live: HTMLElement;
  languageSelect: HTMLSelectElement;
  /** The fragment as it was at load time (already removed from the address bar). */
  fragment: string;
}

export class App implements Actions {
  private lang: Lang;
  private m: Messages;
  private screen: Screen = { name: "loading" };
  private readonly id: string | null;
  private readonly own: LinkSecret | null = null;
  private readonly ownError: unknown = null;
  private status: SecretStatus | null = null;
  private header: PayloadHeader | null = null;
  private collector: PartsCollector | null = null;
  private linkKey: Uint8Array | null = null;
  private keys: DerivedKeys | null = null;
  private opened: OpenedPayload | null = null;
  private downloadToken: string | null = null;
  private viewsLeft: number | null = null;
  private text: string | null = null;
  private copiedTimer = 0;
  /** Set while a reveal is being prepared: a double click must never spend two views. */
  private revealStarted = false;
  private progressFrame = 0;
  private waitTimer = 0;

  constructor(private readonly opts: AppOptions) {
    this.lang = chooseLanguage(navigator.languages.length ? navigator.languages : [navigator.language]);
    this.m = MESSAGES[this.lang];
    const rawId = secretIdFromPath(location.pathname);
    let id: string | null = null;
    try {
      id = rawId === null ? null : parseSecretId(rawId);
    } catch {
      id = null;
    }
    this.id = id;
    if (opts.fragment.replace(/^#/, "") !== "") {
      try {
        this.own = parseFragment(opts.fragment);
      } catch (e) {
        this.ownError = e;
      }
    }
    this.setupLanguageSelect();
  }

  // ----- lifecycle -------------------------------------------------------------------

  async start(): Promise<void> {
    this.show({ name: "loading" });
    if (this.id === null) {
      this.fail(new WispError("invalid_link", "no secret id in the address"));
      return;
    }
    let status: SecretStatus;
    try {
      status = await getStatus(this.id);
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) this.show({ name: "unavailable" });
      else this.fail(e);
      return;
    }
    this.status = status;
    // Without a key nothing can be opened, but an unavailable secret says so first (above).
    if (this.own === null) {
      this.fail(this.ownError ?? new WispError("invalid_link", "no fragment"), false, this.ownError ? undefined : "no_fragment");
      return;
    }
    try {
      this.header = headerFromBase64url(status.header);
    } catch (e) {
      this.fail(e);
      return;
    }
    if (this.own.kind === "key") {
      this.linkKey = this.own.key;
      if (!(await this.checkLink())) return;
    } else {
      this.collector = new PartsCollector({
        base: baseFromLocation(location.origin, location.pathname),
        secretId: this.id,
        secret: this.own,
      });
    }
    this.showStatus(false);
  }

  private showStatus(busy: boolean): void {
    if (!this.status || !this.header) return;
    this.show({
      name: "status",
      status: this.status,
      needsPassphrase: this.header.passphrase !== null,
      parts: this.collector?.current ?? null,
      ownOrdinal: this.own?.kind === "part" ? this.own.part.ordinal : null,
      busy,
    });
  }

  // ----- actions (called by the views) ------------------------------------------------

  partsInput(text: string): void {
    if (!this.collector || this.screen.name !== "status") return;
    const before = this.collector.current;
    const parts = this.collector.update(text);
    this.screen = { ...this.screen, parts };
    patchParts(this.opts.main, parts, this.m);
    if (parts.ready && !before.ready) this.announce(this.m.partsReady);
  }

  reveal(): void {
    if (this.revealStarted) return;
    this.revealStarted = true;
    void this.revealFlow().finally(() => {
      this.revealStarted = false;
    });
  }

  private async revealFlow(): Promise<void> {
    if (!this.header || this.screen.name !== "status") return;
    if (this.linkKey === null && this.collector) {
      try {
        this.linkKey = await this.collector.key();
      } catch (e) {
        this.fail(e);
        return;
      }
      if (!(await this.checkLink())) {
        this.linkKey = null;
        return;
      }
    }
    if (this.header.passphrase && this.keys === null) {
      this.showPassphrase(false, null);
      return;
    }
    await this.fetchAndOpen();
  }

  /**
   * The key check is free, so a wrong link is said now, not after a click or a passphrase:
   * without a passphrase the keys are derived at once; with one, v2's key check still tells
   * the link (it comes from the link key alone). Only a v1 passphrase secret must wait for
   * the passphrase. False (after showing the error) when the link is wrong.
   */
  private async checkLink(): Promise<boolean> {
    if (!this.header || !this.linkKey) return false;
    try {
      if (!this.header.passphrase) this.keys = await unlock(this.linkKey, null, this.header);
      else await checkLinkKey(this.linkKey, this.header);
    } catch (e) {
      this.fail(e);
      return false;
    }
    return true;
  }

  private showPassphrase(busy: boolean, problem: PassphraseProblem | null): void {
    // v2: the server checks the passphrase and counts wrong ones; the prompt says so.
    this.show({ name: "passphrase", busy, counted: this.header?.version === 2, problem });
  }

  submitPassphrase(phrase: string): void {
    void this.passphraseFlow(phrase);
  }

  private async passphraseFlow(phrase: string): Promise<void> {
    if (!this.header || !this.linkKey || this.screen.name !== "passphrase" || this.screen.busy) return;
    if (passphraseBlocked(this.screen.problem, Date.now())) return;
    if (phrase === "") {
      this.showPassphrase(false, { kind: "empty" });
      return;
    }
    this.showPassphrase(true, null);
    this.announce(this.m.passChecking);
    try {
      // v1: checked locally against the header's key check (a wrong passphrase costs nothing).
      // v2: nothing public can tell a passphrase; the server checks its proof (below).
      this.keys = await unlock(this.linkKey, phrase, this.header, argon2InWorker);
    } catch (e) {
      if (e instanceof WispError && e.code === "wrong_passphrase") {
        this.showPassphrase(false, { kind: "wrong" });
        // Keep what was typed, selected: usually one typo away, and easy to replace.
        const input = this.opts.main.querySelector<HTMLInputElement>("#passphrase");
        if (input) {
          input.value = phrase;
          input.select();
        }
        return;
      }
      this.fail(e);
      return;
    }
    // The prompt stays (busy) while the server checks the passphrase proof.
    await this.fetchAndOpen(true);
  }

  private proofs(keys: DerivedKeys): Proofs {
    return { link: linkProofBase64url(keys), passphrase: passphraseProofBase64url(keys) };
  }

  private async fetchAndOpen(fromPassphrase = false): Promise<void> {
    if (!this.keys || !this.id) return;
    if (!fromPassphrase) this.show({ name: "revealing", done: 0, total: this.status?.size ?? null });
    let res: RevealResponse;
    try {
      res = await reveal(this.id, this.proofs(this.keys));
    } catch (e) {
      this.refused(e);
      return;
    }
    this.viewsLeft = viewsLeftFromHeader(res.viewsLeft);
    this.downloadToken = res.downloadToken;
    await this.open(res);
  }

  /** The server refused the reveal: back to the prompt, a wait, the end, or an error. */
  private refused(e: unknown): void {
    const r = revealRefusal(e);
    const passphraseSecret = this.header?.passphrase != null;
    if (r.kind === "wrongPassphrase" || r.kind === "destroyed" || (r.kind === "wait" && passphraseSecret)) {
      // These keys came from a passphrase the server did not accept: forget them, and the
      // new prompt starts with an empty field (a counted attempt should be a deliberate one).
      wipeKeys(this.keys);
      this.keys = null;
    }
    switch (r.kind) {
      case "wrongPassphrase":
        this.showPassphrase(false, { kind: "wrongCounted", attemptsLeft: r.attemptsLeft });
        return;
      case "destroyed":
        this.show({ name: "destroyed" });
        return;
      case "wait":
        if (passphraseSecret) {
          const until = r.seconds === null ? null : Date.now() + r.seconds * 1000;
          const problem: PassphraseProblem = { kind: "wait", until };
          this.showPassphrase(false, problem);
          window.clearTimeout(this.waitTimer);
          if (until !== null) {
            this.waitTimer = window.setTimeout(() => {
              if (this.screen.name !== "passphrase" || this.screen.problem !== problem) return;
              this.screen = { ...this.screen, problem: null };
              patchPassphraseWaitOver(this.opts.main);
            }, until - Date.now());
          }
          return;
        }
        this.fail(e);
        return;
      case "unavailable":
        this.show({ name: "unavailable" });
        return;
      case "error":
        this.fail(e);
        return;
    }
  }

  private async open(res: RevealResponse): Promise<void> {
    if (!this.keys || !this.header) return;
    const total = res.length ?? this.status?.size ?? null;
    this.show({ name: "revealing", done: 0, total });
    // Counts bytes as they arrive, so the bar moves even before the first segment is whole.
    let received = 0;
    const counted = res.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          received += chunk.length;
          controller.enqueue(chunk);
        },
      }),
    );
    let opened: OpenedPayload;
    try {
      opened = await this.withProgress(() => received, total, () => openPayload(this.keys!, this.header!, counted));
    } catch (e) {
      this.fail(e, true);
      return;
    }
    this.opened = opened;
    const canBurn = this.status?.recipient_can_burn === true && this.viewsLeft !== 0 ? "idle" : "hidden";
    if (opened.metadata.kind === "file") {
      void prepareServiceWorker();
      this.show({
        name: "file",
        metadata: opened.metadata,
        safeName: sanitizeFileName(opened.metadata.name),
        viewsLeft: this.viewsLeft,
        save: "idle",
        done: 0,
        error: null,
        burn: canBurn,
      });
      return;
    }
    try {
      const bytes = await this.withProgress(() => received, total, () => readAll(opened));
      this.text = decodeText(opened.metadata, bytes);
      bytes.fill(0);
    } catch (e) {
      this.fail(e, true);
      return;
    }
    this.show({ name: "text", text: this.text, viewsLeft: this.viewsLeft, copied: "idle", burn: canBurn });
    this.announce(this.m.textTitle);
  }

  /** Repaints the progress bar once per frame while `work` streams. */
  private async withProgress<T>(done: () => number, total: number | null, work: () => Promise<T>): Promise<T> {
    const tick = () => {
      if (this.screen.name === "revealing") {
        this.screen = { ...this.screen, done: done(), total };
        patchProgress(this.opts.main, done(), total, this.m, this.lang);
      }
      this.progressFrame = requestAnimationFrame(tick);
    };
    this.progressFrame = requestAnimationFrame(tick);
    try {
      return await work();
    } finally {
      cancelAnimationFrame(this.progressFrame);
    }
  }

  copy(): void {
    if (this.screen.name !== "text" || this.text === null) return;
    const done = (ok: boolean) => {
      if (this.screen.name !== "text") return;
      this.show({ ...this.screen, copied: ok ? "copied" : "failed" }, false);
      this.opts.main.querySelector<HTMLElement>("#copy")?.focus();
      if (ok) this.announce(this.m.copied);
      window.clearTimeout(this.copiedTimer);
      if (ok) {
        this.copiedTimer = window.setTimeout(() => {
          if (this.screen.name === "text") {
            this.show({ ...this.screen, copied: "idle" }, false);
            this.opts.main.querySelector<HTMLElement>("#copy")?.focus();
          }
        }, 2500);
      }
    };
    const fallback = () => {
      // Clipboard API missing or refused (permissions, insecure context): select the text
      // and try the legacy command; if that fails too, the selection helps a manual copy.
      const box = this.opts.main.querySelector<HTMLTextAreaElement>("#secret");
      box?.focus();
      box?.select();
      let ok = false;
      try {
        ok = document.execCommand("copy");
      } catch {
        ok = false;
      }
      done(ok);
      if (!ok) {
        const again = this.opts.main.querySelector<HTMLTextAreaElement>("#secret");
        again?.select();
      }
    };
    if (typeof navigator.clipboard?.writeText !== "function") {
      fallback();
      return;
    }
    navigator.clipboard.writeText(this.text).then(() => done(true), fallback);
  }

  save(): void {
    void this.saveFlow();
  }

  private async saveFlow(): Promise<void> {
    if (this.screen.name !== "file" || !this.opened) return;
    const opened = this.opened;
    this.show({ ...this.screen, save: "saving", done: 0 }, false);
    let last = 0;
    try {
      await saveFile({
        name: this.screen.safeName,
        size: opened.metadata.size,
        chunks: opened.content(),
        onProgress: (bytes) => {
          const now = performance.now();
          if (this.screen.name !== "file" || now - last < 100) return;
          last = now;
          this.screen = { ...this.screen, done: bytes };
          patchProgress(this.opts.main, bytes, opened.metadata.size, this.m, this.lang);
        },
      });
    } catch (e) {
      if (this.screen.name === "file") {
        const error = this.errorView(e, true);
        if (e instanceof SaveCancelled) {
          error.text = this.m.errors.save_failed;
          error.hint = null;
          error.retry = this.downloadToken !== null;
        }
        this.show({ ...this.screen, save: "failed", error }, false);
      }
      return;
    }
    if (this.screen.name === "file") {
      this.show({ ...this.screen, save: "saved" }, false);
      this.announce(this.m.saved);
    }
  }

  burn(): void {
    void this.burnFlow();
  }

  private async burnFlow(): Promise<void> {
    const s = this.screen;
    if ((s.name !== "text" && s.name !== "file") || !this.keys || !this.id) return;
    this.show({ ...s, burn: "busy" }, false);
    try {
      await burn(this.id, this.proofs(this.keys));
    } catch {
      if (this.screen.name === "text" || this.screen.name === "file") this.show({ ...this.screen, burn: "failed" }, false);
      return;
    }
    if (this.screen.name === "text" || this.screen.name === "file") {
      this.show({ ...this.screen, burn: "done" }, false);
      this.announce(this.m.burned);
    }
  }

  retry(): void {
    void this.retryFlow();
  }

  private async retryFlow(): Promise<void> {
    const s = this.screen;
    if (s.name !== "error" && s.name !== "file") return;
    if ((s.name === "file" || s.afterReveal) && this.downloadToken && this.id) {
      // The view was already claimed: fetch the same payload again with the resume token.
      this.show({ name: "revealing", done: 0, total: this.status?.size ?? null });
      try {
        await this.open(await refetch(this.id, this.downloadToken));
      } catch (e) {
        this.fail(e, true);
      }
      return;
    }
    if (this.keys && this.status && this.header) {
      await this.fetchAndOpen();
      return;
    }
    await this.start();
  }

  // ----- rendering -------------------------------------------------------------------

  private fail(e: unknown, afterReveal = false, pageCode?: "no_fragment"): void {
    const error = this.errorView(e, afterReveal);
    if (pageCode) error.text = this.m.errors[pageCode];
    this.show({ name: "error", error, afterReveal });
  }

  private errorView(e: unknown, afterReveal: boolean) {
    const error = describeError(e, this.m, afterReveal);
    // After the view was claimed, only the resume token can fetch the payload again
    // without spending another view: without it, "Try again" would be a false promise.
    if (afterReveal && !this.downloadToken) error.retry = false;
    return error;
  }

  private show(screen: Screen, moveFocus = true): void {
    this.screen = screen;
    const { root, focus } = render(screen, { m: this.m, lang: this.lang, actions: this, now: new Date() });
    this.opts.main.replaceChildren(root);
    document.title = `${titleOf(root)} · Wisp`;
    // Moving focus to the new heading makes screen readers read it; screens without a
    // focus target are announced through the live region instead.
    if (moveFocus && focus) focus.focus({ preventScroll: false });
    else if (moveFocus && screen.name !== "loading") this.announce(titleOf(root));
  }

  private announce(text: string): void {
    // Cleared first so the same sentence twice is still read out.
    this.opts.live.textContent = "";
    window.setTimeout(() => {
      this.opts.live.textContent = text;
    }, 50);
  }

  private setupLanguageSelect(): void {
    const select = this.opts.languageSelect;
    select.replaceChildren(
      ...LANGS.map((l) => {
        const o = document.createElement("option");
        o.value = l;
        o.lang = l;
        o.textContent = MESSAGES[l].languageName;
        return o;
      }),
    );
    select.value = this.lang;
    this.applyLanguage();
    select.addEventListener("change", () => {
      const next = LANGS.find((l) => l === select.value);
      if (!next) return;
      this.lang = next;
      this.m = MESSAGES[next];
      this.applyLanguage();
      // Keep what the user typed across the re-render.
      const fields = new Map<string, string>();
      this.opts.main.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>("input[id], textarea[id]").forEach((f) => fields.set(f.id, f.value));
      this.show(this.screen, false);
      fields.forEach((v, id) => {
        const f = this.opts.main.querySelector<HTMLInputElement | HTMLTextAreaElement>(`#${id}`);
        if (f && f.id !== "secret") f.value = v;
      });
    });
  }

  private applyLanguage(): void {
    document.documentElement.lang = this.lang;
    const label = document.querySelector<HTMLElement>("label[for=lang]");
    if (label) label.textContent = this.m.languageLabel;
    const footer = document.getElementById("footer-text");
    if (footer) footer.textContent = this.m.footer;
  }
}

function titleOf(root: HTMLElement): string {
  return root.querySelector("h1")?.textContent ?? root.textContent?.trim().slice(0, 60) ?? "";
}
