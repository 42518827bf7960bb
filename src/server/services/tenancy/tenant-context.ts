import "server-only";
import { hasRole, type TRole } from "~/lib/roles";
import { db } from "~/server/db/client";
import { AppError, notFound } from "~/server/errors";
import { logger } from "~/server/infra/logger";
import type { TenantCtx, UserCtx } from "../context";

/** Membership.lastActiveAt is written at most this often per membership (access reviews need the day, not the second). */
export const ACTIVITY_WRITE_INTERVAL_MS = 5 * 60_000;

/**
 * Records that a member used the workspace, unless that was already recorded
 * within ACTIVITY_WRITE_INTERVAL_MS: one conditional UPDATE, so concurrent
 * requests write at most once and most requests write nothing. Never throws
 * (a failed write is logged); resolves whether a row was written.
 */
export const touchMembershipActivity = async (membershipId: string, now = new Date()): Promise<boolean> => {
  const cutoff = new Date(now.getTime() - ACTIVITY_WRITE_INTERVAL_MS);
  try {
    const { count } = await db.membership.updateMany({
      where: { id: membershipId, OR: [{ lastActiveAt: null }, { lastActiveAt: { lt: cutoff } }] },
      data: { lastActiveAt: now },
    });
    return count > 0;
  } catch (err) {
    logger.warn({ err, membershipId }, "membership activity write failed");
    return false;
  }
};

/**
 * Resolves the tenant named in a request for the signed-in user.
 * - no such tenant, or the user is not a member → NOT_FOUND (we do not reveal
 *   which tenants exist; platform admins get no implicit access either);
 * - suspended tenant → FORBIDDEN (tenantSuspended);
 * - role below `minRole` → FORBIDDEN (roleTooLow).
 */
export const resolveTenantContext = async (user: UserCtx, tenantSlug: string, minRole: TRole): Promise<TenantCtx> => {
  const membership = await db.membership.findFirst({
    where: { userId: user.userId, tenant: { slug: tenantSlug } },
    select: { id: true, role: true, tenant: { select: { id: true, slug: true, status: true } } },
  });
  if (!membership) throw notFound("Workspace");
  if (membership.tenant.status === "SUSPENDED") {
    throw new AppError("FORBIDDEN", "tenantSuspended", "This workspace is suspended");
  }
  if (!hasRole(membership.role, minRole)) {
    throw new AppError("FORBIDDEN", "roleTooLow", `This action needs the ${minRole} role or higher`);
  }
  // Fire-and-forget: the request neither waits for nor fails on the activity write.
  void touchMembershipActivity(membership.id);
  return { ...user, tenantId: membership.tenant.id, tenantSlug: membership.tenant.slug, role: membership.role };
};
