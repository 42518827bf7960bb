/**
 * KmsKeyRing: the production key ring. The master key never leaves the KMS;
 * we only send it 32-byte data keys to encrypt or decrypt.
 *
 * A KmsAdapter is a thin shim over one provider:
 * - AWS KMS: Encrypt / Decrypt with `EncryptionContext = context`. KMS keeps
 *   every backing key internally and picks it on Decrypt, so
 *   `currentKeyVersion()` can return a constant 1 (rotation is transparent;
 *   there is nothing to rewrap). The blob is self-describing.
 * - GCP KMS: Encrypt / Decrypt with `additionalAuthenticatedData` = a
 *   canonical encoding of `context`; the version is the CryptoKeyVersion id.
 * - Vault transit: POST /transit/encrypt|decrypt/:name; the blob is the
 *   `vault:vN:…` string as bytes and N is the key version. Vault's `rewrap`
 *   never returns plaintext; an adapter may use it later.
 */
import { KEY_BYTES } from "./aead";
import { CryptoError } from "./errors";
import type { KeyRing, WrapContext, WrappedDataKey } from "./key-ring";

/**
 * Context the KMS binds to the blob (AWS "encryption context", GCP "AAD").
 * Decrypting with a different context fails, so a wrapped key row cannot be
 * moved to another tenant or data-key version.
 */
export type KmsContext = Readonly<Record<string, string>>;

export interface KmsAdapter {
  /** Stable name of the KMS key (ARN, resource name, transit key name). */
  readonly keyId: string;
  encrypt(plaintext: Uint8Array, context: KmsContext): Promise<{ ciphertext: Uint8Array; keyVersion: number }>;
  /** The blob names its own key version; `keyVersion` is what we stored and is advisory. */
  decrypt(ciphertext: Uint8Array, context: KmsContext, keyVersion: number): Promise<Uint8Array>;
  /** The version new encryptions use (rewrap moves older data keys to it). */
  currentKeyVersion(): Promise<number>;
}

const kmsContext = (kekId: string, context: WrapContext): KmsContext => ({
  purpose: "ocsuite-data-key",
  kekId,
  tenantId: context.tenantId,
  dataKeyVersion: String(context.dataKeyVersion),
});

export class KmsKeyRing implements KeyRing {
  readonly kekId: string;
  readonly #kms: KmsAdapter;

  constructor(kms: KmsAdapter) {
    this.#kms = kms;
    this.kekId = kms.keyId;
  }

  currentVersion(): Promise<number> {
    return this.#kms.currentKeyVersion();
  }

  async wrap(dataKey: Uint8Array, context: WrapContext): Promise<WrappedDataKey> {
    const { ciphertext, keyVersion } = await this.#kms.encrypt(dataKey, kmsContext(this.kekId, context));
    return { kekId: this.kekId, kekVersion: keyVersion, wrapped: ciphertext };
  }

  async unwrap(wrapped: WrappedDataKey, context: WrapContext): Promise<Buffer> {
    const where = `data key v${context.dataKeyVersion} of tenant ${context.tenantId}`;
    if (wrapped.kekId !== this.kekId) {
      throw new CryptoError("UNKNOWN_KEY_VERSION", `${where} is wrapped under KEK "${wrapped.kekId}", but this key ring is "${this.kekId}"`);
    }
    let plain: Uint8Array;
    try {
      plain = await this.#kms.decrypt(wrapped.wrapped, kmsContext(this.kekId, context), wrapped.kekVersion);
    } catch (err) {
      // Adapters may already speak CryptoError (e.g. unknown version); keep their code.
      if (err instanceof CryptoError) throw err;
      throw new CryptoError("DECRYPT_FAILED", `KMS could not unwrap ${where} (KEK "${this.kekId}" v${wrapped.kekVersion})`, { cause: err });
    }
    if (plain.length !== KEY_BYTES) {
      throw new CryptoError("DECRYPT_FAILED", `KMS returned a ${plain.length}-byte key for ${where}; expected ${KEY_BYTES}`);
    }
    return Buffer.from(plain.buffer, plain.byteOffset, plain.byteLength);
  }
}
