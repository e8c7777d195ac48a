// Owns the shape of a dictionary: English (en.ts) is the source of truth for the keys.

import type { en } from "./en";

/** A string that depends on a count, by Intl.PluralRules category; `{n}` is the count. */
export interface Plural {
  readonly one: string;
  readonly few?: string;
  readonly many?: string;
  readonly other: string;
}

type Source = typeof en;

/** Every dictionary has every key of English, with a plural object where English has one. */
export type Messages = { readonly [K in keyof Source]: Source[K] extends string ? string : Plural };

/** Keys of plain strings, for `t()`. */
export type TextKey = { [K in keyof Source]: Source[K] extends string ? K : never }[keyof Source];
/** Keys of counted strings, for `tn()`. */
export type PluralKey = Exclude<keyof Source, TextKey>;

export type Vars = Readonly<Record<string, string | number>>;
