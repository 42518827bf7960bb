import "server-only";
import { env } from "~/env";
import { db } from "~/server/db/client";
import { isAppError } from "~/server/errors";
import { logger } from "~/server/infra/logger";
import { requestDataKeyRotation } from "./data-key-rotation";
import { IN_FLIGHT } from "./rotation-rows";

const MAX_PER_RUN = 500;

/**
 * Tenants whose active data key is older than the policy age
 * (KEY_ROTATION_MAX_AGE_DAYS, default 90) and that have no key operation in
 * flight, oldest key first. Suspended workspaces are rotated too: key hygiene
 * does not depend on billing state.
 */
export const tenantsDueForRotation = async (now = new Date(), limit = MAX_PER_RUN): Promise<string[]> => {
  const cutoff = new Date(now.getTime() - env.KEY_ROTATION_MAX_AGE_DAYS * 86_400_000);
  const keys = await db.tenantDataKey.findMany({
    where: { status: "active", createdAt: { lt: cutoff } },
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
