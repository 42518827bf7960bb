import "server-only";
import { isCryptoError } from "@ocsuite/crypto";
import { db } from "~/server/db/client";
import { isUniqueViolation } from "~/server/db/errors";
import { env } from "~/env";
import { AppError } from "~/server/errors";
import { sendJobEvent } from "../jobs/send";
import { tenantCrypto } from "~/server/db/keys/tenant-crypto";
import { ENCRYPTED_COLUMNS, formatCheckpoint, keyVersionOf, parseCheckpoint } from "./encrypted-columns";
import { auditRotationStep, recordRotationRows, type RotationActor } from "./rotation-log";
import { kindOf, loadRotation, rotationInProgress, toRotationDto, type RotationDto, type RotationTrigger } from "./rotation-rows";

/*
 * Online rotation of one tenant's data key (docs/adr/0012-online-key-rotation.md):
 *   request → begin (v(n+1) active, v(n) decrypt-only) → wait one cache TTL →
 *   re-encrypt in checkpointed batches → verify (rotation-verify.ts) → wait the
 *   retire window → retire v(n).
 * A rollback is the same operation towards an existing version: begin makes
 * v(n) active again and the batches re-encrypt back to it.
 * Reads never stop: every version but a retired one decrypts, so old and new
 * ciphertexts coexist for as long as the job takes.
 */

const DATA_KEY_ROTATION_EVENT = "security/data-key.rotation.requested";

