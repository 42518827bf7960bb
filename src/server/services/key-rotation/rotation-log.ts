import "server-only";
import type { Prisma } from "~/server/db/generated/client";
import { metrics } from "~/server/infra/metrics";
import { logger } from "~/server/infra/logger";
import { recordAudit } from "../audit/audit";
import type { RequestMeta } from "../context";

export type RotationKind = "data-key" | "rollback" | "master-key";

/** Who started an operation: a person (owner, platform admin), the daily schedule, or the drill. */
export type RotationActor = { userId: string | null; meta?: RequestMeta };

type StepEvent = {
  rotationId: string;
  kind: RotationKind;
  tenantId: string | null;
  /** `key_rotation.<step>`: requested, started, batch, verified, retired, rolled_back, failed, destroyed… */
  step: string;
  actor?: RotationActor;
  result?: "SUCCESS" | "FAILURE";
  /** Counts, versions and reason codes only: never key material or secrets. */
  details?: Prisma.InputJsonObject;
};

/**
 * One rotation step, recorded on both audit chains: the tenant's (its owners
 * see what happened to their keys) and the platform's (operators see every
 * key operation in one place). Never fails the step: recordAudit counts and
 * logs a write failure instead (AuditWriteFailures pages).
 */
export const auditRotationStep = async ({ rotationId, kind, tenantId, step, actor, result = "SUCCESS", details = {} }: StepEvent): Promise<void> => {
  const base = {
    actorId: actor?.userId ?? null,
    actorType: actor?.userId ? ("USER" as const) : ("SYSTEM" as const),
    action: `key_rotation.${step}`,
    targetType: "KeyRotation",
    targetId: rotationId,
    result,
    meta: actor?.meta,
    metadata: { kind, ...details },
  };
  if (tenantId) await recordAudit({ ...base, tenantId });
  await recordAudit({ ...base, tenantId: null, metadata: { ...base.metadata, ...(tenantId ? { tenantId } : {}) } });
};

export const recordRotationRows = (kind: RotationKind, rows: number): void => {
  if (rows > 0) metrics.keyRotationRows.add(rows, { "ocsuite.key_rotation.kind": kind });
};

export const recordRotationFinished = (kind: RotationKind, startedAt: Date, outcome: "completed" | "failed"): void => {
  metrics.keyRotationDuration.record((Date.now() - startedAt.getTime()) / 1000, { "ocsuite.key_rotation.kind": kind, "ocsuite.outcome": outcome });
  if (outcome === "failed") metrics.keyRotationFailures.add(1, { "ocsuite.key_rotation.kind": kind });
  logger.info({ kind, outcome }, "key rotation finished");
};
