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
  | { name: "passphrase"; busy: boolean; problem: "wrong" | "empty" | null }
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
  | { name: "error"; error: ErrorView; afterReveal: boolean };

export interface Actions {
  reveal(): void;
  partsInput(text: string): void;
  submitPassphrase(phrase: string): void;
  copy(): void;
  save(): void;
  burn(): void;
  retry(): void;
}
