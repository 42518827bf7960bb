import "server-only";
import { forgetContentKeys } from "~/server/db/keys/content-keys";
import { PrismaDataKeyStore } from "~/server/db/keys/data-key-store";
import { tenantCrypto, workspaceKeyVault } from "~/server/db/keys/tenant-crypto";

export type ShredResult = { dataKeyVersions: number[]; vaultKeyDestroyed: boolean };

/**
 * Crypto-shredding of EVERY data key of a workspace that is being purged (issue 16; workspace
 * deletion). Reuses the one destroy path (@ocsuite/crypto destroyTenantKey: wrappedKey emptied,
 * status destroyed, this process's key cache invalidated), after moving each version straight to
 * retired. The owner's destroyKeyVersion (key-destroy.ts) refuses an active version and waits
 * KEY_DESTROY_AFTER_DAYS because the workspace lives on; here it does not: its secrets are already
 * deleted and nothing may decrypt anything of it again, so the waits would only keep readable keys
 * around longer. Then the workspace's key in the key vault is destroyed (ADR 0016). Idempotent:
 * destroyed versions and a vault key already gone are skipped; a vault that cannot be reached
 * throws (KEY_VAULT_UNAVAILABLE) so the purge step is retried. Returns what was destroyed now.
 *
 * What it achieves: any copy of a ciphertext under these keys (a provider credential in an export,
 * a log, a restored table, the workspace's content key and with it every sealed content column)
 * can no longer be decrypted with the live key store, and, with the vault key gone, not with a
 * database backup from before the purge either: every data key in it was also wrapped under that
 * vault key. (With OCSUITE_KEY_VAULT=none, backups keep the master-wrapped keys until they expire:
 * docs/runbooks/key-rotation.md; docs/policies/data-retention.md.)
 */
export const shredTenantKeys = async (tenantId: string): Promise<ShredResult> => {
  const store = new PrismaDataKeyStore();
  const crypto = tenantCrypto();
  const destroyed: number[] = [];
  for (const key of await store.list(tenantId)) {
    if (key.status === "destroyed") continue;
    if (key.status !== "retired") await store.updateStatus(tenantId, key.version, "retired");
    await crypto.destroyTenantKey(tenantId, key.version);
    destroyed.push(key.version);
  }
  // The content key (sealed columns, ADR 0015) is wrapped by these data keys: this process forgets it now.
  forgetContentKeys(tenantId);
  const vault = workspaceKeyVault();
  const vaultKeyDestroyed = vault ? await vault.destroy(tenantId) : false;
  return { dataKeyVersions: destroyed, vaultKeyDestroyed };
};
