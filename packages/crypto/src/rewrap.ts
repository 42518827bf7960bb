/**
 * Master-key (KEK) rotation support: re-wrap a tenant's data keys under the
 * key ring's current KEK version. The data keys themselves do not change, so
 * no field ciphertext has to be touched: this is the cheap half of envelope
 * encryption (AWS calls it ReEncrypt, Vault calls it rewrap).
 */
import type { DataKeyRecord, DataKeyStore } from "./data-key-store";
import type { KeyRing } from "./key-ring";

export type RewrapResult = {
  tenantId: string;
  /** Rows moved to the current KEK version by this call. */
  rewrapped: number;
  /** Rows already under the current KEK version. */
  alreadyCurrent: number;
  /** Rows another process rewrapped between our read and our write (compare-and-set lost). */
  skippedConcurrent: number;
};

export const needsRewrap = (record: Pick<DataKeyRecord, "kekId" | "kekVersion">, keyRing: KeyRing, currentKekVersion: number): boolean =>
  record.kekId !== keyRing.kekId || record.kekVersion !== currentKekVersion;

/**
 * Re-wraps every data key of one tenant (any status: retired keys too, since
 * retiring is reversible and must not be made permanent by dropping the old
 * KEK later). Idempotent and safe to run concurrently; run it for every tenant,
 * check that nothing is left under the old KEK version, and only then remove
 * that version from the key ring.
 *
 * Records wrapped under a different kekId can be rewrapped only if `keyRing`
 * can unwrap them (otherwise UNKNOWN_KEY_VERSION is thrown).
 */
export const rewrapTenantKeys = async ({ keyRing, store, tenantId }: { keyRing: KeyRing; store: DataKeyStore; tenantId: string }): Promise<RewrapResult> => {
  const current = await keyRing.currentVersion();
  const result: RewrapResult = { tenantId, rewrapped: 0, alreadyCurrent: 0, skippedConcurrent: 0 };
  for (const record of await store.list(tenantId)) {
    // A destroyed version has no material left to re-wrap (that is the point of destroying it).
    if (record.status === "destroyed" || !needsRewrap(record, keyRing, current)) {
      result.alreadyCurrent += 1;
      continue;
    }
    const context = { tenantId, dataKeyVersion: record.version };
    const dataKey = await keyRing.unwrap({ kekId: record.kekId, kekVersion: record.kekVersion, wrapped: record.wrappedKey }, context);
    try {
      const next = await keyRing.wrap(dataKey, context);
      const updated = await store.updateWrapping(
        tenantId,
        record.version,
        { wrappedKey: next.wrapped, kekId: next.kekId, kekVersion: next.kekVersion },
        { kekId: record.kekId, kekVersion: record.kekVersion },
      );
      if (updated) result.rewrapped += 1;
      else result.skippedConcurrent += 1;
    } finally {
      dataKey.fill(0);
    }
  }
  return result;
};
