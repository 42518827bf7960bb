/**
 * Key-encryption keys (KEKs). A key ring wraps (encrypts) tenant data keys
 * under its current KEK version and unwraps them with any version it still
 * knows, which is what lets a master-key rotation happen without downtime.
 */
import { canonicalAad } from "./encoding";

/** Who a data key belongs to. Bound into the wrap so a wrapped key row can't be moved. */
export type WrapContext = { tenantId: string; dataKeyVersion: number };

export type WrappedDataKey = {
  /** Identifies the key ring / master key (e.g. "env", or a KMS key name). */
  kekId: string;
  /** The KEK version that wrapped this data key. */
  kekVersion: number;
  wrapped: Uint8Array;
};

export interface KeyRing {
  readonly kekId: string;
  /**
   * Other kekIds this ring can unwrap but no longer wraps with (WorkspaceKeyRing: the master
   * ring's, from before the vault). The master-key rotation counts keys under them as stale.
   */
  readonly legacyKekIds?: readonly string[];
  /** Version new wraps use. */
  currentVersion(): Promise<number>;
  wrap(dataKey: Uint8Array, context: WrapContext): Promise<WrappedDataKey>;
  /**
   * Must throw CryptoError UNKNOWN_KEY_VERSION for a kekId/kekVersion it does
   * not hold, and DECRYPT_FAILED when the wrapped bytes do not authenticate.
   * The returned buffer is owned by the caller (it will be zeroed after use).
   */
  unwrap(wrapped: WrappedDataKey, context: WrapContext): Promise<Buffer>;
}

/** AAD for a wrapped data key: binds KEK id + version, tenant and data-key version. */
export const wrapAad = (kekId: string, kekVersion: number, context: WrapContext): Buffer =>
  canonicalAad(["ocs-kek1", kekId, String(kekVersion), context.tenantId, String(context.dataKeyVersion)]);
