import "server-only";
import { createEnvelope, EnvKeyRing, type TenantCrypto } from "@ocsuite/crypto";
import { env } from "~/env";
import { PrismaDataKeyStore } from "./data-key-store";

// One envelope per process: it owns the cache of unwrapped data keys, so a
// second instance would only double the unwraps. Kept on globalThis so Next's
// dev-mode module reloads do not create one per edit.
const globalForCrypto = globalThis as unknown as { ocsuiteTenantCrypto?: TenantCrypto };

/**
 * The app's tenant envelope encryption: master keys from OCSUITE_MASTER_KEYS
 * (validated in src/env.js), wrapped data keys in TenantDataKey, and a tenant's
 * v1 data key created on its first encryption.
 * Throws CryptoError BAD_MASTER_KEY_CONFIG when the master keys are missing.
 */
export const tenantCrypto = (): TenantCrypto => {
  globalForCrypto.ocsuiteTenantCrypto ??= createEnvelope({
    keyRing: EnvKeyRing.fromEnv({ OCSUITE_MASTER_KEYS: env.OCSUITE_MASTER_KEYS, OCSUITE_MASTER_KEY_CURRENT: env.OCSUITE_MASTER_KEY_CURRENT?.toString() }),
    store: new PrismaDataKeyStore(),
    autoCreateTenantKeys: true,
  });
  return globalForCrypto.ocsuiteTenantCrypto;
};
