import "server-only";
import { db } from "~/server/db/client";
import { AppError, isAppError } from "~/server/errors";

/**
 * The guard every tenant-scoped background job calls before doing work.
 *
 * Requests are refused by resolveTenantContext, but a job runs without a
 * request: an event sent before the tenant was suspended (or replayed from the
 * dead letters afterwards) would otherwise keep working on a suspended
 * tenant's data and spending its model budget. Jobs call this at the start of
 * each step that touches tenant data and turn the error into a
 * NonRetriableError("tenantSuspended") — retrying cannot help until an admin
 * reactivates the tenant, and the run's dead letter can be replayed then.
 *
 * A tenant that no longer exists is not an error here: its rows are gone with
 * it, and each job already treats missing rows as a stale event.
 */
export const assertTenantActive = async (tenantId: string): Promise<void> => {
  const tenant = await db.tenant.findUnique({ where: { id: tenantId }, select: { status: true } });
  if (tenant?.status === "SUSPENDED") throw new AppError("FORBIDDEN", "tenantSuspended", "This workspace is suspended");
};

export const isTenantSuspendedError = (err: unknown): boolean => isAppError(err) && err.reason === "tenantSuspended";
