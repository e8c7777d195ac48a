// Owns turning a Screen into DOM (pure rendering; state lives in app.ts). Every string comes from i18n.

import { h } from "./dom";
import { formatSize } from "./format";
import type { Lang, Messages } from "./i18n";
import type { Actions, PassphraseProblem, Screen } from "./screens";
import { partLineIsProblem, partLineText, statusFacts, viewsAfterText, type ErrorView, type PartsState } from "./state";

export interface Rendered {
  root: HTMLElement;
  /** Element to focus when this screen appears (its heading, or the field to fill). */
  focus: HTMLElement | null;
}

interface Ctx {
  m: Messages;
  lang: Lang;
  actions: Actions;
  now: Date;
}

function icon(name: string): HTMLElement {
  return h("span", { class: `icon icon-${name}`, attrs: { "aria-hidden": "true" } });
}

function heading(text: string, iconName: string): [HTMLElement, HTMLElement] {
  const h1 = h("h1", { text, attrs: { tabindex: "-1" } });
  return [h("div", { class: "card-head" }, icon(iconName), h1), h1];
}

function card(kind: string, ...children: (Node | null | false)[]): HTMLElement {
  return h("section", { class: `card card-${kind}` }, ...children);
}

function errorBlock(e: ErrorView, m: Messages, retry: (() => void) | null): HTMLElement {
  return h(
    "div",
    { class: "alert alert-error", attrs: { role: "alert" } },
    h("p", { text: e.text }),
    e.hint ? h("p", { class: "hint", text: e.hint }) : null,
    e.requestId ? h("p", { class: "ref", text: m.reference(e.requestId) }) : null,
    e.retry && retry ? h("button", { class: "btn btn-secondary", text: m.tryAgain, attrs: { type: "button" }, on: { click: retry } }) : null,
  );
}

export function render(screen: Screen, ctx: Ctx): Rendered {
  switch (screen.name) {
    case "loading":
      return loading(ctx);
    case "status":
      return status(screen, ctx);
    case "passphrase":
      return passphrase(screen, ctx);
    case "revealing":
      return revealing(screen, ctx);
    case "text":
      return text(screen, ctx);
    case "file":
      return file(screen, ctx);
    case "unavailable":
      return unavailable(ctx);
    case "destroyed":
      return destroyed(ctx);
    case "error":
      return error(screen, ctx);
  }
}

function loading({ m }: Ctx): Rendered {
  const root = card("loading", h("p", { class: "busy-line" }, h("span", { class: "spinner", attrs: { "aria-hidden": "true" } }), m.loading));
  return { root, focus: null };
}

function status(s: Extract<Screen, { name: "status" }>, ctx: Ctx): Rendered {
  const { m, lang, now, actions } = ctx;
  const [head, h1] = heading(m.statusTitle, s.parts ? "puzzle" : s.needsPassphrase ? "key" : "lock");
  const facts = statusFacts(s.status, s.needsPassphrase, now, lang, m);
  const ready = s.parts === null || s.parts.ready;
  const button = h("button", {
    class: "btn btn-primary btn-big",
    id: "reveal",
    text: m.revealButton,
    attrs: { type: "button", disabled: !ready || s.busy, "aria-describedby": "reveal-note" },
    on: { click: () => actions.reveal() },
  });
  const once = s.status.views_left !== null && s.status.views_left <= 1;
  const root = card(
    "status",
    head,
    h("p", { class: "lead", text: m.statusIntro }),
    h("ul", { class: "facts" }, ...facts.map((f) => h("li", { text: f }))),
    s.parts ? partsSection(s.parts, s.ownOrdinal ?? 0, ctx) : null,
    h(
      "div",
      { class: "actions" },
      button,
      h("p", { class: "note", id: "reveal-note", text: once ? `${m.revealNote} ${m.revealNoteOnce}` : m.revealNote }),
    ),
    h("p", { class: "why", text: m.revealWhy }),
  );
  return { root, focus: h1 };
}

