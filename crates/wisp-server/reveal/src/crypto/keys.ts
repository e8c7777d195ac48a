// Owns key derivation (mirrors keys.rs): Argon2id stretch, HKDF-SHA256 labels of both key schedules, proofs and verifiers, the key check.
//
// Format v2 (what new secrets use):
//   prk_link = HKDF-Extract(salt = "wisp/v2", link key)
//   link proof  = Expand(prk_link, "wisp/v2/link-proof", 32)        → Wisp-Reveal-Proof
//   key check   = Expand(prk_link, "wisp/v2/key-check", 16)
//   payload key = Expand(prk_link, "wisp/v2/payload-key", 32)       (no passphrase)
//   with a passphrase:
//   prk_pass = HKDF-Extract(salt = "wisp/v2/passphrase", link key ‖ Argon2id(passphrase, salt, m, t, p, 32))
//   passphrase proof = Expand(prk_pass, "wisp/v2/passphrase-proof", 32)   → Wisp-Passphrase-Proof
//   payload key      = Expand(prk_pass, "wisp/v2/payload-key", 32)
//
// Nothing public depends on the passphrase in v2: the key check tells a wrong *link* at
// once, but only the server (which counts) can tell a wrong passphrase.
//
// Format v1 (read only):
//   prk = HKDF-Extract(salt = "wisp/v1", link key [‖ Argon2id(...)])
//   payload key = Expand(prk, "wisp/v1/payload-key", 32)
//   reveal proof = Expand(prk, "wisp/v1/reveal-proof", 32)     → Wisp-Reveal-Proof
//   key check    = Expand(prk, "wisp/v1/key-check", 16)
//
// Every verifier the server stores is SHA-256(proof).

import { base64urlEncode, constantTimeEqual, exactCopy, utf8, wipe } from "./bytes";
import { WispError } from "./errors";
import { checkKdfParams, type FormatVersion, type KdfParams, type PassphraseParams, type PayloadHeader } from "./header";

const V1_SALT = utf8("wisp/v1");
const V1_PAYLOAD = utf8("wisp/v1/payload-key");
const V1_PROOF = utf8("wisp/v1/reveal-proof");
const V1_CHECK = utf8("wisp/v1/key-check");

const V2_SALT = utf8("wisp/v2");
const V2_PASSPHRASE_SALT = utf8("wisp/v2/passphrase");
const V2_LINK_PROOF = utf8("wisp/v2/link-proof");
const V2_CHECK = utf8("wisp/v2/key-check");
const V2_PAYLOAD = utf8("wisp/v2/payload-key");
const V2_PASSPHRASE_PROOF = utf8("wisp/v2/passphrase-proof");

/**
 * Runs Argon2id and returns 32 raw bytes. Injectable so the page can run it in a Web Worker
 * (it blocks for ~0.5 s at the default 64 MiB) while tests and fallbacks run it inline.
 */
export type Argon2Fn = (password: Uint8Array, salt: Uint8Array, kdf: KdfParams) => Promise<Uint8Array>;

export const argon2Inline: Argon2Fn = async (password, salt, kdf) => {
  checkKdfParams(kdf);
  // Loaded on demand: secrets without a passphrase never download the Argon2 code.
  const { argon2id } = await import("hash-wasm");
  try {
    return await argon2id({
      password,
      salt,
      iterations: kdf.tCost,
      parallelism: kdf.pCost,
      memorySize: kdf.mCostKib,
      hashLength: 32,
      outputType: "binary",
    });
  } catch (e) {
    // Only inputs outside Argon2's own limits get here (hash-wasm also refuses an empty passphrase).
    throw new WispError("kdf", `passphrase key derivation failed: ${e instanceof Error ? e.message : String(e)}`);
  }
};

