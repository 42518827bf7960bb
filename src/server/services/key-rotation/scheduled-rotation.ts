import "server-only";
import { env } from "~/env";
import { db } from "~/server/db/client";
import { isAppError } from "~/server/errors";
import { logger } from "~/server/infra/logger";
import { requestDataKeyRotation } from "./data-key-rotation";
import type { RotationActor } from "./rotation-log";
import { IN_FLIGHT } from "./rotation-rows";

const MAX_PER_RUN = 500;

/**
 * Tenants whose active data key is older than the policy age
 * (KEY_ROTATION_MAX_AGE_DAYS, default 90) and that have no key operation in
 * flight, oldest key first. Suspended workspaces are rotated too: key hygiene
 * does not depend on billing state.
 */
export const tenantsDueForRotation = async (
  now = new Date(),
  limit = MAX_PER_RUN,
  maxAgeDays = env.KEY_ROTATION_MAX_AGE_DAYS,
  onlyTenantIds?: readonly string[],
): Promise<string[]> => {
  const cutoff = new Date(now.getTime() - maxAgeDays * 86_400_000);
  const keys = await db.tenantDataKey.findMany({
    where: { status: "active", createdAt: { lt: cutoff }, ...(onlyTenantIds ? { tenantId: { in: [...onlyTenantIds] } } : {}) },
    select: { tenantId: true },
    orderBy: { createdAt: "asc" },
    take: limit * 2,
  });
  const ids = [...new Set(keys.map((k) => k.tenantId))];
  const busy = await db.keyRotation.findMany({ where: { tenantId: { in: ids }, status: { in: [...IN_FLIGHT] } }, select: { tenantId: true } });
  const skip = new Set(busy.map((b) => b.tenantId));
  return ids.filter((id) => !skip.has(id)).slice(0, limit);
};

export type ScheduledRun = { due: number; started: number; skipped: number };

/** The daily cron's work: one rotation request per due tenant (a tenant already rotating is skipped, not an error). */
export const startScheduledRotations = async (now = new Date()): Promise<ScheduledRun> => {
  const due = await tenantsDueForRotation(now);
  const run: ScheduledRun = { due: due.length, started: 0, skipped: 0 };
  for (const tenantId of due) {
    try {
      await requestDataKeyRotation(tenantId, { userId: null }, "schedule");
      run.started += 1;
    } catch (err) {
      if (!isAppError(err) || err.reason !== "rotationInProgress") throw err;
      run.skipped += 1;
    }
  }
  if (run.due > 0) logger.info(run, "scheduled key rotations started");
  return run;
};

/**
 * Incident response (a master key and the database both exposed, or some
 * workspaces' keys): every tenant's data key — or only `tenantIds`' — rotated
 * now, whatever its age. Keys created before the call are due; a tenant's new
 * key (created by its job) is not, so the loop ends when every tenant has an
 * operation. An unreachable engine stops it with jobsUnavailable (re-run it:
 * tenants already requested are skipped).
 */
export const startFleetRotation = async (actor: RotationActor, opts: { tenantIds?: readonly string[]; now?: Date } = {}): Promise<ScheduledRun> => {
  const now = opts.now ?? new Date();
  const run: ScheduledRun = { due: 0, started: 0, skipped: 0 };
  for (;;) {
    const due = await tenantsDueForRotation(now, MAX_PER_RUN, 0, opts.tenantIds);
    if (due.length === 0) break;
    run.due += due.length;
    for (const tenantId of due) {
      await requestDataKeyRotation(tenantId, actor, "manual");
      run.started += 1;
    }
  }
  logger.warn({ ...run, actorId: actor.userId }, "fleet-wide data-key rotation requested");
  return run;
};