/** The split-link helper: which parts you hold, a box for the others, feedback per line. */
function partsSection(p: PartsState, ownOrdinal: number, { m, actions }: Ctx): HTMLElement {
  const chips = h("ul", { class: "chips", attrs: { "aria-label": m.partsHave } });
  for (let i = 1; i <= p.total; i++) {
    const has = p.have.includes(i);
    chips.append(
      h("li", { class: has ? "chip chip-have" : "chip", text: has ? `${m.partChip(i)} ✓` : m.partChip(i) }),
    );
  }
  const textarea = h("textarea", {
    id: "parts",
    class: "input mono",
    attrs: {
      rows: 3,
      spellcheck: "false",
      autocomplete: "off",
      autocapitalize: "off",
      "aria-describedby": "parts-hint parts-feedback",
    },
    on: { input: (e) => actions.partsInput((e.target as HTMLTextAreaElement).value) },
  });
  const feedback = h("div", { id: "parts-feedback", class: "parts-feedback" }, ...partsFeedback(p, m));
  return h(
    "div",
    { class: "parts" },
    h("h2", { text: m.partsTitle }),
    h("p", { text: m.partsYouOpened(ownOrdinal, p.total, p.needed) }),
    h("p", { class: "label-like", text: m.partsHave }),
    chips,
    h("label", { attrs: { for: "parts" }, text: m.partsPasteLabel }),
    h("p", { class: "hint", id: "parts-hint", text: m.partsPasteHint }),
    textarea,
    feedback,
  );
}

export function partsFeedback(p: PartsState, m: Messages): HTMLElement[] {
  const out: HTMLElement[] = [];
  if (p.lines.length > 0) {
    out.push(
      h(
        "ul",
        { class: "lines" },
        ...p.lines.map((l) => h("li", { class: partLineIsProblem(l) ? "line line-bad" : "line line-ok", text: partLineText(l, m) })),
      ),
    );
  }
  out.push(h("p", { class: p.ready ? "count count-ready" : "count", text: p.ready ? m.partsReady : m.partsMissing(p.missing) }));
  return out;
}

/** Seconds left of a 429's wait at `now` (at least 1 while waiting), or null when the server gave no time. */
export function waitSecondsLeft(until: number | null, now: number): number | null {
  return until === null ? null : Math.max(0, Math.ceil((until - now) / 1000));
}

export function passphraseProblemText(p: PassphraseProblem, m: Messages, now: number): string {
  switch (p.kind) {
    case "empty":
      return m.passEmpty;
    case "wrong":
      return m.passWrong;
    case "wrongCounted":
      return p.attemptsLeft === null ? m.errors.wrong_passphrase : m.passWrongCounted(p.attemptsLeft);
    case "wait": {
      const left = waitSecondsLeft(p.until, now);
      return left === null ? m.errors.too_many_attempts : m.passWait(Math.max(1, left));
    }
  }
}

/** Whether the submit button waits for a 429's Retry-After to pass. */
export function passphraseBlocked(p: PassphraseProblem | null, now: number): boolean {
  return p?.kind === "wait" && p.until !== null && p.until > now;
}

function passphrase(s: Extract<Screen, { name: "passphrase" }>, { m, actions, now }: Ctx): Rendered {
  const [head] = heading(m.passTitle, "key");
  const wrong = s.problem?.kind === "wrong" || s.problem?.kind === "wrongCounted";
  const blocked = passphraseBlocked(s.problem, now.getTime());
  const described = [s.problem ? "pass-problem" : "pass-intro", s.counted ? "pass-counted" : null].filter((x) => x !== null).join(" ");
  const input = h("input", {
    id: "passphrase",
    class: "input",
    attrs: {
      type: "password",
      autocomplete: "off",
      autocapitalize: "off",
      spellcheck: "false",
      disabled: s.busy,
      "aria-invalid": wrong ? "true" : undefined,
      "aria-describedby": described,
    },
  });
  const toggle = h("button", {
    class: "btn btn-ghost",
    text: m.passShow,
    attrs: { type: "button", "aria-pressed": "false", "aria-controls": "passphrase", disabled: s.busy },
    on: {
      click: () => {
        const show = input.type === "password";
        input.type = show ? "text" : "password";
        toggle.textContent = show ? m.passHide : m.passShow;
        toggle.setAttribute("aria-pressed", String(show));
        input.focus();
      },
    },
  });
  const form = h(
    "form",
    {
      class: "stack",
      attrs: { novalidate: true },
      on: {
        submit: (e) => {
          // Handled here; the CSP's form-action 'none' would refuse a real submission anyway.
          e.preventDefault();
          if (!s.busy) actions.submitPassphrase(input.value);
        },
      },
    },
    h("label", { attrs: { for: "passphrase" }, text: m.passLabel }),
    h("div", { class: "input-row" }, input, toggle),
    s.problem
      ? h("p", { class: "field-error", id: "pass-problem", attrs: { role: "alert" }, text: passphraseProblemText(s.problem, m, now.getTime()) })
      : null,
    s.counted ? h("p", { class: "hint", id: "pass-counted", text: m.passCounted }) : null,
    h(
      "button",
      { class: "btn btn-primary btn-big", id: "pass-submit", attrs: { type: "submit", disabled: s.busy || blocked } },
      s.busy ? h("span", { class: "spinner", attrs: { "aria-hidden": "true" } }) : null,
      s.busy ? m.passChecking : m.passSubmit,
    ),
  );
  const root = card("passphrase", head, h("p", { class: "lead", id: "pass-intro", text: m.passIntro }), form);
  return { root, focus: s.busy ? null : input };
}

