/**
 * AES-256-GCM primitives (node:crypto). Every seal draws a fresh 96-bit random
 * nonce: no counters to persist or coordinate between processes, at the cost
 * of the 2^32-messages-per-key limit discussed in docs/adr/0006.
 *
 * Layout of a sealed blob: nonce (12) ‖ ciphertext (n) ‖ tag (16).
 */
import { createCipheriv, createDecipheriv, randomFillSync, type KeyObject } from "node:crypto";

export const KEY_BYTES = 32;
export const NONCE_BYTES = 12;
export const TAG_BYTES = 16;
export const SEAL_OVERHEAD = NONCE_BYTES + TAG_BYTES;

const ALGORITHM = "aes-256-gcm";

// Nonces come from a pool refilled by the CSPRNG 4 KiB at a time: one
// randomBytes call per encryption costs about as much as the AES-GCM work for
// a short field. Every nonce is still fresh CSPRNG output, used exactly once:
// the offset only moves forward, and the slice is copied (into the cipher and
// the output) before anything else can run, since seal() is synchronous.
const NONCE_POOL = Buffer.alloc(NONCE_BYTES * 341);
let noncePoolOffset = NONCE_POOL.length;

const nextNonce = (): Buffer => {
  if (noncePoolOffset + NONCE_BYTES > NONCE_POOL.length) {
    randomFillSync(NONCE_POOL);
    noncePoolOffset = 0;
  }
  const nonce = NONCE_POOL.subarray(noncePoolOffset, noncePoolOffset + NONCE_BYTES);
  noncePoolOffset += NONCE_BYTES;
  return nonce;
};

export const seal = (key: KeyObject, plaintext: Uint8Array, aad: Uint8Array): Buffer => {
  const out = Buffer.allocUnsafe(NONCE_BYTES + plaintext.length + TAG_BYTES);
  const nonce = nextNonce();
  nonce.copy(out, 0);
  const cipher = createCipheriv(ALGORITHM, key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  // GCM is a stream mode: update() returns exactly as many bytes as it was
  // given and final() returns none, so the output size is known up front.
  let offset = NONCE_BYTES;
  offset += cipher.update(plaintext).copy(out, offset);
  offset += cipher.final().copy(out, offset);
  if (offset !== out.length - TAG_BYTES) throw new Error("AES-GCM produced an unexpected ciphertext length");
  cipher.getAuthTag().copy(out, offset);
  return out;
};

/**
 * Returns the plaintext, or null when authentication fails. Callers turn null
 * into their own CryptoError so the message can say what was being opened
 * without leaking OpenSSL's internals.
 */
export const open = (key: KeyObject, sealed: Uint8Array, aad: Uint8Array): Buffer | null => {
  if (sealed.length < SEAL_OVERHEAD) return null;
  const nonce = sealed.subarray(0, NONCE_BYTES);
  const tag = sealed.subarray(sealed.length - TAG_BYTES);
  const body = sealed.subarray(NONCE_BYTES, sealed.length - TAG_BYTES);
  try {
    // authTagLength pins the tag size: without it Node would accept a
    // truncated tag set through setAuthTag (forgery gets easier).
    const decipher = createDecipheriv(ALGORITHM, key, nonce, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    const out = decipher.update(body);
    const final = decipher.final();
    return final.length === 0 ? out : Buffer.concat([out, final]);
  } catch {
    return null;
  }
};
