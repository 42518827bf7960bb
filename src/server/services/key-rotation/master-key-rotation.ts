import "server-only";
import { rewrapTenantKeys, type DataKeyStore, type KeyRing } from "@ocsuite/crypto";
import { db } from "~/server/db/client";
import { isUniqueViolation } from "~/server/db/errors";
import { sendJobEvent } from "../jobs/send";
import { PrismaDataKeyStore } from "~/server/db/keys/data-key-store";
import { masterKeyRing, tenantCrypto } from "~/server/db/keys/tenant-crypto";
import { auditRotationStep, recordRotationFinished, recordRotationRows, type RotationActor } from "./rotation-log";
import { loadRotation, rotationInProgress, toRotationDto, type RotationDto } from "./rotation-rows";

/*
 * Master-key (KEK) rotation: every tenant's data keys are re-wrapped under the
 * key ring's current version. Field ciphertexts are not touched (the data keys
 * do not change), so this is cheap and fully online: unwrap works with every
 * KEK version the ring still holds until the operator removes the old one
 * (packages/crypto/README.md, procedure B). The key ring is a parameter so the
 * same job runs on env master keys and on a KMS (tests use LocalKmsAdapter).
 */

const MASTER_KEY_ROTATION_EVENT = "security/master-key.rotation.requested";
const TENANTS_PER_BATCH = 50;

export type MasterDeps = { keyRing: KeyRing; store: DataKeyStore };
const defaultDeps = (): MasterDeps => ({ keyRing: masterKeyRing(), store: new PrismaDataKeyStore() });

/**
 * Data keys (any status but destroyed) of this key ring (kekId) wrapped under an
 * older version, and those under a kekId it has superseded (legacyKekIds: wrapped by the
 * master keys alone, before the workspace key vault). Keys under another kekId cannot be
 * unwrapped by this ring at all: moving between key rings (env → KMS) is a separate migration.
 */
const staleWhere = async (keyRing: KeyRing) => {
  const current = await keyRing.currentVersion();
  return {
    status: { not: "destroyed" },
    OR: [{ kekId: keyRing.kekId, kekVersion: { not: current } }, { kekId: { in: [...(keyRing.legacyKekIds ?? [])] } }],
  };
};

export const countStaleDataKeys = async (keyRing: KeyRing = masterKeyRing()): Promise<number> => db.tenantDataKey.count({ where: await staleWhere(keyRing) });

/** A platform admin starts the fleet-wide rewrap (after adding the new master key version to every process). */
export const requestMasterKeyRotation = async (actor: RotationActor, deps: MasterDeps = defaultDeps()): Promise<RotationDto> => {
  const kekVersion = await deps.keyRing.currentVersion();
  const rowsTotal = await countStaleDataKeys(deps.keyRing);
  let row;
  try {
    row = await db.keyRotation.create({ data: { kind: "master-key", tenantId: null, status: "pending", kekVersion, rowsTotal, trigger: "manual", requestedById: actor.userId } });
  } catch (err) {
    if (isUniqueViolation(err)) throw rotationInProgress(err);
    throw err;
  }
  await auditRotationStep({ rotationId: row.id, kind: "master-key", tenantId: null, step: "requested", actor, details: { kekVersion, staleDataKeys: rowsTotal } });
  try {
    await sendJobEvent({ name: MASTER_KEY_ROTATION_EVENT, data: { rotationId: row.id } });
  } catch (err) {
    await db.keyRotation.updateMany({ where: { id: row.id, status: "pending" }, data: { status: "failed", error: "jobsUnavailable", finishedAt: new Date() } });
    throw err;
  }
  return toRotationDto(row);
};

export type RewrapBatchResult = { done: boolean; tenants: number; rewrapped: number };

/**
 * One batch of tenants (in id order after the checkpoint) whose data keys are
 * not all under the current KEK version. Rewrap is a compare-and-set per key,
 * so a retried or duplicated batch does no harm; the checkpoint then skips it.
 */
export const rewrapBatch = async (rotationId: string, deps: MasterDeps = defaultDeps()): Promise<RewrapBatchResult> => {
  const row = await loadRotation(rotationId);
  if (row.status !== "pending" && row.status !== "reencrypting") return { done: true, tenants: 0, rewrapped: 0 };
  if (row.status === "pending") await db.keyRotation.update({ where: { id: rotationId }, data: { status: "reencrypting" } });
  const where = await staleWhere(deps.keyRing);
  const tenants = await db.tenantDataKey.findMany({
    where: { ...where, ...(row.cursor ? { tenantId: { gt: row.cursor } } : {}) },
    distinct: ["tenantId"],
    select: { tenantId: true },
    orderBy: { tenantId: "asc" },
    take: TENANTS_PER_BATCH,
  });
  if (tenants.length === 0) return { done: true, tenants: 0, rewrapped: 0 };
  let rewrapped = 0;
  for (const { tenantId } of tenants) {
    const result = await rewrapTenantKeys({ keyRing: deps.keyRing, store: deps.store, tenantId });
    rewrapped += result.rewrapped;
    if (result.rewrapped > 0) {
      await auditRotationStep({ rotationId, kind: "master-key", tenantId, step: "rewrapped", details: { kekVersion: row.kekVersion!, dataKeys: result.rewrapped } });
    }
  }
  await db.keyRotation.update({
    where: { id: rotationId },
    data: { cursor: tenants.at(-1)!.tenantId, rowsDone: { increment: rewrapped }, batches: { increment: 1 } },
  });
  recordRotationRows("master-key", rewrapped);
  return { done: false, tenants: tenants.length, rewrapped };
};

export type MasterVerifyResult = { remaining: number; completed: boolean };

/**
 * Nothing may be left under an old KEK version. A data key created meanwhile by
 * a process that still wrapped with the old version (before its config was
 * rolled out) is caught here: the checkpoint is reset and the job runs the
 * batches again until the count is zero.
 */
export const verifyMasterRotation = async (rotationId: string, deps: MasterDeps = defaultDeps()): Promise<MasterVerifyResult> => {
  const row = await loadRotation(rotationId);
  if (row.status !== "reencrypting") return { remaining: 0, completed: row.status === "completed" };
  const remaining = await countStaleDataKeys(deps.keyRing);
  if (remaining > 0) {
    await db.keyRotation.update({ where: { id: rotationId }, data: { cursor: null } });
    return { remaining, completed: false };
  }
  await db.keyRotation.update({ where: { id: rotationId }, data: { status: "completed", finishedAt: new Date() } });
  tenantCrypto().invalidateCache();
  recordRotationFinished("master-key", row.startedAt, "completed");
  await auditRotationStep({ rotationId, kind: "master-key", tenantId: null, step: "verified", details: { kekVersion: row.kekVersion!, dataKeysRewrapped: row.rowsDone } });
  return { remaining: 0, completed: true };
};
