import "server-only";
import { env } from "~/env";
import { db } from "~/server/db/client";
import { tenantCrypto } from "~/server/db/keys/tenant-crypto";
import { ENCRYPTED_COLUMNS } from "./encrypted-columns";
import { reencryptRow, undecryptable } from "./data-key-rotation";
import { auditRotationStep, recordRotationFinished, recordRotationRows } from "./rotation-log";
import { isTerminal, kindOf, loadRotation } from "./rotation-rows";

const PAGE = 500;

type Sweep = { checked: number; rewritten: number };

/**
 * Walks every encrypted row of the tenant: rows not under `target` are
 * re-encrypted (compare-and-set, as in the batches: a writer whose cache still
 * named the old version may have added one), then every row must decrypt.
 */
const sweep = async (tenantId: string, target: number): Promise<Sweep> => {
  const crypto = tenantCrypto();
  const result: Sweep = { checked: 0, rewritten: 0 };
  for (const [index, column] of ENCRYPTED_COLUMNS.entries()) {
    for (let afterId: string | null = null; ; ) {
      const page = await column.page(tenantId, afterId, PAGE);
      if (page.length === 0) break;
      for (const { id, ciphertext } of page) {
        const next = await reencryptRow(tenantId, index, id, ciphertext, target);
        const current = next && (await db.$transaction((tx) => column.swap(tx, tenantId, id, ciphertext, next))) ? next : ciphertext;
        if (next && current === next) result.rewritten += 1;
        try {
          await crypto.decryptField({ tenantId, field: column.field(id), ciphertext: current });
        } catch (err) {
          throw undecryptable(err, column.name, id);
        }
        result.checked += 1;
      }
      afterId = page.at(-1)!.id;
    }
  }
  return result;
};

export type VerifyResult = { verified: number; rewritten: number; retireAfter: Date | null };

/**
 * Step 3: after the batches, proves every secret is under the target version
 * and decrypts, then opens the rollback window: the replaced version stays
 * decrypt-only until `retireAfter`. A rollback also closes the operation it undid.
 */
export const verifyRotation = async (rotationId: string, now = new Date()): Promise<VerifyResult> => {
  const row = await loadRotation(rotationId);
  if (row.status !== "reencrypting" && row.status !== "verifying") return { verified: 0, rewritten: 0, retireAfter: row.retireAfter };
  const tenantId = row.tenantId!;
  await db.keyRotation.update({ where: { id: rotationId }, data: { status: "verifying" } });
  const { checked, rewritten } = await sweep(tenantId, row.toVersion!);
  const retireAfter = new Date(now.getTime() + env.KEY_ROTATION_RETIRE_AFTER_HOURS * 3_600_000);
  await db.$transaction(async (tx) => {
    await tx.keyRotation.update({ where: { id: rotationId }, data: { status: "waiting-retire", rowsTotal: checked, retireAfter } });
    if (row.kind === "rollback") {
      await tx.keyRotation.updateMany({
        where: { tenantId, kind: "data-key", toVersion: row.fromVersion, fromVersion: row.toVersion, status: { in: ["waiting-retire", "completed"] } },
        data: { status: "rolled-back", finishedAt: now },
      });
    }
  });
  recordRotationRows(kindOf(row), rewritten);
  recordRotationFinished(kindOf(row), row.startedAt, "completed");
  await auditRotationStep({ rotationId, kind: kindOf(row), tenantId, step: "verified", details: { toVersion: row.toVersion!, verified: checked, stragglers: rewritten, retireAfter: retireAfter.toISOString() } });
  return { verified: checked, rewritten, retireAfter };
};

export type RetireResult = { retired: boolean; reason: "retired" | "notWaiting" | "tooEarly" };

/**
 * Step 4, after the window: retires the replaced version (Vault's
 * min_decryption_version). A last sweep first moves any straggler, so nothing
 * the tenant can read is left under it. Nothing happens if the operation was
 * rolled back meanwhile. Reversible (restore) until someone destroys the version.
 */
export const retireReplacedVersion = async (rotationId: string, now = new Date()): Promise<RetireResult> => {
  const row = await loadRotation(rotationId);
  if (row.status !== "waiting-retire") return { retired: false, reason: "notWaiting" };
  if (row.retireAfter && row.retireAfter > now) return { retired: false, reason: "tooEarly" };
  const tenantId = row.tenantId!;
  const crypto = tenantCrypto();
  const active = await crypto.getActiveVersion(tenantId);
  const { rewritten } = await sweep(tenantId, active);
  recordRotationRows(kindOf(row), rewritten);
  await crypto.retireTenantKey(tenantId, row.fromVersion!);
  await db.keyRotation.updateMany({ where: { id: rotationId, status: "waiting-retire" }, data: { status: "completed", finishedAt: now } });
  await auditRotationStep({ rotationId, kind: kindOf(row), tenantId, step: "retired", details: { retiredVersion: row.fromVersion!, stragglers: rewritten } });
  return { retired: true, reason: "retired" };
};

/**
 * The job gave up (retries exhausted, or a permanent reason): the operation is
 * marked failed with its reason code, counted (KeyRotationFailed alerts) and
 * audited. Keys are left as they are — every version still decrypts — so
 * nothing is lost; an owner can start again or roll back.
 */
export const failRotation = async (rotationId: string, reason: string): Promise<void> => {
  const row = await loadRotation(rotationId);
  if (isTerminal(row.status)) return;
  const error = reason.slice(0, 100);
  const { count } = await db.keyRotation.updateMany({ where: { id: rotationId, status: row.status }, data: { status: "failed", error, finishedAt: new Date() } });
  if (count !== 1) return;
  recordRotationFinished(kindOf(row), row.startedAt, "failed");
  await auditRotationStep({ rotationId, kind: kindOf(row), tenantId: row.tenantId, step: "failed", result: "FAILURE", details: { reason: error, status: row.status } });
};