function revealing(s: Extract<Screen, { name: "revealing" }>, { m, lang }: Ctx): Rendered {
  const [head] = heading(m.revealing, "lock");
  const bar = h("progress", {
    attrs: s.total ? { max: s.total, value: Math.min(s.done, s.total), "aria-label": m.revealing } : { "aria-label": m.revealing },
  });
  const root = card(
    "revealing",
    head,
    bar,
    s.total ? h("p", { class: "note", id: "progress-text", text: m.progress(formatSize(s.done, lang), formatSize(s.total, lang)) }) : null,
  );
  return { root, focus: null };
}

function viewsNote(viewsLeft: number | null, kind: "text" | "file", m: Messages): HTMLElement {
  const last = viewsLeft === 0;
  return h("p", { class: last ? "alert alert-warn" : "note", text: viewsAfterText(viewsLeft, kind, m) });
}

function burnBlock(burn: "hidden" | "idle" | "busy" | "done" | "failed", { m, actions }: Ctx): HTMLElement | null {
  if (burn === "hidden") return null;
  if (burn === "done") return h("p", { class: "alert alert-ok", text: m.burned });
  return h(
    "div",
    { class: "burn" },
    h("button", {
      class: "btn btn-danger",
      text: m.burnButton,
      attrs: { type: "button", disabled: burn === "busy", "aria-describedby": "burn-note" },
      on: { click: () => actions.burn() },
    }),
    h("p", { class: "note", id: "burn-note", text: burn === "failed" ? m.errors.server : m.burnNote }),
  );
}

function text(s: Extract<Screen, { name: "text" }>, ctx: Ctx): Rendered {
  const { m, actions } = ctx;
  const [head, h1] = heading(m.textTitle, "text");
  const box = h("textarea", {
    id: "secret",
    class: "secret mono",
    attrs: { readonly: true, rows: Math.min(14, Math.max(3, s.text.split("\n").length + 1)), spellcheck: "false", "aria-label": m.textLabel },
  });
  box.value = s.text;
  const copy = h(
    "button",
    { class: "btn btn-primary", id: "copy", attrs: { type: "button" }, on: { click: () => actions.copy() } },
    s.copied === "copied" ? `✓ ${m.copied}` : m.copy,
  );
  const root = card(
    "text",
    head,
    viewsNote(s.viewsLeft, "text", m),
    box,
    h("div", { class: "actions actions-row" }, copy, s.copied === "failed" ? h("span", { class: "copy-state", attrs: { role: "alert" }, text: m.copyFailed }) : null),
    burnBlock(s.burn, ctx),
  );
  return { root, focus: h1 };
}

