/**
 * Large objects (a document's original file): each is sealed under its own fresh
 * 256-bit content key, and the caller stores that key as a field ciphertext under
 * the tenant's data key (TenantCrypto.encryptField). So:
 *
 * - destroying the tenant's data key (crypto-shredding) makes every object, and
 *   every copy of it in a bucket version or a backup, unreadable;
 * - rotating the data key re-encrypts the 44-character content key in the
 *   database, never the object itself (a rotation would otherwise rewrite
 *   gigabytes of storage);
 * - the object's bytes are bound to what it is (AAD: the caller's parts, e.g.
 *   tenant and document id), so an object copied under another document's key
 *   fails to open.
 *
 * Layout: "ocb1" (4 bytes) ‖ nonce (12) ‖ ciphertext (n) ‖ tag (16). AES-256-GCM
 * in one shot: the callers already hold the whole object in memory (an upload is
 * size-bounded), and a single tag authenticates all of it.
 */
import { createSecretKey, randomBytes } from "node:crypto";
import { KEY_BYTES, open, seal, SEAL_OVERHEAD } from "./aead";
import { canonicalAad, fromBase64UrlStrict } from "./encoding";
import { CryptoError } from "./errors";

const MAGIC = Buffer.from("ocb1", "ascii");

export type SealedBlob = {
  /** The stored bytes. */
  sealed: Buffer;
  /** The content key, base64url: encrypt it with TenantCrypto.encryptField before storing it. */
  contentKey: string;
};

/** Seals `bytes` under a fresh content key bound to `aadParts`. */
export const sealBlob = (bytes: Uint8Array, aadParts: readonly string[]): SealedBlob => {
  const raw = randomBytes(KEY_BYTES);
  const sealed = Buffer.concat([MAGIC, seal(createSecretKey(raw), bytes, canonicalAad(["ocsuite-blob", ...aadParts]))]);
  const contentKey = raw.toString("base64url");
  raw.fill(0);
  return { sealed, contentKey };
};

/** True when the bytes start like a sealed blob (a cheap check, not an authentication). */
export const isSealedBlob = (bytes: Uint8Array): boolean => bytes.length >= MAGIC.length + SEAL_OVERHEAD && MAGIC.equals(bytes.subarray(0, MAGIC.length));

/**
 * The plaintext of a sealed blob. Throws MALFORMED_CIPHERTEXT for bytes that are not
 * a sealed blob or a key that is not one, DECRYPT_FAILED when the key, the AAD or the bytes do not match.
 */
export const openBlob = (contentKey: string, stored: Uint8Array, aadParts: readonly string[]): Buffer => {
  if (!isSealedBlob(stored)) throw new CryptoError("MALFORMED_CIPHERTEXT", "not a sealed blob");
  const raw = fromBase64UrlStrict(contentKey);
  if (!raw || raw.length !== KEY_BYTES) throw new CryptoError("MALFORMED_CIPHERTEXT", "the content key is not a 256-bit base64url key");
  const plain = open(createSecretKey(raw), stored.subarray(MAGIC.length), canonicalAad(["ocsuite-blob", ...aadParts]));
  raw.fill(0);
  if (!plain) throw new CryptoError("DECRYPT_FAILED", "the blob did not authenticate (wrong key, wrong object or tampered bytes)");
  return plain;
};