export interface DerivedKeys {
  readonly version: FormatVersion;
  /** 32-byte key of the streaming AEAD. */
  readonly payloadKey: Uint8Array;
  /**
   * 32 bytes presented to the server on reveal and burn (base64url in `Wisp-Reveal-Proof`):
   * v2's link proof (the link key alone), v1's one reveal proof (link key and passphrase).
   */
  readonly linkProof: Uint8Array;
  /** v2 with a passphrase: 32 bytes for `Wisp-Passphrase-Proof`. Null otherwise (v1 has one proof). */
  readonly passphraseProof: Uint8Array | null;
  /** 16 bytes compared with the header's key check. */
  readonly keyCheck: Uint8Array;
}

async function hkdf(ikm: Uint8Array, salt: Uint8Array, labels: readonly { label: Uint8Array; bytes: number }[]): Promise<Uint8Array[]> {
  const copy = exactCopy(ikm);
  const key = await crypto.subtle.importKey("raw", copy, "HKDF", false, ["deriveBits"]);
  wipe(copy);
  return Promise.all(
    labels.map(async ({ label, bytes }) => {
      const bits = await crypto.subtle.deriveBits(
        { name: "HKDF", hash: "SHA-256", salt: exactCopy(salt), info: exactCopy(label) },
        key,
        bytes * 8,
      );
      return new Uint8Array(bits);
    }),
  );
}

/** Argon2id of the passphrase with the header's parameters: 32 bytes (the caller wipes them). */
export async function stretchPassphrase(phrase: string, params: PassphraseParams, argon2: Argon2Fn = argon2Inline): Promise<Uint8Array> {
  const phraseBytes = utf8(phrase);
  try {
    return await argon2(phraseBytes, params.salt, params.kdf);
  } finally {
    wipe(phraseBytes);
  }
}

/** v2's values that depend on the link key alone: the link proof and the key check. */
async function deriveLinkV2(linkKey: Uint8Array): Promise<{ linkProof: Uint8Array; keyCheck: Uint8Array; payloadKey: Uint8Array }> {
  const [linkProof, keyCheck, payloadKey] = await hkdf(linkKey, V2_SALT, [
    { label: V2_LINK_PROOF, bytes: 32 },
    { label: V2_CHECK, bytes: 16 },
    { label: V2_PAYLOAD, bytes: 32 },
  ]);
  return { linkProof: linkProof!, keyCheck: keyCheck!, payloadKey: payloadKey! };
}

/**
 * Derives every key of `version`'s schedule from a link key and, for a passphrase secret,
 * the Argon2id output (`stretchPassphrase`). Does not wipe `stretched`.
 */
export async function deriveKeysFromStretched(version: FormatVersion, linkKey: Uint8Array, stretched: Uint8Array | null): Promise<DerivedKeys> {
  const ikm = new Uint8Array(stretched ? 64 : 32);
  ikm.set(linkKey, 0);
  if (stretched) ikm.set(stretched, 32);
  try {
    if (version === 1) {
      const [payloadKey, linkProof, keyCheck] = await hkdf(ikm, V1_SALT, [
        { label: V1_PAYLOAD, bytes: 32 },
        { label: V1_PROOF, bytes: 32 },
        { label: V1_CHECK, bytes: 16 },
      ]);
      return { version, payloadKey: payloadKey!, linkProof: linkProof!, passphraseProof: null, keyCheck: keyCheck! };
    }
    const link = await deriveLinkV2(linkKey);
    if (!stretched) return { version, payloadKey: link.payloadKey, linkProof: link.linkProof, passphraseProof: null, keyCheck: link.keyCheck };
    wipe(link.payloadKey);
    const [passphraseProof, payloadKey] = await hkdf(ikm, V2_PASSPHRASE_SALT, [
      { label: V2_PASSPHRASE_PROOF, bytes: 32 },
      { label: V2_PAYLOAD, bytes: 32 },
    ]);
    return { version, payloadKey: payloadKey!, linkProof: link.linkProof, passphraseProof: passphraseProof!, keyCheck: link.keyCheck };
  } finally {
    wipe(ikm);
  }
}

