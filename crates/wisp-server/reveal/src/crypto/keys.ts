// Owns key derivation (mirrors keys.rs): Argon2id stretch, HKDF-SHA256 labels, reveal proof and verifier, the key check.
//
//   ikm = link key [‖ Argon2id(passphrase, salt, m, t, p, 32)]
//   prk = HKDF-Extract(salt = "wisp/v1", ikm)
//   payload key = Expand(prk, "wisp/v1/payload-key", 32)
//   reveal proof = Expand(prk, "wisp/v1/reveal-proof", 32)     verifier = SHA-256(proof)
//   key check    = Expand(prk, "wisp/v1/key-check", 16)

import { base64urlEncode, constantTimeEqual, exactCopy, utf8, wipe } from "./bytes";
import { WispError } from "./errors";
import { checkKdfParams, type KdfParams, type PayloadHeader } from "./header";

const HKDF_SALT = utf8("wisp/v1");
const LABEL_PAYLOAD = utf8("wisp/v1/payload-key");
const LABEL_PROOF = utf8("wisp/v1/reveal-proof");
const LABEL_CHECK = utf8("wisp/v1/key-check");

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
  /** 32-byte key of the streaming AEAD. */
  readonly payloadKey: Uint8Array;
  /** 32 bytes presented to the server on reveal (base64url in `Wisp-Reveal-Proof`). */
  readonly revealProof: Uint8Array;
  /** 16 bytes compared with the header's key check. */
  readonly keyCheck: Uint8Array;
}

async function hkdfExpand(ikm: CryptoKey, label: Uint8Array, bytes: number): Promise<Uint8Array> {
  const bits = await crypto.subtle.deriveBits(
    { name: "HKDF", hash: "SHA-256", salt: exactCopy(HKDF_SALT), info: exactCopy(label) },
    ikm,
    bytes * 8,
  );
  return new Uint8Array(bits);
}

/** Derives the keys for a link key and, when the header asks for one, a passphrase. */
export async function deriveKeys(
  linkKey: Uint8Array,
  passphrase: { phrase: string; kdf: KdfParams; salt: Uint8Array } | null,
  argon2: Argon2Fn = argon2Inline,
): Promise<DerivedKeys> {
  let ikm: Uint8Array<ArrayBuffer>;
  if (passphrase) {
    const phraseBytes = utf8(passphrase.phrase);
    const stretched = await argon2(phraseBytes, passphrase.salt, passphrase.kdf);
    wipe(phraseBytes);
    ikm = new Uint8Array(new ArrayBuffer(64));
    ikm.set(linkKey, 0);
    ikm.set(stretched, 32);
    wipe(stretched);
  } else {
    ikm = exactCopy(linkKey);
  }
  const key = await crypto.subtle.importKey("raw", ikm, "HKDF", false, ["deriveBits"]);
  wipe(ikm);
  const [payloadKey, revealProof, keyCheck] = await Promise.all([
    hkdfExpand(key, LABEL_PAYLOAD, 32),
    hkdfExpand(key, LABEL_PROOF, 32),
    hkdfExpand(key, LABEL_CHECK, 16),
  ]);
  return { payloadKey, revealProof, keyCheck };
}

/** What the server stores: base64url(SHA-256(proof)). */
export async function revealVerifier(proof: Uint8Array): Promise<string> {
  return base64urlEncode(new Uint8Array(await crypto.subtle.digest("SHA-256", exactCopy(proof))));
}

export function revealProofBase64url(keys: DerivedKeys): string {
  return base64urlEncode(keys.revealProof);
}

/**
 * Derives keys and checks them against the header (payload.rs `Opener::new`), so a wrong key
 * or passphrase is reported before any ciphertext is fetched or any view spent. A passphrase
 * given for a payload without one is ignored, as in Rust.
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
  const keys = await deriveKeys(
    linkKey,
    params && passphrase !== null ? { phrase: passphrase, kdf: params.kdf, salt: params.salt } : null,
    argon2,
  );
  if (!constantTimeEqual(keys.keyCheck, header.keyCheck)) {
    wipe(keys.payloadKey);
    wipe(keys.revealProof);
    throw params
      ? new WispError("wrong_passphrase", "the passphrase is wrong")
      : new WispError("wrong_key", "this link's key does not open the secret");
  }
  return keys;
}
