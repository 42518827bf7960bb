import "server-only";
import { LRUCache } from "lru-cache";
import { hasRole, type TRole } from "~/lib/roles";
import { db } from "~/server/db/client";
import { AppError, notFound } from "~/server/errors";
import { logger } from "~/server/infra/logger";
import { noteTenantTelemetry } from "~/server/infra/privacy-telemetry-source";
import type { TenantCtx, UserCtx } from "../context";

/** Membership.lastActiveAt is written at most this often per membership (access reviews need the day, not the second). */
export const ACTIVITY_WRITE_INTERVAL_MS = 5 * 60_000;

/** Per membership, a time its lastActiveAt is known to be at or after (this process's writes); bounded, least recent forgotten first. */
const activityKnownSince = new LRUCache<string, number>({ max: 50_000 });

/**
 * Records that a member used the workspace, unless that was already recorded
 * within ACTIVITY_WRITE_INTERVAL_MS: one conditional UPDATE, so concurrent
 * requests write at most once and most requests write nothing. Never throws
 * (a failed write is logged); resolves whether a row was written.
 */
export const touchMembershipActivity = async (membershipId: string, now = new Date()): Promise<boolean> => {
  const cutoff = new Date(now.getTime() - ACTIVITY_WRITE_INTERVAL_MS);
  // What this process knows the row's lastActiveAt to be at least: within the interval, skip the
  // statement (an UPDATE with an OR filter is BEGIN + UPDATE + COMMIT in Prisma, on every request
  // otherwise). Set before the write, so concurrent requests of this process issue one.
  const known = activityKnownSince.get(membershipId);
  if (known !== undefined && known > cutoff.getTime()) return false;
  activityKnownSince.set(membershipId, now.getTime());
  try {
    const { count } = await db.membership.updateMany({
      where: { id: membershipId, OR: [{ lastActiveAt: null }, { lastActiveAt: { lt: cutoff } }] },
      data: { lastActiveAt: now },
    });
    // Nothing written: another request or process wrote it after `cutoff`, which is all we know.
    if (count === 0) activityKnownSince.set(membershipId, cutoff.getTime());
    return count > 0;
  } catch (err) {
    activityKnownSince.delete(membershipId);
    logger.warn({ err, membershipId }, "membership activity write failed");
    return false;
  }
};

/**
 * Resolves the tenant named in a request for the signed-in user.
 * - no such tenant, or the user is not a member → NOT_FOUND (we do not reveal
 *   which tenants exist; platform admins get no implicit access either);
 * - suspended tenant → FORBIDDEN (tenantSuspended);
 * - deleted tenant (purged; issue 16) → NOT_FOUND, like one that never existed;
 * - role below `minRole` → FORBIDDEN (roleTooLow).
 * A workspace scheduled for deletion resolves with `readOnly` set: the callers (tRPC's
 * tenantProcedure, the route kit) refuse its writes with assertWritable.
 */
export const resolveTenantContext = async (user: UserCtx, tenantSlug: string, minRole: TRole): Promise<TenantCtx> => {
  const membership = await db.membership.findFirst({
    where: { userId: user.userId, tenant: { slug: tenantSlug } },
    select: { id: true, role: true, tenant: { select: { id: true, slug: true, status: true, telemetryEnabled: true } } },
  });
  if (!membership || membership.tenant.status === "DELETED") throw notFound("Workspace");
  // The row is loaded anyway: this request's spans and log lines follow the workspace's telemetry
  // setting from here on (privacy-telemetry.ts), without a query of their own.
  noteTenantTelemetry(membership.tenant.id, membership.tenant.telemetryEnabled, membership.tenant.slug);
  if (membership.tenant.status === "SUSPENDED") {
    throw new AppError("FORBIDDEN", "tenantSuspended", "This workspace is suspended");
  }
  if (!hasRole(membership.role, minRole)) {
    throw new AppError("FORBIDDEN", "roleTooLow", `This action needs the ${minRole} role or higher`);
  }
  // Fire-and-forget: the request neither waits for nor fails on the activity write.
  void touchMembershipActivity(membership.id);
  const ctx: TenantCtx = { ...user, tenantId: membership.tenant.id, tenantSlug: membership.tenant.slug, role: membership.role };
  return membership.tenant.status === "PENDING_DELETION" ? { ...ctx, readOnly: true } : ctx;
};

/**
 * Refuses a write to a workspace scheduled for deletion (workspacePendingDeletion): it is
 * read-only during its grace period (services/privacy/workspace-deletion.ts), so that what the
 * owners review, export or get back by cancelling is what will be deleted.
 */
export const assertWritable = (tenant: TenantCtx): void => {
  if (tenant.readOnly) throw new AppError("FORBIDDEN", "workspacePendingDeletion", "This workspace is scheduled for deletion and is read-only");
};
