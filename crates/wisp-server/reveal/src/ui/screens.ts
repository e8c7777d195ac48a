// Owns the shape of what the page can show: one Screen at a time, plus the actions the views may call.

import type { Metadata } from "../crypto";
import type { ErrorView, PartsState, SecretStatus } from "./state";

export type Screen =
  | { name: "loading" }
  | {
      name: "status";
      status: SecretStatus;
      needsPassphrase: boolean;
      /** Present when the link is one part of a split link. */
      parts: PartsState | null;
      ownOrdinal: number | null;
      busy: boolean;
    }
  | {
      name: "passphrase";
      busy: boolean;
      /** v2: the server checks the passphrase and counts wrong ones (v1: the header tells it, nothing counted). */
      counted: boolean;
      problem: PassphraseProblem | null;
    }
  | { name: "revealing"; done: number; total: number | null }
  | {
      name: "text";
      text: string;
      viewsLeft: number | null;
      copied: "idle" | "copied" | "failed";
      burn: "hidden" | "idle" | "busy" | "done" | "failed";
    }
  | {
      name: "file";
      metadata: Metadata;
      safeName: string;
      viewsLeft: number | null;
      save: "idle" | "saving" | "saved" | "failed";
      done: number;
      error: ErrorView | null;
      burn: "hidden" | "idle" | "busy" | "done" | "failed";
    }
  | { name: "unavailable" }
  /** The server's last allowed wrong passphrase destroyed the secret (403 wrong_passphrase, attempts_left 0). */
  | { name: "destroyed" }
  | { name: "error"; error: ErrorView; afterReveal: boolean };

export type PassphraseProblem =
  | { kind: "empty" }
  /** v1: the header's key check refused it locally (no request, nothing counted). */
  | { kind: "wrong" }
  /** v2: the server refused the passphrase proof and counted it (403 wrong_passphrase). */
  | { kind: "wrongCounted"; attemptsLeft: number | null }
  /** 429 too_many_attempts: submitting is blocked until `until` (ms since the epoch), when the server said. */
  | { kind: "wait"; until: number | null };

export interface Actions {
  reveal(): void;
  partsInput(text: string): void;
  submitPassphrase(phrase: string): void;
  copy(): void;
  save(): void;
  burn(): void;
  retry(): void;
}
