/**
 * Database content fields (a chat message, a meeting turn, a deliverable): sealed under the
 * tenant's content key, itself stored as a field ciphertext under the tenant's data key
 * (TenantCrypto.encryptField). One content key per tenant rather than per row: a rotation of
 * the data key re-encrypts one 44-character key, never millions of rows, and destroying the
 * data key (crypto-shredding) makes every sealed field of the tenant unreadable at once, in
 * the live database and in every copy of it (replica, dump, backup).
 *
 * Layout: "occ1." ‖ tenantId ‖ "." ‖ base64url(nonce ‖ ciphertext ‖ tag), AES-256-GCM with the
 * AAD ("ocsuite-content", tenantId, field). The tenant id is in the clear so that a reader
 * holding rows of any shape (a query result with nested relations) knows which key opens each
 * value; it is authenticated, so a value moved to another tenant's row or another column fails.
 *
 * The content key also yields a separate blind-index key (HKDF): search tokens are HMACs of the
 * words under it, so a search index reveals neither the words nor, across tenants, which rows
 * share one.
 */
import { createHmac, createSecretKey, hkdfSync, type KeyObject } from "node:crypto";
import { KEY_BYTES, open, seal, SEAL_OVERHEAD } from "./aead";
import { canonicalAad, fromBase64UrlStrict, toBase64Url } from "./encoding";
import { CryptoError } from "./errors";

export const SEALED_TEXT_PREFIX = "occ1.";

/** The two keys derived from a tenant's content key. */
export type ContentKeys = { readonly tenantId: string; readonly aead: KeyObject; readonly blind: Buffer };

const derive = (raw: Uint8Array, info: string): Buffer => Buffer.from(hkdfSync("sha256", raw, Buffer.alloc(0), info, KEY_BYTES));

/** The AEAD and blind-index keys of a tenant's raw 256-bit content key. */
export const deriveContentKeys = (tenantId: string, raw: Uint8Array): ContentKeys => {
  if (raw.length !== KEY_BYTES) throw new CryptoError("MALFORMED_CIPHERTEXT", "a content key is 256 bits");
  return { tenantId, aead: createSecretKey(derive(raw, "ocsuite-content-aead-v1")), blind: derive(raw, "ocsuite-blind-index-v1") };
};

const aadOf = (tenantId: string, field: string) => canonicalAad(["ocsuite-content", tenantId, field]);

/** True when the value looks sealed (a cheap prefix check, not an authentication). */
export const isSealedText = (value: string): boolean => value.startsWith(SEALED_TEXT_PREFIX);

/** The tenant a sealed value names, or null when the value is not sealed text. */
export const tenantOfSealedText = (value: string): string | null => {
  if (!isSealedText(value)) return null;
  const end = value.indexOf(".", SEALED_TEXT_PREFIX.length);
  return end > SEALED_TEXT_PREFIX.length ? value.slice(SEALED_TEXT_PREFIX.length, end) : null;
};

/** Seals `plaintext` for `field` (e.g. "Message.content") under the tenant's content key. */
export const sealText = (keys: ContentKeys, field: string, plaintext: string): string =>
  `${SEALED_TEXT_PREFIX}${keys.tenantId}.${toBase64Url(seal(keys.aead, Buffer.from(plaintext, "utf8"), aadOf(keys.tenantId, field)))}`;

/**
 * The plaintext of a sealed value. MALFORMED_CIPHERTEXT for a value that is not sealed text or
 * names another tenant than `keys`, DECRYPT_FAILED when it does not authenticate (another
 * field's value, tampered bytes, a different key).
 */
export const openText = (keys: ContentKeys, field: string, value: string): string => {
  const tenantId = tenantOfSealedText(value);
  if (tenantId === null || tenantId !== keys.tenantId) throw new CryptoError("MALFORMED_CIPHERTEXT", "not sealed text of this tenant");
  const sealed = fromBase64UrlStrict(value.slice(SEALED_TEXT_PREFIX.length + tenantId.length + 1));
  if (!sealed || sealed.length < SEAL_OVERHEAD) throw new CryptoError("MALFORMED_CIPHERTEXT", "sealed text payload is not base64url");
  const plain = open(keys.aead, sealed, aadOf(tenantId, field));
  if (!plain) throw new CryptoError("DECRYPT_FAILED", "sealed text did not authenticate (wrong key, field or tampered bytes)");
  return plain.toString("utf8");
};

/**
 * A search token for `word` (already normalised: lower-cased, stemmed): the first 66 bits of
 * HMAC-SHA-256 under the blind-index key, as 11 base64url characters. Short on purpose: a
 * tsvector holds one per distinct word and ranking reads them all (perf/knowledge-retrieval.mjs:
 * 20 hex characters made the index 70 % larger than the words it replaces); 66 bits keep a
 * collision between two words of one workspace's vocabulary (10^5–10^6 words) below one in 10^8.
 */
export const blindToken = (keys: ContentKeys, word: string): string => createHmac("sha256", keys.blind).update(word, "utf8").digest("base64url").slice(0, 11);
