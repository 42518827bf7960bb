/**
 * LocalKmsAdapter: an in-process stand-in for a KMS, for tests and local
 * development only (its keys live in memory and die with the process).
 *
 * Blob layout mimics a real KMS's self-describing ciphertext:
 *   u32be keyVersion ‖ nonce ‖ ciphertext ‖ tag
 */
import { createSecretKey, randomBytes, type KeyObject } from "node:crypto";
import { KEY_BYTES, open, seal } from "./aead";
import { canonicalAad } from "./encoding";
import { CryptoError } from "./errors";
import type { KmsAdapter, KmsContext } from "./kms-key-ring";

// Sorted keys: the context is a map, and the AAD must not depend on the
// insertion order the caller happened to use.
const contextAad = (keyId: string, version: number, context: KmsContext): Buffer =>
  canonicalAad([
    "ocs-local-kms1",
    keyId,
    String(version),
    ...Object.keys(context)
      .sort()
      .flatMap((k) => [k, context[k] ?? ""]),
  ]);

export class LocalKmsAdapter implements KmsAdapter {
  readonly keyId: string;
  readonly #keys = new Map<number, KeyObject>();
  #current = 0;

  constructor(keyId = "local-kms") {
    this.keyId = keyId;
    this.rotate();
  }

  /** Adds a new key version and makes it current (like `vault write -f transit/keys/x/rotate`). */
  rotate(): number {
    this.#current += 1;
    this.#keys.set(this.#current, createSecretKey(randomBytes(KEY_BYTES)));
    return this.#current;
  }

  /** Forgets a version, like Vault's `trim` (irreversible). */
  destroyVersion(version: number): void {
    this.#keys.delete(version);
  }

  async currentKeyVersion(): Promise<number> {
    return this.#current;
  }

  async encrypt(plaintext: Uint8Array, context: KmsContext): Promise<{ ciphertext: Uint8Array; keyVersion: number }> {
    const version = this.#current;
    const key = this.#keys.get(version);
    if (!key) throw new CryptoError("UNKNOWN_KEY_VERSION", `Local KMS key ${this.keyId} has no current version`);
    const header = Buffer.alloc(4);
    header.writeUInt32BE(version, 0);
    return { ciphertext: Buffer.concat([header, seal(key, plaintext, contextAad(this.keyId, version, context))]), keyVersion: version };
  }

  async decrypt(ciphertext: Uint8Array, context: KmsContext): Promise<Uint8Array> {
    if (ciphertext.length < 4) throw new CryptoError("DECRYPT_FAILED", "Local KMS: blob too short");
    const blob = Buffer.from(ciphertext.buffer, ciphertext.byteOffset, ciphertext.byteLength);
    const version = blob.readUInt32BE(0);
    const key = this.#keys.get(version);
    if (!key) throw new CryptoError("UNKNOWN_KEY_VERSION", `Local KMS key ${this.keyId} has no version ${version}`);
    const plain = open(key, blob.subarray(4), contextAad(this.keyId, version, context));
    if (plain === null) throw new CryptoError("DECRYPT_FAILED", `Local KMS: blob does not authenticate under ${this.keyId} v${version}`);
    return plain;
  }
}
