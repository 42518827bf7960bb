import { EnvKeyRing } from "@ocsuite/crypto";
import { PrismaDataKeyStore } from "~/server/db/keys/data-key-store";
import { masterKeyRing, tenantCrypto } from "~/server/db/keys/tenant-crypto";

/**
 * Re-wraps a workspace's data keys the way they were stored before the workspace key vault
 * (ADR 0016): under the master keys alone (kekId "env"), for tests of the upgrade path.
 */
export const wrapAsBeforeTheVault = async (tenantId: string): Promise<void> => {
  const store = new PrismaDataKeyStore();
  const legacy = EnvKeyRing.fromEnv(process.env);
  for (const k of await store.list(tenantId)) {
    const context = { tenantId, dataKeyVersion: k.version };
    const dataKey = await masterKeyRing().unwrap({ kekId: k.kekId, kekVersion: k.kekVersion, wrapped: k.wrappedKey }, context);
    const w = await legacy.wrap(dataKey, context);
    dataKey.fill(0);
    await store.updateWrapping(tenantId, k.version, { wrappedKey: w.wrapped, kekId: w.kekId, kekVersion: w.kekVersion }, { kekId: k.kekId, kekVersion: k.kekVersion });
  }
  tenantCrypto().invalidateCache(tenantId);
};
