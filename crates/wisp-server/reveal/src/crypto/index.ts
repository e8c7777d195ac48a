// Owns the public surface of the browser crypto core (pure: no DOM, only WebCrypto and streams).

export { ERROR_CODES, WispError, asWispError, isWispError, type ErrorCode, type ErrorDetail } from "./errors";
export { base64urlDecode, base64urlEncode } from "./bytes";
export {
  combineLinks,
  combineParts,
  parseFragment,
  parseLink,
  parseSecretId,
  type Link,
  type LinkPart,
  type LinkSecret,
} from "./link";
export {
  headerFromBase64url,
  headerToBytes,
  paddedLen,
  parseHeader,
  type FormatVersion,
  type KdfParams,
  type PassphraseParams,
  type PayloadHeader,
} from "./header";
export {
  argon2Inline,
  canCheckLinkAlone,
  checkLinkKey,
  deriveKeys,
  deriveKeysFromStretched,
  linkProofBase64url,
  passphraseProofBase64url,
  revealVerifier,
  stretchPassphrase,
  unlock,
  wipeKeys,
  type Argon2Fn,
  type DerivedKeys,
} from "./keys";
export { parseMetadata, type ContentKind, type Metadata } from "./metadata";
export { decodeText, openPayload, readAll, type OpenedPayload } from "./payload";
export { ciphertextLen } from "./stream";
