import "server-only";
import { createEnvelope, EnvKeyRing, type KeyRing, type TenantCrypto } from "@ocsuite/crypto";
import { env } from "~/env";
import { baseDbOrTx } from "../base-client";
import { PrismaDataKeyStore } from "./data-key-store";

// One envelope per process: it owns the cache of unwrapped data keys, so a
// second instance would only double the unwraps. Kept on globalThis so Next's
// dev-mode module reloads do not create one per edit.
const globalForCrypto = globalThis as unknown as { ocsuiteTenantCrypto?: TenantCrypto; ocsuiteMasterKeyRing?: KeyRing };

/**
 * The master key ring (OCSUITE_MASTER_KEYS; the highest version, or OCSUITE_MASTER_KEY_CURRENT,
 * wraps new data keys). The master-key rotation job reads its current version.
 */
export const masterKeyRing = (): KeyRing => {
  globalForCrypto.ocsuiteMasterKeyRing ??= EnvKeyRing.fromEnv({
    OCSUITE_MASTER_KEYS: env.OCSUITE_MASTER_KEYS,
    OCSUITE_MASTER_KEY_CURRENT: env.OCSUITE_MASTER_KEY_CURRENT?.toString(),
  });
  return globalForCrypto.ocsuiteMasterKeyRing;
};

/**
 * The app's tenant envelope encryption: master keys from OCSUITE_MASTER_KEYS
 * (validated in src/env.js), wrapped data keys in TenantDataKey, and a tenant's
 * v1 data key created on its first encryption.
 * Throws CryptoError BAD_MASTER_KEY_CONFIG when the master keys are missing.
 */
export const tenantCrypto = (): TenantCrypto => {
  globalForCrypto.ocsuiteTenantCrypto ??= createEnvelope({
    keyRing: masterKeyRing(),
    // A key created inside a transaction that fails is gone: the envelope must not keep using it.
    store: new PrismaDataKeyStore(baseDbOrTx, { onInsertRolledBack: (tenantId) => globalForCrypto.ocsuiteTenantCrypto?.invalidateCache(tenantId) }),
    autoCreateTenantKeys: true,
    // The rotation job waits this TTL before re-encrypting (services/key-rotation): keep them one setting.
    cache: { ttlMs: env.KEY_CACHE_TTL_SECONDS * 1000 },
  });
  return globalForCrypto.ocsuiteTenantCrypto;
};
