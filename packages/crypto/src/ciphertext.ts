/**
 * The field-ciphertext format:
 *
 *   ocs1.<keyVersion>.<base64url(nonce ‖ ciphertext ‖ tag)>
 *
 * - `ocs1` names the format (AES-256-GCM, 12-byte nonce, 16-byte tag, the AAD
 *   layout below). A future format gets a new prefix; old rows keep decrypting.
 * - `keyVersion` is the tenant's data-key version, in decimal, so a rotation
 *   job can find stale rows with a string prefix (like Vault's `vault:vN:`).
 * - The header is not secret but it is authenticated: the AAD contains the
 *   format, tenant id, field name and key version, so editing any of them (or
 *   copying the value to another tenant or column) makes decryption fail.
 */
import { SEAL_OVERHEAD } from "./aead";
import { canonicalAad, fromBase64UrlStrict, toBase64Url } from "./encoding";
import { CryptoError } from "./errors";

export const FORMAT_PREFIX = "ocs1";
export const FORMAT_VERSION = 1;

/** Data-key versions are positive 31-bit integers (they are stored as INT in Postgres). */
export const MAX_KEY_VERSION = 2 ** 31 - 1;

export type CiphertextHeader = { formatVersion: number; keyVersion: number };
export type ParsedCiphertext = CiphertextHeader & { sealed: Buffer };

// No leading zeros, no sign, no whitespace: one spelling per version, so the
// header text itself is canonical.
const VERSION_RE = /^[1-9][0-9]{0,9}$/;

const malformed = (why: string) => new CryptoError("MALFORMED_CIPHERTEXT", `Malformed ciphertext: ${why}`);

export const isValidKeyVersion = (v: number): boolean => Number.isSafeInteger(v) && v >= 1 && v <= MAX_KEY_VERSION;

const parseVersion = (text: string): number | null => {
  if (!VERSION_RE.test(text)) return null;
  const v = Number(text);
  return isValidKeyVersion(v) ? v : null;
};

export const formatCiphertext = (keyVersion: number, sealed: Uint8Array): string =>
  `${FORMAT_PREFIX}.${keyVersion}.${toBase64Url(sealed)}`;

/** Parses and validates the whole ciphertext (header and payload encoding). */
export const parseCiphertext = (ciphertext: string): ParsedCiphertext => {
  if (typeof ciphertext !== "string") throw malformed("not a string");
  const parts = ciphertext.split(".");
  if (parts.length !== 3) throw malformed("expected <format>.<keyVersion>.<payload>");
  const [prefix, versionText, payload] = parts as [string, string, string];
  if (prefix !== FORMAT_PREFIX) throw malformed("unsupported format prefix");
  const keyVersion = parseVersion(versionText);
  if (keyVersion === null) throw malformed("invalid key version");
  const sealed = fromBase64UrlStrict(payload);
  if (sealed === null) throw malformed("payload is not canonical base64url");
  if (sealed.length < SEAL_OVERHEAD) throw malformed("payload too short");
  return { formatVersion: FORMAT_VERSION, keyVersion, sealed };
};

/**
 * Reads the header without decrypting (no key needed): what a rotation job
 * uses to decide whether a row is stale. Also validates the payload encoding,
 * so a row that passes here is at least well-formed.
 */
export const parseCiphertextHeader = (ciphertext: string): CiphertextHeader => {
  const { formatVersion, keyVersion } = parseCiphertext(ciphertext);
  return { formatVersion, keyVersion };
};

/** True when the ciphertext is not under `activeVersion` (the rotation job should re-encrypt it). */
export const needsReencryption = (ciphertext: string, activeVersion: number): boolean =>
  parseCiphertextHeader(ciphertext).keyVersion !== activeVersion;

/** AAD for a field ciphertext: binds format, tenant, field and data-key version. */
export const fieldAad = (tenantId: string, field: string, keyVersion: number): Buffer =>
  canonicalAad([FORMAT_PREFIX, tenantId, field, String(keyVersion)]);