function file(s: Extract<Screen, { name: "file" }>, ctx: Ctx): Rendered {
  const { m, lang, actions } = ctx;
  const [head, h1] = heading(m.fileTitle, "file");
  const size = s.metadata.size;
  const info = h(
    "dl",
    { class: "file-info" },
    h("dt", { text: m.fileName }),
    h("dd", { class: "file-name", text: s.safeName }),
    size !== undefined ? h("dt", { text: m.fileSize }) : null,
    size !== undefined ? h("dd", { text: formatSize(size, lang) }) : null,
    s.metadata.type ? h("dt", { text: m.fileType }) : null,
    s.metadata.type ? h("dd", { class: "mono", text: s.metadata.type }) : null,
  );
  let action: HTMLElement;
  if (s.save === "saved") {
    action = h("p", { class: "alert alert-ok", attrs: { role: "status" }, text: m.saved });
  } else if (s.save === "saving") {
    action = h(
      "div",
      { class: "stack" },
      h("progress", { attrs: size ? { max: size, value: Math.min(s.done, size), "aria-label": m.saving } : { "aria-label": m.saving } }),
      h("p", { class: "note", id: "progress-text", text: size ? m.progress(formatSize(s.done, lang), formatSize(size, lang)) : m.saving }),
    );
  } else if (s.save === "failed" && s.error) {
    action = errorBlock(s.error, m, () => actions.retry());
  } else {
    action = h(
      "div",
      { class: "actions" },
      h("button", { class: "btn btn-primary btn-big", id: "save", text: m.saveButton, attrs: { type: "button" }, on: { click: () => actions.save() } }),
      h("p", { class: "note", text: m.saveNote }),
    );
  }
  const root = card("file", head, viewsNote(s.viewsLeft, "file", m), info, action, burnBlock(s.burn, ctx));
  return { root, focus: h1 };
}

function unavailable({ m }: Ctx): Rendered {
  const [head, h1] = heading(m.unavailableTitle, "gone");
  const root = card("unavailable", head, h("p", { class: "lead", text: m.unavailableText }), h("p", { text: m.unavailableHint }));
  return { root, focus: h1 };
}

function destroyed({ m }: Ctx): Rendered {
  const [head, h1] = heading(m.destroyedTitle, "gone");
  const root = card("destroyed", head, h("p", { class: "lead", attrs: { role: "alert" }, text: m.destroyedText }), h("p", { text: m.unavailableHint }));
  return { root, focus: h1 };
}

function error(s: Extract<Screen, { name: "error" }>, { m, actions }: Ctx): Rendered {
  const titles = { linkErrorTitle: m.linkErrorTitle, damagedTitle: m.damagedTitle, errorTitle: m.errorTitle };
  const [head, h1] = heading(titles[s.error.title], "alert");
  const e = s.error;
  const root = card(
    "error",
    head,
    h("p", { class: "lead", text: e.text }),
    e.hint ? h("p", { text: e.hint }) : null,
    e.requestId ? h("p", { class: "ref", text: m.reference(e.requestId) }) : null,
    e.retry
      ? h("div", { class: "actions" }, h("button", { class: "btn btn-primary", id: "retry", text: m.tryAgain, attrs: { type: "button" }, on: { click: () => actions.retry() } }))
      : null,
  );
  return { root, focus: h1 };
}

/**
 * Updates the split-link helper in place while the user pastes, without rebuilding the
 * textarea (that would lose the caret and break input methods).
 */
export function patchProgress(root: HTMLElement, done: number, total: number | null | undefined, m: Messages, lang: Lang): void {
  const bar = root.querySelector("progress");
  if (bar && total) bar.value = Math.min(done, total);
  const text = root.querySelector("#progress-text");
  if (text && total) text.textContent = m.progress(formatSize(Math.min(done, total), lang), formatSize(total, lang));
}

/**
 * Ends a 429's wait in place (no re-render: the field keeps its text and focus): the message
 * goes and the button comes back. The message is not counted down: a live region that
 * changes every second would be read out every second.
 */
export function patchPassphraseWaitOver(root: HTMLElement): void {
  root.querySelector("#pass-problem")?.remove();
  const submit = root.querySelector<HTMLButtonElement>("#pass-submit");
  if (submit) submit.disabled = false;
}

export function patchParts(root: HTMLElement, p: PartsState, m: Messages): void {
  root.querySelector("#parts-feedback")?.replaceChildren(...partsFeedback(p, m));
  const chips = root.querySelectorAll<HTMLElement>(".chips .chip");
  chips.forEach((chip, i) => {
    const has = p.have.includes(i + 1);
    chip.className = has ? "chip chip-have" : "chip";
    chip.textContent = has ? `${m.partChip(i + 1)} ✓` : m.partChip(i + 1);
  });
  const button = root.querySelector<HTMLButtonElement>("#reveal");
  if (button) button.disabled = !p.ready;
}
