/**
 * Typed errors for @ocsuite/crypto.
 *
 * Messages name tenants, fields and key versions (useful when debugging a
 * rotation) but NEVER plaintext, key material or ciphertext bytes: these errors
 * end up in logs and error trackers.
 */

export const CRYPTO_ERROR_CODES = [
  /** Authentication failed: wrong key, wrong tenant/field (AAD), or tampered bytes. */
  "DECRYPT_FAILED",
  /** The ciphertext or wrapped key names a key version the store / key ring does not have. */
  "UNKNOWN_KEY_VERSION",
  /** The data-key version exists but has been retired by a rotation job. */
  "KEY_RETIRED",
  /** The data-key version's material was destroyed (crypto-shredded): nothing under it can ever be read again. */
  "KEY_DESTROYED",
  /** Not a ciphertext this library produces (bad prefix, version, encoding or length). */
  "MALFORMED_CIPHERTEXT",
  /** The tenant has no active data key (none created yet, or all deactivated). */
  "NO_ACTIVE_KEY",
  /** OCSUITE_MASTER_KEYS (or another key-ring configuration) is invalid. */
  "BAD_MASTER_KEY_CONFIG",
  /**
   * A key-lifecycle operation was refused because of the key's state, e.g.
   * retiring the active version or retiring before the grace period ended.
   */
  "KEY_STATE_CONFLICT",
  /** The workspace key vault (Vault transit) could not be reached or refused the request: retry later. */
  "KEY_VAULT_UNAVAILABLE",
] as const;

export type CryptoErrorCode = (typeof CRYPTO_ERROR_CODES)[number];

export class CryptoError extends Error {
  override readonly name = "CryptoError";
  readonly code: CryptoErrorCode;

  constructor(code: CryptoErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

export const isCryptoError = (err: unknown, code?: CryptoErrorCode): err is CryptoError =>
  err instanceof CryptoError && (code === undefined || err.code === code);
