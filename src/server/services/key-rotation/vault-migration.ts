import "server-only";
import { rewrapTenantKeys } from "@ocsuite/crypto";
import { db } from "~/server/db/client";
import { PrismaDataKeyStore } from "~/server/db/keys/data-key-store";
import { masterKeyRing, tenantCrypto } from "~/server/db/keys/tenant-crypto";
import { appendAuditEvent } from "../audit/audit";

export type VaultMigrationResult = { tenants: number; dataKeysMoved: number };

/**
 * Upgrade step for the workspace key vault (ADR 0016): the data keys wrapped by the master keys
 * alone, written before the vault was configured, are re-wrapped under the master keys AND their
 * workspace's vault key, so the purge's shredding reaches database backups for them too. The same
 * rewrap as the master-key rotation (compare-and-set per key: idempotent, safe beside a running
 * app, resumable); run by `npm run content:seal` without an admin or a job queue. Audited on the
 * platform chain (counts only). Does nothing when the vault is off (OCSUITE_KEY_VAULT=none).
 */
export const moveDataKeysUnderVault = async (opts: { tenantId?: string } = {}): Promise<VaultMigrationResult> => {
  const keyRing = masterKeyRing();
  const legacy = [...(keyRing.legacyKekIds ?? [])];
  const result: VaultMigrationResult = { tenants: 0, dataKeysMoved: 0 };
  if (legacy.length === 0) return result;
  const store = new PrismaDataKeyStore();
  const tenants = await db.tenantDataKey.findMany({
    where: { kekId: { in: legacy }, status: { not: "destroyed" }, ...(opts.tenantId ? { tenantId: opts.tenantId } : {}) },
    distinct: ["tenantId"],
    select: { tenantId: true },
    orderBy: { tenantId: "asc" },
  });
  for (const { tenantId } of tenants) {
    const r = await rewrapTenantKeys({ keyRing, store, tenantId });
    result.tenants += 1;
    result.dataKeysMoved += r.rewrapped;
  }
  if (result.dataKeysMoved > 0) {
    tenantCrypto().invalidateCache();
    await appendAuditEvent({ tenantId: null, actorType: "SYSTEM", action: "keys.moved_under_vault", targetType: opts.tenantId ? "tenant" : null, targetId: opts.tenantId ?? null, metadata: result });
  }
  return result;
};