/** Derives the keys for a link key and, when the payload has one, a passphrase. */
export async function deriveKeys(
  version: FormatVersion,
  linkKey: Uint8Array,
  passphrase: { phrase: string; kdf: KdfParams; salt: Uint8Array } | null,
  argon2: Argon2Fn = argon2Inline,
): Promise<DerivedKeys> {
  const stretched = passphrase ? await stretchPassphrase(passphrase.phrase, { kdf: passphrase.kdf, salt: passphrase.salt }, argon2) : null;
  try {
    return await deriveKeysFromStretched(version, linkKey, stretched);
  } finally {
    wipe(stretched);
  }
}

/** What the server stores: base64url(SHA-256(proof)). */
export async function revealVerifier(proof: Uint8Array): Promise<string> {
  return base64urlEncode(new Uint8Array(await crypto.subtle.digest("SHA-256", exactCopy(proof))));
}

/** The `Wisp-Reveal-Proof` header value: v2's link proof, v1's reveal proof. */
export function linkProofBase64url(keys: DerivedKeys): string {
  return base64urlEncode(keys.linkProof);
}

/** The `Wisp-Passphrase-Proof` header value (v2 passphrase secrets), or null when there is none to send. */
export function passphraseProofBase64url(keys: DerivedKeys): string | null {
  return keys.passphraseProof ? base64urlEncode(keys.passphraseProof) : null;
}

export function wipeKeys(keys: DerivedKeys | null): void {
  if (!keys) return;
  wipe(keys.payloadKey);
  wipe(keys.linkProof);
  wipe(keys.passphraseProof);
  wipe(keys.keyCheck);
}

function wrongKey(): WispError {
  return new WispError("wrong_key", "this link's key does not open the secret");
}

/**
 * Whether the link key is told right by the header without a passphrase: always in v2 (the
 * key check comes from the link key alone), in v1 only for secrets without a passphrase.
 */
export function canCheckLinkAlone(header: PayloadHeader): boolean {
  return header.version === 2 || header.passphrase === null;
}

/**
 * Checks the link key against the header's key check before any passphrase is asked for
 * (throws `wrong_key`). Does nothing where the header cannot tell (v1 with a passphrase).
 */
export async function checkLinkKey(linkKey: Uint8Array, header: PayloadHeader): Promise<void> {
  if (!canCheckLinkAlone(header)) return;
  const keys = header.version === 2 ? await deriveLinkV2(linkKey) : await deriveKeysFromStretched(1, linkKey, null);
  const ok = constantTimeEqual(keys.keyCheck, header.keyCheck);
  wipe(keys.payloadKey);
  wipe(keys.linkProof);
  if (!ok) throw wrongKey();
}

/**
 * Derives keys and checks them against the header (payload.rs `Opener::new`), so a wrong link
 * (v1: or passphrase) is reported before any ciphertext is fetched or any view spent. A
 * passphrase given for a payload without one is ignored, as in Rust.
 *
 * In v2 a wrong passphrase is NOT detectable here: the keys come back, and the server refuses
 * the passphrase proof (`wrong_passphrase`, counted), or, for a local copy, the first segment
 * fails (`openPayload` reports `wrong_passphrase`). The v2 link is checked before Argon2 runs.
 */
export async function unlock(
  linkKey: Uint8Array,
  passphrase: string | null,
  header: PayloadHeader,
  argon2: Argon2Fn = argon2Inline,
): Promise<DerivedKeys> {
  const params = header.passphrase;
  if (params && passphrase === null) {
    throw new WispError("passphrase_required", "this secret is protected by a passphrase");
  }
  if (header.version === 2 && params) await checkLinkKey(linkKey, header);
  const keys = await deriveKeys(
    header.version,
    linkKey,
    params && passphrase !== null ? { phrase: passphrase, kdf: params.kdf, salt: params.salt } : null,
    argon2,
  );
  if (!constantTimeEqual(keys.keyCheck, header.keyCheck)) {
    wipeKeys(keys);
    throw header.version === 1 && params ? new WispError("wrong_passphrase", "the passphrase is wrong") : wrongKey();
  }
  return keys;
}