const createOperation = async (data: {
  kind: "data-key" | "rollback";
  tenantId: string;
  fromVersion: number;
  toVersion: number | null;
  trigger: RotationTrigger;
  actor: RotationActor;
}) => {
  try {
    return await db.keyRotation.create({
      data: { kind: data.kind, tenantId: data.tenantId, status: "pending", fromVersion: data.fromVersion, toVersion: data.toVersion, trigger: data.trigger, requestedById: data.actor.userId },
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw rotationInProgress(err);
    throw err;
  }
};

/** Sends the job's event; if the engine cannot be reached the operation is marked failed, so it does not hold the slot. */
const dispatch = async (rotationId: string, tenantId: string): Promise<void> => {
  try {
    await sendJobEvent({ name: DATA_KEY_ROTATION_EVENT, data: { tenantId, rotationId } });
  } catch (err) {
    await db.keyRotation.updateMany({ where: { id: rotationId, status: "pending" }, data: { status: "failed", error: "jobsUnavailable", finishedAt: new Date() } });
    throw err;
  }
};

/** Starts a rotation of the tenant's data key ("Rotate now", the daily schedule, the drill). */
export const requestDataKeyRotation = async (tenantId: string, actor: RotationActor, trigger: RotationTrigger): Promise<RotationDto> => {
  const active = await tenantCrypto().ensureTenantKey(tenantId);
  const row = await createOperation({ kind: "data-key", tenantId, fromVersion: active.version, toVersion: null, trigger, actor });
  await auditRotationStep({ rotationId: row.id, kind: "data-key", tenantId, step: "requested", actor, details: { fromVersion: active.version, trigger } });
  await dispatch(row.id, tenantId);
  return toRotationDto(row);
};

/**
 * Rolls the last rotation back while its old version still exists: that version
 * becomes active again and every secret is re-encrypted back to it. Refused
 * once the old version is destroyed, or when another rotation came after.
 */
export const requestRollback = async (tenantId: string, actor: RotationActor): Promise<RotationDto> => {
  const last = await db.keyRotation.findFirst({
    where: { tenantId, kind: { in: ["data-key", "rollback"] }, status: { in: ["waiting-retire", "completed"] } },
    orderBy: { startedAt: "desc" },
  });
  const unavailable = (why: string) => new AppError("PRECONDITION_FAILED", "rollbackUnavailable", `No rotation can be rolled back: ${why}`);
  if (!last || last.kind !== "data-key" || last.fromVersion === null || last.toVersion === null) throw unavailable("no finished rotation to undo");
  const keys = await tenantCrypto().listTenantKeys(tenantId);
  const previous = keys.find((k) => k.version === last.fromVersion);
  const active = keys.find((k) => k.status === "active");
  if (!previous || previous.status === "destroyed") throw unavailable(`v${last.fromVersion} was destroyed`);
  if (active?.version !== last.toVersion) throw unavailable("a later rotation replaced that key");
  const row = await createOperation({ kind: "rollback", tenantId, fromVersion: last.toVersion, toVersion: last.fromVersion, trigger: "manual", actor });
  await auditRotationStep({ rotationId: row.id, kind: "rollback", tenantId, step: "requested", actor, details: { fromVersion: last.toVersion, toVersion: last.fromVersion, undoes: last.id } });
  await dispatch(row.id, tenantId);
  return toRotationDto(row);
};

export type BeginResult = { rotationId: string; status: string; toVersion: number | null };

/**
 * Step 1, idempotent: makes the target version active. A rotation creates
 * v(n+1) once — a retry after a crash finds the version it already created (the
 * active version above `fromVersion`) instead of minting another.
 */
export const beginRotation = async (rotationId: string): Promise<BeginResult> => {
  const row = await loadRotation(rotationId);
  if (row.status !== "pending" && row.status !== "reencrypting") return { rotationId, status: row.status, toVersion: row.toVersion };
  const tenantId = row.tenantId!;
  const crypto = tenantCrypto();
  crypto.invalidateCache(tenantId);
  let toVersion = row.toVersion;
  if (row.kind === "data-key") {
    const active = await crypto.getActiveVersion(tenantId);
    toVersion = toVersion ?? (active > row.fromVersion! ? active : (await crypto.rotateTenantKey(tenantId)).version);
  } else {
    const target = (await crypto.listTenantKeys(tenantId)).find((k) => k.version === toVersion);
    if (target?.status === "retired") await crypto.restoreTenantKey(tenantId, toVersion!);
    await crypto.activateTenantKey(tenantId, toVersion!);
  }
  const rowsTotal = await countSecrets(tenantId);
  await db.keyRotation.update({ where: { id: rotationId }, data: { status: "reencrypting", toVersion, rowsTotal } });
  if (row.status === "pending") {
    await auditRotationStep({ rotationId, kind: kindOf(row), tenantId, step: "started", details: { fromVersion: row.fromVersion!, toVersion: toVersion!, rows: rowsTotal } });
  }
  return { rotationId, status: "reencrypting", toVersion };
};

const countSecrets = async (tenantId: string): Promise<number> => (await Promise.all(ENCRYPTED_COLUMNS.map((c) => c.count(tenantId)))).reduce((a, b) => a + b, 0);

/** A secret that does not decrypt stops the rotation (the old version stays readable, nothing is lost). */
export const undecryptable = (cause: unknown, column: string, id: string) =>
  new AppError("PRECONDITION_FAILED", "undecryptableSecret", `${column} ${id} does not decrypt (${isCryptoError(cause) ? cause.code : "error"})`, { cause });

/** Re-encrypts one row to the active version; null when it is already there. */
export const reencryptRow = async (tenantId: string, columnIndex: number, id: string, ciphertext: string, target: number): Promise<string | null> => {
  if (keyVersionOf(ciphertext) === target) return null;
  const column = ENCRYPTED_COLUMNS[columnIndex]!;
  try {
    return await tenantCrypto().reencrypt({ tenantId, field: column.field(id), ciphertext });
  } catch (err) {
    throw undecryptable(err, column.name, id);
  }
};

export type BatchResult = { done: boolean; rows: number };

/**
 * Step 2, one batch: re-encrypts up to KEY_ROTATION_BATCH_SIZE secrets after
 * the checkpoint and moves the checkpoint in the same transaction as the
 * writes. A crash before the commit redoes the batch; after it, the retried
 * step starts from the new checkpoint: no double work, no lost secret. Step
 * outputs are counts only.
 */
export const reencryptBatch = async (rotationId: string, batchSize = env.KEY_ROTATION_BATCH_SIZE): Promise<BatchResult> => {
  const row = await loadRotation(rotationId);
  if (row.status !== "reencrypting") return { done: true, rows: 0 };
  const tenantId = row.tenantId!;
  const target = row.toVersion!;
  if ((await tenantCrypto().getActiveVersion(tenantId)) !== target) {
    throw new AppError("CONFLICT", "activeVersionChanged", `the active data key is no longer v${target}`);
  }
  let checkpoint = parseCheckpoint(row.cursor);
  for (; checkpoint.column < ENCRYPTED_COLUMNS.length; checkpoint = { column: checkpoint.column + 1, afterId: null }) {
    const column = ENCRYPTED_COLUMNS[checkpoint.column]!;
    const page = await column.page(tenantId, checkpoint.afterId, batchSize);
    if (page.length === 0) continue;
    const writes: { id: string; previous: string; next: string }[] = [];
    for (const { id, ciphertext } of page) {
      const next = await reencryptRow(tenantId, checkpoint.column, id, ciphertext, target);
      if (next) writes.push({ id, previous: ciphertext, next });
    }
    const cursor = formatCheckpoint({ column: checkpoint.column, afterId: page.at(-1)!.id });
    const written = await db.$transaction(async (tx) => {
      let n = 0;
      for (const w of writes) if (await column.swap(tx, tenantId, w.id, w.previous, w.next)) n += 1;
      // The checkpoint moves only from where this batch started: a concurrent duplicate of this step rolls back.
      const moved = await tx.keyRotation.updateMany({
        where: { id: rotationId, status: "reencrypting", cursor: row.cursor },
        data: { cursor, rowsDone: { increment: page.length }, batches: { increment: 1 } },
      });
      if (moved.count !== 1) throw new AppError("CONFLICT", "checkpointMoved", "another run moved this rotation's checkpoint");
      return n;
    });
    recordRotationRows(kindOf(row), written);
    await auditRotationStep({ rotationId, kind: kindOf(row), tenantId, step: "batch", details: { column: column.name, rows: page.length, rewritten: written, batch: row.batches + 1 } });
    return { done: false, rows: page.length };
  }
  return { done: true, rows: 0 };
};
