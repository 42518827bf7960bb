import "server-only";
import path from "node:path";
import { createEnvelope, EnvKeyRing, FileKeyVault, VaultTransitKeyVault, WorkspaceKeyRing, type KeyRing, type TenantCrypto, type WorkspaceKeyVault } from "@ocsuite/crypto";
import { env } from "~/env";
import { baseDbOrTx } from "../base-client";
import { PrismaDataKeyStore } from "./data-key-store";

// One envelope per process: it owns the cache of unwrapped data keys, so a
// second instance would only double the unwraps. Kept on globalThis so Next's
// dev-mode module reloads do not create one per edit.
const globalForCrypto = globalThis as unknown as { ocsuiteTenantCrypto?: TenantCrypto; ocsuiteMasterKeyRing?: KeyRing; ocsuiteKeyVault?: WorkspaceKeyVault | null };

/** Where the file vault keeps its keys: beside the embedded database's folder, never inside it. */
export const keyVaultDir = (): string => path.resolve(env.OCSUITE_KEY_VAULT_DIR ?? path.join(env.OCSUITE_DATA_DIR ?? ".data", "key-vault"));

/**
 * The workspace key vault (OCSUITE_KEY_VAULT, ADR 0016), or null when it is turned off ("none").
 * The workspace purge destroys a workspace's key in it (shred-tenant-keys.ts).
 */
export const workspaceKeyVault = (): WorkspaceKeyVault | null => {
  if (globalForCrypto.ocsuiteKeyVault !== undefined) return globalForCrypto.ocsuiteKeyVault;
  const kind = env.OCSUITE_KEY_VAULT;
  globalForCrypto.ocsuiteKeyVault =
    kind === "none"
      ? null
      : kind === "vault"
        ? new VaultTransitKeyVault({ address: env.VAULT_ADDR!, token: env.VAULT_TOKEN!, mount: env.VAULT_TRANSIT_MOUNT, namespace: env.VAULT_NAMESPACE })
        : new FileKeyVault(keyVaultDir());
  return globalForCrypto.ocsuiteKeyVault;
};

/**
 * The key ring that wraps data keys: the master keys (OCSUITE_MASTER_KEYS; the highest version, or
 * OCSUITE_MASTER_KEY_CURRENT, wraps new data keys) and, outside them, the workspace's key in the
 * vault. Data keys wrapped by the master keys alone (before the vault) are still read, and the
 * master-key rotation moves them under the vault. The rotation job reads its current version.
 */
export const masterKeyRing = (): KeyRing => {
  if (!globalForCrypto.ocsuiteMasterKeyRing) {
    const master = EnvKeyRing.fromEnv({
      OCSUITE_MASTER_KEYS: env.OCSUITE_MASTER_KEYS,
      OCSUITE_MASTER_KEY_CURRENT: env.OCSUITE_MASTER_KEY_CURRENT?.toString(),
    });
    const vault = workspaceKeyVault();
    globalForCrypto.ocsuiteMasterKeyRing = vault ? new WorkspaceKeyRing(master, vault) : master;
  }
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
